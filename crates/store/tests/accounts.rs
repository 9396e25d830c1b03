//! Account stories: sessions, throttles, resets, preferences, roles, invitations and deleting
//! accounts, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::ListingScope;
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Preferences, Rating, Role, UserId};
use quire_store::{
    NewSession, NewUser, ORPHAN_ACCOUNT, Page, Store, StoreError, ThrottlePolicy, WorksOnDeletion,
};

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

fn reader(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        email: Some(format!("{login}@example.org")),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        ..NewUser::default()
    }
}

fn session(token_hash: &str, user: UserId) -> NewSession {
    NewSession {
        token_hash: token_hash.into(),
        user,
        now: NOW,
        expires_at: NOW + 14 * DAY,
        user_agent: Some("Story/1.0".into()),
    }
}

fn new_work(creators: Vec<i64>, title: &str) -> NewWork {
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    NewWork {
        title: title.into(),
        creators,
        rating: Rating::GeneralAudiences,
        language: "en".into(),
        published: Some(day),
        updated: Some(day),
        posted: true,
        chapters: vec![NewChapter::posted("<p>Words.</p>")],
        ..NewWork::default()
    }
}

async fn work_by(store: &dyn Store, pseud: i64, title: &str) -> i64 {
    store
        .insert_work(&new_work(vec![pseud], title))
        .await
        .unwrap()
}

async fn a_session_finds_its_account_until_it_expires_or_ends(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    store.create_session(&session("h1", mira.id)).await.unwrap();
    let found = store
        .session("h1", NOW + 60, None)
        .await
        .unwrap()
        .expect("live");
    assert_eq!(found.user.login, "mira");
    assert!(found.user.claimed);
    assert_eq!(found.preferences, Preferences::default());
    assert!(
        store
            .session("h1", NOW + 15 * DAY, None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.session("other", NOW, None).await.unwrap().is_none());

    store
        .touch_session("h1", NOW + DAY, NOW + 30 * DAY)
        .await
        .unwrap();
    let touched = store
        .session("h1", NOW + 20 * DAY, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(touched.last_seen_at, NOW + DAY);

    store.end_session("h1").await.unwrap();
    assert!(store.session("h1", NOW, None).await.unwrap().is_none());
}

async fn a_session_carries_the_users_its_account_muted(store: &dyn Store) {
    let [dawn, troll, sam] = ["dawn", "troll", "sam"].map(reader);
    let dawn = store.create_account(&dawn, None, NOW).await.unwrap();
    let troll = store.create_account(&troll, None, NOW).await.unwrap();
    let sam = store.create_account(&sam, None, NOW).await.unwrap();
    store.create_session(&session("d", dawn.id)).await.unwrap();
    store.create_session(&session("s", sam.id)).await.unwrap();
    assert!(
        store
            .session("d", NOW, None)
            .await
            .unwrap()
            .unwrap()
            .muted_creators
            .is_empty()
    );

    store.mute_creator(dawn.id, troll.id).await.unwrap();
    store.mute_creator(dawn.id, sam.id).await.unwrap();
    let found = store.session("d", NOW, None).await.unwrap().unwrap();
    let mut muted = found.muted_creators.clone();
    muted.sort_unstable();
    assert_eq!(muted, [troll.id, sam.id]);
    // One account, whatever the number of users it muted.
    assert_eq!(found.user.login, "dawn");
    let others = store.session("s", NOW, None).await.unwrap().unwrap();
    assert!(others.muted_creators.is_empty(), "muting is dawn's alone");

    store.unmute_creator(dawn.id, sam.id).await.unwrap();
    let found = store.session("d", NOW, None).await.unwrap().unwrap();
    assert_eq!(found.muted_creators, [troll.id]);
}

async fn changing_the_password_ends_every_session(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    for hash in ["a", "b", "c"] {
        store.create_session(&session(hash, mira.id)).await.unwrap();
    }
    assert_eq!(store.end_sessions_of(mira.id, Some("a")).await.unwrap(), 2);
    assert!(store.session("a", NOW, None).await.unwrap().is_some());
    store.set_password(mira.id, "$argon2id$new").await.unwrap();
    assert!(store.session("a", NOW, None).await.unwrap().is_none());
    let creds = store.credentials("MIRA").await.unwrap().unwrap();
    assert_eq!(creds.password_hash.as_deref(), Some("$argon2id$new"));
}

async fn logins_and_email_addresses_are_unique_in_any_case(store: &dyn Store) {
    store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    let again = store.create_account(&reader("Mira"), None, NOW).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let mut tomas = reader("tomas");
    tomas.email = Some("MIRA@example.org".into());
    let same_mail = store.create_account(&tomas, None, NOW).await;
    assert!(matches!(same_mail, Err(StoreError::Conflict(_))));
    let tomas = store
        .create_account(&reader("tomas"), None, NOW)
        .await
        .unwrap();
    let taken = store.set_email(tomas.id, "Mira@Example.org").await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))));
    store.set_email(tomas.id, "t@example.org").await.unwrap();
    let by_mail = store.credentials("T@example.org").await.unwrap().unwrap();
    assert_eq!(by_mail.user.id, tomas.id);
}

async fn failed_log_ins_lock_a_key_for_longer_each_time(store: &dyn Store) {
    let policy = ThrottlePolicy {
        free_failures: 3,
        window_secs: DAY,
        base_lock_secs: 30,
        max_lock_secs: 3600,
    };
    let keys = vec!["login:mira".to_owned(), "ip:10.0.0.1".to_owned()];
    for n in 1..=2 {
        let lock = store
            .record_login_failure("login:mira", NOW, policy)
            .await
            .unwrap();
        assert_eq!((lock.failures, lock.locked_until), (n, 0));
    }
    assert_eq!(store.login_locked_until(&keys, NOW).await.unwrap(), None);
    let third = store
        .record_login_failure("login:mira", NOW, policy)
        .await
        .unwrap();
    assert_eq!(third.locked_until, NOW + 30);
    let fourth = store
        .record_login_failure("login:mira", NOW + 40, policy)
        .await
        .unwrap();
    assert_eq!(fourth.locked_until, NOW + 40 + 60);
    assert_eq!(
        store.login_locked_until(&keys, NOW + 50).await.unwrap(),
        Some(NOW + 100)
    );
    assert_eq!(
        store.login_locked_until(&keys, NOW + 100).await.unwrap(),
        None
    );
    // A day later the count starts again.
    let later = store
        .record_login_failure("login:mira", NOW + 2 * DAY, policy)
        .await
        .unwrap();
    assert_eq!(later.failures, 1);
    store.clear_login_failures("login:mira").await.unwrap();
    let fresh = store
        .record_login_failure("login:mira", NOW + 2 * DAY, policy)
        .await
        .unwrap();
    assert_eq!(fresh.failures, 1);
}

async fn a_reset_token_works_once_and_not_after_it_expires(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    store.create_session(&session("s", mira.id)).await.unwrap();
    store
        .create_password_reset(mira.id, "r1", NOW, NOW + 3600)
        .await
        .unwrap();
    store
        .create_password_reset(mira.id, "r2", NOW, NOW + 3600)
        .await
        .unwrap();
    assert!(
        store
            .password_reset_user("r1", NOW + 7200)
            .await
            .unwrap()
            .is_none()
    );
    let user = store.password_reset_user("r1", NOW).await.unwrap().unwrap();
    assert_eq!(user.id, mira.id);
    let expired = store
        .reset_password("r1", NOW + 7200, "$late")
        .await
        .unwrap();
    assert_eq!(expired, None);
    let used = store.reset_password("r1", NOW + 60, "$new").await.unwrap();
    assert_eq!(used, Some(mira.id));
    assert_eq!(
        store
            .reset_password("r1", NOW + 61, "$again")
            .await
            .unwrap(),
        None
    );
    // The other link of the same account dies with the first one used.
    assert_eq!(
        store
            .reset_password("r2", NOW + 62, "$again")
            .await
            .unwrap(),
        None
    );
    assert!(store.session("s", NOW + 60, None).await.unwrap().is_none());
    let creds = store.credentials_of(mira.id).await.unwrap().unwrap();
    assert_eq!(creds.password_hash.as_deref(), Some("$new"));
}

async fn preferences_are_saved_and_read_with_the_session(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    assert_eq!(
        store.preferences(mira.id).await.unwrap(),
        Preferences::default()
    );
    let chosen = Preferences {
        skip_adult_gate: true,
        hide_warnings: true,
        hide_freeforms: false,
        hide_creator_styles: true,
        time_zone: "Europe/Paris".into(),
        history_enabled: false,
    };
    store.set_preferences(mira.id, &chosen).await.unwrap();
    store.set_preferences(mira.id, &chosen).await.unwrap();
    assert_eq!(store.preferences(mira.id).await.unwrap(), chosen);
    store.create_session(&session("s", mira.id)).await.unwrap();
    let live = store.session("s", NOW, None).await.unwrap().unwrap();
    assert_eq!(live.preferences, chosen);
}

async fn roles_are_granted_once(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    assert!(store.roles(mira.id).await.unwrap().is_empty());
    store.grant_role(mira.id, Role::Wrangler).await.unwrap();
    store.grant_role(mira.id, Role::Wrangler).await.unwrap();
    assert_eq!(store.roles(mira.id).await.unwrap(), vec![Role::Wrangler]);
}

async fn an_invitation_code_signs_up_one_account(store: &dyn Store) {
    store
        .request_invitation("Wren@example.org", NOW)
        .await
        .unwrap();
    store
        .request_invitation("wren@example.org", NOW + 1)
        .await
        .unwrap();
    store
        .request_invitation("odile@example.org", NOW + 2)
        .await
        .unwrap();
    let queue = store.invitation_queue(10).await.unwrap();
    let emails: Vec<&str> = queue.iter().map(|r| r.email.as_str()).collect();
    assert_eq!(emails, ["wren@example.org", "odile@example.org"]);

    store
        .create_invitation("code1", Some("wren@example.org"), None, NOW + 3)
        .await
        .unwrap();
    assert_eq!(store.invitation_queue(10).await.unwrap().len(), 1);
    assert!(store.invitation_is_open("code1").await.unwrap());
    let unknown = store
        .create_account(&reader("wren"), Some("nope"), NOW)
        .await;
    assert!(matches!(unknown, Err(StoreError::Conflict(_))));
    assert!(store.user_by_login("wren").await.unwrap().is_none());
    store
        .create_account(&reader("wren"), Some("code1"), NOW)
        .await
        .unwrap();
    assert!(!store.invitation_is_open("code1").await.unwrap());
    let reused = store
        .create_account(&reader("odile"), Some("code1"), NOW)
        .await;
    assert!(matches!(reused, Err(StoreError::Conflict(_))));
}

async fn a_deleted_account_orphans_or_deletes_its_works(store: &dyn Store) {
    let mira = store
        .create_account(&reader("mira"), None, NOW)
        .await
        .unwrap();
    let tomas = store
        .create_account(&reader("tomas"), None, NOW)
        .await
        .unwrap();
    let mira_pseud = store.pseuds_of(mira.id).await.unwrap()[0].id;
    let tomas_pseud = store.pseuds_of(tomas.id).await.unwrap()[0].id;
    let kept = work_by(store, mira_pseud, "Lanterns").await;
    store.create_session(&session("s", mira.id)).await.unwrap();
    let before = store.last_change_seq().await.unwrap();

    store
        .delete_account(mira.id, WorksOnDeletion::Orphan)
        .await
        .unwrap();
    assert!(store.user_by_login("mira").await.unwrap().is_none());
    assert!(store.session("s", NOW, None).await.unwrap().is_none());
    let orphaned = store
        .work(kept)
        .await
        .unwrap()
        .expect("orphaned work stays");
    assert_eq!(orphaned.creators[0].login, ORPHAN_ACCOUNT);
    assert!(store.last_change_seq().await.unwrap() > before);

    let odile = store
        .create_account(&reader("odile"), None, NOW)
        .await
        .unwrap();
    let odile_pseud = store.pseuds_of(odile.id).await.unwrap()[0].id;
    let alone = work_by(store, tomas_pseud, "Alone").await;
    let together = store
        .insert_work(&new_work(vec![tomas_pseud, odile_pseud], "Together"))
        .await
        .unwrap();
    store
        .delete_account(tomas.id, WorksOnDeletion::Delete)
        .await
        .unwrap();
    assert!(store.work(alone).await.unwrap().is_none());
    let kept_shared = store
        .work(together)
        .await
        .unwrap()
        .expect("shared work stays");
    assert_eq!(kept_shared.creators.len(), 1);
    assert_eq!(kept_shared.creators[0].login, "odile");
    let scope = ListingScope {
        include_restricted: true,
    };
    let recent = store.recent_works(scope, Page::first(20)).await.unwrap();
    assert_eq!(
        recent.iter().map(|w| w.id).collect::<Vec<_>>(),
        vec![together, kept],
        "the orphaned work and the one Odile shares are left"
    );
    let gone = store
        .delete_account(tomas.id, WorksOnDeletion::Delete)
        .await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))));
}

async fn the_site_secret_is_made_once_and_shared(store: &dyn Store) {
    let first = store.site_secret("csrf", "one").await.unwrap();
    let second = store.site_secret("csrf", "two").await.unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("one", "one"));
}

harness::stories!(
    a_session_finds_its_account_until_it_expires_or_ends,
    a_session_carries_the_users_its_account_muted,
    changing_the_password_ends_every_session,
    logins_and_email_addresses_are_unique_in_any_case,
    failed_log_ins_lock_a_key_for_longer_each_time,
    a_reset_token_works_once_and_not_after_it_expires,
    preferences_are_saved_and_read_with_the_session,
    roles_are_granted_once,
    an_invitation_code_signs_up_one_account,
    a_deleted_account_orphans_or_deletes_its_works,
    the_site_secret_is_made_once_and_shared,
);
