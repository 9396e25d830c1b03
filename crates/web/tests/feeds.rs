//! Atom feeds over real HTTP: what a feed reader gets for a tag, a creator and a series, with
//! conditional GETs, and nothing a guest may not see.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Rating;
use quire_store::NewSeries;
use support::{Page, TestApp, WorkSpec};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The feed parsed: entry titles, in order, and the whole document for further checks.
struct ParsedFeed {
    titles: Vec<String>,
    text: String,
}

/// Parses a feed, asserting the elements RFC 4287 requires of the feed and of every entry.
#[track_caller]
fn parse(page: &Page) -> ParsedFeed {
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let doc = roxmltree::Document::parse(&page.body).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    for name in ["id", "title", "updated", "author"] {
        assert!(child(feed, name).is_some(), "feed lacks <{name}>");
    }
    let mut titles = Vec::new();
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        for name in ["id", "title", "updated", "published", "summary", "link"] {
            assert!(child(entry, name).is_some(), "entry lacks <{name}>");
        }
        let id = child(entry, "id").unwrap().text().unwrap();
        assert!(id.starts_with("http://127.0.0.1:"), "{id}");
        titles.push(child(entry, "title").unwrap().text().unwrap().to_owned());
    }
    ParsedFeed {
        titles,
        text: page.body.clone(),
    }
}

/// The Atom child element `name` of `node`.
fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
}

#[tokio::test]
async fn a_tag_feed_lists_what_a_guest_may_see_newest_first() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Open text.")).await;
    app.work(WorkSpec::new("Ember Night", "Adult text.").rated(Rating::Explicit))
        .await;
    app.work(WorkSpec::new("Members Only", "Restricted text.").restricted())
        .await;
    app.work(WorkSpec::new("Unfinished Draft", "Draft text.").draft())
        .await;
    let feed = parse(&app.get("/tags/Mira*s*Tomas/feed.atom").await);
    assert_eq!(feed.titles, ["Ember Night", "Lantern Light"]);
    // The blurb of an adult work, never its text; nothing of the hidden ones.
    assert!(
        feed.text.contains("Summary of Ember Night."),
        "{}",
        feed.text
    );
    for hidden in [
        "Adult text",
        "Open text",
        "Members Only",
        "Unfinished Draft",
    ] {
        assert!(!feed.text.contains(hidden), "{hidden}: {}", feed.text);
    }
    assert!(feed.text.contains("<category term=\"Mira/Tomas\""));
    assert!(feed.text.contains("<name>Wren Ashdown</name>"));
    // The summary is HTML carried as escaped text.
    assert!(feed.text.contains("<summary type=\"html\">&lt;p&gt;by"));
}

#[tokio::test]
async fn the_tag_page_names_its_feed_and_other_spellings_of_the_tag_lead_to_it() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Open text.")).await;
    let page = app.get("/tags/Mira*s*Tomas/works").await;
    page.assert_shows(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"1 Works in Mira/Tomas\" \
         href=\"/tags/Mira*s*Tomas/feed.atom\">",
    );
    let moved = app.get("/tags/mira*s*tomas/feed.atom").await;
    assert_eq!(moved.status, 308);
    assert_eq!(
        moved.header("location"),
        Some("/tags/Mira*s*Tomas/feed.atom")
    );
}

#[tokio::test]
async fn unknown_and_guest_invisible_feeds_are_404() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Members Only", "Restricted text.").restricted())
        .await;
    for path in [
        "/tags/Nowhere/feed.atom",
        "/tags/Mira*s*Tomas/feed.atom",
        "/users/wren_ashdown/works/feed.atom",
        "/users/nobody/works/feed.atom",
        "/series/999/feed.atom",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        page.assert_hides("Members Only");
    }
    let bad = app.get("/series/x/feed.atom").await;
    assert_eq!(bad.status, 400);
    let unknown_param = app.get("/tags/Mira*s*Tomas/feed.atom?page=2").await;
    assert_eq!(unknown_param.status, 400);
}

#[tokio::test]
async fn creator_and_series_feeds_hold_their_works() {
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
    let by_creator = parse(&app.get("/users/wren_ashdown/works/feed.atom").await);
    assert_eq!(by_creator.titles, ["Second Light", "First Light"]);
    let in_series = parse(&app.get(&format!("/series/{series}/feed.atom")).await);
    assert_eq!(in_series.titles, ["Second Light", "First Light"]);
    assert!(
        in_series
            .text
            .contains("<title>Quire: The Lantern Cycle</title>")
    );
    app.get(&format!("/series/{series}"))
        .await
        .assert_shows(&format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"The Lantern Cycle\" \
         href=\"/series/{series}/feed.atom\">"
        ));
    app.get("/users/wren_ashdown").await.assert_shows(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Works by wren_ashdown\" \
         href=\"/users/wren_ashdown/works/feed.atom\">",
    );
}

#[tokio::test]
async fn titles_and_summaries_are_escaped_into_well_formed_xml() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Salt & <Smoke> \"1\"", "Text."))
        .await;
    let feed = parse(&app.get("/tags/Mira*s*Tomas/feed.atom").await);
    assert_eq!(feed.titles, ["Salt & <Smoke> \"1\""]);
}

#[tokio::test]
async fn feeds_answer_conditional_gets_with_304() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Open text.")).await;
    let path = "/tags/Mira*s*Tomas/feed.atom";
    let first = app.get(path).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let modified = first
        .header("last-modified")
        .expect("a Last-Modified")
        .to_owned();
    assert!(
        !first
            .header("vary")
            .is_some_and(|v| v.to_ascii_lowercase().contains("cookie")),
        "the same for every reader"
    );
    let by_etag = app
        .get_with_headers(path, &[("If-None-Match", &etag)])
        .await;
    assert_eq!(by_etag.status, 304);
    assert!(by_etag.body.is_empty());
    let by_date = app
        .get_with_headers(path, &[("If-Modified-Since", &modified)])
        .await;
    assert_eq!(by_date.status, 304);
    // A new work changes the feed: the old validators no longer match.
    app.work(WorkSpec::new("Second Lantern", "More text."))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let changed = app
        .get_with_headers(path, &[("If-None-Match", &etag)])
        .await;
    assert_eq!(changed.status, 200);
    assert_eq!(parse(&changed).titles.len(), 2);
}
