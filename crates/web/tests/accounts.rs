//! Accounts over real HTTP: signing up, logging in and out, what a signed-in reader sees, and
//! the attacks on sessions and forms (throttling, CSRF, fixation, other people's settings).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Rating;
use support::browser::{Browser, PASSWORD, form_token};
use support::{TestApp, WorkSpec};

#[tokio::test]
async fn a_member_signs_up_reads_a_restricted_work_and_logs_out() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Members Only", "Restricted words.").restricted())
        .await;
    let path = format!("/works/{id}");
    let mut mira = Browser::new(&app);
    assert_eq!(mira.get(&path).await.status, 404);

    let signed_up = mira.sign_up("mira").await;
    assert_eq!(signed_up.header("location"), Some("/users/mira"));
    let session = mira
        .last_set_cookies
        .iter()
        .find(|c| c.starts_with("quire_session="))
        .expect("a session cookie")
        .clone();
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.contains("Secure"), "{session}");

    let work = mira.get(&path).await;
    assert_eq!(work.status, 200, "{}", work.body);
    work.assert_shows("Restricted words.");
    work.assert_shows("Hi, <a href=\"/users/mira\">mira</a>!");
    assert_eq!(work.header("cache-control"), Some("private, no-store"));

    let out = mira.log_out().await;
    assert_eq!(out.status, 303);
    assert_eq!(mira.cookie("quire_session"), None);
    assert_eq!(mira.get(&path).await.status, 404);

    let back = mira.log_in("mira", PASSWORD).await;
    assert_eq!(back.status, 303, "{}", back.body);
    mira.get(&path).await.assert_shows("Restricted words.");
    // Logging in by e-mail address works too.
    let mut again = Browser::new(&app);
    assert_eq!(again.log_in("MIRA@example.org", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn the_secure_flag_is_set_behind_https() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        secure_cookies: true,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let session = mira
        .last_set_cookies
        .iter()
        .find(|c| c.starts_with("quire_session="))
        .unwrap();
    assert!(session.contains("; Secure"), "{session}");
}

#[tokio::test]
async fn wrong_passwords_are_throttled_with_a_clear_429() {
    let app = TestApp::start().await;
    Browser::new(&app).sign_up("mira").await;
    let mut guesser = Browser::new(&app);
    for _ in 0..5 {
        let wrong = guesser.log_in("mira", "not the password").await;
        assert_eq!(wrong.status, 422);
        wrong.assert_shows("match our records");
    }
    let locked = guesser.log_in("mira", "not the password").await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    locked.assert_shows("Too many requests; please wait");
    locked.assert_shows("rate_limited");
    let retry: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    // Even the right password waits out the lock: guessing cannot go on in between.
    let right = Browser::new(&app).log_in("mira", PASSWORD).await;
    assert_eq!(right.status, 429);
}

#[tokio::test]
async fn a_form_replayed_without_its_token_is_refused_with_403() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    // Signed out: no token, or a token the archive did not sign.
    let bare = mira
        .post("/users/login", &[("login", "mira"), ("password", PASSWORD)])
        .await;
    assert_eq!(bare.status, 403);
    bare.assert_shows("csrf_token_invalid");
    bare.assert_shows("security token is missing or out of date");
    mira.set_cookie("quire_csrf", "forged.0000");
    let forged = mira
        .post(
            "/users/login",
            &[("authenticity_token", "forged.0000"), ("login", "mira")],
        )
        .await;
    assert_eq!(forged.status, 403);

    mira.sign_up("mira").await;
    let form = [("time_zone", "Europe/Paris"), ("skip_adult_gate", "1")];
    let replayed = mira.post("/users/mira/preferences", &form).await;
    assert_eq!(replayed.status, 403);
    // A token from another account's session does not pass either.
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let page = tomas.get("/users/tomas/preferences").await;
    let other = form_token(&page.body, "/users/tomas/preferences");
    let mut with_other = vec![("authenticity_token", other.as_str())];
    with_other.extend_from_slice(&form);
    assert_eq!(
        mira.post("/users/mira/preferences", &with_other)
            .await
            .status,
        403
    );
    assert_eq!(
        mira.post("/users/logout", &[]).await.status,
        403,
        "logging out needs the token too"
    );
    let saved = mira
        .submit("/users/mira/preferences", "/users/mira/preferences", &form)
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    saved.assert_shows("Your preferences were saved.");
}

#[tokio::test]
async fn a_session_id_planted_before_log_in_is_never_adopted() {
    let app = TestApp::start().await;
    Browser::new(&app).sign_up("mira").await;
    let mut victim = Browser::new(&app);
    let planted = "ab".repeat(32);
    victim.set_cookie("quire_session", &planted);
    let page = victim.get("/").await;
    page.assert_shows("Log In");
    // The archive drops an id it does not know; an attacker who plants it again right before
    // the log-in still gets nothing.
    assert_eq!(victim.cookie("quire_session"), None);
    let form = victim.get("/users/login").await;
    let token = form_token(&form.body, "/users/login");
    victim.set_cookie("quire_session", &planted);
    let fields = [
        ("authenticity_token", token.as_str()),
        ("login", "mira"),
        ("password", PASSWORD),
    ];
    assert_eq!(victim.post("/users/login", &fields).await.status, 303);
    let issued = victim.cookie("quire_session").unwrap().to_owned();
    assert_ne!(issued, planted);
    let mut attacker = Browser::new(&app);
    attacker.set_cookie("quire_session", &planted);
    attacker.get("/").await.assert_shows("Log In");

    // Logging in again from a signed-in browser rotates the session: the old id stops working.
    let home = victim.get("/").await;
    let token = form_token(&home.body, "/users/logout");
    let fields = [
        ("authenticity_token", token.as_str()),
        ("login", "mira"),
        ("password", PASSWORD),
    ];
    assert_eq!(victim.post("/users/login", &fields).await.status, 303);
    let rotated = victim.cookie("quire_session").unwrap().to_owned();
    assert_ne!(rotated, issued);
    let mut stale = Browser::new(&app);
    stale.set_cookie("quire_session", &issued);
    stale.get("/").await.assert_shows("Log In");
}

#[tokio::test]
async fn changing_the_password_logs_out_every_other_session() {
    let app = TestApp::start().await;
    let mut laptop = Browser::new(&app);
    laptop.sign_up("mira").await;
    let mut phone = Browser::new(&app);
    assert_eq!(phone.log_in("mira", PASSWORD).await.status, 303);
    assert_eq!(phone.get("/users/mira/edit").await.status, 200);

    let wrong = laptop
        .submit(
            "/users/mira/edit",
            "/users/mira/password",
            &[
                ("current_password", "not it"),
                ("password", "a brand new phrase"),
                ("password_confirmation", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    wrong.assert_shows("Your current password was not right.");

    let changed = laptop
        .submit(
            "/users/mira/edit",
            "/users/mira/password",
            &[
                ("current_password", PASSWORD),
                ("password", "a brand new phrase"),
                ("password_confirmation", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(laptop.get("/users/mira/edit").await.status, 200);
    let logged_out = phone.get("/users/mira/edit").await;
    assert_eq!(logged_out.status, 303);
    assert_eq!(logged_out.header("location"), Some("/users/login"));
    assert_eq!(phone.log_in("mira", PASSWORD).await.status, 422);
    assert_eq!(phone.log_in("mira", "a brand new phrase").await.status, 303);
}

#[tokio::test]
async fn nobody_opens_another_accounts_settings_by_changing_the_url() {
    let app = TestApp::start().await;
    Browser::new(&app).sign_up("tomas").await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    for path in ["/users/tomas/edit", "/users/tomas/preferences"] {
        let page = mira.get(path).await;
        assert_eq!(page.status, 403, "{path}");
        page.assert_hides("tomas@example.org");
    }
    // With mira's own valid token, aimed at tomas.
    let own = mira.get("/users/mira/edit").await;
    let token = form_token(&own.body, "/users/mira/password");
    let attack = mira
        .post(
            "/users/tomas/password",
            &[
                ("authenticity_token", &token),
                ("current_password", PASSWORD),
                ("password", "taken over now"),
                ("password_confirmation", "taken over now"),
            ],
        )
        .await;
    assert_eq!(attack.status, 403);
    let delete = mira
        .post(
            "/users/tomas/delete",
            &[
                ("authenticity_token", &token),
                ("current_password", PASSWORD),
                ("works", "delete"),
            ],
        )
        .await;
    assert_eq!(delete.status, 403);
    assert!(app.store().user_by_login("tomas").await.unwrap().is_some());
    let guest = Browser::new(&app).get("/users/tomas/edit").await;
    assert_eq!(guest.status, 303);
}

#[tokio::test]
async fn signed_in_pages_never_come_from_or_go_into_the_page_cache() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Open Work", "Open words.")).await;
    let path = format!("/works/{id}");
    // A guest fills the cache.
    for _ in 0..2 {
        let guest = app.get(&path).await;
        guest.assert_shows("Log In");
    }
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    for _ in 0..2 {
        let page = mira.get(&path).await;
        page.assert_shows("Hi, <a href=\"/users/mira\">mira</a>!");
        page.assert_hides(">Log In<");
        assert_eq!(page.header("cache-control"), Some("private, no-store"));
    }
    // …and nothing of mira's page reaches the next guest.
    let guest = app.get(&path).await;
    guest.assert_hides("mira");
    guest.assert_shows("Log In");
    assert_ne!(guest.header("cache-control"), Some("private, no-store"));
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let mut forgetful = Browser::new(&app);
    let asked = forgetful
        .submit(
            "/users/password/new",
            "/users/password",
            &[("login", "mira")],
        )
        .await;
    assert_eq!(asked.status, 200);
    asked.assert_shows("Check your e-mail");
    // An unknown account gets the same answer, and no mail.
    let unknown = forgetful
        .submit(
            "/users/password/new",
            "/users/password",
            &[("login", "nobody")],
        )
        .await;
    unknown.assert_shows("Check your e-mail");
    let mails: Vec<_> = std::fs::read_dir(app.mail.path()).unwrap().collect();
    assert_eq!(mails.len(), 1);
    let mail = std::fs::read_to_string(mails[0].as_ref().unwrap().path()).unwrap();
    assert!(mail.contains("To: mira@example.org"), "{mail}");
    let link = mail
        .lines()
        .find(|l| l.contains("reset_password_token="))
        .unwrap()
        .trim();
    let path = link.strip_prefix(&app.base).expect("an absolute link");
    let token = path.split_once("reset_password_token=").unwrap().1;

    let reset = forgetful
        .submit(
            path,
            "/users/password/edit",
            &[
                ("reset_password_token", token),
                ("password", "a brand new phrase"),
                ("password_confirmation", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    reset.assert_shows("Password changed");
    // The old session is gone, the new password works, the link is used up.
    assert_eq!(mira.get("/users/mira/edit").await.status, 303);
    assert_eq!(
        forgetful.log_in("mira", "a brand new phrase").await.status,
        303
    );
    assert_eq!(Browser::new(&app).get(path).await.status, 404);
}

#[tokio::test]
async fn the_adult_gate_preference_skips_the_interstitial() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Late Night", "Adult text.").rated(Rating::Explicit))
        .await;
    let path = format!("/works/{id}");
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    mira.get(&path).await.assert_hides("Adult text.");
    let saved = mira
        .submit(
            "/users/mira/preferences",
            "/users/mira/preferences",
            &[("skip_adult_gate", "1"), ("time_zone", "UTC")],
        )
        .await;
    assert_eq!(saved.status, 200);
    mira.get(&path).await.assert_shows("Adult text.");
    app.get(&path).await.assert_hides("Adult text.");
}

#[tokio::test]
async fn the_time_zone_preference_offers_the_zones_and_refuses_others() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = mira.get("/users/mira/preferences").await;
    form.assert_shows(r#"list="time-zones""#);
    form.assert_shows(r#"<option value="America/Argentina/Buenos_Aires">"#);
    let refused = mira
        .submit(
            "/users/mira/preferences",
            "/users/mira/preferences",
            &[("time_zone", "Nowhere/Atlantis")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_shows("`Nowhere/Atlantis` is not a time zone this archive knows");
    let user = app.store().user_by_login("mira").await.unwrap().unwrap();
    assert_eq!(
        app.store().preferences(user.id).await.unwrap().time_zone,
        "UTC"
    );
    for zone in ["Pacific/Chatham", "UTC-03:30"] {
        let saved = mira
            .submit(
                "/users/mira/preferences",
                "/users/mira/preferences",
                &[("time_zone", zone)],
            )
            .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(
            app.store().preferences(user.id).await.unwrap().time_zone,
            zone
        );
    }
}

#[tokio::test]
async fn a_deleted_account_leaves_its_works_to_orphan_account() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let user = app.store().user_by_login("mira").await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    let id = app
        .work_by(WorkSpec::new("Left Behind", "Still here."), pseud)
        .await;
    let deleted = mira
        .submit(
            "/users/mira/edit",
            "/users/mira/delete",
            &[("current_password", PASSWORD), ("works", "orphan")],
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    deleted.assert_shows("Account deleted");
    assert_eq!(mira.cookie("quire_session"), None);
    assert!(app.store().user_by_login("mira").await.unwrap().is_none());
    let work = app.get(&format!("/works/{id}")).await;
    work.assert_shows("Still here.");
    work.assert_shows("orphan_account");
}

#[tokio::test]
async fn sign_up_mistakes_keep_what_was_typed() {
    let app = TestApp::start().await;
    Browser::new(&app).sign_up("mira").await;
    let mut other = Browser::new(&app);
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "mira",
            "new@example.org",
            PASSWORD,
            "That user name is taken",
        ),
        (
            "no spaces here",
            "x@example.org",
            PASSWORD,
            "only letters, digits",
        ),
        ("wren", "not an address", PASSWORD, "valid e-mail address"),
        ("wren", "wren@example.org", "short", "at least 8 characters"),
    ];
    for (login, email, password, message) in cases {
        let page = other
            .submit(
                "/users/new",
                "/users",
                &[
                    ("login", login),
                    ("email", email),
                    ("password", password),
                    ("password_confirmation", password),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{login}");
        page.assert_shows(message);
        page.assert_shows(&format!("value=\"{email}\""));
    }
}
