//! Personal API tokens over real HTTP: made and revoked on the owner's page, shown once, read
//! as their owner (and no one else), and only a write token leaves kudos.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::browser::Browser;
use support::{Page, TestApp, WorkSpec};

/// A request to the API, with a token when given.
async fn api(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> Page {
    let client = reqwest::Client::new();
    let url = format!("http://{}{path}", app.addr());
    let mut request = match method {
        "POST" => client.post(url),
        _ => client.get(url),
    };
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

fn json(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

/// Makes a token on the owner's page and reads it off the answer.
async fn make_token(browser: &mut Browser<'_>, login: &str, name: &str, write: bool) -> String {
    let page = format!("/users/{login}/tokens");
    let mut fields = vec![("name", name)];
    if write {
        fields.push(("write", "on"));
    }
    let made = browser.submit(&page, &page, &fields).await;
    assert_eq!(made.status, 200, "{}", made.body);
    made.assert_shows("it is shown only this once");
    let start = made.body.find(r#"value="quire_"#).unwrap() + r#"value=""#.len();
    made.body[start..start + "quire_".len() + 64].to_owned()
}

#[tokio::test]
async fn a_token_reads_as_its_owner_and_only_a_write_token_leaves_kudos() {
    let app = TestApp::start().await;
    let open = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let members = app
        .work(WorkSpec::new("Members Only", "Hidden").restricted())
        .await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let reading = make_token(&mut dawn, "dawn", "e-reader", false).await;
    let writing = make_token(&mut dawn, "dawn", "kudos bot", true).await;
    let list = dawn.get("/users/dawn/tokens").await;
    list.assert_shows("<td>e-reader</td><td>read</td>");
    list.assert_shows("<td>kudos bot</td><td>read and write</td>");
    // Shown once: the page lists the tokens, never their values.
    list.assert_hides(&reading);

    let path = format!("/api/v1/works/{members}");
    assert_eq!(api(&app, "GET", &path, None).await.status, 404);
    let read = api(&app, "GET", &path, Some(&reading)).await;
    assert_eq!(json(&read, 200)["work"]["title"], "Members Only");
    assert_eq!(read.header("cache-control"), Some("private, no-store"));
    // A guest asking after the token must not get the token's answer from a cache.
    assert_eq!(api(&app, "GET", &path, None).await.status, 404);

    let kudos = format!("/api/v1/works/{open}/kudos");
    let refused = json(&api(&app, "POST", &kudos, None).await, 401);
    assert_eq!(refused["error"]["code"], "token_required");
    let refused = json(&api(&app, "POST", &kudos, Some(&reading)).await, 403);
    assert_eq!(refused["error"]["code"], "token_read_only");
    let given = json(&api(&app, "POST", &kudos, Some(&writing)).await, 200);
    assert_eq!(given, serde_json::json!({"outcome": "given", "kudos": 1}));
    let again = json(&api(&app, "POST", &kudos, Some(&writing)).await, 200);
    assert_eq!(again["outcome"], "already_given");
    assert_eq!(app.store().kudos(open).await.unwrap().users, ["dawn"]);
    let hidden = format!("/api/v1/works/{members}/kudos");
    assert_eq!(api(&app, "POST", &hidden, Some(&writing)).await.status, 200);
}

#[tokio::test]
async fn a_token_never_reads_another_readers_drafts() {
    let app = TestApp::start().await;
    let mut xander = Browser::new(&app);
    xander.sign_up("xander").await;
    let user = app.store().user_by_login("xander").await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    let draft = app
        .work_by(WorkSpec::new("Not Yet", "Unposted").draft(), pseud)
        .await;
    let own = make_token(&mut xander, "xander", "mine", false).await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let other = make_token(&mut dawn, "dawn", "hers", true).await;

    let path = format!("/api/v1/works/{draft}");
    assert_eq!(
        json(&api(&app, "GET", &path, Some(&own)).await, 200)["work"]["title"],
        "Not Yet"
    );
    let refused = json(&api(&app, "GET", &path, Some(&other)).await, 404);
    assert_eq!(refused["error"]["code"], "work_not_found");
    let kudos = format!("{path}/kudos");
    assert_eq!(api(&app, "POST", &kudos, Some(&other)).await.status, 404);
}

#[tokio::test]
async fn unknown_and_revoked_tokens_are_refused_with_401() {
    let app = TestApp::start().await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let token = make_token(&mut dawn, "dawn", "script", false).await;
    assert_eq!(
        api(&app, "GET", "/api/v1/works", Some(&token)).await.status,
        200
    );

    let id = app
        .store()
        .api_tokens(app.store().user_by_login("dawn").await.unwrap().unwrap().id)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let revoked = dawn
        .submit(
            "/users/dawn/tokens",
            "/users/dawn/tokens/revoke",
            &[("id", &id)],
        )
        .await;
    assert_eq!(revoked.status, 303);
    dawn.get("/users/dawn/tokens")
        .await
        .assert_shows("You have no API tokens.");

    let fake = format!("quire_{}", "0".repeat(64));
    for bad in [token.as_str(), fake.as_str(), "not-a-token"] {
        let refused = api(&app, "GET", "/api/v1/works", Some(bad)).await;
        assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
        assert_eq!(json(&refused, 401)["error"]["code"], "token_invalid");
    }
}

#[tokio::test]
async fn only_the_owner_sees_the_tokens_page_and_a_token_needs_a_name() {
    let app = TestApp::start().await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let unnamed = dawn
        .submit(
            "/users/dawn/tokens",
            "/users/dawn/tokens",
            &[("name", "  ")],
        )
        .await;
    assert_eq!(unnamed.status, 422);
    unnamed.assert_shows("Give the token a name of 1 to 100 characters.");
    assert!(
        app.store()
            .api_tokens(app.store().user_by_login("dawn").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .is_empty()
    );

    let mut xander = Browser::new(&app);
    xander.sign_up("xander").await;
    assert_eq!(xander.get("/users/dawn/tokens").await.status, 403);
    let guest = app.get("/users/dawn/tokens").await;
    assert_ne!(guest.status, 200);
    guest.assert_hides("Make a token");
}
