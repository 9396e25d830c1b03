//! The JSON API over real HTTP, as a client sees it: shapes, cursors, the visibility rule,
//! errors with stable codes, ETags, CORS and the rate limit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Rating;
use quire_core::work::NewSource;
use quire_store::NewSeries;
use serde_json::Value;
use support::{Page, TestApp, WorkSpec};

/// The body as JSON, after checking the status and content type.
#[track_caller]
fn json(page: &Page, status: u16) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(page.header("content-type"), Some("application/json"));
    serde_json::from_str(&page.body).expect("JSON")
}

/// Asserts an error response: its status, and its stable code in `{"error": {"code"}}`.
#[track_caller]
fn error(page: &Page, status: u16, code: &str) {
    let body = json(page, status);
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

fn titles(list: &Value) -> Vec<&str> {
    list["works"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_works_list_goes_on_by_cursor_and_holds_only_what_a_guest_may_see() {
    let app = TestApp::start().await;
    const TITLES: [&str; 23] = [
        "W00", "W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W09", "W10", "W11", "W12",
        "W13", "W14", "W15", "W16", "W17", "W18", "W19", "W20", "W21", "W22",
    ];
    for title in TITLES {
        app.work(WorkSpec::new(title, "Text.")).await;
    }
    app.work(WorkSpec::new("Members Only", "Hidden.").restricted())
        .await;
    app.work(WorkSpec::new("Unfinished Draft", "Hidden.").draft())
        .await;
    let first = json(&app.get("/api/v1/works").await, 200);
    assert_eq!(titles(&first).len(), 20);
    assert_eq!(titles(&first)[0], "W22", "newest first");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = json(
        &app.get(&format!("/api/v1/works?cursor={cursor}")).await,
        200,
    );
    assert_eq!(titles(&second), ["W02", "W01", "W00"]);
    assert_eq!(second["next_cursor"], Value::Null);
    // The work JSON of DESIGN.md.
    let work = &second["works"][2];
    assert_eq!(work["rating"], "General Audiences");
    assert_eq!(work["fandoms"][0], "Lanterns of Hollowmere");
    assert_eq!(work["relationships"][0], "Mira/Tomas");
    assert_eq!(work["stats"]["kudos"], 0);
}

#[tokio::test]
async fn the_works_list_takes_every_filter_and_sort_of_the_works_page() {
    let app = TestApp::start().await;
    for title in ["Cinders", "Ashes", "Embers"] {
        app.work(WorkSpec::new(title, "Text.")).await;
    }
    app.work(WorkSpec::new("Night Market", "Text.").rated(quire_core::Rating::Explicit))
        .await;
    app.work(WorkSpec::new("Hidden Stall", "Text.").restricted())
        .await;
    let list = |path: &str| {
        let path = path.to_owned();
        let app = &app;
        async move { json(&app.get(&path).await, 200) }
    };
    assert_eq!(
        titles(&list("/api/v1/works?sort=title&order=asc").await),
        ["Ashes", "Cinders", "Embers", "Night Market"]
    );
    assert_eq!(
        titles(&list("/api/v1/works?rating=explicit").await),
        ["Night Market"]
    );
    assert_eq!(
        titles(&list("/api/v1/works?not_rating=Explicit&sort=title&order=desc").await),
        ["Embers", "Cinders", "Ashes"]
    );
    assert_eq!(titles(&list("/api/v1/works?q=cinders").await), ["Cinders"]);
    // A tag's works take the same filters.
    assert_eq!(
        titles(
            &list("/api/v1/tags/Lanterns%20of%20Hollowmere/works?not_rating=Explicit&sort=title&order=asc")
                .await
        ),
        ["Ashes", "Cinders", "Embers"]
    );
    // The same filters as the page, and the same refusals.
    error(
        &app.get("/api/v1/works?fandom=Lanterns&not_fandom=Lanterns")
            .await,
        400,
        "query_contradiction",
    );
}

#[tokio::test]
async fn malformed_parameters_are_400_with_a_stable_code() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Text.")).await;
    for (path, code) in [
        ("/api/v1/works?cursor=zzz", "parameter_invalid"),
        ("/api/v1/works?cursor=p1", "parameter_invalid"),
        ("/api/v1/works?cursor=p02", "parameter_invalid"),
        ("/api/v1/works?page=2", "parameter_invalid"),
        ("/api/v1/works?sort=", "parameter_invalid"),
        ("/api/v1/works?sort=sideways", "query_invalid_value"),
        ("/api/v1/works?words_from=ten", "query_invalid_value"),
        ("/api/v1/works?nope=1", "query_unknown_parameter"),
        ("/api/v1/works?view_adult=yes", "parameter_invalid"),
        ("/api/v1/works/abc", "parameter_invalid"),
        ("/api/v1/works/0", "parameter_invalid"),
        ("/api/v1/series/-1", "parameter_invalid"),
        ("/api/v1/fandoms?x=1", "parameter_unknown"),
    ] {
        let _context = path;
        error(&app.get(path).await, 400, code);
    }
}

#[tokio::test]
async fn unknown_and_invisible_things_are_404_json() {
    let app = TestApp::start().await;
    let restricted = app
        .work(WorkSpec::new("Members Only", "Hidden text.").restricted())
        .await;
    let draft = app
        .work(WorkSpec::new("Unfinished Draft", "Hidden text.").draft())
        .await;
    for id in [restricted, draft, 987_654] {
        error(
            &app.get(&format!("/api/v1/works/{id}")).await,
            404,
            "work_not_found",
        );
        let chapters = app.store().chapter_index(id).await.unwrap();
        let chapter = chapters.first().map_or(1, |c| c.id);
        let path = format!("/api/v1/works/{id}/chapters/{chapter}?view_adult=true");
        error(&app.get(&path).await, 404, "work_not_found");
    }
    error(
        &app.get("/api/v1/tags/Mira*s*Tomas").await,
        404,
        "tag_not_found",
    );
    error(
        &app.get("/api/v1/tags/Nowhere/works").await,
        404,
        "tag_not_found",
    );
    error(
        &app.get("/api/v1/users/wren_ashdown").await,
        404,
        "user_not_found",
    );
    error(
        &app.get("/api/v1/users/nobody/works").await,
        404,
        "user_not_found",
    );
    error(&app.get("/api/v1/series/12").await, 404, "series_not_found");
    error(
        &app.get("/api/v1/nothing-here").await,
        404,
        "route_not_found",
    );
    let fandoms = json(&app.get("/api/v1/fandoms").await, 200);
    assert_eq!(fandoms["fandoms"], Value::Array(vec![]));
    let list = app.get("/api/v1/works").await;
    list.assert_hides("Members Only");
    list.assert_hides("Unfinished Draft");
}

#[tokio::test]
async fn a_work_lists_its_posted_chapters_and_an_adult_works_text_needs_consent() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Night Market", "")
                .rated(Rating::Explicit)
                .chapters(vec![
                    (Some("Stalls"), "Open stalls."),
                    (None, "Closed stalls."),
                ])
                .with_unposted_last_chapter(),
        )
        .await;
    let index = app.store().chapter_index(id).await.unwrap();
    let work = json(&app.get(&format!("/api/v1/works/{id}")).await, 200);
    assert_eq!(work["work"]["title"], "Night Market");
    assert_eq!(work["work"]["rating"], "Explicit");
    let chapters = work["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 1, "the unposted chapter is not listed");
    assert_eq!(chapters[0]["title"], "Stalls");
    let url = chapters[0]["url"].as_str().unwrap();
    assert_eq!(url, format!("/api/v1/works/{id}/chapters/{}", index[0].id));

    let gated = app.get(url).await;
    error(&gated, 403, "adult_consent_required");
    gated.assert_hides("Open stalls");
    let chapter = json(&app.get(&format!("{url}?view_adult=true")).await, 200);
    assert!(
        chapter["content"]
            .as_str()
            .unwrap()
            .contains("Open stalls.")
    );
    assert_eq!(chapter["position"], 1);
    let unposted = format!(
        "/api/v1/works/{id}/chapters/{}?view_adult=true",
        index[1].id
    );
    error(&app.get(&unposted).await, 404, "chapter_not_found");
    let elsewhere = format!("/api/v1/works/{id}/chapters/987654?view_adult=true");
    error(&app.get(&elsewhere).await, 404, "chapter_not_found");
}

#[tokio::test]
async fn an_imported_chapter_masks_e_mail_addresses() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Salt Letters", "Write to kmarlowe@hollowmere.example soon.").imported(
                NewSource {
                    archive: "Lanterns of Hollowmere".into(),
                    path: "stories/salt.txt".into(),
                    original_id: None,
                    content_hash: "h".into(),
                    fields: vec![("Email".into(), "kmarlowe@hollowmere.example".into())],
                    original_rating: None,
                },
            ),
        )
        .await;
    let chapter = app.store().chapter_index(id).await.unwrap()[0].id;
    let page = app
        .get(&format!("/api/v1/works/{id}/chapters/{chapter}"))
        .await;
    let body = json(&page, 200);
    assert!(
        body["content"]
            .as_str()
            .unwrap()
            .contains("k…@hollowmere.example")
    );
    page.assert_hides("kmarlowe@");
    app.get(&format!("/api/v1/works/{id}"))
        .await
        .assert_hides("kmarlowe@");
}

#[tokio::test]
async fn tags_creators_series_and_fandoms() {
    let app = TestApp::start().await;
    let series = app
        .store()
        .create_series(&NewSeries {
            title: "The Lantern Cycle".into(),
            ..NewSeries::default()
        })
        .await
        .unwrap();
    app.work(WorkSpec::new("First Light", "One.").in_series(series, 1))
        .await;
    app.work(WorkSpec::new("Second Light", "Two.").in_series(series, 2))
        .await;
    app.work(
        WorkSpec::new("Hidden Light", "Three.")
            .in_series(series, 3)
            .restricted(),
    )
    .await;

    let tag = json(&app.get("/api/v1/tags/mira*s*tomas").await, 200);
    assert_eq!(tag["name"], "Mira/Tomas");
    assert_eq!(tag["kind"], "relationship");
    assert_eq!(tag["works"], 2, "the restricted work is not counted");
    assert_eq!(tag["works_url"], "/api/v1/tags/Mira*s*Tomas/works");
    let works = json(&app.get("/api/v1/tags/Mira*s*Tomas/works").await, 200);
    assert_eq!(titles(&works), ["Second Light", "First Light"]);

    let user = json(&app.get("/api/v1/users/wren_ashdown").await, 200);
    assert_eq!(user["pseuds"][0], "Wren Ashdown");
    assert_eq!(user["works"], 2);
    assert_eq!(user["claimed"], false);
    assert_eq!(user["series"][0]["title"], "The Lantern Cycle");
    assert_eq!(user["series"][0]["works"], 2);
    let works = json(&app.get("/api/v1/users/wren_ashdown/works").await, 200);
    assert_eq!(titles(&works), ["Second Light", "First Light"]);

    let detail = json(&app.get(&format!("/api/v1/series/{series}")).await, 200);
    assert_eq!(detail["title"], "The Lantern Cycle");
    assert_eq!(
        titles(&detail),
        ["First Light", "Second Light"],
        "in series order"
    );

    let fandoms = json(&app.get("/api/v1/fandoms").await, 200);
    assert_eq!(fandoms["fandoms"][0]["name"], "Lanterns of Hollowmere");
    assert_eq!(fandoms["fandoms"][0]["works"], 2);
}

#[tokio::test]
async fn responses_carry_etags_and_cors_for_any_origin() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Text.")).await;
    let first = app
        .get_with_headers("/api/v1/works", &[("Origin", "https://reader.example")])
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("access-control-allow-origin"), Some("*"));
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = app
        .get_with_headers("/api/v1/works", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status, 304);

    let preflight = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/works", app.base),
        )
        .header("Origin", "https://reader.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    let allowed = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed.contains("GET"), "{allowed}");
    // Pages are not for other origins.
    let page = app
        .get_with_headers("/", &[("Origin", "https://reader.example")])
        .await;
    assert!(page.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn other_methods_are_405_json() {
    let app = TestApp::start().await;
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/works", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    // The answer names the methods the address does answer.
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn past_the_rate_limit_a_client_is_told_when_to_come_back() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        api_requests_per_minute: 3,
        ..quire_web::ServeOptions::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/fandoms").await.status, 200);
    }
    let limited = app.get("/api/v1/fandoms").await;
    error(&limited, 429, "rate_limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    // The pages are not the API's to limit.
    assert_eq!(app.get("/fandoms").await.status, 200);
}

#[tokio::test]
async fn a_tag_shows_its_wrangling_but_not_tags_only_hidden_works_carry() {
    use quire_store::wrangling::Wrangle;
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Text.").tagged("Fluff"))
        .await;
    app.work(WorkSpec::new("Soft Light", "Text.").tagged("Soft Fluff"))
        .await;
    app.work(
        WorkSpec::new("Hidden Light", "Text.")
            .tagged("Secret Fluff")
            .restricted(),
    )
    .await;
    let store = app.store();
    store
        .wrangle(&Wrangle::MakeCanonical {
            tag: "Fluff".into(),
        })
        .await
        .unwrap();
    for synonym in ["Soft Fluff", "Secret Fluff"] {
        store
            .wrangle(&Wrangle::Merge {
                synonym: synonym.into(),
                canonical: "Fluff".into(),
            })
            .await
            .unwrap();
    }
    let tag = json(&app.get("/api/v1/tags/Fluff").await, 200);
    assert_eq!(tag["canonical"], true);
    assert_eq!(tag["merger"], Value::Null);
    assert_eq!(tag["synonyms"], serde_json::json!(["Soft Fluff"]));
    let synonym = json(&app.get("/api/v1/tags/soft fluff").await, 200);
    assert_eq!(synonym["merger"], "Fluff");
    let hidden = app.get("/api/v1/tags/Secret Fluff").await;
    error(&hidden, 404, "tag_not_found");
    app.get("/api/v1/tags/Fluff").await.assert_hides("Secret");
}
