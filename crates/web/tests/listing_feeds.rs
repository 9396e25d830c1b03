//! The feed of any listing (`/works/feed.atom?…`) and tag feeds through the listing service
//! (synonyms, meta tags, filters), over real HTTP against a real search index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Rating;
use support::{Page, TestApp, WorkSpec};

/// The entry titles of a feed, in order, after checking it is one.
#[track_caller]
fn titles(page: &Page) -> Vec<String> {
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let doc = roxmltree::Document::parse(&page.body).expect("well-formed XML");
    doc.root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|entry| {
            entry
                .children()
                .find(|c| c.tag_name().name() == "title")
                .and_then(|t| t.text())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_listing_feed_holds_the_latest_works_its_filters_select_for_a_guest() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Kept Light", "Text.").tagged("Found Family"))
        .await;
    app.work(WorkSpec::new("Other Light", "Text.")).await;
    app.work(
        WorkSpec::new("Ember Night", "Adult text.")
            .tagged("Found Family")
            .rated(Rating::Explicit),
    )
    .await;
    app.work(
        WorkSpec::new("Members Only", "Text.")
            .tagged("Found Family")
            .restricted(),
    )
    .await;
    app.work(
        WorkSpec::new("Unfinished Draft", "Text.")
            .tagged("Found Family")
            .draft(),
    )
    .await;

    let tagged = app.get("/works/feed.atom?freeform=Found+Family").await;
    assert_eq!(titles(&tagged), ["Ember Night", "Kept Light"]);
    assert!(
        tagged
            .body
            .contains("<title>Quire: works in Found Family</title>")
    );
    assert!(
        tagged
            .body
            .contains("/works/feed.atom?freeform=Found+Family\"/>"),
        "the self link: {}",
        tagged.body
    );
    assert!(!tagged.body.contains("Adult text"));
    let general = app
        .get("/works/feed.atom?freeform=Found+Family&rating=General+Audiences")
        .await;
    assert_eq!(titles(&general), ["Kept Light"]);
    let everything = app.get("/works/feed.atom").await;
    assert_eq!(
        titles(&everything),
        ["Ember Night", "Other Light", "Kept Light"]
    );
    // Filters that match nothing: an empty feed, as the page is empty.
    let nothing = app.get("/works/feed.atom?freeform=Nowhere").await;
    assert!(titles(&nothing).is_empty());

    // The listing links its feed, with its filters but not its sort.
    let page = app.get("/works?freeform=Found+Family&sort=title").await;
    page.assert_shows(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"2 Works\" \
         href=\"/works/feed.atom?freeform=Found+Family\">",
    );
    page.assert_shows(
        "<a href=\"/works/feed.atom?freeform=Found+Family\" type=\"application/atom+xml\">",
    );
}

#[tokio::test]
async fn a_feed_holds_25_works_and_refuses_sorts_pages_and_unknown_parameters() {
    let app = TestApp::start().await;
    const TITLES: [&str; 27] = [
        "W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W09", "W10", "W11", "W12", "W13",
        "W14", "W15", "W16", "W17", "W18", "W19", "W20", "W21", "W22", "W23", "W24", "W25", "W26",
        "W27",
    ];
    for title in TITLES {
        app.work(WorkSpec::new(title, "Text.")).await;
    }
    let feed = titles(&app.get("/works/feed.atom").await);
    let newest: Vec<&str> = TITLES.iter().rev().take(25).copied().collect();
    assert_eq!(feed, newest);
    for path in [
        "/works/feed.atom?page=2",
        "/works/feed.atom?sort=kudos",
        "/works/feed.atom?colour=blue",
        "/works/feed.atom?rating=Very+Explicit",
        "/tags/Mira*s*Tomas/feed.atom?order=asc",
    ] {
        assert_eq!(app.get(path).await.status, 400, "{path}");
    }
}

#[tokio::test]
async fn a_tag_feed_follows_synonyms_meta_tags_and_the_listing_filters() {
    let app = TestApp::start().await;
    let mut graph = quire_search::TagGraph::new();
    graph
        .add_synonym("Mira & Tomas", "Mira/Tomas")
        .add_meta("Hollowmere Pairings", "Mira/Tomas");
    app.search.index().unwrap().set_tag_graph(graph);
    app.work(WorkSpec::new("Lantern Light", "Text.")).await;
    app.work(WorkSpec::new("Ember Night", "Text.").rated(Rating::Mature))
        .await;

    let meta = app.get("/tags/Hollowmere%20Pairings/feed.atom").await;
    assert_eq!(titles(&meta), ["Ember Night", "Lantern Light"]);
    let synonym = app
        .get("/tags/Mira%20&%20Tomas/feed.atom?rating=Mature")
        .await;
    assert_eq!(synonym.status, 308);
    let location = synonym.header("location").unwrap().to_owned();
    assert_eq!(location, "/tags/Mira*s*Tomas/feed.atom?rating=Mature");
    assert_eq!(titles(&app.get(&location).await), ["Ember Night"]);
    // The tag page with filters links the feed with those filters.
    app.get("/tags/Mira*s*Tomas/works?rating=Mature")
        .await
        .assert_shows("href=\"/tags/Mira*s*Tomas/feed.atom?rating=Mature\"");
}

#[tokio::test]
async fn a_listing_feed_answers_conditional_gets() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Light", "Text.")).await;
    let path = "/works/feed.atom?rating=General+Audiences";
    let first = app.get(path).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = app
        .get_with_headers(path, &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}
