//! A signed-in reader's blacklist and saved filters over real HTTP: muted tags and creators
//! leave every listing and count (with "N works hidden" and a way to show them), saved filters
//! keep a listing by name, and nobody else reaches either.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use support::Page;
use support::browser::Browser;
use support::shelf::{shelved_app, titles};

/// The page once the node's index lists what it should (it follows the outbox): not the
/// database's answer while the fresh index is still being built, which has no facet counts.
async fn listing(browser: &mut Browser<'_>, path: &str, expected: &[&str]) -> Page {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = browser.get(path).await;
        let indexed = !page.body.contains("The search index is rebuilding");
        if (page.status == 200 && indexed && titles(&page) == expected) || Instant::now() > deadline
        {
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            assert_eq!(titles(&page), expected, "{path}");
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn muted_tags_and_creators_leave_listings_and_counts_with_a_way_back() {
    let app = shelved_app().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let lanterns = ["Zephyr Notes", "Crossing Paths", "Lantern Keeper"];
    listing(&mut mira, "/tags/Lanterns/works", &lanterns)
        .await
        .assert_shows("Angst (2)");

    let muted = mira
        .submit(
            "/users/mira/muted",
            "/users/mira/muted",
            &[("tag", "angst")],
        )
        .await;
    assert_eq!(muted.status, 303, "{}", muted.body);
    let page = listing(&mut mira, "/tags/Lanterns/works", &["Lantern Keeper"]).await;
    page.assert_shows("1 Works in Lanterns");
    page.assert_shows("2 works hidden by your filters.");
    // The Angst facet is gone from the sidebar's counts too.
    page.assert_hides("Angst (");
    let shown = listing(&mut mira, "/tags/Lanterns/works?show_muted=true", &lanterns).await;
    shown.assert_shows("Your filters are off for this page.");
    // Guests and other readers are not affected.
    let mut guest = Browser::new(&app);
    listing(&mut guest, "/tags/Lanterns/works", &lanterns).await;

    let by_creator = mira
        .submit(
            "/users/mira/muted",
            "/users/mira/muted",
            &[("creator", "wren_ashdown")],
        )
        .await;
    assert_eq!(by_creator.status, 303, "{}", by_creator.body);
    listing(&mut mira, "/works", &[]).await;
    let settings = mira.get("/users/mira/muted").await;
    settings.assert_shows("Angst");
    settings.assert_shows(">wren_ashdown</a>");

    let unknown = mira
        .submit(
            "/users/mira/muted",
            "/users/mira/muted",
            &[("tag", "No Such Tag")],
        )
        .await;
    assert_eq!(unknown.status, 422);
    unknown.assert_shows("There is no tag called “No Such Tag” in this archive.");

    let unmuted = mira
        .submit(
            "/users/mira/muted",
            "/users/mira/muted/remove",
            &[("tag", "Angst")],
        )
        .await;
    assert_eq!(unmuted.status, 303, "{}", unmuted.body);
    let unmuted = mira
        .submit(
            "/users/mira/muted",
            "/users/mira/muted/remove",
            &[("creator", "wren_ashdown")],
        )
        .await;
    assert_eq!(unmuted.status, 303, "{}", unmuted.body);
    listing(&mut mira, "/tags/Lanterns/works", &lanterns).await;
}

#[tokio::test]
async fn a_saved_filter_keeps_a_listing_by_name() {
    let app = shelved_app().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let path = "/tags/Lanterns/works?freeform=Angst&sort=kudos";
    let page = listing(&mut mira, path, &["Crossing Paths", "Zephyr Notes"]).await;
    // The form keeps the whole query, the tag of the page included.
    // (askama writes `&` as `&#38;`)
    let query = "fandom=Lanterns&#38;freeform=Angst&#38;sort=kudos";
    page.assert_shows(&format!("name=\"query\" value=\"{query}\""));
    let saved = mira
        .submit(
            path,
            "/users/mira/filters",
            &[
                ("name", "Sad lanterns"),
                ("query", "fandom=Lanterns&freeform=Angst&sort=kudos"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    // Saved filters are opened from the reader's own page.
    mira.get("/users/mira")
        .await
        .assert_shows("<a href=\"/users/mira/filters\">Saved filters</a>");
    let filters = mira.get("/users/mira/filters").await;
    filters.assert_shows(&format!("<a href=\"/works?{query}\">Sad lanterns</a>"));
    listing(
        &mut mira,
        "/works?fandom=Lanterns&freeform=Angst&sort=kudos",
        &["Crossing Paths", "Zephyr Notes"],
    )
    .await;

    // A query the listings would refuse is refused here too, and nothing is saved.
    let bad = mira
        .submit(
            "/users/mira/filters",
            "/users/mira/filters/delete",
            &[("name", "Nope")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let refused = mira
        .submit(
            path,
            "/users/mira/filters",
            &[("name", "Broken"), ("query", "colour=blue")],
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_shows("colour");
    mira.get("/users/mira/filters").await.assert_hides("Broken");

    // Guests are not offered the form; other readers cannot open Mira's filters or mutes.
    Browser::new(&app)
        .get(path)
        .await
        .assert_hides("Save these filters");
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    assert_eq!(tomas.get("/users/mira/filters").await.status, 403);
    assert_eq!(tomas.get("/users/mira/muted").await.status, 403);
    let removed = mira
        .submit(
            "/users/mira/filters",
            "/users/mira/filters/delete",
            &[("name", "Sad lanterns")],
        )
        .await;
    assert_eq!(removed.status, 303);
    mira.get("/users/mira/filters")
        .await
        .assert_shows("You have no saved filters yet.");
}
