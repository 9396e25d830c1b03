//! The admin area over real HTTP: who may see and do what, hiding works, suspensions and bans,
//! abuse reports and their queue, the audit log, and forms replayed without their token. The
//! flows run on SQLite and, when it answers, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Role;
use quire_store::Page as Paged;
use quire_store::testing::TestDb;
use support::browser::{Browser, PASSWORD, form_token};
use support::{Page, TestApp, WorkSpec};

/// The archive without the per-address limit on posts: the tests post a lot from one address.
async fn app() -> TestApp {
    TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await
}

/// The same archive on PostgreSQL, when a server answers.
async fn postgres_app() -> Option<TestApp> {
    let db = TestDb::postgres().await?;
    Some(
        TestApp::start_on_with_options(
            db,
            quire_web::ServeOptions {
                posts_per_minute: 0,
                ..quire_web::ServeOptions::default()
            },
        )
        .await,
    )
}

/// A member who signed up, with these roles.
async fn member<'a>(app: &'a TestApp, login: &str, roles: &[Role]) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    for role in roles {
        app.store().grant_role(user.id, *role).await.unwrap();
    }
    browser
}

/// The token of the log-out form every signed-in page has: a valid token of the session.
async fn session_token(browser: &mut Browser<'_>) -> String {
    let home = browser.get("/").await;
    form_token(&home.body, "/users/logout")
}

/// What `routes::abuse_reports::PER_HOUR` allows.
const REPORTS_PER_HOUR: i64 = 5;

const ADMIN_PAGES: &[&str] = &[
    "/admin",
    "/admin/reports",
    "/admin/reports?status=resolved",
    "/admin/reports/1",
    "/admin/log",
    "/admin/users/spike",
    "/admin/users?login=spike",
];

const ADMIN_POSTS: &[&str] = &[
    "/admin/works/hide",
    "/admin/works/unhide",
    "/admin/users/spike/suspend",
    "/admin/users/spike/ban",
    "/admin/users/spike/lift",
    "/admin/users/spike/roles",
    "/admin/reports/1/resolve",
];

/// Fields that would do something, were the sender allowed.
fn fields(token: &str, work: i64) -> Vec<(&'static str, String)> {
    vec![
        ("authenticity_token", token.to_owned()),
        ("work_id", work.to_string()),
        ("reason", "Because".to_owned()),
        ("until", "2099-01-01".to_owned()),
        ("role", "moderator".to_owned()),
        ("change", "grant".to_owned()),
        ("note", "Done".to_owned()),
    ]
}

async fn post(browser: &mut Browser<'_>, path: &str, fields: &[(&'static str, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs).await
}

#[tokio::test]
async fn everyone_but_staff_gets_a_403_on_every_admin_page_and_post() {
    let app = app().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let mut spike = member(&app, "spike", &[]).await;
    let mut wrangler = member(&app, "willow", &[Role::Wrangler]).await;
    let mut moderator = member(&app, "tara", &[Role::Moderator]).await;
    let mut giles = Browser::admin(&app, "giles").await;
    let report = quire_store::NewAbuseReport {
        url: format!("/works/{id}"),
        summary: "Spam".into(),
        details: "<p>Spam.</p>".into(),
        email: None,
        reporter: None,
        reporter_key: "guest".into(),
        now: 1,
    };
    app.store().file_report(&report, 0, 10).await.unwrap();

    // A guest: a 403 that offers to log in.
    let mut guest = Browser::new(&app);
    for path in ADMIN_PAGES {
        let page = guest.get(path).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
        page.assert_shows("sign_in_required");
        page.assert_shows(r#"<a href="/users/login">Log in</a>"#);
    }
    let login = guest.get("/users/login").await;
    let token = form_token(&login.body, "/users/login");
    for path in ADMIN_POSTS {
        let page = post(&mut guest, path, &fields(&token, id)).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
    }

    // Members, wranglers included: a 403 with their own valid token, and nothing changes.
    for browser in [&mut spike, &mut wrangler] {
        let token = session_token(browser).await;
        for path in ADMIN_PAGES {
            let page = browser.get(path).await;
            assert_eq!(page.status, 403, "{path}: {}", page.body);
            page.assert_shows("admin_required");
        }
        for path in ADMIN_POSTS {
            let page = post(browser, path, &fields(&token, id)).await;
            assert_eq!(page.status, 403, "{path}: {}", page.body);
            page.assert_shows("admin_required");
        }
    }
    // Moderators see the area and the queue, but not accounts.
    let token = session_token(&mut moderator).await;
    for path in ADMIN_PAGES {
        let page = moderator.get(path).await;
        let expected = if path.starts_with("/admin/users") {
            403
        } else {
            200
        };
        assert_eq!(page.status, expected, "{path}: {}", page.body);
    }
    for path in [
        "/admin/users/spike/suspend",
        "/admin/users/spike/ban",
        "/admin/users/spike/lift",
        "/admin/users/spike/roles",
    ] {
        let page = post(&mut moderator, path, &fields(&token, id)).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
    }
    let spike_id = app
        .store()
        .user_by_login("spike")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(app.store().sanction_of(spike_id, 0).await.unwrap(), None);
    assert!(app.store().roles(spike_id).await.unwrap().is_empty());
    assert!(!app.store().work(id).await.unwrap().unwrap().hidden_by_admin);
    assert!(
        app.store()
            .audit_log(Paged::first(10))
            .await
            .unwrap()
            .is_empty()
    );

    // Admins see every page.
    for path in ADMIN_PAGES {
        let page = giles.get(path).await;
        let expected = if path.contains('?') && path.contains("login") {
            303
        } else {
            200
        };
        assert_eq!(page.status, expected, "{path}: {}", page.body);
    }
    // Their own profile links the admin area; a member's does not.
    giles
        .get("/users/giles")
        .await
        .assert_shows(r#"href="/admin""#);
    spike
        .get("/users/spike")
        .await
        .assert_hides(r#"href="/admin""#);
}

async fn hiding_a_work_makes_it_404_for_guests_and_drops_it_from_listings(app: TestApp) {
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    app.work(WorkSpec::new("Open Letter", "Hello.")).await;
    let mut giles = Browser::admin(&app, "giles").await;
    let path = format!("/works/{id}");
    app.get("/").await.assert_shows("Lantern Keeper");
    assert_eq!(app.get(&path).await.status, 200);

    // A reason is needed; the form error keeps what was typed.
    let refused = giles
        .submit(
            &path,
            "/admin/works/hide",
            &[("work_id", &id.to_string()), ("reason", " ")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_shows("Please give a reason");
    refused.assert_shows(&format!(r#"value="{id}""#));
    assert!(!app.store().work(id).await.unwrap().unwrap().hidden_by_admin);

    // The work page's own button, for admins.
    let hidden = giles
        .submit(
            &path,
            "/admin/works/hide",
            &[("work_id", &id.to_string()), ("reason", "Plagiarised")],
        )
        .await;
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    assert_eq!(app.get(&path).await.status, 404);
    let home = app.get("/").await;
    home.assert_hides("Lantern Keeper");
    home.assert_shows("Open Letter");
    assert_eq!(app.get("/users/wren_ashdown").await.status, 200);
    // Admins still read it, told that it is hidden, and find it on `/admin`.
    let seen = giles.get(&path).await;
    assert_eq!(seen.status, 200);
    seen.assert_shows("This work has been hidden by an admin");
    seen.assert_shows("Unhide Work");
    giles.get("/admin").await.assert_shows("Lantern Keeper");
    let log = giles.get("/admin/log").await;
    log.assert_shows("Hid work");
    log.assert_shows("Plagiarised");
    log.assert_shows(&format!(r#"<a href="/works/{id}">Lantern Keeper</a>"#));

    let shown = giles
        .submit(
            "/admin",
            "/admin/works/unhide",
            &[("work_id", &id.to_string())],
        )
        .await;
    assert_eq!(shown.status, 303, "{}", shown.body);
    assert_eq!(app.get(&path).await.status, 200);
    app.get("/").await.assert_shows("Lantern Keeper");
    giles.get("/admin/log").await.assert_shows("Unhid work");
}

async fn a_suspended_user_can_read_but_not_post_kudos_or_bookmark(app: TestApp) {
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let path = format!("/works/{id}");
    let mut giles = Browser::admin(&app, "giles").await;
    let mut spike = member(&app, "spike", &[]).await;

    let refused = giles
        .submit(
            "/admin/users/spike",
            "/admin/users/spike/suspend",
            &[("until", "2001-01-01"), ("reason", "Harassment")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_shows("must end in the future");
    refused.assert_shows(r#"value="Harassment""#);
    let suspended = giles
        .submit(
            "/admin/users/spike",
            "/admin/users/spike/suspend",
            &[("until", "2099-01-01"), ("reason", "Harassment")],
        )
        .await;
    assert_eq!(suspended.status, 303, "{}", suspended.body);
    giles
        .get("/admin/users/spike")
        .await
        .assert_shows("Suspended until 1 Jan 2099 00:00 UTC");

    // Reading still works; the session lives on.
    let page = spike.get(&path).await;
    assert_eq!(page.status, 200);
    page.assert_shows("Hi, <a href=\"/users/spike\">spike</a>");
    let kudos = spike
        .submit(&path, &format!("/works/{id}/kudos"), &[])
        .await;
    assert_eq!(kudos.status, 403, "{}", kudos.body);
    kudos.assert_shows("Your account has been suspended until 1 Jan 2099 00:00 UTC");
    kudos.assert_shows("account_suspended");
    let bookmark = spike
        .submit(
            &format!("/works/{id}/bookmark"),
            &format!("/works/{id}/bookmark"),
            &[("notes", "Mine")],
        )
        .await;
    assert_eq!(bookmark.status, 403, "{}", bookmark.body);
    let posted = spike
        .submit(
            "/works/new",
            "/works",
            &[
                ("title", "Spike's Poetry"),
                ("fandoms", "Lanterns of Hollowmere"),
            ],
        )
        .await;
    assert_eq!(posted.status, 403, "{}", posted.body);
    let work = app.store().work(id).await.unwrap().unwrap();
    assert_eq!((work.stats.kudos, work.stats.bookmarks), (0, 0));
    let spike_id = app
        .store()
        .user_by_login("spike")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (theirs, _) = app
        .store()
        .works_by_user(
            spike_id,
            quire_core::visibility::ListingScope::for_viewer(&quire_core::Viewer {
                user: Some(spike_id),
                is_admin: false,
                adult_consent: true,
            }),
            Paged::first(10),
        )
        .await
        .unwrap();
    assert!(theirs.is_empty());
    // What keeps the account in order still works.
    let prefs = spike
        .submit("/users/spike/preferences", "/users/spike/preferences", &[])
        .await;
    assert_ne!(prefs.status, 403, "{}", prefs.body);

    let lifted = giles
        .submit(
            "/admin/users/spike",
            "/admin/users/spike/lift",
            &[("reason", "Apologised")],
        )
        .await;
    assert_eq!(lifted.status, 303, "{}", lifted.body);
    let kudos = spike
        .submit(&path, &format!("/works/{id}/kudos"), &[])
        .await;
    assert_eq!(kudos.status, 200, "{}", kudos.body);
    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 1);
    let log = giles.get("/admin/log").await;
    log.assert_shows("Suspended user");
    log.assert_shows("Lifted suspension or ban");
}

async fn a_ban_ends_the_users_sessions_and_refuses_what_they_post(app: TestApp) {
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let path = format!("/works/{id}");
    let mut giles = Browser::admin(&app, "giles").await;
    let mut spike = member(&app, "spike", &[]).await;
    spike
        .get("/")
        .await
        .assert_shows("Hi, <a href=\"/users/spike\">spike</a>");

    let banned = giles
        .submit(
            "/admin/users/spike",
            "/admin/users/spike/ban",
            &[("reason", "Spam")],
        )
        .await;
    assert_eq!(banned.status, 303, "{}", banned.body);
    giles.get("/admin").await.assert_shows("Banned");

    // The session is gone: the next page is a guest's.
    let page = spike.get("/").await;
    page.assert_hides("Hi, <a href=\"/users/spike\">spike</a>");
    page.assert_shows(r#"href="/users/login""#);
    // They may sign in again and read, but not leave kudos.
    let login = spike.log_in("spike", PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.body);
    assert_eq!(spike.get(&path).await.status, 200);
    let kudos = spike
        .submit(&path, &format!("/works/{id}/kudos"), &[])
        .await;
    assert_eq!(kudos.status, 403, "{}", kudos.body);
    kudos.assert_shows("Your account has been banned.");
    kudos.assert_shows("account_banned");
    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 0);
    giles.get("/admin/log").await.assert_shows("Banned user");
}

async fn a_report_reaches_the_queue_and_resolving_it_writes_the_log(app: TestApp) {
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let work_path = format!("/works/{id}");
    let page = app.get(&work_path).await;
    let link = format!(r#"href="/abuse_reports/new?url=/works/{id}""#);
    page.assert_shows(&link);

    let mut guest = Browser::new(&app);
    let form = format!("/abuse_reports/new?url=/works/{id}");
    let shown = guest.get(&form).await;
    assert_eq!(shown.status, 200);
    shown.assert_shows(&format!(r#"value="/works/{id}""#));
    // A guest must say where to answer them; the form keeps what they typed.
    let missing = guest
        .submit(
            &form,
            "/abuse_reports",
            &[
                ("url", &work_path),
                ("summary", "Copied from elsewhere"),
                (
                    "details",
                    "<p>This is someone else's story.</p><script>x()</script>",
                ),
            ],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    missing.assert_shows("Please give your e-mail address");
    missing.assert_shows(r#"value="Copied from elsewhere""#);
    let fields = [
        ("url", work_path.as_str()),
        ("summary", "Copied from elsewhere"),
        (
            "details",
            "<p>This is someone else's story.</p><script>x()</script>",
        ),
        ("email", "anya@example.org"),
    ];
    let sent = guest.submit(&form, "/abuse_reports", &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), Some("/abuse_reports/sent"));
    // A double submit stores one report.
    let again = guest.submit(&form, "/abuse_reports", &fields).await;
    assert_eq!(again.status, 303, "{}", again.body);
    let queue = app
        .store()
        .abuse_reports(false, Paged::first(10))
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert!(
        !queue[0].details.contains("<script"),
        "{}",
        queue[0].details
    );
    let report = queue[0].id;

    let mut giles = Browser::admin(&app, "giles").await;
    let listed = giles.get("/admin/reports").await;
    listed.assert_shows("Copied from elsewhere");
    giles.get("/admin").await.assert_shows("1 open report");
    let page = format!("/admin/reports/{report}");
    let action = format!("{page}/resolve");
    let shown = giles.get(&page).await;
    shown.assert_shows("anya@example.org");
    shown.assert_shows("This is someone else's story.");
    shown.assert_hides("<script");
    let refused = giles.submit(&page, &action, &[("note", "")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let resolved = giles
        .submit(
            &page,
            &action,
            &[("note", "Work hidden, creator contacted")],
        )
        .await;
    assert_eq!(resolved.status, 303, "{}", resolved.body);
    giles
        .get("/admin/reports")
        .await
        .assert_hides("Copied from elsewhere");
    let done = giles.get("/admin/reports?status=resolved").await;
    done.assert_shows("Copied from elsewhere");
    let log = giles.get("/admin/log").await;
    log.assert_shows("Resolved report");
    log.assert_shows("Work hidden, creator contacted");
    log.assert_shows("giles");
}

#[tokio::test]
async fn a_user_page_links_the_report_form_and_reports_are_rate_limited() {
    let app = app().await;
    app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let page = app.get("/users/wren_ashdown").await;
    page.assert_shows(r#"href="/abuse_reports/new?url=/users/wren_ashdown""#);
    let mut dawn = member(&app, "dawn", &[]).await;
    for n in 0..REPORTS_PER_HOUR {
        let summary = format!("Spam {n}");
        let sent = dawn
            .submit(
                "/abuse_reports/new",
                "/abuse_reports",
                &[
                    ("url", "/users/wren_ashdown"),
                    ("summary", &summary),
                    ("details", "Spam."),
                ],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    let over = dawn
        .submit(
            "/abuse_reports/new",
            "/abuse_reports",
            &[
                ("url", "/users/wren_ashdown"),
                ("summary", "One more"),
                ("details", "Spam."),
            ],
        )
        .await;
    assert_eq!(over.status, 429, "{}", over.body);
    assert_eq!(
        app.store()
            .abuse_reports(false, Paged::first(20))
            .await
            .unwrap()
            .len() as i64,
        REPORTS_PER_HOUR
    );
    // A page elsewhere cannot be reported here.
    let elsewhere = dawn
        .submit(
            "/abuse_reports/new",
            "/abuse_reports",
            &[
                ("url", "https://elsewhere.example/"),
                ("summary", "x"),
                ("details", "y"),
            ],
        )
        .await;
    assert_eq!(elsewhere.status, 422, "{}", elsewhere.body);
}

#[tokio::test]
async fn admin_forms_replayed_without_their_token_are_refused() {
    let app = app().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let mut giles = Browser::admin(&app, "giles").await;
    member(&app, "spike", &[]).await;
    let mut forged = fields("", id);
    forged.remove(0);
    for path in ADMIN_POSTS {
        let page = post(&mut giles, path, &forged).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
        page.assert_shows("csrf_token_invalid");
    }
    let mut guest = Browser::new(&app);
    let page = guest
        .post(
            "/abuse_reports",
            &[
                ("url", "/works/1"),
                ("summary", "x"),
                ("details", "y"),
                ("email", "a@b.c"),
            ],
        )
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(!app.store().work(id).await.unwrap().unwrap().hidden_by_admin);
    let spike = app.store().user_by_login("spike").await.unwrap().unwrap();
    assert_eq!(app.store().sanction_of(spike.id, 0).await.unwrap(), None);
    assert!(
        app.store()
            .audit_log(Paged::first(10))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        app.store()
            .abuse_reports(false, Paged::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

/// Each flow as a test on SQLite and one on PostgreSQL (skipped without a server).
macro_rules! on_both_backends {
    ($($flow:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $flow() {
                    super::$flow(super::app().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $flow() {
                    let Some(app) = super::postgres_app().await else {
                        return;
                    };
                    super::$flow(app).await;
                }
            )+
        }
    };
}

on_both_backends!(
    hiding_a_work_makes_it_404_for_guests_and_drops_it_from_listings,
    a_suspended_user_can_read_but_not_post_kudos_or_bookmark,
    a_ban_ends_the_users_sessions_and_refuses_what_they_post,
    a_report_reaches_the_queue_and_resolving_it_writes_the_log,
);
