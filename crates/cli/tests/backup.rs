//! `quire backup DIR` / `quire restore DIR`, end to end through the real command: a backup
//! taken while `quire import` writes restores to whole works; a PostgreSQL archive backs up
//! into the portable file and restores into SQLite; a newer or damaged backup is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archive_copy;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use archive_copy::{DataDir, assert_same, quire_fails, quire_ok, seeded, summaries};
use quire_store::Store;
use quire_store::backup::Manifest;
use quire_store::copy::Location;
use quire_store::testing::TestDb;

fn manifest(dir: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Works stored so far, read without opening (and migrating) the archive.
async fn works_so_far(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    let url = format!("sqlite://{}?mode=ro", db.display());
    let Ok(pool) = sqlx::SqlitePool::connect(&url).await else {
        return 0;
    };
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM works")
        .fetch_one(&pool)
        .await
        .unwrap_or(0);
    pool.close().await;
    n
}

#[tokio::test]
async fn a_backup_taken_during_an_import_restores_only_whole_works() {
    let files = tempfile::tempdir().unwrap();
    let stories = files.path().join("stories");
    quire_ok(
        files.path(),
        &[
            "seed",
            "--works",
            "3000",
            "--seed",
            "5",
            "--max-words",
            "4000",
            "--emit-files",
            stories.to_str().unwrap(),
        ],
    );
    let archive = DataDir::new();
    let mut import = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("--data")
        .arg(archive.data())
        .arg("import")
        .arg(&stories)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while works_so_far(&archive.db()).await < 30 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import stored nothing"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let backup = archive.dir.path().join("backup");
    quire_ok(&archive.data(), &["backup", backup.to_str().unwrap()]);
    let still_importing = import.try_wait().unwrap().is_none();
    assert!(import.wait().unwrap().success());
    let made = manifest(&backup);
    assert_eq!(made.source_backend, "sqlite");
    assert!(made.works >= 30, "{made:?}");
    assert!(
        still_importing && made.works < 3000,
        "the backup was taken mid-import ({} works)",
        made.works
    );

    let restored = DataDir::new();
    let out = quire_ok(&restored.data(), &["restore", backup.to_str().unwrap()]);
    assert!(out.contains("quire reindex"), "{out}");
    let store = restored.store().await;
    assert_eq!(store.counts().await.unwrap().works, made.works as i64);
    for id in 1..=i64::try_from(made.works).unwrap() {
        let work = store.work(id).await.unwrap().expect("ids are dense");
        let chapters = store.chapters(id).await.unwrap();
        assert_eq!(chapters.len(), work.chapter_count as usize, "work {id}");
        let words: i64 = chapters.iter().map(|c| c.word_count).sum();
        assert_eq!(words, work.word_count, "work {id}");
        assert!(!work.tags.is_empty(), "work {id} has its tags");
        assert!(!work.creators.is_empty(), "work {id} has its creators");
        assert!(work.source.is_some(), "work {id} has its source");
    }
}

#[tokio::test]
async fn a_postgres_archive_backs_up_into_one_file_that_restores_into_either_backend() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let Some(pg_again) = TestDb::postgres().await else {
        return;
    };
    let (url, url_again) = (pg.url().unwrap(), pg_again.url().unwrap());
    let archive = seeded(60, 4).await;
    quire_ok(&archive.data(), &["copy", "--to", &url]);

    let backup = archive.dir.path().join("backup");
    let nowhere = DataDir::new();
    quire_ok(
        &nowhere.data(),
        &["--database-url", &url, "backup", backup.to_str().unwrap()],
    );
    let made = manifest(&backup);
    assert_eq!(made.source_backend, "postgres");
    assert_eq!(made.works, 60);

    let original = summaries(&archive.location()).await;
    assert_same(&original, &made.tables);
    let into_sqlite = DataDir::new();
    quire_ok(&into_sqlite.data(), &["restore", backup.to_str().unwrap()]);
    assert_same(&original, &summaries(&into_sqlite.location()).await);
    quire_ok(
        &nowhere.data(),
        &[
            "--database-url",
            &url_again,
            "restore",
            backup.to_str().unwrap(),
        ],
    );
    assert_same(&original, &summaries(&Location::Postgres(url_again)).await);
}

#[tokio::test]
async fn a_newer_damaged_or_unforced_restore_is_refused_and_changes_nothing() {
    let archive = seeded(15, 6).await;
    let backup = archive.dir.path().join("backup");
    quire_ok(&archive.data(), &["backup", backup.to_str().unwrap()]);
    let err = quire_fails(&archive.data(), &["backup", backup.to_str().unwrap()]);
    assert!(err.contains("already holds a backup"), "{err}");

    let copy_of = |name: &str, edit: &dyn Fn(&Path)| {
        let dir = archive.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["quire.db", "manifest.json"] {
            std::fs::copy(backup.join(file), dir.join(file)).unwrap();
        }
        edit(&dir);
        dir
    };
    let edit_manifest = |key: &'static str, value: serde_json::Value| {
        move |dir: &Path| {
            let path = dir.join("manifest.json");
            let mut json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            json[key] = value.clone();
            std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
        }
    };
    let newer_schema = copy_of("newer-schema", &edit_manifest("schema_version", 999.into()));
    let newer_quire = copy_of(
        "newer-quire",
        &edit_manifest("quire_version", "99.0.0".into()),
    );
    let damaged = copy_of("damaged", &|dir: &Path| {
        let path = dir.join("quire.db");
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
    });

    let target = DataDir::new();
    for (dir, says) in [
        (&newer_schema, "newer Quire"),
        (&newer_quire, "newer Quire"),
        (&damaged, "is damaged"),
    ] {
        let err = quire_fails(&target.data(), &["restore", dir.to_str().unwrap()]);
        assert!(err.contains(says), "{}: {err}", dir.display());
        assert!(!target.db().exists(), "nothing was created");
    }

    // A restore into an archive that holds works needs --force.
    let other = seeded(5, 8).await;
    let before = summaries(&other.location()).await;
    let err = quire_fails(&other.data(), &["restore", backup.to_str().unwrap()]);
    assert!(err.contains("--force"), "{err}");
    assert_same(&before, &summaries(&other.location()).await);
    quire_ok(
        &other.data(),
        &["restore", backup.to_str().unwrap(), "--force"],
    );
    assert_same(
        &summaries(&archive.location()).await,
        &summaries(&other.location()).await,
    );
}
