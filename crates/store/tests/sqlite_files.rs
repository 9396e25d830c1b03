//! SQLite-only behaviour: the file on disk and its journal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use quire_store::Store;
use quire_store::sqlite::SqliteStore;

#[tokio::test]
async fn a_bulk_load_leaves_a_database_that_opens_in_wal_mode_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quire.db");
    {
        let bulk = SqliteStore::open_for_bulk_load(&path).await.unwrap();
        bulk.archive_creator("A", "Wren").await.unwrap();
        assert!(
            !dir.path().join("quire.db-wal").exists(),
            "no WAL while bulk loading"
        );
    }
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.counts().await.unwrap().users, 1);
    store.archive_creator("A", "Pell").await.unwrap();
    assert!(
        dir.path().join("quire.db-wal").exists(),
        "serving uses the WAL"
    );
}
