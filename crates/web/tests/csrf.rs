//! Every state-changing route of the HTML router refuses a form replayed without its CSRF
//! token, or with another session's token, and a guest's cross-site post: the POST routes are
//! read from the router's own source (`src/routes/mod.rs`), so a new route joins this test by
//! itself (and one with a new kind of path parameter fails until the test learns it). The JSON
//! API (`/api/v1/…`) takes bearer tokens, never cookies, and is tested in `api_write.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use quire_core::Role;
use support::browser::{Browser, PASSWORD, form_token};
use support::{TestApp, WorkSpec};

const ROUTER: &str = include_str!("../src/routes/mod.rs");

/// The paths of the router's `.route("…", …)` calls whose method router includes `post(…)`.
fn post_routes() -> Vec<&'static str> {
    let mut routes = Vec::new();
    let mut rest = ROUTER;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        // The call's arguments: up to the parenthesis that closes `.route(`.
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed .route( call");
        let call = &rest[..end];
        let path = call.split('"').nth(1).expect("a path literal");
        if call.contains("post(") {
            routes.push(path);
        }
    }
    routes
}

/// Fields that would change something, were the sender allowed: every form's main fields.
const FIELDS: &[(&str, &str)] = &[
    ("title", "Replayed"),
    ("rating", "General Audiences"),
    ("warnings", "No Archive Warnings Apply"),
    ("fandoms", "Replayed Fandom"),
    ("format", "plain"),
    ("content", "Replayed text."),
    ("commit", "post"),
    ("comment", "Replayed comment."),
    ("notes", "Replayed notes."),
    ("login", "mira"),
    ("email", "replayed@example.org"),
    ("password", "a replayed phrase"),
    ("password_confirmation", "a replayed phrase"),
    ("current_password", PASSWORD),
    ("time_zone", "Asia/Tokyo"),
    ("name", "Replayed"),
    ("reason", "Replayed"),
    ("url", "/works/1"),
    ("details", "Replayed report."),
    ("works", "delete"),
    ("subscribable_type", "Work"),
    ("subscribable_id", "1"),
];

#[tokio::test]
async fn every_post_route_refuses_a_form_without_its_token() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let routes = post_routes();
    assert!(routes.len() > 40, "only {} POST routes found", routes.len());
    for expected in [
        "/users/{login}/password",
        "/works/{id}/kudos",
        "/admin/works/hide",
    ] {
        assert!(routes.contains(&expected), "{expected} not found");
    }

    // Mira may do everything (an admin, a wrangler, the creator of the work), so only the token
    // stands between a replayed form and a change.
    let mut mira = Browser::admin(&app, "mira").await;
    let user = app.store().user_by_login("mira").await.unwrap().unwrap();
    for role in Role::ALL {
        app.store().grant_role(user.id, role).await.unwrap();
    }
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    let work = app
        .work_by(WorkSpec::new("Lamps", "The lamps went out."), pseud)
        .await;
    let chapter = app.store().chapters(work).await.unwrap()[0].id;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let commented = tomas
        .submit(
            &format!("/works/{work}"),
            &format!("/works/{work}/comments"),
            &[("chapter_id", &chapter.to_string()), ("comment", "Lovely.")],
        )
        .await;
    assert_eq!(commented.status, 303, "{}", commented.body);
    let comment = commented
        .header("location")
        .unwrap()
        .rsplit('-')
        .next()
        .unwrap()
        .to_owned();
    let tomas_token = form_token(&tomas.get("/").await.body, "/users/logout");

    let params: BTreeMap<&str, String> = [
        ("{login}", "mira".to_owned()),
        ("{chapter_id}", chapter.to_string()),
        ("{name}", "Lanterns%20of%20Hollowmere".to_owned()),
        ("{kind}", "fandoms".to_owned()),
    ]
    .into();
    let before = app.store().counts().await.unwrap();
    for route in routes {
        let mut path = route.to_owned();
        let id = if route.starts_with("/comments/") {
            comment.clone()
        } else {
            work.to_string()
        };
        path = path.replace("{id}", &id);
        for (param, value) in &params {
            path = path.replace(param, value);
        }
        assert!(
            !path.contains('{'),
            "teach this test the parameters of {route}"
        );

        let bare = mira.post(&path, FIELDS).await;
        assert_eq!(
            bare.status, 403,
            "POST {path} without a token: {}",
            bare.body
        );
        bare.assert_shows("csrf_token_invalid");

        let mut others = vec![("authenticity_token", tomas_token.as_str())];
        others.extend_from_slice(FIELDS);
        let foreign = mira.post(&path, &others).await;
        assert_eq!(
            foreign.status, 403,
            "POST {path} with tomas's token: {}",
            foreign.body
        );

        // A guest's browser on another site, posting to the archive.
        let guest = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{}{path}", app.base))
            .header("Origin", "https://elsewhere.example")
            .form(FIELDS)
            .send()
            .await
            .unwrap();
        let status = guest.status().as_u16();
        let location = guest
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        assert!(
            status == 403 || (status == 303 && location.as_deref() == Some("/users/login")),
            "a cross-site guest POST {path} answered {status} {location:?}"
        );
    }
    let after = app.store().counts().await.unwrap();
    assert_eq!(
        (after.works, after.chapters, after.users, after.tags),
        (before.works, before.chapters, before.users, before.tags)
    );
    assert_eq!(
        app.store().work(work).await.unwrap().unwrap().title,
        "Lamps"
    );
    // Mira is still signed in with her own password: neither changed.
    assert_eq!(mira.get("/users/mira/edit").await.status, 200);
}
