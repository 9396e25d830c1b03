//! A node whose search index is missing, corrupt or busy still answers: plain listings come
//! from the database, the rest say the index is rebuilding (503, never a 500), and once the
//! index is rebuilt every listing is back. Over real HTTP, on SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_store::testing::TestDb;
use quire_web::ServeOptions;
use support::{TestApp, WorkSpec};

#[tokio::test]
async fn listings_answer_from_the_database_while_the_index_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("search-index");
    // Another writer holds the index, so the server cannot rebuild it until that one lets go.
    let (holder, _) = quire_search::SearchIndex::open(&index_dir).unwrap();
    holder.clear(false).unwrap();
    let app =
        TestApp::start_with_index(TestDb::sqlite().await, ServeOptions::default(), &index_dir)
            .await
            .without_index_wait();
    app.work(WorkSpec::new("Open Letter", "Text.")).await;

    for path in [
        "/",
        "/works",
        "/tags/Lanterns%20of%20Hollowmere/works",
        "/tags/Lanterns%20of%20Hollowmere/works?page=1",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        page.assert_shows("Open Letter");
    }
    app.get("/works")
        .await
        .assert_shows("The search index is rebuilding");
    let fandoms = app.get("/fandoms").await;
    fandoms.assert_shows(">Lanterns of Hollowmere</a> (1)");
    let tag = app.get("/tags/Lanterns%20of%20Hollowmere").await;
    assert_eq!(tag.status, 200);
    tag.assert_shows("This tag belongs to the Fandom category.");
    for path in [
        "/works?sort=kudos",
        "/works/search?q=letter",
        "/tags/Lanterns%20of%20Hollowmere/works?complete=true",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 503, "{path}");
        page.assert_shows("The search index is rebuilding");
        page.assert_shows("search_rebuilding");
    }
    // Bad input is still bad input.
    assert_eq!(app.get("/works?sort=nonsense").await.status, 400);

    drop(holder);
    app.indexed().await;
    let page = app.get("/works?sort=kudos").await;
    assert_eq!(page.status, 200);
    page.assert_shows("Open Letter");
    page.assert_hides("The search index is rebuilding");
    app.get("/works")
        .await
        .assert_hides("The search index is rebuilding");
}

#[tokio::test]
async fn a_corrupt_index_is_rebuilt_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("search-index");
    std::fs::create_dir_all(&index_dir).unwrap();
    std::fs::write(index_dir.join("meta.json"), b"{ not an index").unwrap();
    let app =
        TestApp::start_with_index(TestDb::sqlite().await, ServeOptions::default(), &index_dir)
            .await;
    app.work(WorkSpec::new("Open Letter", "Text.")).await;
    let page = app.get("/works/search?q=letter").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("1 Found");
    page.assert_shows("Open Letter");
    let meta = std::fs::read_to_string(index_dir.join("meta.json")).unwrap();
    assert!(meta.starts_with('{') && meta.contains("segments"), "{meta}");
}
