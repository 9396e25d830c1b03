//! The corpus stored and written: into a real SQLite archive and into a folder of files,
//! as `quire seed` and `quire serve --demo` use it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU64, Ordering};

use quire_seed::{ARCHIVE_NAME, CorpusOptions};
use quire_store::testing::TestDb;

const OPTIONS: CorpusOptions = CorpusOptions {
    works: 120,
    seed: 3,
    max_words: 2_000,
};

#[tokio::test]
async fn the_corpus_goes_into_an_archive_whole_and_progress_is_told() {
    let db = TestDb::sqlite().await;
    let told = AtomicU64::new(0);
    let report = quire_seed::into_store(&*db.store, OPTIONS, &|n| told.store(n, Ordering::Relaxed))
        .await
        .unwrap();
    assert_eq!(report.works, 120);
    assert_eq!(told.load(Ordering::Relaxed), 120);
    let counts = db.store.counts().await.unwrap();
    assert_eq!(counts.works, 120);
    assert!(counts.chapters >= 120);
}

#[test]
fn the_corpus_written_as_files_gives_one_story_file_per_work() {
    let dir = tempfile::tempdir().unwrap();
    let told = std::cell::Cell::new(0);
    let report = quire_seed::into_files(dir.path(), OPTIONS, &|n| told.set(n)).unwrap();
    assert_eq!((report.works, told.get()), (120, 120));
    let first = std::fs::read_to_string(dir.path().join("0000/0000001.txt")).unwrap();
    assert!(first.starts_with(ARCHIVE_NAME), "{first}");
    let files = std::fs::read_dir(dir.path().join("0000")).unwrap().count();
    assert_eq!(files, 120);
}
