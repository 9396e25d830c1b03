//! Invitations over real HTTP on an invitation-only archive: the queue guests join, admins
//! sending codes from it, the mailed link that fills in the sign-up form, used codes refused,
//! and members' own invitations, which only they see.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_store::NewUser;
use support::browser::{Browser, PASSWORD, form_token};
use support::{Page, TestApp};

async fn app() -> TestApp {
    TestApp::start_with(quire_web::ServeOptions {
        signups: quire_web::Signups::InvitationOnly,
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await
}

/// The messages the archive has mailed, oldest first.
fn mails(app: &TestApp) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(app.mail.path())
        .map(|dir| dir.map(|f| f.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// The path of the sign-up link in a mail.
fn link_in(app: &TestApp, mail: &str) -> String {
    let line = mail
        .lines()
        .find(|l| l.contains("/users/new?invitation="))
        .unwrap_or_else(|| panic!("no sign-up link in {mail}"));
    line.trim()
        .strip_prefix(&app.base)
        .expect("an absolute link")
        .to_owned()
}

async fn join(browser: &mut Browser<'_>, email: &str) -> Page {
    browser
        .submit("/invite_requests", "/invite_requests", &[("email", email)])
        .await
}

/// Signs up from an invitation link, with the code it filled in.
async fn sign_up_with(browser: &mut Browser<'_>, link: &str, login: &str) -> Page {
    let code = link.split_once("invitation=").unwrap().1.to_owned();
    browser
        .submit(
            link,
            "/users",
            &[
                ("invitation", &code),
                ("login", login),
                ("email", &format!("{login}@example.org")),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await
}

#[tokio::test]
async fn a_guest_joins_the_queue_once_and_can_check_their_place() {
    let app = app().await;
    let mut guest = Browser::new(&app);
    let signup = guest.get("/users/new").await;
    signup.assert_shows(r#"<a href="/invite_requests">Request an invitation</a>"#);

    let joined = join(&mut guest, "ada@example.org").await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    joined.assert_shows("You have been added to the invitation queue");
    joined.assert_shows("You are number 1 in the queue");
    let second = join(&mut Browser::new(&app), "bea@example.org").await;
    second.assert_shows("You are number 2 in the queue");
    // The same address again, in another case: one place, the first.
    let again = join(&mut guest, "ADA@example.org").await;
    assert_eq!(again.status, 200);
    again.assert_shows("That address is in the queue already");
    again.assert_shows("You are number 1 in the queue");
    assert_eq!(app.store().queue_length().await.unwrap(), 2);
    guest
        .get("/invite_requests")
        .await
        .assert_shows("2 people are waiting");

    let status = guest
        .get("/invite_requests/status?email=bea%40example.org")
        .await;
    assert_eq!(status.status, 200);
    status.assert_shows("You are number 2 in the queue");
    let absent = guest
        .get("/invite_requests/status?email=cai%40example.org")
        .await;
    absent.assert_shows("is not in the invitation queue");

    // An address with an account, and one that is no address: refused, kept in the form.
    app.store()
        .create_user(&NewUser {
            login: "mira".into(),
            email: Some("mira@example.org".into()),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let member = join(&mut guest, "Mira@example.org").await;
    assert_eq!(member.status, 422);
    member.assert_shows("already belongs to an account");
    member.assert_shows(r#"value="Mira@example.org""#);
    let bad = join(&mut guest, "not an address").await;
    assert_eq!(bad.status, 422);
    bad.assert_shows("valid e-mail address");
    assert_eq!(app.store().queue_length().await.unwrap(), 2);
}

#[tokio::test]
async fn an_admin_invites_the_next_two_and_their_codes_sign_up_once() {
    let app = app().await;
    for email in ["ada@example.org", "bea@example.org", "cai@example.org"] {
        join(&mut Browser::new(&app), email).await;
    }
    let mut giles = Browser::admin(&app, "giles").await;
    let shown = giles.get("/admin/invitations").await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    shown.assert_shows("3 requests are waiting");
    let token = form_token(&shown.body, "/admin/invitations/queue");
    let form = [
        ("authenticity_token", token.as_str()),
        ("head", "ada@example.org"),
        ("count", "2"),
    ];
    let sent = giles.post("/admin/invitations/queue", &form).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    sent.assert_shows("Sent 2 invitations: ada@example.org, bea@example.org.");
    sent.assert_shows("1 request is waiting");
    let mailed = mails(&app);
    assert_eq!(mailed.len(), 2);
    assert!(mailed.iter().any(|m| m.contains("To: ada@example.org")));
    assert!(mailed.iter().any(|m| m.contains("To: bea@example.org")));
    // The same form sent twice sends nothing more.
    let twice = giles.post("/admin/invitations/queue", &form).await;
    assert_eq!(twice.status, 422);
    twice.assert_shows("The queue has moved on");
    assert_eq!(mails(&app).len(), 2);
    let log = giles.get("/admin/log").await;
    log.assert_shows("Invited from the queue");
    log.assert_shows("bea@example.org");

    // Ada's mail: its link fills in the code and her address, and signs her up.
    let ada_mail = mailed
        .iter()
        .find(|m| m.contains("To: ada@example.org"))
        .unwrap();
    let link = link_in(&app, ada_mail);
    let code = link.split_once("invitation=").unwrap().1.to_owned();
    let mut ada = Browser::new(&app);
    let form = ada.get(&link).await;
    assert_eq!(form.status, 200, "{}", form.body);
    form.assert_shows(&format!(r#"value="{code}""#));
    form.assert_shows(r#"value="ada@example.org""#);
    let signed_up = sign_up_with(&mut ada, &link, "ada").await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.header("location"), Some("/users/ada"));

    // The used code: refused on the link's page and when sent.
    let mut other = Browser::new(&app);
    let used = other.get(&link).await;
    assert_eq!(used.status, 422);
    used.assert_shows("This invitation has been used already");
    let token = form_token(&used.body, "/users");
    let reused = other
        .post(
            "/users",
            &[
                ("authenticity_token", &token),
                ("invitation", &code),
                ("login", "cuckoo"),
                ("email", "cuckoo@example.org"),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reused.status, 422);
    reused.assert_shows("This invitation has been used already");
    reused.assert_shows(r#"value="cuckoo""#);
    assert!(app.store().user_by_login("cuckoo").await.unwrap().is_none());
    let unknown = other.get("/users/new?invitation=made-up").await;
    assert_eq!(unknown.status, 422);
    unknown.assert_shows("not one this archive sent");

    // One address by hand; twice is refused while the first is unused.
    let one = giles
        .submit(
            "/admin/invitations",
            "/admin/invitations/address",
            &[("email", "dov@example.org")],
        )
        .await;
    one.assert_shows("Sent an invitation to dov@example.org.");
    let again = giles
        .submit(
            "/admin/invitations",
            "/admin/invitations/address",
            &[("email", "dov@example.org")],
        )
        .await;
    assert_eq!(again.status, 422);
    again.assert_shows("has not been used yet");
    assert_eq!(mails(&app).len(), 3);
}

#[tokio::test]
async fn members_invite_friends_and_see_whether_they_joined() {
    let app = app().await;
    let mut giles = Browser::admin(&app, "giles").await;
    app.store()
        .create_user(&NewUser {
            login: "mira".into(),
            email: Some("mira@example.org".into()),
            password_hash: Some(quire_web::auth::password::hash(PASSWORD).await.unwrap()),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let mut mira = Browser::new(&app);
    mira.log_in("mira", PASSWORD).await;
    let none = mira.get("/users/mira/invitations").await;
    assert_eq!(none.status, 200, "{}", none.body);
    none.assert_shows("You have no invitations left to send.");
    none.assert_hides(r#"action="/users/mira/invitations""#);

    let set = giles
        .submit(
            "/admin/invitations",
            "/admin/invitations/allowance",
            &[("login", "mira"), ("left", "2")],
        )
        .await;
    set.assert_shows("mira may now send 2 invitations (had 0).");
    let page = mira.get("/users/mira/invitations").await;
    page.assert_shows("You have 2 invitations left to send.");

    let sent = mira
        .submit(
            "/users/mira/invitations",
            "/users/mira/invitations",
            &[("email", "tomas@example.org")],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    sent.assert_shows("Your invitation is on its way to tomas@example.org.");
    sent.assert_shows("You have 1 invitation left to send.");
    sent.assert_shows("Not used yet");
    let mailed = mails(&app);
    assert_eq!(mailed.len(), 1);
    assert!(mailed[0].contains("mira has invited you"), "{}", mailed[0]);
    // Sent again (a double submit): refused, and nothing is spent.
    let twice = mira
        .submit(
            "/users/mira/invitations",
            "/users/mira/invitations",
            &[("email", "tomas@example.org")],
        )
        .await;
    assert_eq!(twice.status, 422);
    twice.assert_shows("has not been used yet");
    twice.assert_shows("You have 1 invitation left to send.");
    assert_eq!(mails(&app).len(), 1);

    let mut tomas = Browser::new(&app);
    let joined = sign_up_with(&mut tomas, &link_in(&app, &mailed[0]), "tomas").await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    let after = mira.get("/users/mira/invitations").await;
    after.assert_shows("Used on");
    after.assert_shows(r#"<a href="/users/tomas">tomas</a>"#);

    // Nobody else sees or uses Mira's invitations.
    let theirs = tomas.get("/users/mira/invitations").await;
    assert_eq!(theirs.status, 403);
    theirs.assert_hides("tomas@example.org");
    let token = form_token(&tomas.get("/").await.body, "/users/logout");
    let stolen = tomas
        .post(
            "/users/mira/invitations",
            &[("authenticity_token", &token), ("email", "eve@example.org")],
        )
        .await;
    assert_eq!(stolen.status, 403);
    assert_eq!(
        app.store()
            .invitations_left(app.store().user_by_login("mira").await.unwrap().unwrap().id)
            .await
            .unwrap(),
        1
    );
    let guest = Browser::new(&app).get("/users/mira/invitations").await;
    assert_eq!(guest.status, 303);
    assert_eq!(mails(&app).len(), 1);
}

#[tokio::test]
async fn invitation_forms_refuse_posts_without_their_token() {
    let app = app().await;
    let mut giles = Browser::admin(&app, "giles").await;
    join(&mut Browser::new(&app), "ada@example.org").await;
    let mut guest = Browser::new(&app);
    let refused = guest
        .post("/invite_requests", &[("email", "bea@example.org")])
        .await;
    assert_eq!(refused.status, 403);
    for (path, fields) in [
        (
            "/admin/invitations/queue",
            vec![("head", "ada@example.org"), ("count", "1")],
        ),
        (
            "/admin/invitations/address",
            vec![("email", "bea@example.org")],
        ),
        (
            "/admin/invitations/allowance",
            vec![("login", "giles"), ("left", "5")],
        ),
        (
            "/users/giles/invitations",
            vec![("email", "bea@example.org")],
        ),
    ] {
        let page = giles.post(path, &fields).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
    }
    assert_eq!(app.store().queue_length().await.unwrap(), 1);
    assert!(mails(&app).is_empty());
}

#[tokio::test]
async fn only_admins_send_invitations_from_the_admin_area() {
    let app = app().await;
    app.store()
        .create_user(&NewUser {
            login: "tara".into(),
            email: Some("tara@example.org".into()),
            password_hash: Some(quire_web::auth::password::hash(PASSWORD).await.unwrap()),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let tara = app.store().user_by_login("tara").await.unwrap().unwrap();
    app.store()
        .grant_role(tara.id, quire_core::Role::Moderator)
        .await
        .unwrap();
    let mut moderator = Browser::new(&app);
    moderator.log_in("tara", PASSWORD).await;
    let page = moderator.get("/admin/invitations").await;
    assert_eq!(page.status, 403);
    let token = form_token(&moderator.get("/").await.body, "/users/logout");
    let post = moderator
        .post(
            "/admin/invitations/address",
            &[("authenticity_token", &token), ("email", "eve@example.org")],
        )
        .await;
    assert_eq!(post.status, 403);
    assert_eq!(
        Browser::new(&app).get("/admin/invitations").await.status,
        403
    );
    assert!(mails(&app).is_empty());
}

#[tokio::test]
async fn the_queue_is_only_open_while_sign_up_takes_a_code() {
    let open = TestApp::start().await;
    let page = open.get("/invite_requests").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/users/new"));
    open.get("/users/new")
        .await
        .assert_hides("Request an invitation");
    let closed = TestApp::start_with(quire_web::ServeOptions {
        signups: quire_web::Signups::Closed,
        ..quire_web::ServeOptions::default()
    })
    .await;
    assert_eq!(closed.get("/invite_requests").await.status, 403);
}
