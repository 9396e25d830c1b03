//! The operators' endpoints: `/healthz`, `/readyz` and `/metrics`, as a supervisor, a load
//! balancer and Prometheus read them. (Their behaviour with the database down is checked on
//! real nodes by `crates/cli/tests/cluster`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{TestApp, WorkSpec};

/// The value of the first sample of `metrics` whose name and labels start with `series`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|line| line.starts_with(series))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn readiness_names_each_check_once_the_node_has_caught_up() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Ready", "Text.")).await;
    app.indexed().await;
    let mut page = app.get("/readyz").await;
    // The page cache's follower reads the outbox on its own clock.
    for _ in 0..100 {
        if page.status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        page = app.get("/readyz").await;
    }
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("database: ok");
    page.assert_shows("outbox: ok (applied ");
    page.assert_shows("search index: ok (applied ");
    assert_eq!(page.header("cache-control"), Some("no-store"));

    let alive = app.get("/healthz").await;
    assert_eq!((alive.status, alive.body.as_str()), (200, "ok\n"));
}

#[tokio::test]
async fn a_node_whose_followers_have_not_caught_up_is_not_ready() {
    // The router alone, without `serve`'s followers: a node that has not read the outbox yet
    // and whose search index has never been built.
    let db = quire_store::testing::TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let search = quire_web::Search::open(&dir.path().join("search-index")).unwrap();
    let state = quire_web::AppState::new(std::sync::Arc::clone(&db.store)).with_search(search);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, quire_web::router(state)).await });

    let response = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    let body = response.text().await.unwrap();
    assert!(body.contains("database: ok"), "{body}");
    assert!(body.contains("outbox: not read yet"), "{body}");
    assert!(body.contains("search index: building"), "{body}");
    let alive = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(alive.status(), 200, "alive all the same");
}

#[tokio::test]
async fn metrics_count_requests_by_route_status_and_cache_outcome() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Counted", "Text.")).await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/works/{id}")).await.status, 200);
    }
    assert_eq!(app.get("/no/such/page/9f2c").await.status, 404);

    let page = app.get("/metrics").await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        page.header("content-type")
    );
    let metrics = &page.body;
    let works_ok = r#"quire_http_requests_total{route="/works/{id}",method="GET",status="200"}"#;
    assert_eq!(sample(metrics, works_ok), Some(3.0), "{metrics}");
    // Paths no route serves share one series, whatever they are.
    let unmatched = r#"quire_http_requests_total{route="unmatched",method="GET",status="404"}"#;
    assert_eq!(sample(metrics, unmatched), Some(1.0), "{metrics}");
    assert!(!metrics.contains("9f2c"));
    let latency = r#"quire_http_request_duration_seconds_count{route="/works/{id}"}"#;
    assert_eq!(sample(metrics, latency), Some(3.0), "{metrics}");
    // The first view rendered the page and kept it; the others came from memory, unless a
    // follower dropped it meanwhile (the new work's change can reach it after the first view).
    let hits = sample(metrics, r#"quire_page_cache_requests_total{outcome="hit"}"#).unwrap();
    let misses = sample(
        metrics,
        r#"quire_page_cache_requests_total{outcome="miss"}"#,
    )
    .unwrap();
    assert_eq!(hits + misses, 3.0, "{metrics}");
    assert!(hits >= 1.0, "{metrics}");
    let kept = sample(metrics, "quire_page_cache_bytes ").unwrap();
    assert!(kept > 1_000.0, "the work page is kept: {metrics}");
    assert_eq!(
        sample(metrics, "quire_database_up "),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(sample(metrics, "quire_search_index_ready "), Some(1.0));
    let head = sample(metrics, "quire_outbox_head_seq ").unwrap();
    assert!(head >= 1.0, "{metrics}");
    let lag = r#"quire_outbox_lag_changes{follower="search_index"}"#;
    assert_eq!(sample(metrics, lag), Some(0.0), "{metrics}");
    assert_eq!(
        sample(metrics, r#"quire_db_pool_connections_max{pool="write"}"#),
        Some(1.0),
        "SQLite has one writer: {metrics}"
    );
    assert!(metrics.trim_end().ends_with("# EOF"));
}

#[tokio::test]
async fn metrics_count_the_changes_a_node_followed() {
    let app = TestApp::start().await;
    let page = app.get("/metrics").await;
    let before = sample(
        &page.body,
        r#"quire_outbox_changes_total{entity="work",op="create"}"#,
    )
    .unwrap_or(0.0);
    for title in ["One", "Two"] {
        app.work(WorkSpec::new(title, "Text.")).await;
    }
    let series = r#"quire_outbox_changes_total{entity="work",op="create"}"#;
    for _ in 0..100 {
        let metrics = app.get("/metrics").await.body;
        if sample(&metrics, series) == Some(before + 2.0) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!(
        "the follower did not count two new works:\n{}",
        app.get("/metrics").await.body
    );
}
