//! A user's pseuds, profile and co-creators, run against SQLite and PostgreSQL alike: pseuds
//! are made, renamed and made default with names unique per user in any case; deleting one
//! moves its works to the default pseud; co-creators are credited only once they accept, and
//! a user who blocked the inviter cannot be invited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::ListingScope;
use quire_core::work::{NewChapter, WorkMeta};
use quire_core::{ArchiveWarning, Rating, TagKind, User, WorkId};
use quire_store::{Change, Page, Profile, PseudForm, Store, StoreError};

use harness::reader;

const GUESTS: ListingScope = ListingScope {
    include_restricted: false,
};

fn meta(title: &str, restricted: bool) -> WorkMeta {
    WorkMeta {
        title: title.into(),
        rating: Rating::GeneralAudiences,
        warnings: vec![ArchiveWarning::NoneApply],
        categories: vec![],
        tags: vec![(TagKind::Fandom, "Lanterns of Hollowmere".into())],
        language: "en".into(),
        summary: None,
        notes: None,
        end_notes: None,
        expected_chapters: Some(1),
        restricted,
    }
}

async fn work_as(store: &dyn Store, pseuds: Vec<i64>, title: &str, restricted: bool) -> WorkId {
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let work = meta(title, restricted).into_new_work(
        pseuds,
        NewChapter::posted("<p>The lamps went out.</p>"),
        true,
        day,
    );
    store.create_work(&work, None).await.unwrap().id
}

fn pseud(name: &str, description: Option<&str>) -> PseudForm {
    PseudForm {
        name: name.into(),
        description: description.map(str::to_owned),
    }
}

async fn creator_names(store: &dyn Store, work: WorkId) -> Vec<String> {
    let work = store.work(work).await.unwrap().unwrap();
    work.creators.into_iter().map(|p| p.name).collect()
}

async fn last_change(store: &dyn Store) -> Change {
    let seq = store.last_change_seq().await.unwrap();
    store.changes_after(seq - 1, 1).await.unwrap().remove(0)
}

async fn a_user_keeps_several_pseuds_with_unique_names(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let wren = store
        .create_pseud(mira.id, &pseud("Wren Ashdown", Some("<p>Lamps.</p>")))
        .await
        .unwrap();
    assert_eq!(wren.login, "mira");
    assert!(!wren.is_default);
    assert_eq!(last_change(store).await.entity, "user");
    // Names are unique per user in any case, but another user may share one.
    assert!(matches!(
        store
            .create_pseud(mira.id, &pseud("wren  ashdown", None))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let tomas = reader(store, "tomas").await;
    store
        .create_pseud(tomas.id, &pseud("Wren Ashdown", None))
        .await
        .unwrap();
    let called = store.pseuds_called("WREN ASHDOWN").await.unwrap();
    let logins: Vec<&str> = called.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["mira", "tomas"]);

    work_as(store, vec![wren.id], "Lamplighter", false).await;
    work_as(store, vec![wren.id], "Members Only", true).await;
    let list = store.pseud_list(mira.id, GUESTS).await.unwrap();
    let shown: Vec<(&str, bool, i64)> = list
        .iter()
        .map(|p| (p.pseud.name.as_str(), p.pseud.is_default, p.works))
        .collect();
    assert_eq!(shown, [("mira", true, 0), ("Wren Ashdown", false, 1)]);
    let members = ListingScope {
        include_restricted: true,
    };
    let info = store
        .pseud_named(mira.id, "wren ashdown", members)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(info.works, 2);
    assert_eq!(info.description.as_deref(), Some("<p>Lamps.</p>"));
    let (works, total) = store
        .works_by_pseud(wren.id, GUESTS, Page::first(20))
        .await
        .unwrap();
    assert_eq!(total, 1);
    assert_eq!(works[0].title, "Lamplighter");

    // Renaming touches the works that show the name; taking another pseud's name is refused.
    let before = store.last_change_seq().await.unwrap();
    let works = store
        .update_pseud(mira.id, wren.id, &pseud("Wren", None))
        .await
        .unwrap();
    assert_eq!(works.len(), 2);
    assert!(matches!(
        store
            .update_pseud(mira.id, wren.id, &pseud("MIRA", None))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let changes = store.changes_after(before, 100).await.unwrap();
    let touched: Vec<i64> = changes
        .iter()
        .filter(|c| c.entity == "work")
        .map(|c| c.entity_id)
        .collect();
    assert_eq!(touched.len(), 2);
    assert!(works.iter().all(|w| touched.contains(w)));
    // Another user's pseud is not found by id.
    assert!(matches!(
        store
            .update_pseud(tomas.id, wren.id, &pseud("Mine", None))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.set_default_pseud(tomas.id, wren.id).await,
        Err(StoreError::NotFound(_))
    ));

    store.set_default_pseud(mira.id, wren.id).await.unwrap();
    let pseuds = store.pseuds_of(mira.id).await.unwrap();
    let defaults: Vec<(&str, bool)> = pseuds
        .iter()
        .map(|p| (p.name.as_str(), p.is_default))
        .collect();
    assert_eq!(defaults, [("Wren", true), ("mira", false)]);
}

async fn deleting_a_pseud_moves_its_works_to_the_default(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    let default = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let wren = store
        .create_pseud(mira.id, &pseud("Wren", None))
        .await
        .unwrap();
    let alone = work_as(store, vec![wren.id], "Alone", false).await;
    let both = work_as(store, vec![default, wren.id], "Both", false).await;
    assert!(matches!(
        store.delete_pseud(mira.id, default).await,
        Err(StoreError::Conflict(_))
    ));
    let tomas = reader(store, "tomas").await;
    assert!(matches!(
        store.delete_pseud(tomas.id, wren.id).await,
        Err(StoreError::NotFound(_))
    ));

    let moved = store.delete_pseud(mira.id, wren.id).await.unwrap();
    assert_eq!(moved.len(), 2);
    assert_eq!(creator_names(store, alone).await, ["mira"]);
    assert_eq!(creator_names(store, both).await, ["mira"]);
    let list = store.pseud_list(mira.id, GUESTS).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].works, 2);
    let (_, total) = store
        .works_by_user(mira.id, GUESTS, Page::first(20))
        .await
        .unwrap();
    assert_eq!(total, 2);
}

async fn a_profile_is_written_and_replaced(store: &dyn Store) {
    let mira = reader(store, "mira").await;
    assert_eq!(store.profile(mira.id).await.unwrap(), Profile::default());
    let profile = Profile {
        title: Some("Lamplighter".into()),
        about: Some("<p>I write about lamps.</p>".into()),
    };
    store.set_profile(mira.id, &profile).await.unwrap();
    assert_eq!(store.profile(mira.id).await.unwrap(), profile);
    assert_eq!(last_change(store).await.entity, "user");
    store
        .set_profile(mira.id, &Profile::default())
        .await
        .unwrap();
    assert_eq!(store.profile(mira.id).await.unwrap(), Profile::default());
}

/// Mira's work and Tomas, whom she may invite.
async fn mira_and_tomas(store: &dyn Store) -> (User, User, WorkId, i64) {
    let mira = reader(store, "mira").await;
    let tomas = reader(store, "tomas").await;
    let mira_pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let tomas_pseud = store.pseuds_of(tomas.id).await.unwrap()[0].id;
    let work = work_as(store, vec![mira_pseud], "Lamplighter", false).await;
    (mira, tomas, work, tomas_pseud)
}

async fn a_co_creator_is_credited_only_after_accepting(store: &dyn Store) {
    let (mira, tomas, work, tomas_pseud) = mira_and_tomas(store).await;
    store
        .invite_co_creators(work, mira.id, &[tomas_pseud])
        .await
        .unwrap();
    // Inviting twice asks once.
    store
        .invite_co_creators(work, mira.id, &[tomas_pseud])
        .await
        .unwrap();
    assert_eq!(creator_names(store, work).await, ["mira"]);
    let requests = store.co_creator_requests(tomas.id).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].work_title, "Lamplighter");
    assert_eq!(requests[0].inviter, "mira");
    assert!(store.co_creator_requests(mira.id).await.unwrap().is_empty());
    // Nobody but the invitee answers it.
    assert!(matches!(
        store
            .answer_co_creator_request(mira.id, requests[0].id, true)
            .await,
        Err(StoreError::NotFound(_))
    ));

    let before = store.last_change_seq().await.unwrap();
    assert_eq!(
        store
            .answer_co_creator_request(tomas.id, requests[0].id, true)
            .await
            .unwrap(),
        work
    );
    assert_eq!(creator_names(store, work).await, ["mira", "tomas"]);
    let changes = store.changes_after(before, 10).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.entity == "work" && c.entity_id == work)
    );
    assert!(
        store
            .co_creator_requests(tomas.id)
            .await
            .unwrap()
            .is_empty()
    );
    let (works, _) = store
        .works_by_user(tomas.id, GUESTS, Page::first(20))
        .await
        .unwrap();
    assert_eq!(works[0].id, work);
    // A creator already credited is not invited again.
    store
        .invite_co_creators(work, mira.id, &[tomas_pseud])
        .await
        .unwrap();
    assert!(
        store
            .co_creator_requests(tomas.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Tomas leaves; Mira, alone again, cannot.
    store.remove_co_creator(work, tomas.id).await.unwrap();
    assert_eq!(creator_names(store, work).await, ["mira"]);
    assert!(matches!(
        store.remove_co_creator(work, tomas.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.remove_co_creator(work, mira.id).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn a_declined_request_goes_and_credits_nobody(store: &dyn Store) {
    let (mira, tomas, work, tomas_pseud) = mira_and_tomas(store).await;
    store
        .invite_co_creators(work, mira.id, &[tomas_pseud])
        .await
        .unwrap();
    let id = store.co_creator_requests(tomas.id).await.unwrap()[0].id;
    store
        .answer_co_creator_request(tomas.id, id, false)
        .await
        .unwrap();
    assert!(
        store
            .co_creator_requests(tomas.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(creator_names(store, work).await, ["mira"]);
    assert!(matches!(
        store.answer_co_creator_request(tomas.id, id, true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn a_user_who_blocked_the_inviter_cannot_be_invited(store: &dyn Store) {
    let (mira, tomas, work, tomas_pseud) = mira_and_tomas(store).await;
    store.block_user(tomas.id, mira.id).await.unwrap();
    assert!(matches!(
        store
            .invite_co_creators(work, mira.id, &[tomas_pseud])
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        store
            .co_creator_requests(tomas.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store
            .invite_co_creators(work + 1_000, mira.id, &[tomas_pseud])
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn a_creator_changes_their_own_pseuds_on_a_work_and_keeps_the_others(store: &dyn Store) {
    let (mira, tomas, work, tomas_pseud) = mira_and_tomas(store).await;
    let wren = store
        .create_pseud(mira.id, &pseud("Wren", None))
        .await
        .unwrap();
    let mira_pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    store
        .invite_co_creators(work, mira.id, &[tomas_pseud])
        .await
        .unwrap();
    let request = store.co_creator_requests(tomas.id).await.unwrap()[0].id;
    store
        .answer_co_creator_request(tomas.id, request, true)
        .await
        .unwrap();
    assert_eq!(creator_names(store, work).await, ["mira", "tomas"]);

    // Wren in mira's place, before Tomas; then both of hers; the change is in the outbox.
    store
        .set_own_pseuds(work, mira.id, &[wren.id])
        .await
        .unwrap();
    assert_eq!(creator_names(store, work).await, ["Wren", "tomas"]);
    let change = last_change(store).await;
    assert_eq!((change.entity.as_str(), change.entity_id), ("work", work));
    store
        .set_own_pseuds(work, mira.id, &[mira_pseud, wren.id, mira_pseud])
        .await
        .unwrap();
    assert_eq!(creator_names(store, work).await, ["mira", "Wren", "tomas"]);
    // The same again writes nothing.
    let seq = store.last_change_seq().await.unwrap();
    store
        .set_own_pseuds(work, mira.id, &[mira_pseud, wren.id])
        .await
        .unwrap();
    assert_eq!(store.last_change_seq().await.unwrap(), seq);

    // Another's pseud, no pseud, or a work that is not hers: refused, nothing changed.
    assert!(matches!(
        store.set_own_pseuds(work, mira.id, &[tomas_pseud]).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.set_own_pseuds(work, mira.id, &[]).await,
        Err(StoreError::Invalid(_))
    ));
    let odile = reader(store, "odile").await;
    let odile_pseud = store.pseuds_of(odile.id).await.unwrap()[0].id;
    assert!(matches!(
        store.set_own_pseuds(work, odile.id, &[odile_pseud]).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(creator_names(store, work).await, ["mira", "Wren", "tomas"]);
}

harness::stories!(
    a_creator_changes_their_own_pseuds_on_a_work_and_keeps_the_others,
    a_user_keeps_several_pseuds_with_unique_names,
    deleting_a_pseud_moves_its_works_to_the_default,
    a_profile_is_written_and_replaced,
    a_co_creator_is_credited_only_after_accepting,
    a_declined_request_goes_and_credits_nobody,
    a_user_who_blocked_the_inviter_cannot_be_invited,
);
