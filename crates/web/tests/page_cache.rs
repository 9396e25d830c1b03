//! The page cache keeps what a change did not touch: a stream of kudos and hits drops the
//! pages of the works that got them and the listings that show those works, never the rest;
//! and hits are counted once per visitor per work per day, without a write per request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use quire_core::Rating;
use support::browser::Browser;
use support::{TestApp, WorkSpec};

/// The value of one series in `/metrics`.
async fn metric(app: &TestApp, series: &str) -> f64 {
    let body = app.get("/metrics").await.body;
    body.lines()
        .find_map(|line| line.strip_prefix(series))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Waits until both of the node's followers have read every change.
async fn caught_up(app: &TestApp) {
    app.caught_up().await;
}

/// Whether a guest's GET of `path` came from the cache.
async fn from_cache(app: &TestApp, path: &str) -> bool {
    let hit = r#"quire_page_cache_requests_total{outcome="hit"}"#;
    let before = metric(app, hit).await;
    assert_eq!(app.get(path).await.status, 200, "{path}");
    metric(app, hit).await > before
}

async fn guest_kudos(app: &TestApp, work: i64) {
    let response = reqwest::Client::new()
        .post(format!("http://{}/works/{work}/kudos", app.addr()))
        .header("Sec-Fetch-Site", "same-origin")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// An archive of two works under two tags, both followed by the node.
async fn two_works() -> (TestApp, i64, i64) {
    let app = TestApp::start().await;
    let lamps = app
        .work(WorkSpec::new("Lantern Keeper", "The lamps").tagged("Lanterns"))
        .await;
    let tide = app
        .work(WorkSpec::new("Tide Tables", "The sea").tagged("Tides"))
        .await;
    caught_up(&app).await;
    (app, lamps, tide)
}

#[tokio::test]
async fn kudos_drop_only_the_pages_that_show_the_work() {
    let (app, lamps, tide) = two_works().await;
    let pages = [
        format!("/works/{lamps}"),
        format!("/works/{tide}"),
        "/".to_owned(),
        "/tags/Lanterns/works".to_owned(),
        "/tags/Tides/works".to_owned(),
        "/tags/Tides/works?sort=kudos".to_owned(),
    ];
    for page in &pages {
        app.get(page).await;
        assert!(from_cache(&app, page).await, "{page} is cached");
    }

    guest_kudos(&app, lamps).await;
    // The node that took the kudos shows them at once.
    app.get(&format!("/works/{lamps}"))
        .await
        .assert_shows("1 guest left kudos on this work!");
    caught_up(&app).await;

    assert!(from_cache(&app, &format!("/works/{tide}")).await);
    assert!(from_cache(&app, "/tags/Tides/works").await);
    // Listings that show the work were rendered again, with its new count.
    assert!(!from_cache(&app, "/tags/Lanterns/works").await);
    assert!(!from_cache(&app, "/").await);
    app.get("/").await.assert_shows("<dt>Kudos:</dt><dd>1</dd>");
    // So were listings sorted by kudos, where works may have moved (this one cannot hold the
    // work, but the cache does not know which listings could).
    assert!(!from_cache(&app, "/tags/Tides/works?sort=kudos").await);
}

#[tokio::test]
async fn an_edited_work_drops_every_listing_but_not_other_works() {
    let (app, lamps, tide) = two_works().await;
    for page in [format!("/works/{tide}"), "/tags/Tides/works".to_owned()] {
        app.get(&page).await;
    }

    app.store().set_restricted(lamps, true).await.unwrap();
    caught_up(&app).await;
    assert!(from_cache(&app, &format!("/works/{tide}")).await);
    // A restricted work leaves the guests' listings and their counts, which any listing may
    // show.
    assert!(!from_cache(&app, "/tags/Tides/works").await);
    assert_eq!(app.get(&format!("/works/{lamps}")).await.status, 404);
}

async fn hits(app: &TestApp, id: i64) -> i64 {
    app.store().work(id).await.unwrap().unwrap().stats.hits
}

/// Waits until the work's hits are `expected`.
async fn counted(app: &TestApp, id: i64, expected: i64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while hits(app, id).await != expected {
        assert!(
            Instant::now() < deadline,
            "hits stayed at {}",
            hits(app, id).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn hits_count_each_visitor_once_a_day_cached_or_not() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        hits_every: Duration::from_millis(50),
        ..quire_web::ServeOptions::default()
    })
    .await;
    let id = app
        .work(WorkSpec::new("Lantern Keeper", "The lamps").chapters(vec![
            (Some("Dusk"), "The lamps are lit."),
            (Some("Dawn"), "The lamps go out."),
        ]))
        .await;
    let adult = app
        .work(WorkSpec::new("After Dark", "Lamps, later.").rated(Rating::Explicit))
        .await;

    // A guest reads the work, chapter by chapter, then whole, some of it from the cache.
    let chapters = app.store().chapter_index(id).await.unwrap();
    for _ in 0..3 {
        app.get(&format!("/works/{id}")).await.assert_shows("Dusk");
        app.get(&format!("/works/{id}/chapters/{}", chapters[1].id))
            .await
            .assert_shows("go out");
    }
    app.get(&format!("/works/{id}?view_full_work=true")).await;
    counted(&app, id, 1).await;

    // A signed-in reader is another visitor; the chapter index is not a hit.
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    dawn.get(&format!("/works/{id}/navigate")).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hits(&app, id).await, 1);
    dawn.get(&format!("/works/{id}")).await.assert_shows("Dusk");
    dawn.get(&format!("/works/{id}")).await;
    counted(&app, id, 2).await;

    // The adult gate shows no text: no hit until the reader proceeds.
    app.get(&format!("/works/{adult}"))
        .await
        .assert_shows("This work could have adult content");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hits(&app, adult).await, 0);
    app.get(&format!("/works/{adult}?view_adult=true"))
        .await
        .assert_shows("Lamps, later.");
    counted(&app, adult, 1).await;

    // The page shows the count once the change has come round.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !app
        .get(&format!("/works/{id}"))
        .await
        .body
        .contains("<dt>Hits:</dt><dd>2</dd>")
    {
        assert!(
            Instant::now() < deadline,
            "the work page kept its old count"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signed-in readers never get cached pages, but their pages share what listings found and
/// works' rows and chapters in memory: a change shows on their next page, on the node that
/// made it before it answers, and on any node once its follower read the change.
#[tokio::test]
async fn signed_in_readers_see_every_change_at_once() {
    let (app, lamps, tide) = two_works().await;
    let mut reader = Browser::new(&app);
    reader.sign_up("harbour_reader").await;
    for page in ["/", "/tags/Tides/works", "/works"] {
        reader.get(page).await.assert_shows("Tide Tables");
    }
    reader
        .get(&format!("/works/{tide}"))
        .await
        .assert_shows("The sea");

    // Counts: this node's kudos, before it answers.
    guest_kudos(&app, tide).await;
    for page in [
        format!("/works/{tide}"),
        "/".to_owned(),
        "/tags/Tides/works".to_owned(),
    ] {
        reader
            .get(&page)
            .await
            .assert_shows("<dt>Kudos:</dt><dd>1</dd>");
    }

    // Visibility: a change written by another node (here, straight to the store) reaches the
    // reader once the follower read it.
    app.store().set_hidden_by_admin(tide, true).await.unwrap();
    caught_up(&app).await;
    assert_eq!(reader.get(&format!("/works/{tide}")).await.status, 404);
    for page in ["/", "/tags/Tides/works", "/works"] {
        let listing = reader.get(page).await;
        listing.assert_hides("Tide Tables");
        if page != "/tags/Tides/works" {
            listing.assert_shows("Lantern Keeper");
        }
    }
    // A work that joins a listing is found again, not only filtered out of what was found.
    app.store().set_hidden_by_admin(tide, false).await.unwrap();
    app.work(WorkSpec::new("Harbour Lights", "The quay").tagged("Tides"))
        .await;
    caught_up(&app).await;
    for page in ["/", "/tags/Tides/works", "/works"] {
        let listing = reader.get(page).await;
        listing.assert_shows("Tide Tables");
        listing.assert_shows("Harbour Lights");
    }
    app.store().set_hidden_by_admin(lamps, true).await.unwrap();
    caught_up(&app).await;
    reader.get("/").await.assert_hides("Lantern Keeper");
}
