//! Attacks on what guests are shown: a poisoned page cache, consent granted by embedded
//! content, tracking images, and what HTTPS deployments ask for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use quire_core::Rating;
use support::{NAVIGATION, TestApp, WorkSpec};

#[tokio::test]
async fn an_absolute_form_request_cannot_poison_the_gate_for_other_guests() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Late Night", "Adult text.").rated(Rating::Explicit))
        .await;
    // A request line naming another host, as hyper accepts it, on a raw socket.
    let request = format!(
        "GET http://evil.example/works/{id} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    );
    let answer = app.raw(request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        !answer.contains("evil.example"),
        "the gate links elsewhere:\n{answer}"
    );
    for _ in 0..2 {
        let page = app.get(&format!("/works/{id}")).await;
        page.assert_shows("This work could have adult content");
        page.assert_hides("evil.example");
        page.assert_shows(&format!(r#"href="/works/{id}?view_adult=true""#));
    }
}

#[tokio::test]
async fn an_image_pointed_at_the_consent_link_does_not_consent_for_the_reader() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Late Night", "Adult text.").rated(Rating::Explicit))
        .await;
    // What a browser sends for <img src="/?view_adult=true"> in a story on the archive.
    let image = [
        ("Sec-Fetch-Mode", "no-cors"),
        ("Sec-Fetch-Dest", "image"),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let path = format!("/works/{id}?view_adult=true");
    let embedded = app.get_with_headers(&path, &image).await;
    assert_eq!(embedded.header("set-cookie"), None);
    // Nor do requests without Fetch Metadata (scripts, API clients), which still get the text.
    let api = app.get(&path).await;
    api.assert_shows("Adult text.");
    assert_eq!(api.header("set-cookie"), None);
    // Nor a navigation that another site started.
    let mut elsewhere = NAVIGATION;
    elsewhere[2] = ("Sec-Fetch-Site", "cross-site");
    let followed = app.get_with_headers(&path, &elsewhere).await;
    followed.assert_shows("Adult text.");
    assert_eq!(followed.header("set-cookie"), None);
    // The reader's own click does.
    let clicked = app.get_with_headers(&path, &NAVIGATION).await;
    clicked.assert_shows("Adult text.");
    let cookie = clicked.header("set-cookie").expect("consent cookie");
    assert!(cookie.starts_with("view_adult=true;"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    // And the gate is still there for the reader who never clicked.
    app.get(&format!("/works/{id}"))
        .await
        .assert_shows("This work could have adult content");
}

#[tokio::test]
async fn images_come_from_the_archive_alone_unless_the_operator_allows_remote_ones() {
    let app = TestApp::start().await;
    let csp = app
        .get("/")
        .await
        .header("content-security-policy")
        .unwrap()
        .to_owned();
    assert!(csp.contains("img-src 'self';"), "{csp}");
    assert!(!csp.contains("https:") && !csp.contains("data:"), "{csp}");

    let app = TestApp::start_with(quire_web::ServeOptions {
        remote_images: true,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let csp = app
        .get("/")
        .await
        .header("content-security-policy")
        .unwrap()
        .to_owned();
    assert!(csp.contains("img-src 'self' https:;"), "{csp}");
    assert!(!csp.contains("data:"), "{csp}");
}

#[tokio::test]
async fn behind_https_the_consent_cookie_is_secure_and_hsts_is_sent() {
    let app = TestApp::start().await;
    assert_eq!(app.get("/").await.header("strict-transport-security"), None);

    let app = TestApp::start_with(quire_web::ServeOptions {
        secure_cookies: true,
        hsts: true,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let id = app
        .work(WorkSpec::new("Late Night", "Adult text.").rated(Rating::Explicit))
        .await;
    let page = app
        .get_with_headers(&format!("/works/{id}?view_adult=true"), &NAVIGATION)
        .await;
    let cookie = page.header("set-cookie").expect("consent cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    for path in [format!("/works/{id}"), "/nope".to_owned()] {
        assert_eq!(
            app.get(&path).await.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}
