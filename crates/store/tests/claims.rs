//! Claims of imported creators, run against SQLite and PostgreSQL alike: a reader claims an
//! unclaimed imported creator once; an admin's approval moves the creator's works to the
//! reader under the imported name, kept as one of their pseuds, and logs it; a rejection
//! closes the claim with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewSource, NewWork};
use quire_core::{Rating, UserId, WorkId};
use quire_store::{Actor, ClaimFiled, ClaimStatus, NewClaim, Page, Store};

use harness::reader;

const NOW: i64 = 1_780_000_000;

/// A work imported from the Sunnydale Archive under `name`.
async fn imported(store: &dyn Store, name: &str, title: &str) -> WorkId {
    let pseud = store
        .archive_creator("Sunnydale Archive", name)
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2001, 10, 2).unwrap();
    store
        .insert_work(&NewWork {
            title: title.into(),
            creators: vec![pseud.id],
            rating: Rating::GeneralAudiences,
            language: "en".into(),
            published: Some(day),
            updated: Some(day),
            posted: true,
            chapters: vec![NewChapter::posted("<p>Everyone loves Jonathan.</p>")],
            source: Some(NewSource {
                archive: "Sunnydale Archive".into(),
                path: format!("stories/{title}.txt"),
                original_id: None,
                content_hash: title.into(),
                fields: vec![("Author".into(), name.into())],
                original_rating: None,
            }),
            ..NewWork::default()
        })
        .await
        .unwrap()
}

/// `claimant`'s claim on `creator`, filed and approved from the command line.
async fn approved_claim(store: &dyn Store, claimant: UserId, creator: UserId) {
    let ClaimFiled::Filed(id) = store
        .file_claim(&NewClaim {
            claimant,
            creator,
            message: "Me.",
            now: NOW,
        })
        .await
        .unwrap()
    else {
        panic!("filed");
    };
    store
        .approve_claim(&Actor::command_line(), id, NOW)
        .await
        .unwrap()
        .unwrap();
}

async fn an_approved_claim_moves_the_works_under_the_imported_name(store: &dyn Store) {
    let first = imported(store, "Jonathan Levinson", "Superstar").await;
    let second = imported(store, "Jonathan Levinson", "Earshot").await;
    let creator = store.work(first).await.unwrap().unwrap().creators[0].clone();
    let jon = reader(store, "jon").await;
    let giles = reader(store, "giles").await;

    let claim = NewClaim {
        claimant: jon.id,
        creator: creator.user_id,
        message: "I wrote these in 2001.",
        now: NOW,
    };
    let ClaimFiled::Filed(id) = store.file_claim(&claim).await.unwrap() else {
        panic!("a first claim is filed");
    };
    assert_eq!(
        store.file_claim(&claim).await.unwrap(),
        ClaimFiled::AlreadyOpen(id),
        "one open claim per reader per creator"
    );
    // Someone else may claim it too; the admins decide.
    let other = store
        .file_claim(&NewClaim {
            claimant: giles.id,
            ..claim.clone()
        })
        .await
        .unwrap();
    assert!(matches!(other, ClaimFiled::Filed(_)));
    let queue = store
        .claims(ClaimStatus::Open, Page::first(10))
        .await
        .unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0].id, id, "oldest first");
    assert_eq!(
        (
            queue[0].claimant_login.as_str(),
            queue[0].creator_login.as_str(),
            queue[0].archive.as_str(),
            queue[0].message.as_str()
        ),
        (
            "jon",
            creator.login.as_str(),
            "Sunnydale Archive",
            "I wrote these in 2001."
        )
    );

    let since = store.last_change_seq().await.unwrap();
    let admin = Actor::account(giles.id, "giles");
    let approved = store
        .approve_claim(&admin, id, NOW + 60)
        .await
        .unwrap()
        .expect("an open claim is approved");
    assert_eq!(approved.claimant, jon.id);
    assert_eq!(approved.works, [first, second]);
    for work in [first, second] {
        let by = &store.work(work).await.unwrap().unwrap().creators[0];
        assert_eq!(
            (by.user_id, by.name.as_str(), by.login.as_str()),
            (jon.id, "Jonathan Levinson", "jon")
        );
    }
    let pseuds = store.pseuds_of(jon.id).await.unwrap();
    let names: Vec<(&str, bool)> = pseuds
        .iter()
        .map(|p| (p.name.as_str(), p.is_default))
        .collect();
    assert!(names.contains(&("jon", true)), "{names:?}");
    assert!(names.contains(&("Jonathan Levinson", false)), "{names:?}");
    let changes = store.changes_after(since, 10).await.unwrap();
    for work in [first, second] {
        assert!(
            changes
                .iter()
                .any(|c| c.entity == "work" && c.entity_id == work)
        );
    }
    let (works, total) = store
        .works_by_user(
            jon.id,
            quire_core::visibility::ListingScope::for_viewer(
                &quire_core::visibility::Viewer::GUEST,
            ),
            Page::first(10),
        )
        .await
        .unwrap();
    assert_eq!((works.len(), total), (2, 2));

    let decided = store.claim(id).await.unwrap().unwrap();
    assert_eq!(decided.status, ClaimStatus::Approved);
    assert_eq!(decided.decided_by.as_deref(), Some("giles"));
    let log = store.audit_log(Page::first(5)).await.unwrap();
    assert_eq!(
        (
            log[0].action.as_str(),
            log[0].target_kind.as_str(),
            log[0].target_id
        ),
        ("approve_claim", "claim", id)
    );
    // The other claim on the same creator is closed; the creator cannot be claimed again.
    let others = store.claims_by(giles.id).await.unwrap();
    assert_eq!(others[0].status, ClaimStatus::Rejected);
    assert!(
        store
            .claims(ClaimStatus::Open, Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.file_claim(&claim).await.unwrap(),
        ClaimFiled::NotClaimable
    );
    assert!(
        store
            .user_by_login(&creator.login)
            .await
            .unwrap()
            .unwrap()
            .claimed
    );
    assert_eq!(
        store.approve_claim(&admin, id, NOW + 90).await.unwrap(),
        None
    );
}

async fn a_claim_on_a_name_the_claimant_has_merges_into_that_pseud(store: &dyn Store) {
    let jon = reader(store, "jon").await;
    let work = imported(store, "Jon", "Superstar").await;
    let creator = store.work(work).await.unwrap().unwrap().creators[0].clone();
    assert_ne!(creator.login, "jon");
    approved_claim(store, jon.id, creator.user_id).await;
    let pseuds = store.pseuds_of(jon.id).await.unwrap();
    assert_eq!(pseuds.len(), 1, "the imported `Jon` is the reader's `jon`");
    let by = &store.work(work).await.unwrap().unwrap().creators[0];
    assert_eq!((by.user_id, by.id), (jon.id, pseuds[0].id));
}

async fn a_rejected_claim_keeps_its_reason_and_changes_nothing(store: &dyn Store) {
    let work = imported(store, "Warren Mears", "Smashed").await;
    let creator = store.work(work).await.unwrap().unwrap().creators[0].clone();
    let andrew = reader(store, "andrew").await;
    let claim = NewClaim {
        claimant: andrew.id,
        creator: creator.user_id,
        message: "Totally me.",
        now: NOW,
    };
    let ClaimFiled::Filed(id) = store.file_claim(&claim).await.unwrap() else {
        panic!("filed");
    };
    let admin = Actor::command_line();
    assert!(
        store
            .reject_claim(&admin, id, "The archivist vouches for someone else.", NOW)
            .await
            .unwrap()
    );
    assert!(!store.reject_claim(&admin, id, "again", NOW).await.unwrap());
    assert_eq!(store.approve_claim(&admin, id, NOW).await.unwrap(), None);
    let mine = store.claims_by(andrew.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, ClaimStatus::Rejected);
    assert_eq!(
        mine[0].reason.as_deref(),
        Some("The archivist vouches for someone else.")
    );
    let by = &store.work(work).await.unwrap().unwrap().creators[0];
    assert_eq!(by.user_id, creator.user_id, "the work stays where it was");
    let log = store.audit_log(Page::first(5)).await.unwrap();
    assert_eq!(log[0].action, "reject_claim");

    // A rejected claim can be followed by a new one; a reader cannot claim a reader.
    assert!(matches!(
        store.file_claim(&claim).await.unwrap(),
        ClaimFiled::Filed(_)
    ));
    let xander = reader(store, "xander").await;
    assert_eq!(
        store
            .file_claim(&NewClaim {
                creator: xander.id,
                ..claim
            })
            .await
            .unwrap(),
        ClaimFiled::NotClaimable
    );
    assert!(matches!(
        store.approve_claim(&admin, 9_999, NOW).await,
        Err(quire_store::StoreError::NotFound(_))
    ));
}

/// After a claim, a later import that meets the same name in the same archive files it under
/// the member's pseud (the imported one, now theirs), as Open Doors does: no second unclaimed
/// creator. The member's own pseuds, and the same name in another archive, stay apart.
async fn a_later_import_files_a_claimed_name_under_the_members_pseud(store: &dyn Store) {
    let work = imported(store, "Jonathan Levinson", "Superstar").await;
    let creator = store.work(work).await.unwrap().unwrap().creators[0].clone();
    let jon = reader(store, "jon").await;
    approved_claim(store, jon.id, creator.user_id).await;

    let again = store
        .archive_creator("Sunnydale Archive", "JONATHAN LEVINSON")
        .await
        .unwrap();
    assert_eq!(
        (again.id, again.user_id, again.name.as_str()),
        (creator.id, jon.id, "Jonathan Levinson")
    );
    let pseuds = store
        .archive_creators("Sunnydale Archive", &["Jonathan Levinson".into()])
        .await
        .unwrap();
    assert_eq!(pseuds[0].id, creator.id);
    // Jon's own pseud only shares a name with a stranger of that archive.
    let stranger = store
        .archive_creator("Sunnydale Archive", "Jon")
        .await
        .unwrap();
    assert_ne!(stranger.user_id, jon.id);
    let elsewhere = store
        .archive_creator("Another Archive", "Jonathan Levinson")
        .await
        .unwrap();
    assert_ne!(elsewhere.user_id, jon.id);
}

harness::stories!(
    an_approved_claim_moves_the_works_under_the_imported_name,
    a_claim_on_a_name_the_claimant_has_merges_into_that_pseud,
    a_rejected_claim_keeps_its_reason_and_changes_nothing,
    a_later_import_files_a_claimed_name_under_the_members_pseud,
);
