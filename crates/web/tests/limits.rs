//! What a request may cost: query parameters each page accepts, slow and idle connections,
//! and error pages with stable codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use support::{TestApp, WorkSpec};

#[tokio::test]
async fn every_page_refuses_unknown_parameters_and_names_the_accepted_ones() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Seven Bells", "").chapters(vec![(None, "One."), (None, "Two.")]))
        .await;
    let chapter = app.store().chapter_index(id).await.unwrap()[1].id;
    let series = "/series/1"; // unknown ids still check their parameters first
    for (path, accepted) in [
        ("/".to_owned(), "`page`"),
        ("/fandoms".to_owned(), "no parameters"),
        (
            format!("/works/{id}"),
            "`view_full_work`, `style`, `show_muted`, `view_adult`",
        ),
        (format!("/works/{id}/navigate"), "`view_adult`"),
        (
            format!("/works/{id}/chapters/{chapter}"),
            "`style`, `show_muted`, `view_adult`",
        ),
        ("/tags/Hurt*s*Comfort".to_owned(), "no parameters"),
        ("/users/wren_ashdown".to_owned(), "`page`"),
        (series.to_owned(), "no parameters"),
    ] {
        for n in 1..=2 {
            let page = app.get(&format!("{path}?x={n}")).await;
            assert_eq!(page.status, 400, "{path}?x={n}");
            page.assert_shows("does not take the parameter `x`");
            page.assert_shows(accepted);
            page.assert_shows("<code>parameter_unknown</code>");
        }
    }
    // Listings take the filter parameters (README, "Reading").
    for path in ["/tags/Hurt*s*Comfort/works", "/works", "/works/search"] {
        let page = app.get(&format!("{path}?x=1")).await;
        assert_eq!(page.status, 400, "{path}?x=1");
        page.assert_shows("unknown search parameter: x");
        page.assert_shows("<code>query_unknown_parameter</code>");
    }
}

#[tokio::test]
async fn spellings_of_one_page_are_one_page() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Seven Bells", "Text.")).await;
    let plain = app.get(&format!("/works/{id}?style=disable")).await;
    assert_eq!(plain.status, 200);
    for variant in [
        format!("/works/{id}?st%79le=disable"),
        format!("/works/{id}?style=disable&"),
        percent_encoded_last_digit(&format!("/works/{id}"), "?style=disable"),
    ] {
        let page = app.get(&variant).await;
        assert_eq!(page.status, 200, "{variant}");
        assert_eq!(page.header("etag"), plain.header("etag"), "{variant}");
    }
    for bad in [
        format!("/works/0{id}"),
        format!("/works/+{id}"),
        format!("/works/{id}?style=disable&style=disable"),
        format!("/works/{id}?view_adult=1"),
        "/?page=01".to_owned(),
    ] {
        let page = app.get(&bad).await;
        assert_eq!(page.status, 400, "{bad}");
    }
    let page = app.get("/?page=5001").await;
    assert_eq!(page.status, 400);
    page.assert_shows("<code>page_out_of_range</code>");
}

/// `/works/15` → `/works/1%35`.
fn percent_encoded_last_digit(path: &str, query: &str) -> String {
    let (head, last) = path.split_at(path.len() - 1);
    format!("{head}%3{last}{query}")
}

#[tokio::test]
async fn another_spelling_of_a_tag_leads_to_its_one_address() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Seven Bells", "Text.")).await;
    let page = app.get("/tags/hurt*s*comfort/works?page=2").await;
    assert_eq!(page.status, 308);
    assert_eq!(
        page.header("location"),
        Some("/tags/Hurt*s*Comfort/works?page=2")
    );
    assert_eq!(app.get("/tags/Hurt*s*Comfort/works").await.status, 200);
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        header_read_timeout: Duration::from_millis(500),
        ..quire_web::ServeOptions::default()
    })
    .await;
    let started = Instant::now();
    // Headers that never end, and a connection that never says anything.
    let partial = app
        .raw(
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a",
            Duration::from_secs(10),
        )
        .await;
    assert!(started.elapsed() < Duration::from_secs(5), "{partial}");
    assert!(!partial.contains("200 OK"), "{partial}");
    let started = Instant::now();
    app.raw(b"", Duration::from_secs(10)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "an idle connection is closed"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        header_read_timeout: Duration::from_millis(500),
        ..quire_web::ServeOptions::default()
    })
    .await;
    let started = Instant::now();
    let answer = app
        .raw(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            Duration::from_secs(10),
        )
        .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "{answer}");
}

#[tokio::test]
async fn error_pages_carry_stable_codes() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Seven Bells", "Text.")).await;
    for (path, status, code) in [
        ("/works/999999".to_owned(), 404, "work_not_found"),
        (
            format!("/works/{id}/chapters/999999"),
            404,
            "chapter_not_found",
        ),
        (
            "/tags/Nothing%20Here/works".to_owned(),
            404,
            "tag_not_found",
        ),
        ("/users/nobody".to_owned(), 404, "user_not_found"),
        ("/series/999999".to_owned(), 404, "series_not_found"),
        ("/no/such/page".to_owned(), 404, "route_not_found"),
        ("/works/abc".to_owned(), 400, "parameter_invalid"),
        (format!("/works/{id}?style=loud"), 400, "parameter_invalid"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, status, "{path}");
        page.assert_shows(&format!("<code>{code}</code>"));
    }
}
