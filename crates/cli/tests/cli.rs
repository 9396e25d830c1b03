//! The `quire` binary as a user runs it: exit codes, one-line errors, the demo server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use support::demo::Demo;

fn quire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_usage_error(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("quire: error: "), "{err}");
    assert!(err.contains(needle), "{err} lacks {needle}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_bad_database_url_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = quire(&["migrate", "--data", data, "--database-url", "mysql://x@y/z"]);
    assert_usage_error(&out, "unsupported database URL");
    let out = quire(&[
        "migrate",
        "--data",
        data,
        "--database-url",
        "postgres://quire:secret@127.0.0.1:1/none",
    ]);
    assert_usage_error(&out, "cannot reach the database");
    assert!(
        !stderr(&out).contains("secret"),
        "passwords stay out of messages"
    );
}

#[test]
fn an_unusable_data_dir_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let data = file.join("data");
    let out = quire(&["migrate", "--data", data.to_str().unwrap()]);
    assert_usage_error(&out, "cannot create the data directory");
}

#[test]
fn a_corrupt_database_file_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("quire.db");
    let garbage = b"this is not a database, it is a grocery list\n".repeat(200);
    std::fs::write(&db, &garbage).unwrap();
    let out = quire(&["migrate", "--data", dir.path().to_str().unwrap()]);
    assert_usage_error(&out, "is not a Quire database");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        garbage,
        "the file is left as it was"
    );
}

#[test]
fn a_database_from_a_newer_quire_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert_eq!(quire(&["migrate", "--data", data]).status.code(), Some(0));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", dir.path().join("quire.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from the future', TRUE, X'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    });
    let out = quire(&["migrate", "--data", data]);
    assert_usage_error(&out, "migrated by a newer Quire");
}

#[test]
fn a_missing_config_file_is_a_usage_error() {
    let out = quire(&["migrate", "--config", "/nonexistent/quire.toml"]);
    assert_usage_error(&out, "does not exist");
}

#[test]
fn a_port_in_use_is_a_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = quire(&[
        "serve",
        "--data",
        dir.path().to_str().unwrap(),
        "--bind",
        &addr,
    ]);
    assert_usage_error(&out, "cannot listen on");
}

#[test]
fn seeding_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let out = quire(&[
            "seed",
            "--works",
            "40",
            "--seed",
            "9",
            "--max-words",
            "3000",
            "--emit-files",
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let files = |dir: &Path| {
        let mut all = Vec::new();
        for sub in std::fs::read_dir(dir).unwrap() {
            for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
                let path = f.unwrap().path();
                all.push((
                    path.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&path).unwrap(),
                ));
            }
        }
        all.sort();
        all
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), 40);
    assert!(fa == fb, "same seed, same files");
    let first = String::from_utf8(fa[0].1.clone()).unwrap();
    assert!(first.starts_with("Quire Seed Archive\n\n"), "{first}");
    assert!(first.contains("\nRating: "), "{first}");
}

#[test]
fn seeding_into_the_database_counts_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = quire(&[
        "seed",
        "--works",
        "120",
        "--max-words",
        "5000",
        "--data",
        data,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("seeded 120 works in "));
    // Seeding again adds to the archive, reusing the authors it already has.
    let again = quire(&[
        "seed",
        "--works",
        "30",
        "--max-words",
        "5000",
        "--data",
        data,
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

#[test]
fn the_demo_archive_serves_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = Demo::start(dir.path());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let get = |u: String| async move {
            let r = reqwest::get(u).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        };
        let (status, home) = get(demo.url.clone()).await;
        assert_eq!(status, 200);
        assert!(home.contains("Recent works"));
        let example = |label: &str| demo.example(label).to_owned();
        assert_eq!(get(example("General Audiences:")).await.0, 200);
        let (_, gate) = get(example("Explicit (behind the adult gate):")).await;
        assert!(gate.contains("This work could have adult content"));
        assert_eq!(get(example("Restricted (404 for guests):")).await.0, 404);
        assert_eq!(get(format!("{}healthz", demo.url)).await.0, 200);
    });
    let status = demo.terminate(Duration::from_secs(20));
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "graceful shutdown on SIGTERM"
    );

    // A second start reuses the archive instead of seeding again.
    let again = Demo::start(dir.path());
    assert!(
        again
            .printed
            .iter()
            .any(|l| l.contains("Reusing the existing archive")),
        "{:?}",
        again.printed
    );
}

#[test]
fn reindex_rebuilds_the_search_index_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let seeded = quire(&[
        "seed",
        "--works",
        "40",
        "--max-words",
        "2000",
        "--data",
        data,
    ]);
    assert_eq!(seeded.status.code(), Some(0), "{}", stderr(&seeded));
    // A damaged index is replaced, not an error.
    std::fs::create_dir_all(dir.path().join("search-index")).unwrap();
    std::fs::write(dir.path().join("search-index/meta.json"), "garbage").unwrap();
    let out = quire(&["reindex", "--data", data]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed 40 works in "), "{stdout}");
    assert!(dir.path().join("search-index/meta.json").is_file());
}
