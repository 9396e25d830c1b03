//! Posting from the web, run against SQLite and PostgreSQL alike: creating drafts and posted
//! works, editing them, their chapters and their order, posting and deleting, each with its
//! outbox entry, and a form sent twice making one work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::{Access, ListingScope, Viewer, can_view};
use quire_core::work::{NewChapter, WorkMeta};
use quire_core::{ArchiveWarning, Category, Rating, TagKind, User, WorkId};
use quire_store::{FormKey, Page, Store, StoreError};

use harness::reader;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn meta(title: &str) -> WorkMeta {
    WorkMeta {
        title: title.into(),
        rating: Rating::TeenAndUpAudiences,
        warnings: vec![ArchiveWarning::NoneApply],
        categories: vec![Category::FF],
        tags: vec![
            (TagKind::Fandom, "Lanterns of Hollowmere".into()),
            (TagKind::Relationship, "Mira/Tomas".into()),
            (TagKind::Freeform, "Slow Burn".into()),
        ],
        language: "en".into(),
        summary: Some("<p>A summary.</p>".into()),
        notes: None,
        end_notes: None,
        expected_chapters: None,
        restricted: false,
    }
}

fn chapter(text: &str) -> NewChapter {
    NewChapter::posted(&format!("<p>{text}</p>"))
}

/// A user who posts, and a work of theirs (a draft unless `post`).
async fn posted_by(store: &dyn Store, login: &str, post: bool) -> (User, WorkId) {
    let user = reader(store, login).await;
    let pseud = store.pseuds_of(user.id).await.unwrap()[0].id;
    let work =
        meta("The Long Winter").into_new_work(vec![pseud], chapter("One two three."), post, day(1));
    let created = store.create_work(&work, None).await.unwrap();
    assert!(created.new);
    (user, created.id)
}

fn viewer(user: &User) -> Viewer {
    Viewer {
        user: Some(user.id),
        ..Viewer::GUEST
    }
}

async fn a_draft_is_its_creators_alone_until_it_is_posted(store: &dyn Store) {
    let before = store.last_change_seq().await.unwrap();
    let (mira, id) = posted_by(store, "mira", false).await;
    let draft = store.work(id).await.unwrap().unwrap();
    assert!(!draft.posted);
    assert_eq!(draft.chapter_count, 0);
    assert_eq!(draft.creators[0].user_id, mira.id);
    assert_eq!(can_view(&draft, &viewer(&mira)), Access::Full);
    assert_eq!(can_view(&draft, &Viewer::GUEST), Access::Hidden);
    let index = store.chapter_index(id).await.unwrap();
    assert_eq!(index.len(), 1);
    assert!(!index[0].posted);
    assert_eq!(
        store.drafts_by_user(mira.id).await.unwrap()[0].title,
        "The Long Winter"
    );
    let scope = ListingScope::for_viewer(&viewer(&mira));
    assert!(
        store
            .recent_works(scope, Page::first(20))
            .await
            .unwrap()
            .is_empty()
    );

    store.post_work(id, day(3)).await.unwrap();
    let posted = store.work(id).await.unwrap().unwrap();
    assert!(posted.posted);
    assert_eq!(
        (posted.published, posted.updated),
        (Some(day(3)), Some(day(3)))
    );
    assert_eq!(posted.chapter_count, 1);
    assert_eq!(posted.word_count, 3);
    assert_eq!(can_view(&posted, &Viewer::GUEST), Access::Full);
    assert!(store.drafts_by_user(mira.id).await.unwrap().is_empty());
    assert!(store.chapter_index(id).await.unwrap()[0].posted);
    assert!(matches!(
        store.post_work(id, day(4)).await,
        Err(StoreError::Conflict(_))
    ));
    // The create and the post, each one `work` entry.
    let changes = store.changes_after(before, 100).await.unwrap();
    let ops: Vec<(&str, i64, &str)> = changes
        .iter()
        .map(|c| (c.entity.as_str(), c.entity_id, c.op.as_str()))
        .collect();
    assert_eq!(ops, [("work", id, "create"), ("work", id, "update")]);
}

async fn editing_a_work_replaces_its_metadata_and_tags_and_keeps_its_chapters(store: &dyn Store) {
    let (_, id) = posted_by(store, "mira", true).await;
    let before = store.last_change_seq().await.unwrap();
    let mut edit = meta("The Longest Winter");
    edit.rating = Rating::Mature;
    edit.tags = vec![
        (TagKind::Fandom, "Lanterns of Hollowmere".into()),
        (TagKind::Character, "Ada".into()),
    ];
    edit.summary = None;
    edit.notes = Some("<p>Thanks to my beta.</p>".into());
    edit.restricted = true;
    edit.expected_chapters = Some(3);
    store.edit_work(id, &edit).await.unwrap();
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!(work.title, "The Longest Winter");
    assert_eq!(work.rating, Rating::Mature);
    assert!(work.restricted);
    assert_eq!(work.summary, None);
    assert_eq!(work.notes.as_deref(), Some("<p>Thanks to my beta.</p>"));
    assert_eq!(work.chapters_display(), "1/3");
    assert!(!work.complete);
    let names: Vec<&str> = work.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Mature",
            "No Archive Warnings Apply",
            "F/F",
            "Lanterns of Hollowmere",
            "Ada"
        ]
    );
    assert_eq!(WorkMeta::of(&work), edit);
    assert_eq!(store.chapters(id).await.unwrap().len(), 1);
    assert_eq!(store.changes_after(before, 10).await.unwrap().len(), 1);
    assert!(matches!(
        store.edit_work(id + 1_000, &edit).await,
        Err(StoreError::NotFound("work"))
    ));
}

async fn chapters_are_added_edited_reordered_and_deleted(store: &dyn Store) {
    let (_, id) = posted_by(store, "mira", true).await;
    let first = store.chapter_index(id).await.unwrap()[0].id;
    let second = store
        .add_chapter(
            id,
            &NewChapter {
                title: Some("Thaw".into()),
                published: Some(day(5)),
                ..chapter("Four five.")
            },
            None,
        )
        .await
        .unwrap()
        .id;
    let third = store
        .add_chapter(
            id,
            &NewChapter {
                posted: false,
                ..chapter("Six seven eight nine.")
            },
            None,
        )
        .await
        .unwrap()
        .id;
    let work = store.work(id).await.unwrap().unwrap();
    // The unposted third chapter is not counted yet; the second moved the date.
    assert_eq!((work.chapter_count, work.word_count), (2, 5));
    assert_eq!(work.updated, Some(day(5)));
    assert_eq!(work.chapters_display(), "2/?");

    store
        .edit_chapter(
            id,
            third,
            &NewChapter {
                title: Some("Spring".into()),
                published: Some(day(9)),
                ..chapter("Six seven.")
            },
        )
        .await
        .unwrap();
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!((work.chapter_count, work.word_count), (3, 7));
    assert_eq!(work.updated, Some(day(9)));
    let spring = store.chapter(id, third).await.unwrap().unwrap();
    assert_eq!(spring.title.as_deref(), Some("Spring"));
    assert_eq!(spring.content, "<p>Six seven.</p>");
    assert!(spring.posted);

    store
        .reorder_chapters(id, &[third, first, second])
        .await
        .unwrap();
    let order: Vec<(i64, i32)> = store
        .chapter_index(id)
        .await
        .unwrap()
        .iter()
        .map(|c| (c.id, c.position))
        .collect();
    assert_eq!(order, [(third, 1), (first, 2), (second, 3)]);
    for wrong in [
        vec![third, first],
        vec![third, first, first],
        vec![third, first, second + 1_000],
    ] {
        assert!(matches!(
            store.reorder_chapters(id, &wrong).await,
            Err(StoreError::Invalid(_))
        ));
    }

    store.delete_chapter(id, first).await.unwrap();
    let order: Vec<(i64, i32)> = store
        .chapter_index(id)
        .await
        .unwrap()
        .iter()
        .map(|c| (c.id, c.position))
        .collect();
    assert_eq!(order, [(third, 1), (second, 2)]);
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!((work.chapter_count, work.word_count), (2, 4));
    store.delete_chapter(id, third).await.unwrap();
    assert!(matches!(
        store.delete_chapter(id, second).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.delete_chapter(id, third).await,
        Err(StoreError::NotFound("chapter"))
    ));
    assert!(matches!(
        store.edit_chapter(id + 1, second, &chapter("x")).await,
        Err(StoreError::NotFound("chapter"))
    ));
}

async fn a_drafts_new_chapters_wait_for_the_work_to_be_posted(store: &dyn Store) {
    let (_, id) = posted_by(store, "mira", false).await;
    store
        .add_chapter(id, &chapter("Four five."), None)
        .await
        .unwrap();
    let index = store.chapter_index(id).await.unwrap();
    assert!(index.iter().all(|c| !c.posted));
    store.post_work(id, day(7)).await.unwrap();
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!((work.chapter_count, work.word_count), (2, 5));
    assert!(store.chapters(id).await.unwrap().iter().all(|c| c.posted));
}

async fn a_form_sent_twice_makes_one_work_and_one_chapter(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let tomas = reader(store, "tomas").await;
    let pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let work = meta("Twice").into_new_work(vec![pseud], chapter("Once."), true, day(1));
    let key = FormKey {
        user: mira.id,
        nonce: "n1",
    };
    let first = store.create_work(&work, Some(key)).await.unwrap();
    let again = store.create_work(&work, Some(key)).await.unwrap();
    assert!(first.new && !again.new);
    assert_eq!(first.id, again.id);
    // The same nonce from another user is another form.
    let other = FormKey {
        user: tomas.id,
        nonce: "n1",
    };
    assert!(store.create_work(&work, Some(other)).await.unwrap().new);

    let ckey = FormKey {
        user: mira.id,
        nonce: "c1",
    };
    let added = store
        .add_chapter(first.id, &chapter("Twice."), Some(ckey))
        .await
        .unwrap();
    let repeated = store
        .add_chapter(first.id, &chapter("Twice."), Some(ckey))
        .await
        .unwrap();
    assert_eq!((added.new, repeated.new), (true, false));
    assert_eq!(added.id, repeated.id);
    assert_eq!(store.chapter_index(first.id).await.unwrap().len(), 2);
    assert_eq!(store.counts().await.unwrap().works, 2);
}

async fn concurrent_sends_of_one_form_make_one_work(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let work = meta("Racing").into_new_work(vec![pseud], chapter("Fast."), true, day(1));
    let key = FormKey {
        user: mira.id,
        nonce: "race",
    };
    let sends = (0..4).map(|_| store.create_work(&work, Some(key)));
    let made = futures_util::future::join_all(sends).await;
    let ids: Vec<WorkId> = made.into_iter().map(|m| m.unwrap().id).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(store.counts().await.unwrap().works, 1);
}

async fn deleting_a_work_takes_everything_of_it(store: &dyn Store) {
    let (_, id) = posted_by(store, "mira", true).await;
    store
        .add_chapter(id, &chapter("More."), None)
        .await
        .unwrap();
    let before = store.last_change_seq().await.unwrap();
    store.delete_work(id).await.unwrap();
    assert_eq!(store.work(id).await.unwrap(), None);
    assert!(store.chapter_index(id).await.unwrap().is_empty());
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.works, counts.chapters), (0, 0));
    let changes = store.changes_after(before, 10).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].entity_id, changes[0].op.as_str()),
        (id, "delete")
    );
    assert!(matches!(
        store.delete_work(id).await,
        Err(StoreError::NotFound("work"))
    ));
}

async fn tag_suggestions_are_canonical_tags_only(store: &dyn Store) {
    posted_by(store, "mira", false).await;
    // Named only by a draft, and not canonical: not suggested.
    assert!(
        store
            .tag_suggestions(TagKind::Fandom, "lan", 20)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .wrangle(&quire_store::Wrangle::MakeCanonical {
            tag: "Lanterns of Hollowmere".into(),
        })
        .await
        .unwrap();
    store
        .wrangle(&quire_store::Wrangle::CreateCanonical {
            tag: "Lan_tern 100%".into(),
            kind: TagKind::Fandom,
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .tag_suggestions(TagKind::Fandom, "  LAN", 20)
            .await
            .unwrap(),
        ["Lan_tern 100%", "Lanterns of Hollowmere"]
    );
    // `_` and `%` are letters here, not patterns.
    assert_eq!(
        store
            .tag_suggestions(TagKind::Fandom, "lan_", 20)
            .await
            .unwrap(),
        ["Lan_tern 100%"]
    );
    assert!(
        store
            .tag_suggestions(TagKind::Fandom, "%", 20)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .tag_suggestions(TagKind::Character, "lan", 20)
            .await
            .unwrap()
            .is_empty()
    );
}

harness::stories!(
    tag_suggestions_are_canonical_tags_only,
    a_draft_is_its_creators_alone_until_it_is_posted,
    editing_a_work_replaces_its_metadata_and_tags_and_keeps_its_chapters,
    chapters_are_added_edited_reordered_and_deleted,
    a_drafts_new_chapters_wait_for_the_work_to_be_posted,
    a_form_sent_twice_makes_one_work_and_one_chapter,
    concurrent_sends_of_one_form_make_one_work,
    deleting_a_work_takes_everything_of_it,
);
