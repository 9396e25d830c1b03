//! The API's write endpoints over real HTTP, on SQLite and PostgreSQL: works and chapters
//! posted, changed and deleted with a write token by the posting forms' rules, bookmarks kept,
//! each refused without a token (401) or with a read-only one (403), another reader's drafts
//! and private bookmarks never reached, field problems as 422s naming their fields, a retried
//! create making nothing new, and the page cache following every change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::visibility::ListingScope;
use quire_store::testing::TestDb;
use quire_store::{NewUser, Page as StorePage};
use serde_json::{Value, json};
use support::{Page, TestApp, WorkSpec};

/// The app on SQLite, and on PostgreSQL when a server answers.
async fn apps() -> Vec<TestApp> {
    let mut apps = vec![TestApp::start().await];
    if let Some(db) = TestDb::postgres().await {
        apps.push(TestApp::start_on(db).await);
    }
    apps
}

/// A reader with a token of this scope.
struct Reader {
    login: &'static str,
    id: i64,
    token: String,
}

async fn reader(app: &TestApp, login: &'static str, write: bool) -> Reader {
    let user = match app.store().user_by_login(login).await.unwrap() {
        Some(user) => user,
        None => app
            .store()
            .create_user(&NewUser {
                login: login.into(),
                email: Some(format!("{login}@example.org")),
                ..NewUser::default()
            })
            .await
            .unwrap(),
    };
    let (token, record) =
        quire_web::auth::api_token::issue(user.id, if write { "w" } else { "r" }, write).unwrap();
    app.store().create_api_token(&record).await.unwrap();
    Reader {
        login,
        id: user.id,
        token,
    }
}

/// One API request.
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Page {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", app.base);
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

#[track_caller]
fn json_of(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

#[track_caller]
fn code_of(page: &Page, status: u16) -> String {
    json_of(page, status)["error"]["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn new_work(title: &str, post: bool) -> Value {
    json!({
        "title": title,
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/F"],
        "fandoms": ["Lanterns of Hollowmere"],
        "relationships": ["Mira/Tomas"],
        "freeforms": ["Slow Burn", "Maps"],
        "summary": "She *drew* it.",
        "format": "markdown",
        "expected_chapters": 3,
        "chapters": [
            {"title": "Ink", "text": "One two.\n\nThree."},
            {"text": "Four five six.", "notes": "A *note*."}
        ],
        "post": post
    })
}

/// Works listed for their creator (drafts aside) and their drafts.
async fn works_of(app: &TestApp, user: i64) -> (i64, usize) {
    let scope = ListingScope::for_viewer(&quire_core::Viewer {
        user: Some(user),
        ..quire_core::Viewer::default()
    });
    let (_, listed) = app
        .store()
        .works_by_user(user, scope, StorePage::first(10))
        .await
        .unwrap();
    (
        listed,
        app.store().drafts_by_user(user).await.unwrap().len(),
    )
}

#[tokio::test]
async fn a_write_token_posts_a_work_with_its_chapters_and_a_retry_makes_no_second() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let key = [("Idempotency-Key", "6f1c-first-post")];
        let body = new_work("The Map", true);
        let made = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &key,
        )
        .await;
        let made = {
            let location = made.header("location").unwrap().to_owned();
            let value = json_of(&made, 201);
            assert_eq!(location, format!("/api/v1/works/{}", value["work"]["id"]));
            assert_eq!(made.header("cache-control"), Some("private, no-store"));
            value
        };
        let id = made["work"]["id"].as_i64().unwrap();
        assert_eq!(made["work"]["title"], "The Map");
        assert_eq!(made["work"]["authors"], json!(["dawn"]));
        assert_eq!(made["work"]["summary"], "<p>She <em>drew</em> it.</p>");
        assert_eq!(made["work"]["chapter_count"], 2);
        assert_eq!(made["work"]["word_count"], 6);
        assert_eq!(made["work"]["complete"], false);
        assert_eq!(made["chapters"].as_array().unwrap().len(), 2);

        // A guest reads it, with its chapters' text as written in Markdown.
        let guest = json_of(&app.get(&format!("/api/v1/works/{id}")).await, 200);
        assert_eq!(guest["work"]["freeforms"], json!(["Slow Burn", "Maps"]));
        let second = guest["chapters"][1]["url"].as_str().unwrap().to_owned();
        let chapter = json_of(&app.get(&second).await, 200);
        assert_eq!(chapter["notes"], "<p>A <em>note</em>.</p>");

        // The same key again answers the same work; a new key makes another.
        let again = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &key,
        )
        .await;
        assert_eq!(json_of(&again, 200)["work"]["id"], id);
        assert_eq!(works_of(&app, dawn.id).await, (1, 0));
        let other = [("Idempotency-Key", "6f1c-second-post")];
        let another = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &other,
        )
        .await;
        assert_ne!(json_of(&another, 201)["work"]["id"], id);
        assert_eq!(works_of(&app, dawn.id).await, (2, 0));
    }
}

#[tokio::test]
async fn field_problems_are_a_422_naming_each_field_and_nothing_is_stored() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let mut body = new_work(&"T".repeat(256), true);
        body["rating"] = json!("Adult");
        body["fandoms"] = json!([]);
        body["summary"] = json!("s".repeat(1_251));
        body["chapters"][1]["text"] = json!("   ");
        let refused = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &[],
        )
        .await;
        let error = &json_of(&refused, 422)["error"];
        assert_eq!(error["code"], "rating_unknown");
        assert_eq!(error["field"], "rating");
        let problems: Vec<(String, String)> = error["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["field"].as_str().unwrap().to_owned(),
                    p["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for expected in [
            ("rating", "rating_unknown"),
            ("fandoms", "fandom_missing"),
            ("title", "title_too_long"),
            ("summary", "summary_too_long"),
            ("chapters[1].text", "chapter_empty"),
        ] {
            assert!(
                problems.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {problems:?}"
            );
        }

        // A body that is not the JSON the endpoint takes is a 400 that says why.
        let mut unknown = new_work("The Map", true);
        unknown["colour"] = json!("blue");
        let wrong_type = json!({"title": 5});
        for bad in [unknown, wrong_type] {
            let refused = call(
                &app,
                "POST",
                "/api/v1/works",
                Some(&dawn.token),
                Some(&bad),
                &[],
            )
            .await;
            assert_eq!(code_of(&refused, 400), "body_invalid");
        }
        let mut nul = new_work("The Map", true);
        nul["chapters"][0]["text"] = json!("a\u{0}b");
        let refused = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&nul),
            &[],
        )
        .await;
        assert_eq!(code_of(&refused, 422), "text_nul");
        let bad_key = [("Idempotency-Key", "")];
        let body = new_work("The Map", true);
        let refused = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &bad_key,
        )
        .await;
        assert_eq!(code_of(&refused, 400), "parameter_invalid");
        assert_eq!(works_of(&app, dawn.id).await, (0, 0));
    }
}

#[tokio::test]
async fn every_write_needs_a_token_with_the_write_scope() {
    for app in apps().await {
        let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
        let chapter = app.store().chapter_index(id).await.unwrap()[0].id;
        let reading = reader(&app, "dawn", false).await;
        let body = json!({});
        let writes = [
            ("POST", "/api/v1/works".to_owned()),
            ("PATCH", format!("/api/v1/works/{id}")),
            ("DELETE", format!("/api/v1/works/{id}")),
            ("POST", format!("/api/v1/works/{id}/chapters")),
            ("PATCH", format!("/api/v1/works/{id}/chapters/{chapter}")),
            ("DELETE", format!("/api/v1/works/{id}/chapters/{chapter}")),
            ("POST", format!("/api/v1/works/{id}/bookmark")),
            ("PUT", format!("/api/v1/works/{id}/bookmark")),
            ("DELETE", format!("/api/v1/works/{id}/bookmark")),
        ];
        for (method, path) in &writes {
            let guest = call(&app, method, path, None, Some(&body), &[]).await;
            assert_eq!(code_of(&guest, 401), "token_required", "{method} {path}");
            assert_eq!(guest.header("www-authenticate"), Some("Bearer"));
            let read = call(&app, method, path, Some(&reading.token), Some(&body), &[]).await;
            assert_eq!(code_of(&read, 403), "token_read_only", "{method} {path}");
        }
        assert_eq!(app.store().chapter_index(id).await.unwrap().len(), 1);

        // Another site's page may send a token, never the archive's cookies.
        let preflight = call(
            &app,
            "OPTIONS",
            "/api/v1/works",
            None,
            None,
            &[
                ("Origin", "https://elsewhere.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type",
                ),
            ],
        )
        .await;
        assert_eq!(preflight.status, 200);
        assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
        assert_eq!(preflight.header("access-control-allow-credentials"), None);
    }
}

#[tokio::test]
async fn a_draft_is_its_creators_alone_until_posted() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let xander = reader(&app, "xander", true).await;
        let made = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&new_work("Not Yet", false)),
            &[],
        )
        .await;
        let made = json_of(&made, 201);
        let id = made["work"]["id"].as_i64().unwrap();
        let chapter = made["chapters"][0]["id"].as_i64().unwrap();
        assert_eq!(works_of(&app, dawn.id).await, (0, 1));

        let work = format!("/api/v1/works/{id}");
        let chapter_path = format!("{work}/chapters/{chapter}");
        assert_eq!(app.get(&work).await.status, 404);
        let text = json!({"text": "More."});
        let change = json!({"title": "Mine now"});
        let bookmark = json!({"notes": "Found it"});
        for (method, path, body) in [
            ("GET", &work, None),
            ("PATCH", &work, Some(&change)),
            ("DELETE", &work, None),
            ("POST", &format!("{work}/chapters"), Some(&text)),
            ("GET", &chapter_path, None),
            ("PATCH", &chapter_path, Some(&text)),
            ("DELETE", &chapter_path, None),
            ("POST", &format!("{work}/kudos"), None),
            ("POST", &format!("{work}/bookmark"), Some(&bookmark)),
            ("PUT", &format!("{work}/bookmark"), Some(&bookmark)),
        ] {
            let page = call(&app, method, path, Some(&xander.token), body, &[]).await;
            assert_eq!(code_of(&page, 404), "work_not_found", "{method} {path}");
            page.assert_hides("Not Yet");
        }
        let own = call(&app, "GET", &work, Some(&dawn.token), None, &[]).await;
        assert_eq!(json_of(&own, 200)["work"]["title"], "Not Yet");
        // Nobody bookmarks a draft, its creator included.
        let page = call(
            &app,
            "POST",
            &format!("{work}/bookmark"),
            Some(&dawn.token),
            Some(&bookmark),
            &[],
        )
        .await;
        assert_eq!(code_of(&page, 404), "work_not_found");

        // Posting it shows it to everyone at once.
        let post = json!({"post": true});
        let posted = call(&app, "PATCH", &work, Some(&dawn.token), Some(&post), &[]).await;
        assert_eq!(json_of(&posted, 200)["work"]["title"], "Not Yet");
        assert_eq!(
            json_of(&app.get(&work).await, 200)["work"]["chapter_count"],
            2
        );
        let unpost = json!({"post": false});
        let refused = call(&app, "PATCH", &work, Some(&dawn.token), Some(&unpost), &[]).await;
        assert_eq!(code_of(&refused, 422), "post_irreversible");
        assert_eq!(works_of(&app, dawn.id).await, (1, 0));
        // Seen now, still not another reader's to change.
        let page = call(
            &app,
            "PATCH",
            &work,
            Some(&xander.token),
            Some(&change),
            &[],
        )
        .await;
        assert_eq!(code_of(&page, 403), "forbidden");
        let page = call(&app, "DELETE", &work, Some(&xander.token), None, &[]).await;
        assert_eq!(code_of(&page, 403), "forbidden");
    }
}

#[tokio::test]
async fn a_change_shows_at_once_on_a_guests_cached_pages() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let made = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&new_work("The Map", true)),
            &[],
        )
        .await;
        let id = json_of(&made, 201)["work"]["id"].as_i64().unwrap();
        let work = format!("/api/v1/works/{id}");
        let page = format!("/works/{id}");
        // Twice each: the second answer comes from the page cache.
        for _ in 0..2 {
            app.get(&page).await.assert_shows("The Map");
            app.get(&work).await.assert_shows("The Map");
        }
        let change = json!({
            "title": "The Atlas",
            "summary": "Bigger <b>now</b>.",
            "freeforms": ["Atlases"],
            "restricted": false
        });
        let changed = call(&app, "PATCH", &work, Some(&dawn.token), Some(&change), &[]).await;
        let changed = json_of(&changed, 200);
        assert_eq!(changed["work"]["summary"], "Bigger <b>now</b>.");
        assert_eq!(changed["work"]["freeforms"], json!(["Atlases"]));
        // What was not sent stays.
        assert_eq!(
            changed["work"]["fandoms"],
            json!(["Lanterns of Hollowmere"])
        );
        assert_eq!(changed["work"]["rating"], "Teen And Up Audiences");
        app.get(&page).await.assert_shows("The Atlas");
        app.get(&work).await.assert_shows("The Atlas");

        let restrict = json!({"restricted": true});
        let changed = call(
            &app,
            "PATCH",
            &work,
            Some(&dawn.token),
            Some(&restrict),
            &[],
        )
        .await;
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(app.get(&work).await.status, 404);
        assert_eq!(app.get(&page).await.status, 404);

        let deleted = call(&app, "DELETE", &work, Some(&dawn.token), None, &[]).await;
        assert_eq!(deleted.status, 204, "{}", deleted.body);
        let own = call(&app, "GET", &work, Some(&dawn.token), None, &[]).await;
        assert_eq!(code_of(&own, 404), "work_not_found");
        assert_eq!(works_of(&app, dawn.id).await, (0, 0));
    }
}

#[tokio::test]
async fn chapters_are_added_changed_and_deleted_by_their_creator() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let xander = reader(&app, "xander", true).await;
        let mut body = new_work("The Map", true);
        body["chapters"] = json!([{"text": "Only one."}]);
        let made = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&body),
            &[],
        )
        .await;
        let made = json_of(&made, 201);
        let id = made["work"]["id"].as_i64().unwrap();
        let first = made["chapters"][0]["id"].as_i64().unwrap();
        let chapters = format!("/api/v1/works/{id}/chapters");

        let key = [("Idempotency-Key", "chapter-2")];
        let text = json!({"title": "Two", "text": "Plain words.\n\nMore words.", "format": "text", "post": true});
        let added = call(
            &app,
            "POST",
            &chapters,
            Some(&dawn.token),
            Some(&text),
            &key,
        )
        .await;
        let location = added.header("location").unwrap().to_owned();
        let added = json_of(&added, 201);
        let second = added["id"].as_i64().unwrap();
        assert_eq!(location, format!("{chapters}/{second}"));
        assert_eq!(added["position"], 2);
        assert_eq!(added["content"], "<p>Plain words.</p>\n<p>More words.</p>");
        let again = call(
            &app,
            "POST",
            &chapters,
            Some(&dawn.token),
            Some(&text),
            &key,
        )
        .await;
        assert_eq!(json_of(&again, 200)["id"], second);
        assert_eq!(app.store().chapter_index(id).await.unwrap().len(), 2);
        assert_eq!(
            json_of(&app.get(&format!("/api/v1/works/{id}")).await, 200)["work"]["chapter_count"],
            2
        );

        // An unposted chapter waits for its creator.
        let waiting = json!({"text": "Soon."});
        let third = json_of(
            &call(
                &app,
                "POST",
                &chapters,
                Some(&dawn.token),
                Some(&waiting),
                &[],
            )
            .await,
            201,
        )["id"]
            .as_i64()
            .unwrap();
        let third_path = format!("{chapters}/{third}");
        assert_eq!(app.get(&third_path).await.status, 404);
        let post = json!({"post": true, "title": "Three"});
        let posted = call(
            &app,
            "PATCH",
            &third_path,
            Some(&dawn.token),
            Some(&post),
            &[],
        )
        .await;
        let posted = json_of(&posted, 200);
        assert_eq!(posted["title"], "Three");
        assert_eq!(posted["content"], "Soon.");
        assert_eq!(json_of(&app.get(&third_path).await, 200)["title"], "Three");

        let bad = json!({"text": " ", "title": "x".repeat(256)});
        let refused = call(
            &app,
            "PATCH",
            &third_path,
            Some(&dawn.token),
            Some(&bad),
            &[],
        )
        .await;
        let error = json_of(&refused, 422);
        let fields: Vec<&str> = error["error"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["title", "text"]);

        let second_path = format!("{chapters}/{second}");
        let edit = json!({"text": "New *words*.", "format": "markdown"});
        for (method, body) in [("PATCH", Some(&edit)), ("DELETE", None)] {
            let page = call(&app, method, &second_path, Some(&xander.token), body, &[]).await;
            assert_eq!(code_of(&page, 403), "forbidden", "{method}");
        }
        let page = call(
            &app,
            "POST",
            &chapters,
            Some(&xander.token),
            Some(&text),
            &[],
        )
        .await;
        assert_eq!(code_of(&page, 403), "forbidden");
        let edited = call(
            &app,
            "PATCH",
            &second_path,
            Some(&dawn.token),
            Some(&edit),
            &[],
        )
        .await;
        let edited = json_of(&edited, 200);
        assert_eq!(edited["content"], "<p>New <em>words</em>.</p>");
        assert_eq!(edited["title"], "Two");

        for path in [&second_path, &third_path] {
            let deleted = call(&app, "DELETE", path, Some(&dawn.token), None, &[]).await;
            assert_eq!(deleted.status, 204, "{}", deleted.body);
        }
        let only = call(
            &app,
            "DELETE",
            &format!("{chapters}/{first}"),
            Some(&dawn.token),
            None,
            &[],
        )
        .await;
        assert_eq!(code_of(&only, 409), "chapter_only");
        let index = app.store().chapter_index(id).await.unwrap();
        assert_eq!(index.iter().map(|c| c.id).collect::<Vec<_>>(), [first]);
    }
}

#[tokio::test]
async fn bookmarks_are_kept_and_private_ones_are_their_owners_alone() {
    for app in apps().await {
        let open = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
        let members = app
            .work(WorkSpec::new("Members Only", "Hidden").restricted())
            .await;
        let dawn = reader(&app, "dawn", true).await;
        let xander = reader(&app, "xander", true).await;
        let dawn_reading = reader(&app, "dawn", false).await;

        let bookmark = |id: i64| format!("/api/v1/works/{id}/bookmark");
        let body = json!({
            "notes": "<p onclick=\"x()\">Lovely <em>lamps</em>.</p><script>alert(2)</script>",
            "tags": ["reread", "funny", "Reread"],
            "rec": true
        });
        let made = call(
            &app,
            "POST",
            &bookmark(open),
            Some(&dawn.token),
            Some(&body),
            &[],
        )
        .await;
        let made = json_of(&made, 201);
        assert_eq!(made["notes"], "<p>Lovely <em>lamps</em>.</p>");
        assert_eq!(made["tags"], json!(["reread", "funny"]));
        assert_eq!(made["rec"], true);
        assert_eq!(made["work"]["title"], "Lantern Keeper");
        let twice = call(
            &app,
            "POST",
            &bookmark(open),
            Some(&dawn.token),
            Some(&body),
            &[],
        )
        .await;
        assert_eq!(code_of(&twice, 409), "bookmark_exists");
        let guest_work = json_of(&app.get(&format!("/api/v1/works/{open}")).await, 200);
        assert_eq!(guest_work["work"]["stats"]["bookmarks"], 1);

        let private = json!({"notes": "Just mine", "private": true});
        let made = call(
            &app,
            "PUT",
            &bookmark(members),
            Some(&dawn.token),
            Some(&private),
            &[],
        )
        .await;
        assert_eq!(json_of(&made, 201)["private"], true);
        let changed = json!({"tags": ["lamps"]});
        let changed = call(
            &app,
            "PUT",
            &bookmark(open),
            Some(&dawn.token),
            Some(&changed),
            &[],
        )
        .await;
        let changed = json_of(&changed, 200);
        assert_eq!(changed["tags"], json!(["lamps"]));
        assert_eq!(changed["notes"], Value::Null);

        let list = "/api/v1/users/dawn/bookmarks";
        let titles = |page: &Page| -> Vec<String> {
            json_of(page, 200)["bookmarks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["work"]["title"].as_str().unwrap().to_owned())
                .collect()
        };
        let guest = app.get(list).await;
        assert_eq!(titles(&guest), ["Lantern Keeper"]);
        guest.assert_hides("Just mine");
        let other = call(&app, "GET", list, Some(&xander.token), None, &[]).await;
        assert_eq!(titles(&other), ["Lantern Keeper"]);
        other.assert_hides("Just mine");
        for token in [&dawn.token, &dawn_reading.token] {
            let own = call(&app, "GET", list, Some(token), None, &[]).await;
            assert_eq!(titles(&own), ["Members Only", "Lantern Keeper"]);
            assert_eq!(own.header("cache-control"), Some("private, no-store"));
        }

        let long = json!({"tags": ["t".repeat(151)]});
        let refused = call(
            &app,
            "PUT",
            &bookmark(open),
            Some(&dawn.token),
            Some(&long),
            &[],
        )
        .await;
        assert_eq!(code_of(&refused, 422), "tag_too_long");
        let comma = json!({"tags": ["a, b"]});
        let refused = call(
            &app,
            "PUT",
            &bookmark(open),
            Some(&dawn.token),
            Some(&comma),
            &[],
        )
        .await;
        assert_eq!(code_of(&refused, 422), "tag_comma");

        let gone = call(
            &app,
            "DELETE",
            &bookmark(open),
            Some(&dawn.token),
            None,
            &[],
        )
        .await;
        assert_eq!(gone.status, 204, "{}", gone.body);
        let again = call(
            &app,
            "DELETE",
            &bookmark(open),
            Some(&dawn.token),
            None,
            &[],
        )
        .await;
        assert_eq!(code_of(&again, 404), "bookmark_not_found");
        let guest_work = json_of(&app.get(&format!("/api/v1/works/{open}")).await, 200);
        assert_eq!(guest_work["work"]["stats"]["bookmarks"], 0);
        // A guest cannot reach the restricted work to bookmark it, nor its bookmark.
        let refused = call(&app, "DELETE", &bookmark(members), None, None, &[]).await;
        assert_eq!(code_of(&refused, 401), "token_required");
        assert_eq!(app.get("/api/v1/users/nobody/bookmarks").await.status, 404);
        assert_eq!(dawn.login, "dawn");
    }
}

#[tokio::test]
async fn a_creators_works_take_the_listing_filters() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        let mut maps = new_work("The Map", true);
        maps["freeforms"] = json!(["Maps"]);
        let mut atlas = new_work("The Atlas", true);
        atlas["freeforms"] = json!(["Atlases"]);
        atlas["rating"] = json!("General Audiences");
        for body in [&maps, &atlas] {
            let made = call(
                &app,
                "POST",
                "/api/v1/works",
                Some(&dawn.token),
                Some(body),
                &[],
            )
            .await;
            assert_eq!(made.status, 201, "{}", made.body);
        }
        // Another creator's work with the same tag stays out of dawn's list.
        app.work(WorkSpec::new("Elsewhere", "Far").tagged("Maps"))
            .await;
        let titles = |page: &Page| -> Vec<String> {
            json_of(page, 200)["works"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["title"].as_str().unwrap().to_owned())
                .collect()
        };
        let all = app.get("/api/v1/users/dawn/works?sort=title").await;
        assert_eq!(titles(&all), ["The Atlas", "The Map"]);
        assert_eq!(titles(&app.get("/api/v1/users/dawn/works").await).len(), 2);
        let tagged = app.get("/api/v1/users/dawn/works?freeform=Maps").await;
        assert_eq!(titles(&tagged), ["The Map"]);
        let rated = app
            .get("/api/v1/users/dawn/works?rating=General%20Audiences&sort=title")
            .await;
        assert_eq!(titles(&rated), ["The Atlas"]);
        let none = app.get("/api/v1/users/dawn/works?freeform=Nothing").await;
        assert!(titles(&none).is_empty());
        let bad = app.get("/api/v1/users/dawn/works?sort=sideways").await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert_eq!(app.get("/api/v1/users/nobody/works").await.status, 404);
    }
}

#[tokio::test]
async fn a_work_is_credited_to_the_pseud_its_poster_names_and_no_other() {
    for app in apps().await {
        let dawn = reader(&app, "dawn", true).await;
        app.store()
            .create_pseud(
                dawn.id,
                &quire_store::PseudForm {
                    name: "Wren Ashdown".into(),
                    description: None,
                },
            )
            .await
            .unwrap();
        reader(&app, "odile", true).await;
        let post = |pseud: &str| {
            let mut body = new_work("The Map", true);
            body["pseud"] = json!(pseud);
            body
        };

        // Named in any case: credited to it.
        let made = call(
            &app,
            "POST",
            "/api/v1/works",
            Some(&dawn.token),
            Some(&post("wren ashdown")),
            &[],
        )
        .await;
        let made = json_of(&made, 201);
        assert_eq!(made["work"]["authors"], json!(["Wren Ashdown"]));
        let id = made["work"]["id"].as_i64().unwrap();

        // A pseud that is not hers, another user's or nobody's: a 400 saying so, nothing made.
        for other in ["odile", "Nobody"] {
            let refused = call(
                &app,
                "POST",
                "/api/v1/works",
                Some(&dawn.token),
                Some(&post(other)),
                &[],
            )
            .await;
            assert_eq!(code_of(&refused, 400), "body_invalid");
            assert!(
                refused
                    .body
                    .contains(&format!("you have no pseud called “{other}”")),
                "{}",
                refused.body
            );
        }
        assert_eq!(works_of(&app, dawn.id).await, (1, 0));

        // A change names another of hers; an unknown one changes nothing at all.
        let path = format!("/api/v1/works/{id}");
        let changed = call(
            &app,
            "PATCH",
            &path,
            Some(&dawn.token),
            Some(&json!({"pseud": "dawn"})),
            &[],
        )
        .await;
        assert_eq!(json_of(&changed, 200)["work"]["authors"], json!(["dawn"]));
        let refused = call(
            &app,
            "PATCH",
            &path,
            Some(&dawn.token),
            Some(&json!({"pseud": "odile", "title": "Not Saved"})),
            &[],
        )
        .await;
        assert_eq!(code_of(&refused, 400), "body_invalid");
        let now = json_of(&app.get(&path).await, 200);
        assert_eq!(now["work"]["authors"], json!(["dawn"]));
        assert_eq!(now["work"]["title"], "The Map");
        let page = app.get(&format!("/works/{id}")).await;
        page.assert_shows(r#"<a rel="author" href="/users/dawn">dawn</a>"#);
    }
}
