//! Shared by the copy and backup tests: the `quire` binary run on a data directory, a seeded
//! archive with some of everything, and the summaries and works compared across copies.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quire_core::TagKind;
use quire_store::copy::{Location, TableSummary, summarize};
use quire_store::sqlite::SqliteStore;
use quire_store::{NewUser, Store, Wrangle};

/// `quire --data DATA ARGS…`, with no configuration from the environment.
pub fn quire(data: &Path, args: &[&str]) -> Output {
    quire_with_env(data, args, &[])
}

pub fn quire_with_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .env_remove("QUIRE_TEST_COPY_ABORT_AFTER");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run quire")
}

/// Runs `quire` and expects success; its stdout.
#[track_caller]
pub fn quire_ok(data: &Path, args: &[&str]) -> String {
    let out = quire(data, args);
    assert!(
        out.status.success(),
        "quire {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `quire` and expects it to fail; its stderr.
#[track_caller]
pub fn quire_fails(data: &Path, args: &[&str]) -> String {
    let out = quire(data, args);
    assert!(
        !out.status.success(),
        "quire {args:?} should have failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A data directory in a temp dir.
pub struct DataDir {
    pub dir: tempfile::TempDir,
}

impl DataDir {
    pub fn new() -> DataDir {
        DataDir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn db(&self) -> PathBuf {
        self.data().join("quire.db")
    }

    pub fn location(&self) -> Location {
        Location::Sqlite(self.db())
    }

    pub fn url(&self) -> String {
        format!("sqlite:{}", self.db().display())
    }

    pub async fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.db()).await.unwrap()
    }
}

/// A seeded archive of `works` works, plus an account with a saved filter and a mute, and a
/// synonym whose canonical tag was made after it (a tag referring to a larger id).
pub async fn seeded(works: u64, seed: u64) -> DataDir {
    let archive = DataDir::new();
    let (works, seed) = (works.to_string(), seed.to_string());
    quire_ok(
        &archive.data(),
        &[
            "seed",
            "--works",
            &works,
            "--seed",
            &seed,
            "--max-words",
            "3000",
        ],
    );
    let store = archive.store().await;
    let first = store.work(1).await.unwrap().expect("work 1");
    let tag = first
        .tags
        .iter()
        .find(|t| t.kind == TagKind::Freeform)
        .or_else(|| first.tags.last())
        .expect("work 1 has tags")
        .name
        .clone();
    store
        .wrangle(&Wrangle::CreateCanonical {
            tag: "Made After Everything".into(),
            kind: first.tags.iter().find(|t| t.name == tag).unwrap().kind,
        })
        .await
        .unwrap();
    store
        .wrangle(&Wrangle::Merge {
            synonym: tag.clone(),
            canonical: "Made After Everything".into(),
        })
        .await
        .unwrap();
    let reader = store
        .create_user(&NewUser {
            login: "reader_one".into(),
            email: Some("reader@example.org".into()),
            ..NewUser::default()
        })
        .await
        .unwrap();
    store
        .save_filter(reader.id, "Short ones", "words_to=1000")
        .await
        .unwrap();
    store.mute_tag(reader.id, &tag).await.unwrap();
    archive
}

pub async fn summaries(location: &Location) -> Vec<TableSummary> {
    summarize(location).await.unwrap()
}

/// Asserts that every table of `a` and `b` has the same rows and checksum.
#[track_caller]
pub fn assert_same(a: &[TableSummary], b: &[TableSummary]) {
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a, b, "table {}", a.table);
    }
}

/// Asserts that work `id` reads the same (work, chapters) from both stores.
pub async fn assert_same_work(a: &dyn Store, b: &dyn Store, id: i64) {
    let (wa, wb) = (a.work(id).await.unwrap(), b.work(id).await.unwrap());
    assert!(wa.is_some(), "work {id} exists");
    assert_eq!(wa, wb, "work {id}");
    assert_eq!(
        a.chapters(id).await.unwrap(),
        b.chapters(id).await.unwrap(),
        "chapters of work {id}"
    );
}
