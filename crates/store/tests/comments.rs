//! Comments, works' comment settings and blocks, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewWork, WorkStats};
use quire_core::{ChapterId, Rating, User, WorkId};
use quire_store::{
    CommentSettings, Commented, Commenter, Moderation, NewComment, Refusal, Store, StoreError,
    WhoCanComment,
};

use harness::reader;

/// A posted two-chapter work by `creator`, imported with `comments` comments.
async fn work(store: &dyn Store, creator: &User, comments: i64) -> (WorkId, Vec<ChapterId>) {
    let pseud = store.pseuds_of(creator.id).await.unwrap().remove(0);
    let day = NaiveDate::from_ymd_opt(2001, 10, 2).unwrap();
    let id = store
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
            expected_chapters: Some(2),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: true,
            restricted: false,
            stats: WorkStats {
                comments,
                ..WorkStats::default()
            },
            chapters: vec![
                NewChapter::posted("<p>Everyone loves Jonathan.</p>"),
                NewChapter::posted("<p>The monster.</p>"),
            ],
            series: vec![],
            source: None,
        })
        .await
        .unwrap();
    let chapters = store
        .chapter_index(id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    (id, chapters)
}

async fn as_user(store: &dyn Store, user: &User) -> Commenter {
    let pseud = store.pseuds_of(user.id).await.unwrap().remove(0);
    Commenter::Pseud {
        user: user.id,
        pseud: pseud.id,
    }
}

fn comment(work: WorkId, chapter: ChapterId, by: Commenter, text: &str) -> NewComment {
    NewComment {
        work,
        chapter,
        parent: None,
        by,
        content: format!("<p>{text}</p>"),
        guests_allowed: true,
    }
}

async fn count(store: &dyn Store, work: WorkId) -> i64 {
    store.work(work).await.unwrap().unwrap().stats.comments
}

fn added(outcome: Commented) -> i64 {
    match outcome {
        Commented::Added { id, .. } => id,
        other => panic!("not added: {other:?}"),
    }
}

async fn replies_thread_under_their_comment_and_are_counted(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 2).await;
    let before = store.last_change_seq().await.unwrap();

    let first = added(
        store
            .add_comment(&comment(
                id,
                chapters[0],
                as_user(store, &dawn).await,
                "Wow.",
            ))
            .await
            .unwrap(),
    );
    let mut reply = comment(id, chapters[0], as_user(store, &jonathan).await, "Thanks!");
    reply.parent = Some(first);
    let reply = added(store.add_comment(&reply).await.unwrap());
    let second = added(
        store
            .add_comment(&comment(
                id,
                chapters[1],
                Commenter::Guest {
                    name: "Anya".into(),
                    email: "anya@example.org".into(),
                },
                "Money!",
            ))
            .await
            .unwrap(),
    );
    // Imported with two, three more now.
    assert_eq!(count(store, id).await, 5);
    let all = store.comments_of(id).await.unwrap();
    let order: Vec<i64> = all.iter().map(|c| c.id).collect();
    assert_eq!(order, [first, reply, second]);
    assert_eq!(all[1].depth, 1);
    assert_eq!(all[1].thread_id, first);
    assert_eq!(all[0].thread_id, first);
    assert_eq!(all[0].pseud, Some(("dawn".to_owned(), "dawn".to_owned())));
    assert_eq!(all[2].guest_name.as_deref(), Some("Anya"));
    let changes = store.changes_after(before, 100).await.unwrap();
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.counts_only() && c.entity_id == id));

    // A reply nested past the deepest level stays at it.
    let mut parent = reply;
    for _ in 0..8 {
        let mut deeper = comment(id, chapters[0], as_user(store, &dawn).await, "More");
        deeper.content = format!("<p>More {parent}</p>");
        deeper.parent = Some(parent);
        parent = added(store.add_comment(&deeper).await.unwrap());
    }
    let deepest = store.comment(parent).await.unwrap().unwrap();
    assert_eq!(deepest.depth, quire_store::comments::MAX_DEPTH);
    assert_eq!(deepest.thread_id, first);
}

async fn the_same_comment_sent_twice_is_one_comment(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let new = comment(id, chapters[0], as_user(store, &dawn).await, "Once.");
    let first = added(store.add_comment(&new).await.unwrap());
    assert_eq!(
        store.add_comment(&new).await.unwrap(),
        Commented::Duplicate(first)
    );
    // Elsewhere it is another comment.
    let mut elsewhere = new.clone();
    elsewhere.chapter = chapters[1];
    added(store.add_comment(&elsewhere).await.unwrap());
    assert_eq!(count(store, id).await, 2);
    assert_eq!(store.comments_of(id).await.unwrap().len(), 2);
}

async fn settings_refuse_guests_or_everyone(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let guest = || Commenter::Guest {
        name: "Anya".into(),
        email: "anya@example.org".into(),
    };
    assert_eq!(
        store.comment_settings(id).await.unwrap(),
        CommentSettings::default()
    );
    // The archive's setting says no guests.
    let mut refused = comment(id, chapters[0], guest(), "Hi");
    refused.guests_allowed = false;
    assert_eq!(
        store.add_comment(&refused).await.unwrap(),
        Commented::Refused(Refusal::GuestsNotAllowed)
    );
    store
        .set_comment_settings(
            id,
            CommentSettings {
                who: WhoCanComment::Registered,
                moderated: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .add_comment(&comment(id, chapters[0], guest(), "Hi"))
            .await
            .unwrap(),
        Commented::Refused(Refusal::GuestsNotAllowed)
    );
    added(
        store
            .add_comment(&comment(id, chapters[0], as_user(store, &dawn).await, "Hi"))
            .await
            .unwrap(),
    );
    store
        .set_comment_settings(
            id,
            CommentSettings {
                who: WhoCanComment::Nobody,
                moderated: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .add_comment(&comment(
                id,
                chapters[0],
                as_user(store, &dawn).await,
                "Again"
            ))
            .await
            .unwrap(),
        Commented::Refused(Refusal::CommentsOff)
    );
    assert_eq!(count(store, id).await, 1);
}

async fn moderated_comments_wait_for_the_creator(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    store
        .set_comment_settings(
            id,
            CommentSettings {
                who: WhoCanComment::Everyone,
                moderated: true,
            },
        )
        .await
        .unwrap();
    let outcome = store
        .add_comment(&comment(
            id,
            chapters[0],
            as_user(store, &dawn).await,
            "Hm.",
        ))
        .await
        .unwrap();
    let Commented::Added {
        id: pending,
        unreviewed: true,
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    assert_eq!(count(store, id).await, 0);
    // Nobody replies to a comment still waiting.
    let mut reply = comment(id, chapters[0], as_user(store, &jonathan).await, "Re");
    reply.parent = Some(pending);
    assert_eq!(
        store.add_comment(&reply).await.unwrap(),
        Commented::Refused(Refusal::ParentGone)
    );
    // The creator's own comments do not wait.
    let own = store
        .add_comment(&comment(
            id,
            chapters[0],
            as_user(store, &jonathan).await,
            "Mine",
        ))
        .await
        .unwrap();
    assert!(matches!(
        own,
        Commented::Added {
            unreviewed: false,
            ..
        }
    ));
    assert_eq!(count(store, id).await, 1);
    store
        .moderate_comment(pending, Moderation::Approve)
        .await
        .unwrap();
    assert!(!store.comment(pending).await.unwrap().unwrap().unreviewed);
    assert_eq!(count(store, id).await, 2);
}

async fn frozen_and_hidden_threads(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let root = added(
        store
            .add_comment(&comment(
                id,
                chapters[0],
                as_user(store, &dawn).await,
                "Root",
            ))
            .await
            .unwrap(),
    );
    let mut reply = comment(id, chapters[0], as_user(store, &jonathan).await, "Reply");
    reply.parent = Some(root);
    let reply_id = added(store.add_comment(&reply).await.unwrap());

    store
        .moderate_comment(root, Moderation::Freeze(true))
        .await
        .unwrap();
    assert!(store.comment(reply_id).await.unwrap().unwrap().frozen);
    let mut more = comment(id, chapters[0], as_user(store, &dawn).await, "More");
    more.parent = Some(reply_id);
    assert_eq!(
        store.add_comment(&more).await.unwrap(),
        Commented::Refused(Refusal::Frozen)
    );
    assert!(matches!(
        store.edit_comment(root, "<p>Changed</p>").await,
        Err(StoreError::Conflict(_))
    ));
    store
        .moderate_comment(root, Moderation::Freeze(false))
        .await
        .unwrap();
    store.edit_comment(root, "<p>Changed</p>").await.unwrap();
    let edited = store.comment(root).await.unwrap().unwrap();
    assert_eq!(edited.content, "<p>Changed</p>");
    assert!(edited.edited_at.is_some());

    assert_eq!(count(store, id).await, 2);
    store
        .moderate_comment(root, Moderation::Hide(true))
        .await
        .unwrap();
    assert_eq!(count(store, id).await, 0);
    assert!(store.comment(reply_id).await.unwrap().unwrap().hidden);
    store
        .moderate_comment(root, Moderation::Hide(false))
        .await
        .unwrap();
    assert_eq!(count(store, id).await, 2);
}

async fn deleting_keeps_a_placeholder_while_replies_remain(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let root = added(
        store
            .add_comment(&comment(
                id,
                chapters[0],
                as_user(store, &dawn).await,
                "Root",
            ))
            .await
            .unwrap(),
    );
    let mut reply = comment(id, chapters[0], as_user(store, &jonathan).await, "Reply");
    reply.parent = Some(root);
    let reply = added(store.add_comment(&reply).await.unwrap());
    assert_eq!(count(store, id).await, 2);

    store.delete_comment(root).await.unwrap();
    let placeholder = store.comment(root).await.unwrap().unwrap();
    assert!(placeholder.deleted);
    assert!(placeholder.content.is_empty());
    assert_eq!(count(store, id).await, 1);
    // Its last reply gone, the placeholder goes too.
    store.delete_comment(reply).await.unwrap();
    assert!(store.comment(root).await.unwrap().is_none());
    assert!(store.comments_of(id).await.unwrap().is_empty());
    assert_eq!(count(store, id).await, 0);
    assert!(matches!(
        store.delete_comment(root).await,
        Err(StoreError::NotFound("comment"))
    ));

    // A deleted chapter takes its comments out of the count.
    added(
        store
            .add_comment(&comment(
                id,
                chapters[1],
                as_user(store, &dawn).await,
                "Two",
            ))
            .await
            .unwrap(),
    );
    assert_eq!(count(store, id).await, 1);
    store.delete_chapter(id, chapters[1]).await.unwrap();
    assert_eq!(count(store, id).await, 0);
    assert!(store.comments_of(id).await.unwrap().is_empty());
}

async fn blocked_users_cannot_comment_on_the_blockers_works_or_comments(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let spike = reader(store, "spike").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let dawns = added(
        store
            .add_comment(&comment(id, chapters[0], as_user(store, &dawn).await, "Hi"))
            .await
            .unwrap(),
    );
    // Blocked by the comment's author: no reply to her.
    store.block_user(dawn.id, spike.id).await.unwrap();
    store.block_user(dawn.id, spike.id).await.unwrap();
    let mut reply = comment(id, chapters[0], as_user(store, &spike).await, "Oi");
    reply.parent = Some(dawns);
    assert_eq!(
        store.add_comment(&reply).await.unwrap(),
        Commented::Refused(Refusal::Blocked)
    );
    // But he may still comment on the work.
    added(
        store
            .add_comment(&comment(
                id,
                chapters[0],
                as_user(store, &spike).await,
                "Oi",
            ))
            .await
            .unwrap(),
    );
    // Blocked by the creator: nothing on the work.
    store.block_user(jonathan.id, spike.id).await.unwrap();
    assert_eq!(
        store
            .add_comment(&comment(
                id,
                chapters[1],
                as_user(store, &spike).await,
                "Oi"
            ))
            .await
            .unwrap(),
        Commented::Refused(Refusal::Blocked)
    );
    let blocked = store.blocked_users(dawn.id).await.unwrap();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].login, "spike");
    assert!(matches!(
        store.block_user(dawn.id, dawn.id).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(store.unblock_user(jonathan.id, spike.id).await.unwrap());
    assert!(!store.unblock_user(jonathan.id, spike.id).await.unwrap());
    added(
        store
            .add_comment(&comment(
                id,
                chapters[1],
                as_user(store, &spike).await,
                "Oi",
            ))
            .await
            .unwrap(),
    );
}

async fn comments_need_a_posted_chapter_of_the_work_and_their_own_pseud(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 0).await;
    let (other, other_chapters) = work(store, &jonathan, 0).await;
    let by = as_user(store, &dawn).await;
    let wrong_chapter = comment(id, other_chapters[0], by.clone(), "x");
    assert!(matches!(
        store.add_comment(&wrong_chapter).await,
        Err(StoreError::NotFound("chapter"))
    ));
    let elsewhere = added(
        store
            .add_comment(&comment(other, other_chapters[0], by.clone(), "x"))
            .await
            .unwrap(),
    );
    let mut cross = comment(id, chapters[0], by, "y");
    cross.parent = Some(elsewhere);
    assert!(matches!(
        store.add_comment(&cross).await,
        Err(StoreError::NotFound("comment"))
    ));
    let jonathans = store.pseuds_of(jonathan.id).await.unwrap().remove(0);
    let stolen = comment(
        id,
        chapters[0],
        Commenter::Pseud {
            user: dawn.id,
            pseud: jonathans.id,
        },
        "z",
    );
    assert!(matches!(
        store.add_comment(&stolen).await,
        Err(StoreError::NotFound("pseud"))
    ));
    assert_eq!(count(store, id).await, 0);
    let by_dawn = store.comments_by(dawn.id, 10).await.unwrap();
    assert_eq!(by_dawn.len(), 1);
    assert_eq!(by_dawn[0].work_id, other);

    // An account comments as its default pseud, however many it has.
    store
        .create_pseud(
            dawn.id,
            &quire_store::PseudForm {
                name: "Aardvark".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    let as_account = comment(id, chapters[0], Commenter::Account { user: dawn.id }, "w");
    let added = added(store.add_comment(&as_account).await.unwrap());
    let shown = store.comment(added).await.unwrap().unwrap();
    assert_eq!(shown.pseud, Some(("dawn".to_owned(), "dawn".to_owned())));
    assert_eq!(count(store, id).await, 1);
}

/// `responses` gives, in one read, what the separate reads give: counts, kudos, comments and
/// settings; and nothing for a work that does not exist.
async fn responses_are_what_readers_left_on_a_work(store: &dyn Store) {
    let jonathan = reader(store, "jonathan").await;
    let dawn = reader(store, "dawn").await;
    let (id, chapters) = work(store, &jonathan, 1).await;
    let fresh = store.responses(id).await.unwrap().unwrap();
    assert_eq!(fresh.stats.comments, 1);
    assert!(fresh.comments.is_empty());
    assert_eq!(fresh.comment_settings, CommentSettings::default());

    let by_dawn = as_user(store, &dawn).await;
    added(
        store
            .add_comment(&comment(id, chapters[1], by_dawn, "Ow."))
            .await
            .unwrap(),
    );
    store
        .give_kudos(id, &quire_store::KudosGiver::User(dawn.id))
        .await
        .unwrap();
    let settings = CommentSettings {
        who: WhoCanComment::Registered,
        moderated: true,
    };
    store.set_comment_settings(id, settings).await.unwrap();

    let now = store.responses(id).await.unwrap().unwrap();
    let work = store.work(id).await.unwrap().unwrap();
    assert_eq!(now.stats, work.stats);
    assert_eq!(now.stats.comments, 2);
    assert_eq!(now.kudos, store.kudos(id).await.unwrap());
    assert_eq!(now.kudos.users, ["dawn"]);
    assert_eq!(now.comments, store.comments_of(id).await.unwrap());
    assert_eq!(now.comment_settings, settings);
    assert!(store.responses(id + 1000).await.unwrap().is_none());
}

harness::stories!(
    responses_are_what_readers_left_on_a_work,
    replies_thread_under_their_comment_and_are_counted,
    the_same_comment_sent_twice_is_one_comment,
    settings_refuse_guests_or_everyone,
    moderated_comments_wait_for_the_creator,
    frozen_and_hidden_threads,
    deleting_keeps_a_placeholder_while_replies_remain,
    blocked_users_cannot_comment_on_the_blockers_works_or_comments,
    comments_need_a_posted_chapter_of_the_work_and_their_own_pseud,
);
