//! Gifts and series kept by their creators, run against SQLite and PostgreSQL alike: giving a
//! work to pseuds and plain names, a recipient refusing one, a blocked creator refused, and
//! series made, added to at the end, reordered, trimmed and deleted with their works kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::ListingScope;
use quire_core::work::{NewChapter, WorkMeta};
use quire_core::{Gift, Rating, TagKind, User, WorkId};
use quire_store::{
    GiftRefusal, InboxKind, NewSeries, NewUser, Page, Recipient, SeriesEdit, Store, StoreError,
    Subscribable,
};

use harness::reader;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// A work by `author`, posted (or a draft).
async fn work_by(store: &dyn Store, author: &User, title: &str, post: bool) -> WorkId {
    let pseud = store.pseuds_of(author.id).await.unwrap()[0].id;
    let meta = WorkMeta {
        title: title.into(),
        rating: Rating::GeneralAudiences,
        tags: vec![(TagKind::Fandom, "Lanterns of Hollowmere".into())],
        language: "en".into(),
        ..WorkMeta::default()
    };
    let work = meta.into_new_work(vec![pseud], NewChapter::posted("<p>One.</p>"), post, day());
    store.create_work(&work, None).await.unwrap().id
}

fn names(typed: &[&str]) -> Vec<String> {
    typed.iter().map(|n| (*n).to_owned()).collect()
}

async fn gifts_of(store: &dyn Store, work: WorkId) -> Vec<Gift> {
    store.work(work).await.unwrap().unwrap().gifts
}

const EVERYONE: ListingScope = ListingScope {
    include_restricted: true,
};

async fn gifts_go_to_pseuds_and_plain_names_until_refused(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = store
        .create_user(&NewUser {
            login: "dawn".into(),
            pseuds: vec!["Dawnlight".into(), "Dawn Second".into()],
            ..NewUser::default()
        })
        .await
        .unwrap();
    let work = work_by(store, &mira, "The Long Winter", true).await;
    let draft = work_by(store, &mira, "Unfinished", false).await;

    let recipients = store
        .gift_recipients(&names(&["dawn second (DAWN)", "Old Friend", "dawnlight"]))
        .await
        .unwrap();
    assert!(matches!(&recipients[0], Recipient::Pseud(p) if p.name == "Dawn Second"));
    assert_eq!(recipients[1], Recipient::Name("Old Friend".into()));
    assert!(matches!(&recipients[2], Recipient::Pseud(p) if p.name == "Dawnlight"));
    assert!(store.set_gifts(work, &recipients).await.unwrap().is_empty());
    assert!(
        store
            .set_gifts(draft, &recipients[..1])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        gifts_of(store, work).await,
        [
            Gift {
                name: "Dawn Second".into(),
                login: Some("dawn".into())
            },
            Gift {
                name: "Old Friend".into(),
                login: None
            },
            Gift {
                name: "Dawnlight".into(),
                login: Some("dawn".into())
            },
        ]
    );

    // The gifts page lists through the listing rule: the draft is not there.
    let (received, total) = store
        .gifts_received(dawn.id, EVERYONE, Page::first(10))
        .await
        .unwrap();
    assert_eq!(total, 1);
    assert_eq!(received.iter().map(|w| w.id).collect::<Vec<_>>(), [work]);

    // Someone else refusing changes nothing; the recipient refusing takes the gift away.
    assert!(!store.refuse_gift(work, mira.id).await.unwrap());
    assert!(store.refuse_gift(work, dawn.id).await.unwrap());
    assert!(!store.refuse_gift(work, dawn.id).await.unwrap(), "once");
    assert_eq!(
        gifts_of(store, work).await,
        [Gift {
            name: "Old Friend".into(),
            login: None
        }]
    );
    assert!(store.work(work).await.unwrap().is_some(), "the work stays");
    let (received, total) = store
        .gifts_received(dawn.id, EVERYONE, Page::first(10))
        .await
        .unwrap();
    assert_eq!((received.len(), total), (0, 0));

    // A refused gift cannot be given again; a plain name is replaced freely.
    let again = store.gift_recipients(&names(&["Dawnlight"])).await.unwrap();
    assert_eq!(
        store.set_gifts(work, &again).await.unwrap(),
        [GiftRefusal::Refused("Dawnlight".into())]
    );
    assert_eq!(gifts_of(store, work).await.len(), 1, "nothing changed");
    let other = store
        .gift_recipients(&names(&["New Friend"]))
        .await
        .unwrap();
    assert!(store.set_gifts(work, &other).await.unwrap().is_empty());
    assert_eq!(gifts_of(store, work).await[0].name, "New Friend");
}

async fn a_recipient_who_blocked_the_creator_cannot_be_given_a_work(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let work = work_by(store, &mira, "The Long Winter", true).await;
    store.block_user(dawn.id, mira.id).await.unwrap();
    let recipients = store
        .gift_recipients(&names(&["Someone", "dawn"]))
        .await
        .unwrap();
    assert_eq!(
        store.set_gifts(work, &recipients).await.unwrap(),
        [GiftRefusal::Blocked("dawn".into())]
    );
    assert!(gifts_of(store, work).await.is_empty(), "none of it is kept");
    store.unblock_user(dawn.id, mira.id).await.unwrap();
    assert!(store.set_gifts(work, &recipients).await.unwrap().is_empty());
    assert_eq!(gifts_of(store, work).await.len(), 2);
}

async fn a_pseud_name_of_several_accounts_must_name_the_login(store: &dyn Store) {
    for login in ["ash", "rowan"] {
        store
            .create_user(&NewUser {
                login: login.into(),
                pseuds: vec![login.into(), "Lantern".into()],
                ..NewUser::default()
            })
            .await
            .unwrap();
    }
    let mira = reader(store, "mira").await;
    let work = work_by(store, &mira, "The Long Winter", true).await;
    let recipients = store
        .gift_recipients(&names(&["Lantern", "Lantern (rowan)"]))
        .await
        .unwrap();
    assert_eq!(recipients[0], Recipient::Ambiguous("Lantern".into()));
    assert!(matches!(&recipients[1], Recipient::Pseud(p) if p.login == "rowan"));
    assert_eq!(
        store.set_gifts(work, &recipients).await.unwrap(),
        [GiftRefusal::Ambiguous("Lantern".into())]
    );
    assert!(
        store
            .set_gifts(work, &recipients[1..])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn series_grow_at_the_end_and_tell_their_subscribers(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let dawn = reader(store, "dawn").await;
    let series = store
        .create_own_series(
            &NewSeries {
                title: "Hollowmere Nights".into(),
                ..NewSeries::default()
            },
            mira.id,
        )
        .await
        .unwrap();
    assert!(store.is_series_creator(series, mira.id).await.unwrap());
    assert!(!store.is_series_creator(series, dawn.id).await.unwrap());
    store
        .subscribe(dawn.id, Subscribable::Series(series))
        .await
        .unwrap();
    let first = work_by(store, &mira, "First", true).await;
    let draft = work_by(store, &mira, "Second", false).await;
    assert!(store.add_to_series(series, first).await.unwrap());
    assert!(!store.add_to_series(series, first).await.unwrap(), "once");
    assert!(store.add_to_series(series, draft).await.unwrap());
    assert_eq!(
        store.series(series).await.unwrap().unwrap().work_ids,
        [first, draft]
    );
    let part = &store.work(draft).await.unwrap().unwrap().series[0];
    assert_eq!((part.id, part.position), (series, 2));
    let inbox = store.inbox(dawn.id, true, Page::first(10)).await.unwrap();
    assert_eq!(inbox.len(), 1, "the draft tells no one: {inbox:?}");
    assert_eq!(
        (inbox[0].kind, inbox[0].work_id),
        (InboxKind::Series, first)
    );
    // Posting the draft later tells the series' subscribers then.
    store.post_work(draft, day()).await.unwrap();
    assert_eq!(
        store
            .inbox(dawn.id, true, Page::first(10))
            .await
            .unwrap()
            .len(),
        2
    );
    let mine = store.series_of_creator(mira.id).await.unwrap();
    assert_eq!(
        mine.iter().map(|s| (s.id, s.works)).collect::<Vec<_>>(),
        [(series, 2)]
    );
    assert!(store.series_of_creator(dawn.id).await.unwrap().is_empty());
    assert!(matches!(
        store.add_to_series(series + 1000, first).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn series_are_edited_reordered_trimmed_and_deleted(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let series = store
        .create_own_series(
            &NewSeries {
                title: "Hollowmere Nights".into(),
                ..NewSeries::default()
            },
            mira.id,
        )
        .await
        .unwrap();
    let mut works = Vec::new();
    for title in ["One", "Two", "Three"] {
        let work = work_by(store, &mira, title, true).await;
        store.add_to_series(series, work).await.unwrap();
        works.push(work);
    }
    let before = store.last_change_seq().await.unwrap();
    store
        .edit_series(
            series,
            &SeriesEdit {
                title: "Hollowmere Days".into(),
                summary: Some("<p>Short.</p>".into()),
                notes: Some("<p>Thanks.</p>".into()),
                complete: true,
            },
        )
        .await
        .unwrap();
    let edited = store.series(series).await.unwrap().unwrap();
    assert_eq!(edited.title, "Hollowmere Days");
    assert_eq!(edited.notes.as_deref(), Some("<p>Thanks.</p>"));
    assert!(edited.complete);
    let changes = store.changes_after(before, 100).await.unwrap();
    assert!(changes.iter().any(|c| c.entity == "series"));
    assert!(
        works.iter().all(|w| changes
            .iter()
            .any(|c| c.entity == "work" && c.entity_id == *w)),
        "the works' pages show the series: {changes:?}"
    );
    assert_eq!(
        store.work(works[0]).await.unwrap().unwrap().series[0].title,
        "Hollowmere Days"
    );

    let order = [works[2], works[0], works[1]];
    store.reorder_series(series, &order).await.unwrap();
    assert_eq!(store.series(series).await.unwrap().unwrap().work_ids, order);
    assert!(matches!(
        store.reorder_series(series, &order[..2]).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.series(series).await.unwrap().unwrap().work_ids, order);

    assert!(store.remove_from_series(series, works[0]).await.unwrap());
    assert!(!store.remove_from_series(series, works[0]).await.unwrap());
    assert_eq!(
        store.series(series).await.unwrap().unwrap().work_ids,
        [works[2], works[1]]
    );
    let part = &store.work(works[1]).await.unwrap().unwrap().series[0];
    assert_eq!(part.position, 2, "the gap is closed");
    assert!(
        store
            .work(works[0])
            .await
            .unwrap()
            .unwrap()
            .series
            .is_empty()
    );

    assert!(store.delete_series(series).await.unwrap());
    assert!(!store.delete_series(series).await.unwrap());
    assert!(store.series(series).await.unwrap().is_none());
    for work in works {
        let kept = store.work(work).await.unwrap().unwrap();
        assert!(kept.series.is_empty(), "the works stay, outside any series");
    }
}

harness::stories!(
    gifts_go_to_pseuds_and_plain_names_until_refused,
    a_recipient_who_blocked_the_creator_cannot_be_given_a_work,
    a_pseud_name_of_several_accounts_must_name_the_login,
    series_grow_at_the_end_and_tell_their_subscribers,
    series_are_edited_reordered_trimmed_and_deleted,
);
