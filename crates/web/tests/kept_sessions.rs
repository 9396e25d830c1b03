//! Signed-in readers' sessions kept in memory on SQLite (`auth::kept_sessions`), over real
//! HTTP: a reader's repeat visit is answered without the database, and whatever changes an
//! account shows at once all the same: the reader's own changes, a log-out, an admin's
//! suspension, a new chapter in their inbox, a password set by another process on the same
//! database (as `quire user passwd` does) once the outbox is read. On PostgreSQL, where
//! several nodes may serve, nothing is kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::work::NewChapter;
use quire_store::Usage;
use quire_store::testing::TestDb;
use support::browser::Browser;
use support::{TestApp, WorkSpec};

/// Session lookups so far answered `answer` ("kept" or "database"), from `/metrics`.
async fn lookups(app: &TestApp, answer: &str) -> f64 {
    let series = format!(r#"quire_session_lookups_total{{answer="{answer}"}}"#);
    app.get("/metrics")
        .await
        .body
        .lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or(0.0)
}

const LOG_OUT: &str = r#"action="/users/logout""#;

/// Subscribes `reader` (signed in as `dawn`) to work `id` from its page.
async fn subscribe(reader: &mut Browser<'_>, id: i64) -> support::Page {
    let id_text = id.to_string();
    let fields = [("subscribable_type", "Work"), ("subscribable_id", &id_text)];
    reader
        .submit(
            &format!("/works/{id}"),
            "/users/dawn/subscriptions",
            &fields,
        )
        .await
}

#[tokio::test]
async fn a_readers_repeat_visit_is_kept_and_their_own_changes_show_at_once() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("The Long Winter", "Snow fell."))
        .await;
    let work = format!("/works/{id}");
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    dawn.get(&work).await.assert_shows(">Subscribe</button>");
    let (kept, read) = (lookups(&app, "kept").await, lookups(&app, "database").await);
    dawn.get(&work).await.assert_shows(">Subscribe</button>");
    assert_eq!(lookups(&app, "kept").await, kept + 1.0);
    assert_eq!(lookups(&app, "database").await, read);

    // Subscribing and marking for later: the next page shows each.
    let done = subscribe(&mut dawn, id).await;
    assert_eq!(done.status, 303, "{}", done.body);
    dawn.get(&work).await.assert_shows(">Unsubscribe</button>");
    let later = format!("/works/{id}/mark_for_later");
    assert_eq!(dawn.submit(&work, &later, &[]).await.status, 303);
    dawn.get(&work).await.assert_shows("Mark as Read</button>");

    // A log-out ends the session at once, for a copy of its cookie too.
    let cookie = dawn.cookie("quire_session").unwrap().to_owned();
    dawn.get("/").await.assert_shows(LOG_OUT);
    assert_eq!(dawn.log_out().await.status, 303);
    let mut copy = Browser::new(&app);
    copy.set_cookie("quire_session", &cookie);
    copy.get("/").await.assert_hides(LOG_OUT);
}

#[tokio::test]
async fn what_others_do_to_an_account_shows_at_once() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let id = app
        .work(WorkSpec::new("The Long Winter", "Snow fell."))
        .await;
    let work = format!("/works/{id}");
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let done = subscribe(&mut dawn, id).await;
    assert_eq!(done.status, 303, "{}", done.body);

    // A new chapter fills the subscriber's inbox: the header says so on the next page.
    dawn.get("/").await.assert_hides("unread)");
    dawn.get("/").await.assert_hides("unread)");
    app.store()
        .add_chapter(id, &NewChapter::posted("<p>Thaw.</p>"), None)
        .await
        .unwrap();
    dawn.get("/").await.assert_shows("(1 unread)");

    // An admin's suspension holds on the reader's next request.
    let mut admin = Browser::admin(&app, "giles").await;
    dawn.get(&work).await.assert_shows(">Kudos ♥</button>");
    let suspended = admin
        .submit(
            "/admin/users/dawn",
            "/admin/users/dawn/suspend",
            &[("until", "2099-01-01"), ("reason", "Spam.")],
        )
        .await;
    assert_eq!(suspended.status, 303, "{}", suspended.body);
    let kudos = dawn.submit(&work, &format!("/works/{id}/kudos"), &[]).await;
    kudos.assert_shows("Your account has been suspended");
}

#[tokio::test]
async fn a_password_set_by_another_process_signs_the_reader_out_when_the_outbox_is_read() {
    let db = TestDb::sqlite().await;
    let data_dir = db.dir.as_ref().unwrap().path().to_owned();
    let other_process = quire_store::open(None, &data_dir, Usage::Shared)
        .await
        .unwrap();
    let app = TestApp::start_on(db).await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    dawn.get("/").await.assert_shows(LOG_OUT);
    dawn.get("/").await.assert_shows(LOG_OUT);
    let user = app.store().user_by_login("dawn").await.unwrap().unwrap();

    let hash = quire_web::auth::password::hash("a new long passphrase")
        .await
        .unwrap();
    other_process.set_password(user.id, &hash).await.unwrap();
    app.caught_up().await;
    dawn.get("/").await.assert_hides(LOG_OUT);
}

#[tokio::test]
async fn postgres_keeps_no_session() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let app = TestApp::start_on(db).await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let read = lookups(&app, "database").await;
    dawn.get("/").await.assert_shows(LOG_OUT);
    dawn.get("/").await.assert_shows(LOG_OUT);
    assert_eq!(lookups(&app, "kept").await, 0.0);
    assert_eq!(lookups(&app, "database").await, read + 2.0);
}
