//! The story tests: one suite of behaviours, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::{ListingScope, Viewer};
use quire_core::work::{NewChapter, NewSource, NewWork};
use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_store::{NewSeries, NewUser, Page, Store, StoreError, WorkCriteria};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 3, d).unwrap()
}

async fn new_work(store: &dyn Store, title: &str) -> NewWork {
    let pseud = store
        .archive_creator("Test Archive", "Wren Ashdown")
        .await
        .unwrap();
    NewWork {
        title: title.into(),
        creators: vec![pseud.id],
        rating: Rating::TeenAndUpAudiences,
        warnings: vec![ArchiveWarning::NoneApply],
        categories: vec![Category::FM, Category::Gen],
        tags: vec![
            (TagKind::Fandom, "Lanterns of Hollowmere".into()),
            (TagKind::Relationship, "Mira/Tomas".into()),
            (TagKind::Character, "Mira".into()),
            (TagKind::Freeform, "Angst".into()),
        ],
        language: "en".into(),
        summary: Some("<p>A summary.</p>".into()),
        notes: Some("<p>Notes.</p>".into()),
        end_notes: None,
        expected_chapters: Some(2),
        complete: true,
        published: Some(day(14)),
        updated: Some(day(15)),
        posted: true,
        restricted: false,
        stats: Default::default(),
        chapters: vec![
            NewChapter {
                title: Some("The Map".into()),
                ..NewChapter::posted("<p>One two three.</p>")
            },
            NewChapter {
                published: Some(day(15)),
                ..NewChapter::posted("<p>Four five.</p>")
            },
        ],
        series: vec![],
        source: None,
    }
}

async fn a_work_comes_back_as_it_was_stored(store: &dyn Store) {
    let series = store
        .create_series(&NewSeries {
            title: "Lamps and Lanterns".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut new = new_work(store, "The Cartographer's Daughter").await;
    new.series = vec![(series, 2)];
    let id = store.insert_work(&new).await.unwrap();

    let work = store.work(id).await.unwrap().expect("stored work");
    assert_eq!(work.title, "The Cartographer's Daughter");
    assert_eq!(work.rating, Rating::TeenAndUpAudiences);
    assert_eq!(work.creators.len(), 1);
    assert_eq!(work.creators[0].name, "Wren Ashdown");
    assert_eq!(work.creators[0].login, "wren_ashdown");
    assert_eq!(work.word_count, 5);
    assert_eq!(work.chapter_count, 2);
    assert_eq!(work.chapters_display(), "2/2");
    assert_eq!(work.published, Some(day(14)));
    assert_eq!(work.updated, Some(day(15)));
    assert_eq!(work.summary.as_deref(), Some("<p>A summary.</p>"));
    let names = |kind| {
        work.tags_of(kind)
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(TagKind::Rating), ["Teen And Up Audiences"]);
    assert_eq!(
        names(TagKind::ArchiveWarning),
        ["No Archive Warnings Apply"]
    );
    assert_eq!(names(TagKind::Category), ["F/M", "Gen"]);
    assert_eq!(names(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(names(TagKind::Relationship), ["Mira/Tomas"]);
    assert_eq!(work.series.len(), 1);
    assert_eq!(work.series[0].title, "Lamps and Lanterns");
    assert_eq!(work.series[0].position, 2);
    assert_eq!(store.series(series).await.unwrap().unwrap().work_ids, [id]);

    let index = store.chapter_index(id).await.unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(index[0].display(), "1. The Map");
    assert_eq!(index[1].display(), "Chapter 2");
    let second = store.chapter(id, index[1].id).await.unwrap().unwrap();
    assert_eq!(second.content, "<p>Four five.</p>");
    assert_eq!(second.published, Some(day(15)));
    assert_eq!(second.position, 2);
    let all = store.chapters(id).await.unwrap();
    assert_eq!(all.iter().map(|c| c.word_count).sum::<i64>(), 5);
}

async fn unknown_ids_are_not_found(store: &dyn Store) {
    assert!(store.work(987_654).await.unwrap().is_none());
    assert!(store.series(987_654).await.unwrap().is_none());
    let id = store
        .insert_work(&new_work(store, "Mine").await)
        .await
        .unwrap();
    let other = store
        .insert_work(&new_work(store, "Other").await)
        .await
        .unwrap();
    let foreign_chapter = store.chapter_index(other).await.unwrap()[0].id;
    assert!(
        store.chapter(id, foreign_chapter).await.unwrap().is_none(),
        "a chapter is only found under its own work"
    );
}

async fn a_work_without_chapters_is_refused_and_nothing_is_stored(store: &dyn Store) {
    let before = store.counts().await.unwrap();
    let mut new = new_work(store, "Empty").await;
    new.chapters.clear();
    let err = store.insert_work(&new).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(store.counts().await.unwrap().works, before.works);
}

async fn the_same_creator_name_in_one_archive_is_one_creator(store: &dyn Store) {
    let a = store
        .archive_creator("Hollowmere", "K. Marlowe")
        .await
        .unwrap();
    let b = store
        .archive_creator("Hollowmere", "k. marlowe ")
        .await
        .unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(a.login, "k_marlowe");
    let elsewhere = store
        .archive_creator("Other Archive", "K. Marlowe")
        .await
        .unwrap();
    assert_ne!(
        elsewhere.user_id, a.user_id,
        "archives keep their creators apart"
    );
    assert_eq!(elsewhere.login, "k_marlowe_2");
    let user = store.user_by_login("k_marlowe").await.unwrap().unwrap();
    assert!(!user.claimed, "imported creators are unclaimed");
    assert_eq!(store.pseuds_of(user.id).await.unwrap().len(), 1);
}

async fn accounts_have_unique_logins(store: &dyn Store) {
    let new = NewUser {
        login: "reader".into(),
        pseuds: vec!["Reader".into(), "Second Name".into()],
        ..Default::default()
    };
    let user = store.create_user(&new).await.unwrap();
    let pseuds = store.pseuds_of(user.id).await.unwrap();
    assert_eq!(
        pseuds.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Reader", "Second Name"]
    );
    assert!(pseuds[0].is_default);
    let err = store.create_user(&new).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
}

async fn tags_are_shared_between_works_whatever_their_case(store: &dyn Store) {
    let a = store
        .insert_work(&new_work(store, "A").await)
        .await
        .unwrap();
    let mut other = new_work(store, "B").await;
    other.tags = vec![
        (TagKind::Freeform, "ANGST".into()),
        (TagKind::Freeform, "angst".into()),
    ];
    let b = store.insert_work(&other).await.unwrap();
    let tag_of = |w: &quire_core::Work| {
        w.tags_of(TagKind::Freeform)
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    let wa = store.work(a).await.unwrap().unwrap();
    let wb = store.work(b).await.unwrap().unwrap();
    assert_eq!(tag_of(&wa), tag_of(&wb));
    assert_eq!(wb.tags_of(TagKind::Freeform).next().unwrap().name, "Angst");
}

async fn listings_show_only_what_the_viewer_may_see(store: &dyn Store) {
    let public = store
        .insert_work(&new_work(store, "Public").await)
        .await
        .unwrap();
    let mut draft = new_work(store, "Draft").await;
    draft.posted = false;
    let draft = store.insert_work(&draft).await.unwrap();
    let mut restricted = new_work(store, "Members Only").await;
    restricted.restricted = true;
    let restricted = store.insert_work(&restricted).await.unwrap();

    let guest = ListingScope::for_viewer(&Viewer::GUEST);
    let ids: Vec<_> = store
        .recent_works(guest, Page::first(50))
        .await
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert!(ids.contains(&public));
    assert!(!ids.contains(&draft));
    assert!(!ids.contains(&restricted));

    let member = Viewer {
        user: Some(1),
        ..Viewer::GUEST
    };
    let ids: Vec<_> = store
        .recent_works(ListingScope::for_viewer(&member), Page::first(50))
        .await
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert!(ids.contains(&restricted));
    assert!(!ids.contains(&draft));
}

async fn listings_are_ordered_by_update_and_paginated(store: &dyn Store) {
    let mut ids = Vec::new();
    for d in 1..=5 {
        let mut w = new_work(store, &format!("Day {d}")).await;
        w.updated = Some(day(d));
        ids.push(store.insert_work(&w).await.unwrap());
    }
    // A work whose files gave no date, stored last (the largest id): it is listed after
    // every dated work, on both backends (PostgreSQL puts NULL first unless told).
    let mut undated = new_work(store, "No date").await;
    undated.published = None;
    undated.updated = None;
    for c in &mut undated.chapters {
        c.published = None;
    }
    let undated = store.insert_work(&undated).await.unwrap();
    let stored = store.work(undated).await.unwrap().unwrap();
    assert_eq!((stored.published, stored.updated), (None, None));
    let chapters = store.chapters(undated).await.unwrap();
    assert!(chapters.iter().all(|c| c.published.is_none()));
    let guest = ListingScope::for_viewer(&Viewer::GUEST);
    let first = store.recent_works(guest, Page::new(1, 2)).await.unwrap();
    let second = store.recent_works(guest, Page::new(2, 2)).await.unwrap();
    let third = store.recent_works(guest, Page::new(3, 2)).await.unwrap();
    assert_eq!(
        first.iter().map(|w| w.id).collect::<Vec<_>>(),
        [ids[4], ids[3]]
    );
    assert_eq!(
        second.iter().map(|w| w.id).collect::<Vec<_>>(),
        [ids[2], ids[1]]
    );
    assert_eq!(
        third.iter().map(|w| w.id).collect::<Vec<_>>(),
        [ids[0], undated]
    );
}

async fn replacing_a_work_keeps_its_id_and_counters(store: &dyn Store) {
    let mut new = new_work(store, "Before").await;
    new.stats.kudos = 12;
    let id = store.insert_work(&new).await.unwrap();
    let mut changed = new_work(store, "After").await;
    changed.chapters.truncate(1);
    changed.tags = vec![(TagKind::Freeform, "Fluff".into())];
    store.replace_work(id, &changed).await.unwrap();

    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!(work.title, "After");
    assert_eq!(work.chapter_count, 1);
    assert_eq!(work.stats.kudos, 12);
    assert_eq!(
        work.tags_of(TagKind::Freeform)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Fluff"]
    );
    assert_eq!(store.chapter_index(id).await.unwrap().len(), 1);
    assert!(matches!(
        store.replace_work(987_654, &changed).await,
        Err(StoreError::NotFound("work"))
    ));
}

async fn imported_works_keep_their_source(store: &dyn Store) {
    let mut new = new_work(store, "Imported").await;
    new.source = Some(NewSource {
        archive: "Lanterns of Hollowmere".into(),
        path: "stories/a.txt".into(),
        original_id: None,
        content_hash: "abc123".into(),
        fields: vec![
            ("Rating".into(), "PG-13. For some mild language.".into()),
            ("Spoilers".into(), "General Season 6".into()),
        ],
        original_rating: Some("PG-13. For some mild language.".into()),
    });
    let id = store.insert_work(&new).await.unwrap();
    let found = store
        .source("Lanterns of Hollowmere", "stories/a.txt")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.work_id, id);
    assert_eq!(found.content_hash, "abc123");
    assert!(
        store
            .source("Other", "stories/a.txt")
            .await
            .unwrap()
            .is_none()
    );
    let source = store.work(id).await.unwrap().unwrap().source.unwrap();
    assert_eq!(
        source.fields[1],
        ("Spoilers".into(), "General Season 6".into())
    );
    assert_eq!(
        source.original_rating.as_deref(),
        Some("PG-13. For some mild language.")
    );
    assert_eq!(
        store
            .find_work(WorkCriteria {
                imported: Some(true),
                ..Default::default()
            })
            .await
            .unwrap(),
        Some(id)
    );
}

async fn an_archive_series_is_found_again_by_title_within_its_archive(store: &dyn Store) {
    let first = store
        .archive_series("Lanterns of Hollowmere", "Lamps and Lanterns")
        .await
        .unwrap();
    let again = store
        .archive_series("Lanterns of Hollowmere", "  lamps AND  lanterns ")
        .await
        .unwrap();
    assert_eq!(first, again);
    let elsewhere = store
        .archive_series("Another Archive", "Lamps and Lanterns")
        .await
        .unwrap();
    assert_ne!(first, elsewhere);
    let made_here = store
        .create_series(&NewSeries {
            title: "Lamps and Lanterns".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_ne!(
        made_here, first,
        "series made on Quire belong to no archive"
    );
    let series = store.series(first).await.unwrap().unwrap();
    assert_eq!(series.title, "Lamps and Lanterns");
    assert!(series.work_ids.is_empty());

    let mut new = new_work(store, "Part Two").await;
    new.series = vec![(again, 2)];
    let id = store.insert_work(&new).await.unwrap();
    assert_eq!(
        store.series(first).await.unwrap().unwrap().work_ids,
        vec![id]
    );
}

async fn a_bulk_import_stores_new_works_and_replaces_changed_ones_in_one_go(store: &dyn Store) {
    let sourced = |mut w: NewWork, path: &str, hash: &str| {
        w.source = Some(NewSource {
            archive: "Old Archive".into(),
            path: path.into(),
            original_id: None,
            content_hash: hash.into(),
            fields: vec![],
            original_rating: None,
        });
        w
    };
    let first = sourced(new_work(store, "First").await, "a.txt", "1");
    let second = sourced(new_work(store, "Second").await, "b.txt", "1");
    let ids = store.import_works(&[first, second], &[]).await.unwrap();
    assert_eq!(ids.len(), 2);
    let found = store
        .sources_of(
            "Old Archive",
            &["b.txt".into(), "a.txt".into(), "c.txt".into()],
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(
        found
            .iter()
            .any(|(p, s)| p == "a.txt" && s.work_id == ids[0])
    );

    let changed = sourced(new_work(store, "First, revised").await, "a.txt", "2");
    let third = sourced(new_work(store, "Third").await, "c.txt", "1");
    let more = store
        .import_works(&[third], &[(ids[0], changed)])
        .await
        .unwrap();
    assert_eq!(more.len(), 1);
    assert_eq!(
        store.work(ids[0]).await.unwrap().unwrap().title,
        "First, revised"
    );
    assert_eq!(store.counts().await.unwrap().works, 3);

    // All or nothing: a batch with a bad work stores none of it.
    let fourth = sourced(new_work(store, "Fourth").await, "d.txt", "1");
    let mut bad = sourced(new_work(store, "Bad").await, "e.txt", "1");
    bad.chapters.clear();
    assert!(store.import_works(&[fourth, bad], &[]).await.is_err());
    assert_eq!(store.counts().await.unwrap().works, 3);
    assert!(
        store
            .source("Old Archive", "d.txt")
            .await
            .unwrap()
            .is_none()
    );
}

async fn archive_creators_are_made_in_bulk_and_found_again_one_by_one(store: &dyn Store) {
    let made = store
        .archive_creators(
            "Old Archive",
            &[
                "Wren Ashdown".into(),
                "Pell Tamsin".into(),
                "wren  ashdown".into(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(made[0].id, made[2].id, "one creator per name, any case");
    assert_ne!(made[0].id, made[1].id);
    let again = store
        .archive_creator("Old Archive", "PELL TAMSIN")
        .await
        .unwrap();
    assert_eq!(again.id, made[1].id);
}

async fn every_write_appends_to_the_outbox_in_order(store: &dyn Store) {
    let start = store
        .changes_after(0, 100_000)
        .await
        .unwrap()
        .last()
        .map_or(0, |c| c.seq);
    let a = store
        .insert_work(&new_work(store, "A").await)
        .await
        .unwrap();
    let batch = store
        .insert_works(&[new_work(store, "B").await, new_work(store, "C").await])
        .await
        .unwrap();
    store
        .replace_work(a, &new_work(store, "A2").await)
        .await
        .unwrap();
    let changes = store.changes_after(start, 100).await.unwrap();
    let seen: Vec<_> = changes
        .iter()
        .map(|c| (c.entity_id, c.op.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (a, "create"),
            (batch[0], "create"),
            (batch[1], "create"),
            (a, "update")
        ]
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(
        store.last_change_seq().await.unwrap(),
        changes.last().unwrap().seq
    );
}

async fn concurrent_writers_never_let_a_follower_skip_a_change(store: &dyn Store) {
    let start = store
        .changes_after(0, 100_000)
        .await
        .unwrap()
        .last()
        .map_or(0, |c| c.seq);
    let work = new_work(store, "Concurrent").await;
    let mut last = start;
    let mut followed = Vec::new();
    // Fewer writers than the PostgreSQL pool has connections (16), with one left for the
    // follower: on a slow disk, writers queued on the outbox lock must not also wait out the
    // pool's acquire timeout (that failed CI once, and is not what this story is about).
    let writers = futures_util::future::join_all((0..12).map(|_| store.insert_work(&work)));
    let follower = async {
        for _ in 0..200 {
            for change in store.changes_after(last, 1000).await.unwrap() {
                last = change.seq;
                followed.push(change.seq);
            }
            tokio::task::yield_now().await;
        }
    };
    let (ids, ()) = tokio::join!(writers, follower);
    let failed: Vec<String> = ids
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(failed.is_empty(), "writers failed: {failed:?}");
    for change in store.changes_after(last, 1000).await.unwrap() {
        followed.push(change.seq);
    }
    let all: Vec<_> = store
        .changes_after(start, 1000)
        .await
        .unwrap()
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(
        followed, all,
        "the follower saw every change exactly once, in order"
    );
}

async fn find_work_picks_examples_by_criteria(store: &dyn Store) {
    let mut explicit = new_work(store, "Explicit").await;
    explicit.rating = Rating::Explicit;
    let explicit = store.insert_work(&explicit).await.unwrap();
    let found = store
        .find_work(WorkCriteria {
            rating: Some(Rating::Explicit),
            posted: Some(true),
            restricted: Some(false),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found, Some(explicit));
    let none = store
        .find_work(WorkCriteria {
            rating: Some(Rating::Mature),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(none, None);
}

async fn tag_counts_count_only_listable_works(store: &dyn Store) {
    store
        .insert_work(&new_work(store, "Open").await)
        .await
        .unwrap();
    let mut restricted = new_work(store, "Members Only").await;
    restricted.restricted = true;
    store.insert_work(&restricted).await.unwrap();
    let mut draft = new_work(store, "Draft").await;
    draft.posted = false;
    store.insert_work(&draft).await.unwrap();
    let count = |scope| async move {
        store
            .tag_counts(TagKind::Fandom, scope)
            .await
            .unwrap()
            .into_iter()
            .map(|(tag, n)| (tag.name, n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        count(ListingScope::for_viewer(&Viewer::GUEST)).await,
        [("Lanterns of Hollowmere".to_owned(), 1)]
    );
    let member = Viewer {
        user: Some(1),
        ..Viewer::GUEST
    };
    assert_eq!(
        count(ListingScope::for_viewer(&member)).await,
        [("Lanterns of Hollowmere".to_owned(), 2)]
    );
}

async fn a_users_series_are_listed_with_what_the_viewer_may_see(store: &dyn Store) {
    let open = store
        .create_series(&NewSeries {
            title: "Lamps and Lanterns".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let hidden = store
        .create_series(&NewSeries {
            title: "Members Only Cycle".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut first = new_work(store, "Part One").await;
    first.series = vec![(open, 1)];
    store.insert_work(&first).await.unwrap();
    let mut restricted = new_work(store, "Secret Part").await;
    restricted.restricted = true;
    restricted.series = vec![(hidden, 1)];
    store.insert_work(&restricted).await.unwrap();
    let user = store.user_by_login("wren_ashdown").await.unwrap().unwrap();

    let guest = store
        .series_by_user(user.id, ListingScope::for_viewer(&Viewer::GUEST))
        .await
        .unwrap();
    assert_eq!(
        guest
            .iter()
            .map(|s| (s.title.as_str(), s.works))
            .collect::<Vec<_>>(),
        [("Lamps and Lanterns", 1)]
    );
    let member = Viewer {
        user: Some(1),
        ..Viewer::GUEST
    };
    let seen = store
        .series_by_user(user.id, ListingScope::for_viewer(&member))
        .await
        .unwrap();
    assert_eq!(seen.len(), 2);
}

async fn a_work_with_no_posted_chapter_is_neither_listed_nor_counted(store: &dyn Store) {
    // What the eFiction importer makes of a validated story whose chapters are not.
    let mut unread = new_work(store, "Nothing Posted Yet").await;
    for chapter in &mut unread.chapters {
        chapter.posted = false;
    }
    let unread = store.insert_work(&unread).await.unwrap();
    let work = store.work(unread).await.unwrap().unwrap();
    assert!(work.posted);
    assert_eq!(work.chapter_count, 0);

    let member = Viewer {
        user: Some(1),
        ..Viewer::GUEST
    };
    for viewer in [Viewer::GUEST, member] {
        let scope = ListingScope::for_viewer(&viewer);
        assert!(
            store
                .recent_works(scope, Page::first(50))
                .await
                .unwrap()
                .is_empty()
        );
        let (_, works, total) = store
            .works_tagged("Angst", scope, Page::first(50))
            .await
            .unwrap()
            .unwrap();
        assert!(works.is_empty());
        assert_eq!(total, 0);
        assert!(
            store
                .tag_counts(TagKind::Fandom, scope)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

async fn a_works_word_count_counts_only_posted_chapters(store: &dyn Store) {
    let mut new = new_work(store, "Half Posted").await;
    new.chapters[1].posted = false;
    let id = store.insert_work(&new).await.unwrap();
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!(work.word_count, 3, "\"One two three.\" only");
    assert_eq!(work.chapter_count, 1);
    assert_eq!(store.counts().await.unwrap().words, 3);

    new.chapters[1].posted = true;
    store.replace_work(id, &new).await.unwrap();
    assert_eq!(store.work(id).await.unwrap().unwrap().word_count, 5);
}

async fn a_work_hidden_by_an_admin_leaves_every_listing_until_shown_again(store: &dyn Store) {
    let id = store
        .insert_work(&new_work(store, "Reported").await)
        .await
        .unwrap();
    let seq = store.last_change_seq().await.unwrap();
    store.set_hidden_by_admin(id, true).await.unwrap();
    assert!(store.work(id).await.unwrap().unwrap().hidden_by_admin);
    let change = &store.changes_after(seq, 10).await.unwrap()[0];
    assert_eq!(
        (change.entity.as_str(), change.entity_id, change.op.as_str()),
        ("work", id, "update")
    );
    let guest = ListingScope::for_viewer(&Viewer::GUEST);
    assert!(
        store
            .recent_works(guest, Page::first(50))
            .await
            .unwrap()
            .is_empty()
    );

    store.set_hidden_by_admin(id, false).await.unwrap();
    assert_eq!(
        store
            .recent_works(guest, Page::first(50))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        store.set_hidden_by_admin(987_654, true).await,
        Err(StoreError::NotFound("work"))
    ));
}

harness::stories!(
    a_work_comes_back_as_it_was_stored,
    unknown_ids_are_not_found,
    a_work_without_chapters_is_refused_and_nothing_is_stored,
    the_same_creator_name_in_one_archive_is_one_creator,
    accounts_have_unique_logins,
    tags_are_shared_between_works_whatever_their_case,
    listings_show_only_what_the_viewer_may_see,
    listings_are_ordered_by_update_and_paginated,
    replacing_a_work_keeps_its_id_and_counters,
    imported_works_keep_their_source,
    an_archive_series_is_found_again_by_title_within_its_archive,
    a_bulk_import_stores_new_works_and_replaces_changed_ones_in_one_go,
    archive_creators_are_made_in_bulk_and_found_again_one_by_one,
    every_write_appends_to_the_outbox_in_order,
    concurrent_writers_never_let_a_follower_skip_a_change,
    find_work_picks_examples_by_criteria,
    tag_counts_count_only_listable_works,
    a_users_series_are_listed_with_what_the_viewer_may_see,
    a_work_with_no_posted_chapter_is_neither_listed_nor_counted,
    a_works_word_count_counts_only_posted_chapters,
    a_work_hidden_by_an_admin_leaves_every_listing_until_shown_again,
);
