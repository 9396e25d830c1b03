//! Scheduled chapters, run against SQLite and PostgreSQL alike: a chapter set to post later
//! stays its creators' alone (not counted, not in the work's words) until the poster runs at
//! or after its time; then it is posted once, dated that day, and its work's subscribers hear
//! of it once, even when two posters race.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, WorkMeta};
use quire_core::{ArchiveWarning, Category, ChapterId, Rating, TagKind, User, WorkId};
use quire_store::{Page, PostedChapter, Store, StoreError, Subscribable};

use harness::reader;

/// 2026-12-01 00:00:00 UTC.
const DEC_1: i64 = 1_796_083_200;
const HOUR: i64 = 3_600;

fn meta() -> WorkMeta {
    WorkMeta {
        title: "The Long Winter".into(),
        rating: Rating::GeneralAudiences,
        warnings: vec![ArchiveWarning::NoneApply],
        categories: vec![Category::Gen],
        tags: vec![(TagKind::Fandom, "Lanterns of Hollowmere".into())],
        language: "en".into(),
        summary: None,
        notes: None,
        end_notes: None,
        expected_chapters: None,
        restricted: false,
    }
}

/// Mira's posted one-chapter work, and a second chapter of it scheduled for `DEC_1`, with
/// Dawn subscribed to the work.
async fn scheduled(store: &dyn Store) -> (User, User, WorkId, ChapterId) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let work = meta().into_new_work(
        vec![pseud],
        NewChapter::posted("<p>One two three.</p>"),
        true,
        day,
    );
    let work = store.create_work(&work, None).await.unwrap().id;
    store
        .subscribe(dawn.id, Subscribable::Work(work))
        .await
        .unwrap();
    let later = NewChapter {
        posted: false,
        ..NewChapter::posted("<p>Four five six seven.</p>")
    };
    let chapter = store.add_chapter(work, &later, None).await.unwrap().id;
    store
        .schedule_chapter(work, chapter, Some(DEC_1))
        .await
        .unwrap();
    (mira, dawn, work, chapter)
}

async fn unread(store: &dyn Store, user: &User) -> usize {
    store
        .inbox(user.id, true, Page::first(50))
        .await
        .unwrap()
        .len()
}

async fn a_scheduled_chapter_posts_at_its_time_and_not_before(store: &dyn Store) {
    let (_, dawn, work, chapter) = scheduled(store).await;
    let listed = store.scheduled_chapters(work).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].chapter, listed[0].position, listed[0].post_at),
        (chapter, 2, DEC_1)
    );
    let before = store.work(work).await.unwrap().unwrap();
    assert_eq!((before.chapter_count, before.word_count), (1, 3));

    assert!(store.post_due_chapters(DEC_1 - 1).await.unwrap().is_empty());
    assert!(!store.chapter(work, chapter).await.unwrap().unwrap().posted);
    assert_eq!(unread(store, &dawn).await, 0);

    let since = store.last_change_seq().await.unwrap();
    let posted = store.post_due_chapters(DEC_1 + HOUR).await.unwrap();
    assert_eq!(posted, [PostedChapter { work, chapter }]);
    let now = store.chapter(work, chapter).await.unwrap().unwrap();
    assert!(now.posted);
    assert_eq!(now.published, NaiveDate::from_ymd_opt(2026, 12, 1));
    let after = store.work(work).await.unwrap().unwrap();
    assert_eq!((after.chapter_count, after.word_count), (2, 7));
    assert_eq!(after.updated, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert!(store.scheduled_chapters(work).await.unwrap().is_empty());
    assert_eq!(unread(store, &dawn).await, 1);
    let changes = store.changes_after(since, 10).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.entity == "work" && c.entity_id == work)
    );

    // Nothing is posted twice.
    assert!(
        store
            .post_due_chapters(DEC_1 + 2 * HOUR)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(unread(store, &dawn).await, 1);
}

async fn two_posters_racing_post_a_chapter_once(store: &dyn Store) {
    // As several nodes would: posters started together on one database, each finding the
    // chapter due before any of them posted it.
    let (_, dawn, work, chapter) = scheduled(store).await;
    let runs = (0..4).map(|_| store.post_due_chapters(DEC_1 + HOUR));
    let mut all: Vec<PostedChapter> = Vec::new();
    for run in futures_util::future::join_all(runs).await {
        all.extend(run.unwrap());
    }
    assert_eq!(
        all,
        [PostedChapter { work, chapter }],
        "posted by exactly one"
    );
    assert_eq!(unread(store, &dawn).await, 1, "announced once");
    assert_eq!(store.work(work).await.unwrap().unwrap().chapter_count, 2);
}

async fn rescheduling_unscheduling_and_posting_now(store: &dyn Store) {
    let (_, dawn, work, chapter) = scheduled(store).await;
    store
        .schedule_chapter(work, chapter, Some(DEC_1 + 24 * HOUR))
        .await
        .unwrap();
    assert!(store.post_due_chapters(DEC_1).await.unwrap().is_empty());
    assert_eq!(
        store.scheduled_chapters(work).await.unwrap()[0].post_at,
        DEC_1 + 24 * HOUR
    );
    store.schedule_chapter(work, chapter, None).await.unwrap();
    assert!(store.scheduled_chapters(work).await.unwrap().is_empty());
    assert!(
        store
            .post_due_chapters(DEC_1 + 48 * HOUR)
            .await
            .unwrap()
            .is_empty(),
        "taken off the schedule, it waits for its creator"
    );
    assert!(!store.chapter(work, chapter).await.unwrap().unwrap().posted);

    // Scheduled again, then posted by hand before its time: the poster leaves it alone.
    store
        .schedule_chapter(work, chapter, Some(DEC_1))
        .await
        .unwrap();
    store
        .edit_chapter(work, chapter, &NewChapter::posted("<p>Four five six.</p>"))
        .await
        .unwrap();
    assert!(store.scheduled_chapters(work).await.unwrap().is_empty());
    assert!(store.post_due_chapters(DEC_1).await.unwrap().is_empty());
    assert_eq!(unread(store, &dawn).await, 1);

    // A posted chapter cannot be scheduled; an unknown one is not found.
    assert!(matches!(
        store.schedule_chapter(work, chapter, Some(DEC_1)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .schedule_chapter(work, chapter + 100, Some(DEC_1))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

harness::stories!(
    a_scheduled_chapter_posts_at_its_time_and_not_before,
    two_posters_racing_post_a_chapter_once,
    rescheduling_unscheduling_and_posting_now,
);
