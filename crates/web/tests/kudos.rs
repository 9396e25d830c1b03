//! Kudos over real HTTP: once per guest and once per account, never on one's own work, never
//! from another site's form, never on a work the reader cannot see.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use support::browser::Browser;
use support::{Page, TestApp, WorkSpec};

/// A guest's form post, with the Fetch Metadata (or `Origin`) a browser would send.
async fn guest_post(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let client = reqwest::Client::new();
    let mut request = client.post(format!("http://{}{path}", app.addr()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

const SAME_ORIGIN: [(&str, &str); 1] = [("Sec-Fetch-Site", "same-origin")];

/// The work page once it shows `needle` (the page cache is dropped when the outbox moves).
async fn shows(app: &TestApp, path: &str, needle: &str) -> Page {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let page = app.get(path).await;
        if page.body.contains(needle) || Instant::now() > deadline {
            page.assert_shows(needle);
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_guest_leaves_kudos_once_and_only_from_the_archives_own_page() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let path = format!("/works/{id}");
    let action = format!("/works/{id}/kudos");

    let page = app.get(&path).await;
    page.assert_shows(&format!(
        r#"<form class="inline" method="post" action="{action}">"#
    ));
    page.assert_shows("Kudos ♥");
    // The guest page is shared by the page cache: no reader's token goes into it.
    page.assert_hides("authenticity_token");

    for headers in [
        &[("Sec-Fetch-Site", "cross-site")][..],
        &[("Origin", "https://elsewhere.example")][..],
        &[][..],
    ] {
        let refused = guest_post(&app, &action, headers).await;
        assert_eq!(refused.status, 403, "{headers:?}");
    }
    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 0);

    let given = guest_post(&app, &action, &SAME_ORIGIN).await;
    assert_eq!(given.status, 200, "{}", given.body);
    given.assert_shows("Thank you for leaving kudos!");
    given.assert_shows(&format!(r##"href="/works/{id}#kudos""##));
    let origin = format!("http://{}", app.addr());
    let again = guest_post(&app, &action, &[("Origin", &origin)]).await;
    again.assert_shows("You have already left kudos here. :)");

    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 1);
    shows(&app, &path, "1 guest left kudos on this work!").await;
}

#[tokio::test]
async fn a_reader_leaves_kudos_once_and_sees_it_on_the_page() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let path = format!("/works/{id}");
    let action = format!("/works/{id}/kudos");
    guest_post(&app, &action, &SAME_ORIGIN).await;

    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    // A signed-in form needs the session's token, whatever the headers say.
    let forged = dawn.post(&action, &[]).await;
    assert_eq!(forged.status, 403);

    let given = dawn.submit(&path, &action, &[]).await;
    assert_eq!(given.status, 200, "{}", given.body);
    given.assert_shows("Thank you for leaving kudos!");
    let page = dawn.get(&path).await;
    page.assert_shows("You left kudos on this work.");
    page.assert_shows("dawn as well as 1 guest left kudos on this work!");
    page.assert_hides("Kudos ♥");
    // The form is gone; posting it again (from an old tab) is answered kindly.
    let home = dawn.get("/").await;
    let token = support::browser::form_token(&home.body, "/users/logout");
    let again = dawn.post(&action, &[("authenticity_token", &token)]).await;
    again.assert_shows("You have already left kudos here. :)");
    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 2);
}

#[tokio::test]
async fn creators_cannot_kudos_their_own_work() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let user = app.store().user_by_login("mira").await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    let id = app
        .work_by(WorkSpec::new("Her Own Work", "Mine"), pseud)
        .await;
    let path = format!("/works/{id}");
    let refused = mira.submit(&path, &format!("{path}/kudos"), &[]).await;
    refused.assert_shows("You can&#39;t leave kudos on your own work.");
    assert_eq!(app.store().work(id).await.unwrap().unwrap().stats.kudos, 0);
}

#[tokio::test]
async fn works_a_reader_cannot_see_take_no_kudos() {
    let app = TestApp::start().await;
    let restricted = app
        .work(WorkSpec::new("Members Only", "Hidden").restricted())
        .await;
    let draft = app.work(WorkSpec::new("Not Yet", "Unposted").draft()).await;
    for id in [restricted, draft, 999_999] {
        let page = guest_post(&app, &format!("/works/{id}/kudos"), &SAME_ORIGIN).await;
        assert_eq!(page.status, 404, "work {id}: {}", page.body);
    }
    let bad = guest_post(&app, "/works/nope/kudos", &SAME_ORIGIN).await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        app.store()
            .work(restricted)
            .await
            .unwrap()
            .unwrap()
            .stats
            .kudos,
        0
    );
}
