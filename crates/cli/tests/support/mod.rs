//! Shared by the import tests: a fresh archive in a temporary data directory, the `quire`
//! binary run against it, and the fixture files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod accounts;
pub mod chromium;
pub mod demo;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quire_core::Work;
use quire_store::Store;
use quire_store::sqlite::SqliteStore;
use serde_json::Value;

/// A fixture file or folder (tests/data/legacy/...); `""` for the folder itself.
pub fn legacy(name: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy"
    ))
    .join(name)
}

/// An empty archive: a data directory that `quire import --data` fills.
pub struct Archive {
    dir: tempfile::TempDir,
}

impl Archive {
    pub fn new() -> Self {
        Archive {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `quire import --data DIR PATH… ARGS…`.
    pub fn import(&self, paths: &[PathBuf], args: &[&str]) -> Output {
        self.import_with_env(paths, args, &[])
    }

    pub fn import_with_env(
        &self,
        paths: &[PathBuf],
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
        command
            .arg("import")
            .arg("--data")
            .arg(self.data())
            .args(paths)
            .args(args)
            .env_remove("QUIRE_DATABASE_URL")
            .env_remove("QUIRE_DATA")
            .env_remove("QUIRE_TEST_ABORT_AFTER");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().expect("run quire")
    }

    /// Imports with `--json`, expecting success; the report.
    #[track_caller]
    pub fn import_ok(&self, paths: &[PathBuf]) -> Value {
        self.import_ok_with(paths, &[])
    }

    /// [`Archive::import_ok`] with more arguments (`--database-url`, `--archive`).
    #[track_caller]
    pub fn import_ok_with(&self, paths: &[PathBuf], args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.import(paths, &all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("only JSON on stdout")
    }

    pub async fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.data().join("quire.db"))
            .await
            .unwrap()
    }

    /// The stored work of a report entry.
    pub async fn work(&self, store: &SqliteStore, entry: &Value) -> Work {
        let id = entry["work"]["id"].as_i64().expect("a stored work");
        store.work(id).await.unwrap().expect("the work is stored")
    }
}

/// A copy of the fixture folder (as `<tmp>/legacy`) without some of its files.
pub fn legacy_copy_without(skip: &[&str]) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path, skip: &[&str]) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if skip.iter().any(|s| name == **s) {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name), skip);
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&legacy(""), &dir.path().join("legacy"), skip);
    dir
}

/// A small zip that unpacks to more than the importer's cap (129 MiB of zeros).
pub fn zip_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("bomb.txt", options).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..129 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
