//! What admins do (hiding works, suspending and banning accounts, the abuse-report queue,
//! roles), each with its line in the audit log, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::{ListingScope, Viewer};
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Rating, Role, WorkId};
use quire_store::{
    Actor, Filed, NewAbuseReport, NewSession, Page, SanctionKind, Store, StoreError, WorkModeration,
};

use harness::reader;

const NOW: i64 = 1_780_000_000;
const DAY: i64 = 86_400;

async fn work(store: &dyn Store, title: &str) -> WorkId {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Jonathan Levinson")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2001, 10, 2).unwrap();
    store
        .insert_work(&NewWork {
            title: title.into(),
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
            posted: true,
            restricted: false,
            stats: Default::default(),
            chapters: vec![NewChapter::posted("<p>Everyone loves Jonathan.</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap()
}

async fn admin(store: &dyn Store) -> Actor {
    let giles = reader(store, "giles").await;
    Actor::account(giles.id, "giles")
}

fn report(key: &str, url: &str, summary: &str) -> NewAbuseReport {
    NewAbuseReport {
        url: url.into(),
        summary: summary.into(),
        details: "<p>It is spam.</p>".into(),
        email: None,
        reporter: None,
        reporter_key: key.into(),
        now: NOW,
    }
}

async fn hiding_a_work_drops_it_from_listings_appends_to_the_outbox_and_logs_it(store: &dyn Store) {
    let id = work(store, "Superstar").await;
    let giles = admin(store).await;
    let before = store.last_change_seq().await.unwrap();

    let hidden = store
        .moderate_work(&giles, id, WorkModeration::Hide, "Plagiarised", NOW)
        .await
        .unwrap();
    assert!(hidden);
    assert!(store.work(id).await.unwrap().unwrap().hidden_by_admin);
    let listed = store
        .recent_works(ListingScope::for_viewer(&Viewer::GUEST), Page::first(20))
        .await
        .unwrap();
    assert!(listed.iter().all(|w| w.id != id));
    let changes = store.changes_after(before, 100).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].entity.as_str(), changes[0].entity_id),
        ("work", id)
    );
    assert_eq!(store.hidden_works(Page::first(20)).await.unwrap()[0].id, id);

    // Hiding it again (a double submit) changes and logs nothing.
    assert!(
        !store
            .moderate_work(&giles, id, WorkModeration::Hide, "Plagiarised", NOW + 1)
            .await
            .unwrap()
    );
    assert_eq!(store.changes_after(before, 100).await.unwrap().len(), 1);

    store
        .moderate_work(
            &Actor::command_line(),
            id,
            WorkModeration::Unhide,
            "",
            NOW + 2,
        )
        .await
        .unwrap();
    assert!(!store.work(id).await.unwrap().unwrap().hidden_by_admin);
    assert!(
        store
            .hidden_works(Page::first(20))
            .await
            .unwrap()
            .is_empty()
    );

    let log = store.audit_log(Page::first(20)).await.unwrap();
    let lines: Vec<(&str, &str, &str, &str)> = log
        .iter()
        .map(|e| {
            (
                e.actor.as_str(),
                e.action.as_str(),
                e.target.as_str(),
                e.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("command line", "unhide_work", "Superstar", ""),
            ("giles", "hide_work", "Superstar", "Plagiarised"),
        ]
    );
    assert_eq!(
        (log[1].target_kind.as_str(), log[1].target_id),
        ("work", id)
    );
    assert_eq!(log[1].at, NOW);

    assert!(matches!(
        store
            .moderate_work(&giles, 987_654, WorkModeration::Hide, "x", NOW)
            .await,
        Err(StoreError::NotFound("work"))
    ));
    assert_eq!(store.audit_log(Page::first(20)).await.unwrap().len(), 2);
}

async fn a_suspension_lasts_until_its_date_and_can_be_lifted(store: &dyn Store) {
    let giles = admin(store).await;
    let spike = reader(store, "spike").await;
    assert_eq!(store.sanction_of(spike.id, NOW).await.unwrap(), None);

    let until = NOW + 7 * DAY;
    store
        .sanction_user(
            &giles,
            spike.id,
            SanctionKind::Suspended { until },
            "Harassment",
            NOW,
        )
        .await
        .unwrap();
    let sanction = store.sanction_of(spike.id, NOW).await.unwrap().unwrap();
    assert_eq!(sanction.kind, SanctionKind::Suspended { until });
    assert_eq!(sanction.reason, "Harassment");
    assert_eq!(
        store.sanction_of(spike.id, until - 1).await.unwrap(),
        Some(sanction)
    );
    // Past its date, a suspension no longer holds.
    assert_eq!(store.sanction_of(spike.id, until).await.unwrap(), None);
    // Every request of the account reads it with the session, in force or not.
    store
        .create_session(&NewSession {
            token_hash: "spike-session".into(),
            user: spike.id,
            now: NOW,
            expires_at: until + DAY,
            user_agent: None,
        })
        .await
        .unwrap();
    let sanction_seen_at = |now| async move {
        let session = store.session("spike-session", now, None).await.unwrap();
        session.expect("the session lasts").sanction
    };
    assert_eq!(
        sanction_seen_at(until - 1).await,
        Some(SanctionKind::Suspended { until })
    );
    assert_eq!(sanction_seen_at(until).await, None);
    let listed = store.sanctions(NOW).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0, "spike");
    assert!(store.sanctions(until).await.unwrap().is_empty());

    assert!(
        store
            .lift_sanction(&giles, spike.id, "Apologised", NOW + DAY)
            .await
            .unwrap()
    );
    assert_eq!(store.sanction_of(spike.id, NOW + DAY).await.unwrap(), None);
    assert!(
        !store
            .lift_sanction(&giles, spike.id, "Again", NOW + DAY)
            .await
            .unwrap()
    );

    let actions: Vec<String> = store
        .audit_log(Page::first(20))
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {} {}", e.action, e.target, e.reason))
        .collect();
    assert_eq!(
        actions,
        [
            "lift_sanction spike Apologised",
            "suspend_user spike Harassment"
        ]
    );
    assert!(matches!(
        store
            .sanction_user(&giles, 987_654, SanctionKind::Banned, "x", NOW)
            .await,
        Err(StoreError::NotFound("user"))
    ));
}

async fn a_ban_ends_every_session_of_the_account(store: &dyn Store) {
    let giles = admin(store).await;
    let spike = reader(store, "spike").await;
    let dawn = reader(store, "dawn").await;
    for (n, user) in [(1, spike.id), (2, spike.id), (3, dawn.id)] {
        store
            .create_session(&NewSession {
                token_hash: format!("session-{n}"),
                user,
                now: NOW,
                expires_at: NOW + DAY,
                user_agent: None,
            })
            .await
            .unwrap();
    }
    store
        .sanction_user(&giles, spike.id, SanctionKind::Banned, "Spam", NOW)
        .await
        .unwrap();
    assert!(
        store
            .session("session-1", NOW, None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session("session-2", NOW, None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session("session-3", NOW, None)
            .await
            .unwrap()
            .is_some()
    );
    let ban = store
        .sanction_of(spike.id, NOW + 3_650 * DAY)
        .await
        .unwrap();
    assert_eq!(ban.map(|b| b.kind), Some(SanctionKind::Banned));

    // A ban replaces a suspension, and a suspension a ban.
    store
        .sanction_user(
            &giles,
            spike.id,
            SanctionKind::Suspended { until: NOW + DAY },
            "Second chance",
            NOW,
        )
        .await
        .unwrap();
    let now = store.sanction_of(spike.id, NOW).await.unwrap().unwrap();
    assert_eq!(now.kind, SanctionKind::Suspended { until: NOW + DAY });
}

async fn reports_reach_the_queue_once_and_senders_are_rate_limited(store: &dyn Store) {
    let giles = admin(store).await;
    let dawn = reader(store, "dawn").await;
    let first = report("guest-a", "/works/1", "Spam");
    let Filed::New(id) = store.file_report(&first, NOW - 3_600, 3).await.unwrap() else {
        panic!("the first report is new");
    };
    // The same report again while it is open: a double submit, stored once.
    assert_eq!(
        store.file_report(&first, NOW - 3_600, 3).await.unwrap(),
        Filed::Again(id)
    );
    let mut signed = report("user:dawn", "/users/spike", "Harassment");
    signed.reporter = Some(dawn.id);
    signed.email = Some("dawn@example.org".into());
    store.file_report(&signed, NOW - 3_600, 3).await.unwrap();
    for n in 0..2 {
        let other = report("guest-a", &format!("/works/{}", n + 2), "Spam");
        assert!(matches!(
            store.file_report(&other, NOW - 3_600, 3).await.unwrap(),
            Filed::New(_)
        ));
    }
    let over = report("guest-a", "/works/9", "Spam");
    assert_eq!(
        store.file_report(&over, NOW - 3_600, 3).await.unwrap(),
        Filed::TooMany
    );
    // An hour on, the window has moved past them.
    let mut later = over.clone();
    later.now = NOW + 3_601;
    assert!(matches!(
        store.file_report(&later, NOW + 1, 3).await.unwrap(),
        Filed::New(_)
    ));

    let open = store.abuse_reports(false, Page::first(20)).await.unwrap();
    assert_eq!(open.len(), 5);
    assert_eq!(open[0].id, id);
    assert_eq!(open[0].reporter, None);
    assert_eq!(open[1].reporter.as_deref(), Some("dawn"));
    assert_eq!(open[1].email.as_deref(), Some("dawn@example.org"));

    assert!(
        store
            .resolve_report(&giles, id, "Deleted the spam", NOW + 10)
            .await
            .unwrap()
    );
    assert!(
        !store
            .resolve_report(&giles, id, "Twice", NOW + 11)
            .await
            .unwrap()
    );
    let resolved = store.abuse_report(id).await.unwrap().unwrap();
    assert_eq!(resolved.resolved_at, Some(NOW + 10));
    assert_eq!(resolved.resolved_by.as_deref(), Some("giles"));
    assert_eq!(resolved.resolution.as_deref(), Some("Deleted the spam"));
    assert_eq!(
        store
            .abuse_reports(false, Page::first(20))
            .await
            .unwrap()
            .len(),
        4
    );
    let done = store.abuse_reports(true, Page::first(20)).await.unwrap();
    assert_eq!(done.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
    // Once resolved, the same report can be sent again.
    assert!(matches!(
        store.file_report(&first, NOW, 10).await.unwrap(),
        Filed::New(_)
    ));

    let log = store.audit_log(Page::first(20)).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].action.as_str(),
            log[0].target_kind.as_str(),
            log[0].target_id
        ),
        ("resolve_report", "report", id)
    );
    assert!(matches!(
        store.resolve_report(&giles, 987_654, "x", NOW).await,
        Err(StoreError::NotFound("report"))
    ));
}

async fn roles_are_given_and_taken_back_with_a_log_line_each(store: &dyn Store) {
    let giles = admin(store).await;
    let willow = reader(store, "willow").await;
    assert!(
        store
            .set_role(&giles, willow.id, Role::Moderator, true, NOW)
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_role(&giles, willow.id, Role::Moderator, true, NOW)
            .await
            .unwrap()
    );
    assert_eq!(store.roles(willow.id).await.unwrap(), [Role::Moderator]);
    assert!(
        store
            .set_role(&giles, willow.id, Role::Moderator, false, NOW + 1)
            .await
            .unwrap()
    );
    assert!(store.roles(willow.id).await.unwrap().is_empty());
    let log: Vec<String> = store
        .audit_log(Page::first(20))
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {} {}", e.action, e.target, e.reason))
        .collect();
    assert_eq!(
        log,
        [
            "revoke_role willow moderator",
            "grant_role willow moderator"
        ]
    );
}

async fn the_audit_log_pages_newest_first(store: &dyn Store) {
    let giles = admin(store).await;
    let id = work(store, "Superstar").await;
    for n in 0..5 {
        let change = if n % 2 == 0 {
            WorkModeration::Hide
        } else {
            WorkModeration::Unhide
        };
        store
            .moderate_work(&giles, id, change, &format!("step {n}"), NOW + n)
            .await
            .unwrap();
    }
    let reasons = |entries: Vec<quire_store::AuditEntry>| -> Vec<String> {
        entries.into_iter().map(|e| e.reason).collect()
    };
    assert_eq!(
        reasons(store.audit_log(Page::new(1, 2)).await.unwrap()),
        ["step 4", "step 3"]
    );
    assert_eq!(
        reasons(store.audit_log(Page::new(3, 2)).await.unwrap()),
        ["step 0"]
    );
}

harness::stories!(
    hiding_a_work_drops_it_from_listings_appends_to_the_outbox_and_logs_it,
    a_suspension_lasts_until_its_date_and_can_be_lifted,
    a_ban_ends_every_session_of_the_account,
    reports_reach_the_queue_once_and_senders_are_rate_limited,
    roles_are_given_and_taken_back_with_a_log_line_each,
    the_audit_log_pages_newest_first,
);
