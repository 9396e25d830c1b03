//! The index follows the outbox, survives restarts, and rebuilds itself when missing or
//! corrupt.
#![allow(clippy::unwrap_used)]

mod common;

use common::{member, new_work};
use quire_core::visibility::ListingScope;
use quire_search::follow::{Counts, Progress, follow, follow_with, rebuild};
use quire_search::params::parse;
use quire_search::{MutedSet, Opened, SearchIndex};
use quire_store::testing::TestDb;
use quire_store::{KudosGiver, NewUser};

async fn seeded(n: usize) -> (TestDb, i64) {
    let db = TestDb::sqlite().await;
    let user = db
        .store
        .create_user(&NewUser {
            login: "wren".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let pseud = db.store.pseuds_of(user.id).await.unwrap()[0].id;
    let works: Vec<_> = (0..n).map(|i| new_work(i, pseud)).collect();
    db.store.insert_works(&works).await.unwrap();
    (db, pseud)
}

fn total(index: &SearchIndex, qs: &str) -> u64 {
    index
        .search(
            &parse(qs).unwrap(),
            ListingScope::for_viewer(&member()),
            &MutedSet::default(),
        )
        .unwrap()
        .total
}

#[tokio::test]
async fn a_new_index_is_built_from_the_database_then_follows_the_outbox() {
    let (db, pseud) = seeded(12).await;
    let dir = tempfile::tempdir().unwrap();
    let (index, opened) = SearchIndex::open(&dir.path().join("search-index")).unwrap();
    assert!(matches!(opened, Opened::Created { .. }));
    assert_eq!(index.applied_seq(), None);

    let first = follow(&index, &*db.store).await.unwrap();
    assert!(first.rebuilt);
    assert_eq!(first.works, 12);
    assert_eq!(index.len().unwrap(), 12);
    assert_eq!(
        Some(db.store.last_change_seq().await.unwrap()),
        index.applied_seq()
    );

    let mut extra = new_work(3, pseud);
    extra.title = "Zeppelin Summer".into();
    let id = db.store.insert_work(&extra).await.unwrap();
    let mut changed = new_work(4, pseud);
    changed.title = "Renamed Voyage".into();
    db.store.replace_work(1, &changed).await.unwrap();

    let second = follow(&index, &*db.store).await.unwrap();
    assert!(!second.rebuilt);
    assert_eq!(second.works, 2);
    assert_eq!(total(&index, "q=zeppelin"), 1);
    assert_eq!(total(&index, "q=voyage"), 1);
    assert_eq!(
        index.len().unwrap(),
        13,
        "an update replaces the work's document"
    );
    assert_eq!(follow(&index, &*db.store).await.unwrap().works, 0);
    assert!(id > 12);
}

#[tokio::test]
async fn count_changes_wait_for_a_pass_that_applies_them_or_for_any_other_change() {
    let (db, pseud) = seeded(3).await;
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("search-index")).unwrap();
    follow(&index, &*db.store).await.unwrap();
    let before = index.applied_seq();
    let guest = |key: &str| KudosGiver::Guest { key: key.into() };
    db.store.give_kudos(2, &guest("a")).await.unwrap();

    let waited = follow_with(&index, &*db.store, Counts::Wait).await.unwrap();
    assert_eq!((waited.works, waited.seq), (0, before.unwrap()));
    assert_eq!(index.applied_seq(), before, "kudos alone wait");

    // Another work's new title does not wait, and takes the kudos along.
    db.store.give_kudos(3, &guest("b")).await.unwrap();
    let mut renamed = new_work(0, pseud);
    renamed.title = "Lighthouse Keeper".into();
    db.store.replace_work(1, &renamed).await.unwrap();
    let applied = follow_with(&index, &*db.store, Counts::Wait).await.unwrap();
    assert_eq!((applied.works, applied.content), (3, true));
    assert_eq!(total(&index, "q=lighthouse"), 1);

    db.store.give_kudos(1, &guest("c")).await.unwrap();
    let applied = follow_with(&index, &*db.store, Counts::Apply)
        .await
        .unwrap();
    assert_eq!((applied.works, applied.content), (1, false));
    assert_eq!(
        index.applied_seq(),
        Some(db.store.last_change_seq().await.unwrap())
    );
}

#[tokio::test]
async fn a_restart_resumes_from_the_last_applied_change() {
    let (db, pseud) = seeded(5).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    {
        let (index, _) = SearchIndex::open(&path).unwrap();
        follow(&index, &*db.store).await.unwrap();
    }
    db.store.insert_work(&new_work(6, pseud)).await.unwrap();
    let (index, opened) = SearchIndex::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.len().unwrap(), 5);
    let applied = follow(&index, &*db.store).await.unwrap();
    assert_eq!((applied.rebuilt, applied.works), (false, 1));
    assert_eq!(index.len().unwrap(), 6);
}

#[tokio::test]
async fn a_corrupt_index_is_detected_at_open_and_rebuilt() {
    let (db, _) = seeded(7).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    {
        let (index, _) = SearchIndex::open(&path).unwrap();
        follow(&index, &*db.store).await.unwrap();
    }
    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    let (index, opened) = SearchIndex::open(&path).unwrap();
    let Opened::Created { reason } = opened else {
        panic!("a corrupt index was opened as is")
    };
    assert!(!reason.is_empty());
    assert_eq!(index.len().unwrap(), 0);
    assert!(follow(&index, &*db.store).await.unwrap().rebuilt);
    assert_eq!(index.len().unwrap(), 7);
}

#[tokio::test]
async fn a_damaged_segment_is_detected_at_open() {
    let (db, _) = seeded(7).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    {
        let (index, _) = SearchIndex::open(&path).unwrap();
        follow(&index, &*db.store).await.unwrap();
    }
    for entry in std::fs::read_dir(&path).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "idx" || e == "fast") {
            std::fs::write(&file, b"garbage").unwrap();
        }
    }
    let (index, opened) = SearchIndex::open(&path).unwrap();
    assert!(matches!(opened, Opened::Created { .. }), "{opened:?}");
    follow(&index, &*db.store).await.unwrap();
    assert_eq!(index.len().unwrap(), 7);
}

#[tokio::test]
async fn a_rebuild_reports_progress_and_can_index_chapter_text() {
    let (db, _) = seeded(9).await;
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("search-index")).unwrap();
    let mut seen = Vec::new();
    let n = rebuild(&index, &*db.store, true, |p| seen.push(p))
        .await
        .unwrap();
    assert_eq!(n, 9);
    assert_eq!(
        seen[0],
        Progress::Started {
            works: 9,
            max_id: 9
        }
    );
    assert_eq!(seen.last(), Some(&Progress::Indexed { indexed: 9 }));
    assert!(index.has_chapter_text());
    // `lantern` is in the chapter text of works i = 1, 4, 7 (i % 3 == 1) only, and 7 is a
    // draft.
    assert_eq!(total(&index, "q=lantern"), 0);
    assert_eq!(total(&index, "q=lantern&body=true"), 2);
}
