//! `quire import` straight into PostgreSQL, end to end through the real command: the same report
//! as into SQLite, a second run that skips everything, and the works readable from the store.
//! Skipped with one line when no PostgreSQL server answers (unless `QUIRE_REQUIRE_POSTGRES=1`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_store::testing::TestDb;
use serde_json::Value;
use support::{Archive, legacy};

/// The report without what differs by backend or run (ids).
fn statuses(report: &Value) -> Vec<(String, String, Option<String>)> {
    report["works"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["source_id"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
                e["work"]["title"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_fixtures_import_into_postgres_as_into_sqlite() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url().expect("a PostgreSQL test database has a URL");
    let archive = Archive::new();

    let into_postgres = archive.import(&[legacy("")], &["--json", "--database-url", &url]);
    assert_eq!(
        into_postgres.status.code(),
        Some(1),
        "the corrupt fixture fails"
    );
    let postgres: Value = serde_json::from_slice(&into_postgres.stdout).unwrap();
    let sqlite_archive = Archive::new();
    let sqlite: Value =
        serde_json::from_slice(&sqlite_archive.import(&[legacy("")], &["--json"]).stdout).unwrap();
    assert!(postgres["imported"].as_u64().unwrap() > 30, "{postgres}");
    assert_eq!(statuses(&postgres), statuses(&sqlite));
    for count in ["imported", "updated", "skipped", "failed"] {
        assert_eq!(postgres[count], sqlite[count], "{count}");
    }
    assert!(
        !archive.data().join("quire.db").exists(),
        "nothing went into SQLite"
    );

    // Every imported work is in PostgreSQL, whole.
    for entry in postgres["works"].as_array().unwrap() {
        let Some(id) = entry["work"]["id"].as_i64() else {
            continue;
        };
        let work = db.store.work(id).await.unwrap().expect("stored");
        assert_eq!(Some(work.title.as_str()), entry["work"]["title"].as_str());
        assert_eq!(
            work.word_count,
            entry["work"]["word_count"].as_i64().unwrap()
        );
        assert!(!db.store.chapters(id).await.unwrap().is_empty());
    }

    // A second run is a no-op.
    let again = archive.import(&[legacy("")], &["--json", "--database-url", &url]);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["imported"], 0);
    assert_eq!(again["updated"], 0);
    assert_eq!(again["skipped"], postgres["imported"]);
}
