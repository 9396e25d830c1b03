//! What readers leave on works (kudos, hits, bookmarks), run against SQLite and PostgreSQL
//! alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewWork, WorkStats};
use quire_core::{Rating, WorkId};
use quire_store::{
    BookmarkForm, Hit, KudosGiver, KudosOutcome, Page, Store, StoreError, WorksOnDeletion,
};

use harness::reader;

/// A work by Jonathan Levinson, imported with `kudos` kudos.
async fn work(store: &dyn Store, posted: bool, kudos: i64) -> WorkId {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Jonathan Levinson")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2001, 10, 2).unwrap();
    store
        .insert_work(&NewWork {
            title: "Superstar".into(),
            creators: vec![pseud.id],
            rating: Rating::GeneralAudiences,
            warnings: vec![],
            categories: vec![],
            tags: vec![],
            language: "en".into(),
            summary: None,
            notes: None,
            end_notes: None,
            expected_chapters: Some(1),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted,
            restricted: false,
            stats: WorkStats {
                kudos,
                ..WorkStats::default()
            },
            chapters: vec![NewChapter::posted("<p>Everyone loves Jonathan.</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap()
}

fn guest(key: &str) -> KudosGiver {
    KudosGiver::Guest { key: key.into() }
}

async fn kudos_are_counted_once_per_reader_and_per_guest(store: &dyn Store) {
    let id = work(store, true, 3).await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let before = store.last_change_seq().await.unwrap();

    let dawn_gives = KudosGiver::User(dawn.id);
    assert!(!store.has_given_kudos(id, &dawn_gives).await.unwrap());
    assert_eq!(
        store.give_kudos(id, &dawn_gives).await.unwrap(),
        KudosOutcome::Given
    );
    assert!(store.has_given_kudos(id, &dawn_gives).await.unwrap());
    assert_eq!(
        store.give_kudos(id, &dawn_gives).await.unwrap(),
        KudosOutcome::AlreadyGiven
    );
    let xander_gives = KudosGiver::User(xander.id);
    store.give_kudos(id, &xander_gives).await.unwrap();
    assert_eq!(
        store.give_kudos(id, &guest("a1")).await.unwrap(),
        KudosOutcome::Given
    );
    assert_eq!(
        store.give_kudos(id, &guest("a1")).await.unwrap(),
        KudosOutcome::AlreadyGiven
    );
    assert!(!store.has_given_kudos(id, &guest("b2")).await.unwrap());

    // 3 imported + dawn + xander + one guest.
    assert_eq!(store.work(id).await.unwrap().unwrap().stats.kudos, 6);
    let list = store.kudos(id).await.unwrap();
    assert_eq!(list.users, ["xander", "dawn"]);
    assert_eq!(list.guests, 4);
    // Each counted kudos re-lists the work (its kudos count sorts listings); repeats do not.
    let changes = store.changes_after(before, 100).await.unwrap();
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.counts_only() && c.entity_id == id));
}

fn hit(work: WorkId, day: i32, visitor: i64) -> Hit {
    Hit { work, day, visitor }
}

async fn hits_are_counted_once_per_visitor_per_work_per_day(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let other = work(store, true, 0).await;
    let before = store.last_change_seq().await.unwrap();
    let hits = |id| async move { store.work(id).await.unwrap().unwrap().stats.hits };

    // One node's batch, with a visitor twice (two chapters read, say).
    let first = [
        hit(id, 20_000, 1),
        hit(id, 20_000, 2),
        hit(other, 20_000, 1),
    ];
    assert_eq!(store.record_hits(&first).await.unwrap(), 3);
    // Another node saw visitor 2 too, and a new one; the same visitors count again tomorrow.
    let second = [hit(id, 20_000, 2), hit(id, 20_000, 3), hit(id, 20_001, 1)];
    assert_eq!(store.record_hits(&second).await.unwrap(), 2);
    assert_eq!(hits(id).await, 4);
    assert_eq!(hits(other).await, 1);
    // Each batch re-lists the works whose count moved, once each, as a change of counts.
    let changes = store.changes_after(before, 100).await.unwrap();
    let moved: Vec<WorkId> = changes.iter().map(|c| c.entity_id).collect();
    assert_eq!(moved, [id, other, id]);
    assert!(changes.iter().all(|c| c.counts_only()));
    // A batch with nothing new changes nothing.
    let seq = store.last_change_seq().await.unwrap();
    assert_eq!(store.record_hits(&second).await.unwrap(), 0);
    assert_eq!(store.record_hits(&[]).await.unwrap(), 0);
    assert_eq!(store.last_change_seq().await.unwrap(), seq);
}

async fn hits_on_works_gone_since_are_not_counted(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let gone = id + 1_000;
    assert_eq!(
        store
            .record_hits(&[hit(gone, 20_000, 1), hit(id, 20_000, 1)])
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.work(id).await.unwrap().unwrap().stats.hits, 1);
}

async fn creators_cannot_leave_kudos_on_their_own_work(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let jonathan = store
        .user_by_login("jonathan_levinson")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .give_kudos(id, &KudosGiver::User(jonathan.id))
            .await
            .unwrap(),
        KudosOutcome::OwnWork
    );
    assert_eq!(store.work(id).await.unwrap().unwrap().stats.kudos, 0);
}

async fn drafts_and_unknown_works_take_no_kudos(store: &dyn Store) {
    let draft = work(store, false, 0).await;
    assert!(matches!(
        store.give_kudos(draft, &guest("a1")).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.give_kudos(draft + 1_000, &guest("a1")).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.kudos(draft).await.unwrap(), Default::default());
}

async fn a_deleted_accounts_kudos_stay_as_a_guests(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let dawn = reader(store, "dawn").await;
    store
        .give_kudos(id, &KudosGiver::User(dawn.id))
        .await
        .unwrap();
    store
        .delete_account(dawn.id, WorksOnDeletion::Orphan)
        .await
        .unwrap();
    let list = store.kudos(id).await.unwrap();
    assert!(list.users.is_empty());
    assert_eq!(list.guests, 1);
    assert_eq!(store.work(id).await.unwrap().unwrap().stats.kudos, 1);
}

fn form(notes: &str, tags: &[&str], private: bool) -> BookmarkForm {
    BookmarkForm {
        notes: Some(notes.to_owned()),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        private,
        rec: false,
    }
}

async fn public_bookmarks_are_counted_and_private_ones_are_not(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let count = || async { store.work(id).await.unwrap().unwrap().stats.bookmarks };
    let before = store.last_change_seq().await.unwrap();

    let saved = store
        .save_bookmark(
            dawn.id,
            id,
            &form("<p>Read it twice.</p>", &["reread", "funny"], false),
        )
        .await
        .unwrap();
    assert_eq!(saved.login, "dawn");
    assert_eq!(saved.tags, ["reread", "funny"]);
    assert_eq!(count().await, 1);
    // Saving again rewrites the one bookmark; made private, it is no longer counted.
    let rewritten = store
        .save_bookmark(dawn.id, id, &form("Mine.", &[], true))
        .await
        .unwrap();
    assert_eq!(rewritten.id, saved.id);
    assert!(rewritten.tags.is_empty());
    assert_eq!(count().await, 0);
    store
        .save_bookmark(xander.id, id, &form("", &[], false))
        .await
        .unwrap();
    assert_eq!(count().await, 1);

    // Others see the public one; its owner sees their private one too.
    let public = store.bookmarks_of(id, Page::first(20)).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].login, "xander");
    assert!(
        store
            .bookmarks_by(dawn.id, false, Page::first(20))
            .await
            .unwrap()
            .is_empty()
    );
    let own = store
        .bookmarks_by(dawn.id, true, Page::first(20))
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].notes.as_deref(), Some("Mine."));
    assert!(store.bookmark(dawn.id, id).await.unwrap().unwrap().private);

    // Only moves of the public count re-list the work.
    let moved = store.changes_after(before, 100).await.unwrap();
    assert_eq!(moved.len(), 3, "{moved:?}");
    assert!(moved.iter().all(|c| c.counts_only() && c.entity_id == id));

    assert!(store.delete_bookmark(xander.id, id).await.unwrap());
    assert!(!store.delete_bookmark(xander.id, id).await.unwrap());
    assert_eq!(count().await, 0);
    assert!(store.bookmark(xander.id, id).await.unwrap().is_none());
}

/// A bookmark saved again exactly as it is (a form sent twice, a reader pressing Save with
/// nothing changed) is left as it is: not its date, not the outbox, so no cached page drops.
async fn a_bookmark_saved_unchanged_is_left_as_it_is(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let dawn = reader(store, "dawn").await;
    let saved = store
        .save_bookmark(dawn.id, id, &form("Loved it", &["funny"], false))
        .await
        .unwrap();
    let before = store.last_change_seq().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let again = store
        .save_bookmark(dawn.id, id, &form("Loved it", &["funny"], false))
        .await
        .unwrap();
    assert_eq!(again, saved);
    assert!(store.changes_after(before, 10).await.unwrap().is_empty());

    // Any change to what it says is saved, dated and re-listed.
    let changed = store
        .save_bookmark(dawn.id, id, &form("Loved it", &["funny", "reread"], false))
        .await
        .unwrap();
    assert_eq!(changed.id, saved.id);
    assert!(changed.updated_at > saved.updated_at);
    assert_eq!(store.changes_after(before, 10).await.unwrap().len(), 1);
    assert_eq!(store.work(id).await.unwrap().unwrap().stats.bookmarks, 1);
}

async fn drafts_and_unknown_works_take_no_bookmarks(store: &dyn Store) {
    let draft = work(store, false, 0).await;
    let dawn = reader(store, "dawn").await;
    for id in [draft, draft + 1_000] {
        let refused = store
            .save_bookmark(dawn.id, id, &form("", &[], false))
            .await;
        assert!(
            matches!(refused, Err(StoreError::NotFound("work"))),
            "{refused:?}"
        );
    }
    assert!(
        store
            .bookmarks_by(dawn.id, true, Page::first(20))
            .await
            .unwrap()
            .is_empty()
    );
}

/// The node that writes marks its cached pages as the write commits: the store tells it the
/// outbox rows each committed write appended, the same rows the outbox then holds, and
/// nothing for a write that changed nothing.
async fn commits_are_told_with_their_outbox_rows(store: &dyn Store) {
    let id = work(store, true, 0).await;
    let dawn = reader(store, "dawn").await;
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = told.clone();
    store.on_commit(Box::new(move |changes| {
        listener.lock().unwrap().extend(changes.iter().cloned());
    }));
    let before = store.last_change_seq().await.unwrap();

    let dawn_gives = KudosGiver::User(dawn.id);
    store.give_kudos(id, &dawn_gives).await.unwrap();
    store
        .save_bookmark(dawn.id, id, &form("Loved it", &["funny"], false))
        .await
        .unwrap();
    let outbox = store.changes_after(before, 10).await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|c| c.counts_only() && c.entity_id == id));
    assert_eq!(*told.lock().unwrap(), outbox);

    // Already given, a draft refused, a private bookmark's change: nothing told.
    told.lock().unwrap().clear();
    store.give_kudos(id, &dawn_gives).await.unwrap();
    let draft = work(store, false, 0).await;
    assert!(store.give_kudos(draft, &dawn_gives).await.is_err());
    let xander = reader(store, "xander").await;
    store
        .save_bookmark(xander.id, id, &form("", &[], true))
        .await
        .unwrap();
    let told_now = told.lock().unwrap().clone();
    let outbox = store.changes_after(before, 10).await.unwrap();
    assert!(
        told_now
            .iter()
            .all(|c| c.entity != "work" || c.entity_id != id),
        "{told_now:?}"
    );
    assert_eq!(outbox.len(), 2 + told_now.len());
}

harness::stories!(
    a_bookmark_saved_unchanged_is_left_as_it_is,
    commits_are_told_with_their_outbox_rows,
    kudos_are_counted_once_per_reader_and_per_guest,
    creators_cannot_leave_kudos_on_their_own_work,
    drafts_and_unknown_works_take_no_kudos,
    a_deleted_accounts_kudos_stay_as_a_guests,
    hits_are_counted_once_per_visitor_per_work_per_day,
    hits_on_works_gone_since_are_not_counted,
    public_bookmarks_are_counted_and_private_ones_are_not,
    drafts_and_unknown_works_take_no_bookmarks,
);
