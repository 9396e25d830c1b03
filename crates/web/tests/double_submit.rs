//! A double click sends the same form twice at once: the two requests race, and still make one
//! work, one comment, one kudos and one bookmark. (The same form sent again later is tested with
//! each form: `posting.rs`, `comments.rs`, `kudos.rs`.) On SQLite and, when it answers,
//! PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_store::testing::TestDb;
use support::browser::{Browser, form_token};
use support::{TestApp, WorkSpec};

fn options() -> quire_web::ServeOptions {
    quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    }
}

async fn apps() -> Vec<TestApp> {
    let mut apps = vec![TestApp::start_with(options()).await];
    if let Some(db) = TestDb::postgres().await {
        apps.push(TestApp::start_on_with_options(db, options()).await);
    }
    apps
}

/// The value of the hidden field `name` in the form posting to `action`.
fn hidden(body: &str, action: &str, name: &str) -> String {
    let form = body
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("no form posts to {action}:\n{body}"));
    let rest = &body[form..];
    let needle = format!(r#"name="{name}" value=""#);
    let at = rest.find(&needle).unwrap_or_else(|| panic!("no {name}"));
    let value = &rest[at + needle.len()..];
    value[..value.find('"').unwrap()].to_owned()
}

/// Sends the same form twice at once with the browser's session; returns both statuses.
async fn double_click(
    app: &TestApp,
    browser: &Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, u16) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = format!("quire_session={}", browser.cookie("quire_session").unwrap());
    let send = || {
        client
            .post(format!("{}{path}", app.base))
            .header("Cookie", &cookie)
            .form(fields)
            .send()
    };
    let (first, second) = tokio::join!(send(), send());
    (
        first.unwrap().status().as_u16(),
        second.unwrap().status().as_u16(),
    )
}

#[tokio::test]
async fn a_double_click_makes_one_work_comment_kudos_and_bookmark() {
    for app in apps().await {
        let mut mira = Browser::new(&app);
        mira.sign_up("mira").await;
        let mira_id = app.store().user_by_login("mira").await.unwrap().unwrap().id;

        let form = mira.get("/works/new").await;
        let token = form_token(&form.body, "/works");
        let key = hidden(&form.body, "/works", "form_key");
        let fields = [
            ("authenticity_token", token.as_str()),
            ("form_key", key.as_str()),
            ("commit", "post"),
            ("title", "Once Only"),
            ("rating", "General Audiences"),
            ("warnings", "No Archive Warnings Apply"),
            ("fandoms", "Lanterns of Hollowmere"),
            ("format", "plain"),
            ("content", "Posted with a double click."),
        ];
        let (first, second) = double_click(&app, &mira, "/works", &fields).await;
        assert_eq!((first, second), (303, 303));
        let works = app.store().counts().await.unwrap().works;
        assert_eq!(works, 1, "a double click made {works} works");

        let pseud = app.store().pseuds_of(mira_id).await.unwrap()[0].id;
        let id = app
            .work_by(WorkSpec::new("Lamps", "The lamps went out."), pseud)
            .await;
        let work = format!("/works/{id}");
        let chapter = app.store().chapters(id).await.unwrap()[0].id.to_string();
        let mut dawn = Browser::new(&app);
        dawn.sign_up("dawn").await;
        let page = dawn.get(&work).await;
        let token = form_token(&page.body, &format!("{work}/comments"));

        let comment = [
            ("authenticity_token", token.as_str()),
            ("chapter_id", chapter.as_str()),
            ("comment", "Only once, even clicked twice."),
        ];
        let statuses = double_click(&app, &dawn, &format!("{work}/comments"), &comment).await;
        assert_eq!(statuses, (303, 303));
        let kudos = [("authenticity_token", token.as_str())];
        let statuses = double_click(&app, &dawn, &format!("{work}/kudos"), &kudos).await;
        assert_eq!(statuses, (200, 200));
        let bookmark = [
            ("authenticity_token", token.as_str()),
            ("notes", "Clicked twice."),
            ("tags", "Lamps"),
        ];
        let statuses = double_click(&app, &dawn, &format!("{work}/bookmark"), &bookmark).await;
        assert_eq!(statuses, (303, 303));

        let stats = app.store().work(id).await.unwrap().unwrap().stats;
        assert_eq!(
            (stats.comments, stats.kudos, stats.bookmarks),
            (1, 1, 1),
            "comments, kudos, bookmarks after double clicks"
        );
        let shown = dawn.get(&work).await;
        assert_eq!(
            shown.body.matches("Only once, even clicked twice.").count(),
            1
        );
        shown.assert_shows("dawn left kudos on this work!");
        let bookmarks = dawn.get("/users/dawn/bookmarks").await;
        assert_eq!(bookmarks.body.matches("Clicked twice.").count(), 1);
    }
}
