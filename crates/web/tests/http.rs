//! HTTP behaviour around the pages: validators, caching, security headers, compression.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use quire_core::Rating;
use support::{NAVIGATION, TestApp, WorkSpec};

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Headers", "Text.")).await;
    for path in [
        "/".to_owned(),
        format!("/works/{id}"),
        "/nope".to_owned(),
        "/healthz".to_owned(),
    ] {
        let page = app.get(&path).await;
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            page.header("referrer-policy"),
            Some("same-origin"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_page_the_reader_already_has_is_answered_with_304() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Validators", "Text.")).await;
    let path = format!("/works/{id}");
    let first = app.get(&path).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    for _ in 0..2 {
        // The first answer comes from rendering, the second from the cache.
        let again = app
            .get_with_headers(&path, &[("If-None-Match", &etag)])
            .await;
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
    }
    let stale = app
        .get_with_headers(&path, &[("If-None-Match", "W/\"old\"")])
        .await;
    assert_eq!(stale.status, 200);
    stale.assert_shows("Validators");
}

#[tokio::test]
async fn cached_pages_follow_changes_to_the_archive() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("First Work", "Text.")).await;
    // Let the outbox follower start before the home page is cached.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = app.get("/").await;
    before.assert_shows("First Work");
    app.get("/").await.assert_hides("Second Work");
    app.work(WorkSpec::new("Second Work", "Text.")).await;
    let mut shown = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if app.get("/").await.body.contains("Second Work") {
            shown = true;
            break;
        }
    }
    assert!(
        shown,
        "the new work appears once the follower sees the outbox"
    );
}

#[tokio::test]
async fn the_cache_keeps_consenting_and_other_readers_apart() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Late Night", "Adult text.").rated(Rating::Explicit))
        .await;
    let path = format!("/works/{id}");
    let with_cookie = app.get_with(&path, Some("view_adult=true")).await;
    with_cookie.assert_shows("Adult text.");
    let without = app.get(&path).await;
    without.assert_hides("Adult text.");
    without.assert_shows("This work could have adult content");
    // The consent link sets the cookie every time, so it is never answered from the cache.
    let proceed = app
        .get_with_headers(&format!("{path}?view_adult=true"), &NAVIGATION)
        .await;
    assert!(proceed.header("set-cookie").is_some());
    let proceed = app
        .get_with_headers(&format!("{path}?view_adult=true"), &NAVIGATION)
        .await;
    assert!(proceed.header("set-cookie").is_some());
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_asks() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Compressed", "Words words words."))
        .await;
    for encoding in ["gzip", "br"] {
        let page = app
            .get_with_headers(&format!("/works/{id}"), &[("Accept-Encoding", encoding)])
            .await;
        assert_eq!(page.header("content-encoding"), Some(encoding));
    }
    let plain = app.get(&format!("/works/{id}")).await;
    assert_eq!(plain.header("content-encoding"), None);
}

#[tokio::test]
async fn a_kept_page_is_sent_in_the_coding_each_client_asks_for() {
    let app = TestApp::start().await;
    let text: &'static str = "Words words words. ".repeat(200).leak();
    let id = app.work(WorkSpec::new("Kept", text)).await;
    let path = format!("/works/{id}");
    let first = app.get(&path).await;
    let client = reqwest::Client::new();
    for (asked, sent) in [
        ("gzip", Some("gzip")),
        ("gzip, deflate, br", Some("br")),
        ("br;q=0, gzip", Some("gzip")),
        ("identity", None),
    ] {
        let response = client
            .get(format!("{}{path}", app.base))
            .header("Accept-Encoding", asked)
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            let values = response.headers().get_all(name).iter();
            values
                .map(|v| v.to_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let encoding = header("content-encoding");
        assert_eq!(encoding.first().map(String::as_str), sent, "{asked}");
        assert!(
            header("vary")
                .iter()
                .any(|v| v.eq_ignore_ascii_case("accept-encoding"))
        );
        assert_eq!(header("etag"), [first.header("etag").unwrap()], "{asked}");
        assert!(!header("content-security-policy").is_empty(), "{asked}");
        let bytes = response.bytes().await.unwrap();
        let mut text = Vec::new();
        match sent {
            Some("gzip") => {
                let mut decoder = flate2::read::GzDecoder::new(&bytes[..]);
                std::io::Read::read_to_end(&mut decoder, &mut text).unwrap();
            }
            Some("br") => {
                let mut decoder = brotli::Decompressor::new(&bytes[..], 4096);
                std::io::Read::read_to_end(&mut decoder, &mut text).unwrap();
            }
            _ => text = bytes.to_vec(),
        }
        assert_eq!(String::from_utf8(text).unwrap(), first.body, "{asked}");
    }
}

#[tokio::test]
async fn the_stylesheet_is_versioned_and_immutable() {
    let app = TestApp::start().await;
    let home = app.get("/").await;
    let start = home
        .body
        .find("href=\"/static/")
        .expect("a stylesheet link")
        + 6;
    let url = &home.body[start..start + home.body[start..].find('"').unwrap()];
    assert!(url.ends_with("/style.css"), "{url}");
    let css = app.get(url).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        app.get("/static/0000000000000000/style.css").await.status,
        404
    );
}
