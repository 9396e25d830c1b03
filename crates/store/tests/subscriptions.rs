//! What readers follow, run against SQLite and PostgreSQL alike: subscriptions to works,
//! creators and series, the inbox entries posting makes for their subscribers (and for no one
//! else), and the reading history with "marked for later".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::{Duration, NaiveDate, Utc};
use quire_core::work::{NewChapter, WorkMeta};
use quire_core::{Preferences, Rating, TagKind, User, WorkId};
use quire_store::{
    Following, InboxKind, NewSeries, NewSession, Page, Store, StoreError, Subscribable, Visit,
};

use harness::reader;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn meta(title: &str) -> WorkMeta {
    WorkMeta {
        title: title.into(),
        rating: Rating::GeneralAudiences,
        tags: vec![(TagKind::Fandom, "Lanterns of Hollowmere".into())],
        language: "en".into(),
        ..WorkMeta::default()
    }
}

/// A work by `author`, posted (or a draft), in these series.
async fn work_by(
    store: &dyn Store,
    author: &User,
    title: &str,
    post: bool,
    series: &[i64],
) -> WorkId {
    let pseud = store.pseuds_of(author.id).await.unwrap()[0].id;
    let mut work =
        meta(title).into_new_work(vec![pseud], NewChapter::posted("<p>One.</p>"), post, day());
    work.series = series.iter().map(|s| (*s, 1)).collect();
    store.create_work(&work, None).await.unwrap().id
}

/// A session of `user`'s, live for an hour from `now`, under `token_hash`.
async fn open_session(store: &dyn Store, user: &User, token_hash: &str, now: i64) {
    store
        .create_session(&NewSession {
            token_hash: token_hash.into(),
            user: user.id,
            now,
            expires_at: now + 3600,
            user_agent: None,
        })
        .await
        .unwrap();
}

async fn unread(store: &dyn Store, user: &User) -> Vec<quire_store::InboxEntry> {
    store.inbox(user.id, true, Page::first(50)).await.unwrap()
}

async fn subscribing_twice_subscribes_once_and_unsubscribing_ends_it(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let series = store
        .create_series(&NewSeries {
            title: "Hollowmere Nights".into(),
            ..NewSeries::default()
        })
        .await
        .unwrap();
    let work = work_by(store, &mira, "The Long Winter", true, &[series]).await;
    let targets = [
        Subscribable::Work(work),
        Subscribable::Creator(mira.id),
        Subscribable::Series(series),
    ];
    for target in targets {
        assert!(!store.is_subscribed(dawn.id, target).await.unwrap());
        assert!(
            store.subscribe(dawn.id, target).await.unwrap(),
            "{target:?}"
        );
        assert!(
            !store.subscribe(dawn.id, target).await.unwrap(),
            "twice is once"
        );
        assert!(store.is_subscribed(dawn.id, target).await.unwrap());
    }
    let listed = store.subscriptions(dawn.id, Page::first(10)).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|s| (s.target, s.name.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            (Subscribable::Series(series), Some("Hollowmere Nights")),
            (Subscribable::Creator(mira.id), Some("mira")),
            (Subscribable::Work(work), None),
        ],
        "newest first"
    );
    assert!(
        store
            .subscriptions(mira.id, Page::first(10))
            .await
            .unwrap()
            .is_empty(),
        "subscriptions are their owner's alone"
    );
    let following = store.following(dawn.id, work).await.unwrap();
    assert!(following.subscribed && !following.marked_for_later);
    // A work page reads the same with the session, in one round trip.
    store.mark_for_later(dawn.id, work, true).await.unwrap();
    store.mute_creator(dawn.id, mira.id).await.unwrap();
    let now = 1_700_000_000;
    open_session(store, &dawn, "dawn-reads", now).await;
    let session = |reading| async move {
        store
            .session("dawn-reads", now, reading)
            .await
            .unwrap()
            .expect("live")
    };
    let both = Following {
        subscribed: true,
        marked_for_later: true,
    };
    let read = session(Some(work)).await;
    assert_eq!(read.reading, Some((work, both)));
    assert_eq!(
        read.muted_creators,
        vec![mira.id],
        "one row per muted creator"
    );
    let other = work_by(store, &mira, "Elsewhere", true, &[]).await;
    assert_eq!(
        session(Some(other)).await.reading,
        Some((other, Following::default())),
        "a work the account does not follow"
    );
    assert_eq!(session(None).await.reading, None);
    store.mark_for_later(dawn.id, work, false).await.unwrap();
    store.unmute_creator(dawn.id, mira.id).await.unwrap();

    assert!(
        store
            .unsubscribe(dawn.id, Subscribable::Work(work))
            .await
            .unwrap()
    );
    assert!(
        !store
            .unsubscribe(dawn.id, Subscribable::Work(work))
            .await
            .unwrap()
    );
    assert!(!store.following(dawn.id, work).await.unwrap().subscribed);

    // Nothing to subscribe to: a draft, an unknown creator or series.
    let draft = work_by(store, &mira, "Unfinished", false, &[]).await;
    for target in [
        Subscribable::Work(draft),
        Subscribable::Creator(999_999),
        Subscribable::Series(999_999),
    ] {
        assert!(
            matches!(
                store.subscribe(dawn.id, target).await,
                Err(StoreError::NotFound(_))
            ),
            "{target:?}"
        );
    }
}

async fn a_new_chapter_reaches_the_works_subscribers_and_no_one_else(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let work = work_by(store, &mira, "The Long Winter", true, &[]).await;
    store
        .subscribe(dawn.id, Subscribable::Work(work))
        .await
        .unwrap();
    // A creator following their own work is not told of their own chapters.
    store
        .subscribe(mira.id, Subscribable::Work(work))
        .await
        .unwrap();
    store
        .subscribe(xander.id, Subscribable::Creator(mira.id))
        .await
        .unwrap();

    let posted = store
        .add_chapter(work, &NewChapter::posted("<p>Two.</p>"), None)
        .await
        .unwrap()
        .id;
    let entries = unread(store, &dawn).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, InboxKind::Chapter);
    assert_eq!(entries[0].work_id, work);
    let chapter = entries[0].chapter.unwrap();
    assert_eq!(
        (chapter.id, chapter.position, chapter.posted),
        (posted, 2, true)
    );
    assert!(unread(store, &mira).await.is_empty());
    assert!(
        unread(store, &xander).await.is_empty(),
        "a new chapter is not a new work"
    );

    // An unposted chapter tells no one until it is posted.
    let later = NewChapter {
        posted: false,
        ..NewChapter::posted("<p>Three.</p>")
    };
    let third = store.add_chapter(work, &later, None).await.unwrap().id;
    assert_eq!(unread(store, &dawn).await.len(), 1);
    store
        .edit_chapter(work, third, &NewChapter::posted("<p>Three.</p>"))
        .await
        .unwrap();
    let entries = unread(store, &dawn).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].chapter.unwrap().id, third, "newest first");
    // Editing a posted chapter again is no news.
    store
        .edit_chapter(work, third, &NewChapter::posted("<p>Three, fixed.</p>"))
        .await
        .unwrap();
    assert_eq!(unread(store, &dawn).await.len(), 2);
}

async fn a_new_work_reaches_creator_and_series_subscribers_once_each(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let series = store
        .create_series(&NewSeries {
            title: "Hollowmere Nights".into(),
            ..NewSeries::default()
        })
        .await
        .unwrap();
    store
        .subscribe(dawn.id, Subscribable::Creator(mira.id))
        .await
        .unwrap();
    store
        .subscribe(dawn.id, Subscribable::Series(series))
        .await
        .unwrap();
    store
        .subscribe(xander.id, Subscribable::Series(series))
        .await
        .unwrap();

    let alone = work_by(store, &mira, "A Standalone", true, &[]).await;
    let entries = unread(store, &dawn).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].kind, entries[0].work_id),
        (InboxKind::Work, alone)
    );
    assert!(unread(store, &xander).await.is_empty());

    let in_series = work_by(store, &mira, "Second Night", true, &[series]).await;
    for reader in [&dawn, &xander] {
        let entries = unread(store, reader).await;
        assert_eq!(entries[0].kind, InboxKind::Series, "{}", reader.login);
        assert_eq!(entries[0].work_id, in_series);
        assert_eq!(
            entries[0].series,
            Some((series, "Hollowmere Nights".to_owned()))
        );
    }
    assert_eq!(unread(store, &dawn).await.len(), 2, "one entry per work");

    // A draft tells no one until it is posted.
    let draft = work_by(store, &mira, "Third Night", false, &[series]).await;
    assert_eq!(unread(store, &xander).await.len(), 1);
    store.post_work(draft, day()).await.unwrap();
    let entries = unread(store, &xander).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].work_id, draft);
}

async fn inbox_entries_are_read_and_deleted_by_their_owner_only(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    store
        .subscribe(dawn.id, Subscribable::Creator(mira.id))
        .await
        .unwrap();
    store
        .subscribe(xander.id, Subscribable::Creator(mira.id))
        .await
        .unwrap();
    for title in ["One", "Two", "Three"] {
        work_by(store, &mira, title, true, &[]).await;
    }
    let now = Utc::now().timestamp();
    open_session(store, &dawn, "dawn-session", now).await;
    let unread_count = || async {
        store
            .session("dawn-session", now, None)
            .await
            .unwrap()
            .unwrap()
            .unread
    };
    assert_eq!(unread_count().await, 3, "read with the session");

    let entries = unread(store, &dawn).await;
    let theirs = unread(store, &xander).await;
    // Another reader's ids change nothing.
    assert_eq!(
        store
            .mark_inbox(xander.id, &[entries[0].id], false)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .delete_inbox(xander.id, &[entries[0].id])
            .await
            .unwrap(),
        0
    );
    assert_eq!(unread(store, &dawn).await.len(), 3);

    assert_eq!(
        store
            .mark_inbox(dawn.id, &[entries[0].id], false)
            .await
            .unwrap(),
        1
    );
    assert_eq!(unread(store, &dawn).await.len(), 2);
    assert_eq!(unread_count().await, 2);
    let all = store.inbox(dawn.id, false, Page::first(50)).await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(!all[0].unread && all[1].unread);
    assert_eq!(
        store
            .mark_inbox(dawn.id, &[entries[0].id], true)
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.mark_inbox_all_read(dawn.id).await.unwrap(), 3);
    assert_eq!(store.mark_inbox_all_read(dawn.id).await.unwrap(), 0);
    assert_eq!(unread_count().await, 0);
    assert_eq!(
        store.delete_inbox(dawn.id, &[entries[1].id]).await.unwrap(),
        1
    );
    assert_eq!(
        store
            .inbox(dawn.id, false, Page::first(50))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(unread(store, &xander).await, theirs, "untouched");

    // A deleted work takes its entries with it.
    store.delete_work(entries[2].work_id).await.unwrap();
    assert_eq!(
        store
            .inbox(dawn.id, false, Page::first(50))
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn visits_add_up_to_one_row_per_work_until_history_is_turned_off(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let first = work_by(store, &mira, "The Long Winter", true, &[]).await;
    let second = work_by(store, &mira, "Spring", true, &[]).await;
    let then = Utc::now() - Duration::hours(2);
    let visit = |work, at, visits| Visit {
        user: dawn.id,
        work,
        at,
        visits,
    };
    store
        .record_visits(&[visit(first, then, 2), visit(second, then, 1)])
        .await
        .unwrap();
    let now = Utc::now();
    store
        .record_visits(&[
            visit(first, now, 1),
            // Gone works are dropped, not an error for the batch.
            visit(999_999, now, 1),
        ])
        .await
        .unwrap();
    let history = store
        .readings(dawn.id, false, Page::first(10))
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.work_id, r.visits))
            .collect::<Vec<_>>(),
        vec![(first, 3), (second, 1)],
        "last visited first"
    );
    assert!(history[0].first_visited_at < history[0].last_visited_at);
    assert!(
        store
            .readings(mira.id, false, Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );

    // Marked for later: a filter, and off again when marked read.
    store.mark_for_later(dawn.id, second, true).await.unwrap();
    let unread_yet = work_by(store, &mira, "Summer", true, &[]).await;
    store
        .mark_for_later(dawn.id, unread_yet, true)
        .await
        .unwrap();
    let later = store
        .readings(dawn.id, true, Page::first(10))
        .await
        .unwrap();
    assert_eq!(
        later.iter().map(|r| r.work_id).collect::<Vec<_>>(),
        vec![unread_yet, second]
    );
    assert!(
        store
            .following(dawn.id, second)
            .await
            .unwrap()
            .marked_for_later
    );
    store.mark_for_later(dawn.id, second, false).await.unwrap();
    assert_eq!(
        store
            .readings(dawn.id, true, Page::first(10))
            .await
            .unwrap()
            .len(),
        1
    );
    let draft = work_by(store, &mira, "Unfinished", false, &[]).await;
    assert!(matches!(
        store.mark_for_later(dawn.id, draft, true).await,
        Err(StoreError::NotFound(_))
    ));

    assert!(store.delete_reading(dawn.id, first).await.unwrap());
    assert!(!store.delete_reading(dawn.id, first).await.unwrap());
    assert_eq!(
        store
            .readings(dawn.id, false, Page::first(10))
            .await
            .unwrap()
            .len(),
        2
    );

    // History off: visits are no longer kept; what is there can be cleared.
    store
        .set_preferences(
            dawn.id,
            &Preferences {
                history_enabled: false,
                ..Preferences::default()
            },
        )
        .await
        .unwrap();
    store.record_visits(&[visit(first, now, 1)]).await.unwrap();
    assert_eq!(
        store
            .readings(dawn.id, false, Page::first(10))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(store.clear_readings(dawn.id).await.unwrap(), 2);
    assert!(
        store
            .readings(dawn.id, false, Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

harness::stories!(
    subscribing_twice_subscribes_once_and_unsubscribing_ends_it,
    a_new_chapter_reaches_the_works_subscribers_and_no_one_else,
    a_new_work_reaches_creator_and_series_subscribers_once_each,
    inbox_entries_are_read_and_deleted_by_their_owner_only,
    visits_add_up_to_one_row_per_work_until_history_is_turned_off,
);
