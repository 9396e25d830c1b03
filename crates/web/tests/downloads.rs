//! `/downloads/{id}/{file}` over real HTTP: who gets the file, who gets the gate, who gets 404,
//! and that no unposted text is ever in it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Read as _;

use quire_core::Rating;
use support::{NAVIGATION, TestApp, WorkSpec};

/// A download, read as bytes.
struct Download {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Download {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The text a reader finds in the file: the file itself, or every entry of an EPUB.
    fn text(&self) -> String {
        if !self.bytes.starts_with(b"PK") {
            return String::from_utf8(self.bytes.clone()).unwrap();
        }
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&self.bytes)).unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            zip.by_index(i).unwrap().read_to_string(&mut all).unwrap();
        }
        all
    }
}

async fn download(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Download {
    let client = reqwest::Client::new();
    let mut request = client.get(format!("{}{path}", app.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    Download {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        bytes: response.bytes().await.unwrap().to_vec(),
    }
}

const FORMATS: [&str; 3] = ["epub", "html", "txt"];

#[tokio::test]
async fn a_guest_downloads_a_work_in_every_format() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new(
            "The Lantern Keeper",
            "The lantern burned all night.",
        ))
        .await;
    for (ext, content_type) in [
        ("epub", "application/epub+zip"),
        ("html", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ] {
        let file = download(
            &app,
            &format!("/downloads/{id}/The_Lantern_Keeper.{ext}"),
            &[],
        )
        .await;
        assert_eq!(file.status, 200, "{ext}");
        assert_eq!(file.header("content-type"), Some(content_type));
        assert_eq!(
            file.header("content-disposition"),
            Some(format!("attachment; filename=\"The_Lantern_Keeper.{ext}\"").as_str())
        );
        assert!(file.header("etag").is_some(), "{ext}");
        assert!(
            file.text().contains("The lantern burned all night."),
            "{ext}"
        );
        assert!(file.text().contains("Lanterns of Hollowmere"), "{ext}");
    }
    // Any name finds the work; the file is named after its title.
    let old_link = download(&app, &format!("/downloads/{id}/Old_Title.txt"), &[]).await;
    assert_eq!(old_link.status, 200);
    assert_eq!(
        old_link.header("content-disposition"),
        Some("attachment; filename=\"The_Lantern_Keeper.txt\"")
    );
}

#[tokio::test]
async fn unknown_restricted_and_draft_works_are_not_found_in_every_format() {
    let app = TestApp::start().await;
    let restricted = app
        .work(WorkSpec::new("Members Only", "RESTRICTED TEXT").restricted())
        .await;
    let draft = app
        .work(WorkSpec::new("Not Yet", "DRAFT TEXT").draft())
        .await;
    let open = app.work(WorkSpec::new("Open", "Open text.")).await;
    for ext in FORMATS {
        for path in [
            format!("/downloads/{restricted}/Members_Only.{ext}"),
            format!("/downloads/{draft}/Not_Yet.{ext}"),
            format!("/downloads/999999/Nothing.{ext}"),
        ] {
            for cookie in [None, Some("view_adult=true")] {
                let headers: Vec<(&str, &str)> =
                    cookie.map(|c| ("Cookie", c)).into_iter().collect();
                let file = download(&app, &path, &headers).await;
                assert_eq!(file.status, 404, "{path}");
                let body = String::from_utf8_lossy(&file.bytes);
                assert!(!body.contains("RESTRICTED TEXT") && !body.contains("DRAFT TEXT"));
            }
        }
    }
    assert_eq!(
        download(&app, &format!("/downloads/{open}/Open.pdf"), &[])
            .await
            .status,
        404
    );
    assert_eq!(
        download(&app, &format!("/downloads/{open}/Open"), &[])
            .await
            .status,
        404
    );
    assert_eq!(
        download(&app, "/downloads/abc/Open.txt", &[]).await.status,
        400
    );
}

#[tokio::test]
async fn an_explicit_work_without_consent_gets_the_adult_gate_not_the_file() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("After Dark", "EXPLICIT TEXT").rated(Rating::Explicit))
        .await;
    for ext in FORMATS {
        let path = format!("/downloads/{id}/After_Dark.{ext}");
        let gate = download(&app, &path, &[]).await;
        assert_eq!(gate.status, 200);
        assert_eq!(
            gate.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(gate.header("content-disposition"), None);
        let page = String::from_utf8(gate.bytes.clone()).unwrap();
        assert!(page.contains("Adult content"), "{page}");
        assert!(
            page.contains(&format!("href=\"{path}?view_adult=true\"")),
            "{page}"
        );
        assert!(!page.contains("EXPLICIT TEXT"));

        // Proceeding gives the file; the consent cookie only on the reader's own navigation,
        // never on a fetch an embedded element makes. The cookie alone gives the file too.
        let fetched = download(&app, &format!("{path}?view_adult=true"), &[]).await;
        assert_eq!(fetched.status, 200);
        assert!(fetched.text().contains("EXPLICIT TEXT"), "{ext}");
        assert_eq!(fetched.header("set-cookie"), None);
        let proceed = download(&app, &format!("{path}?view_adult=true"), &NAVIGATION).await;
        assert_eq!(proceed.status, 200);
        assert!(
            proceed
                .header("set-cookie")
                .unwrap()
                .starts_with("view_adult=true")
        );
        assert!(proceed.text().contains("EXPLICIT TEXT"), "{ext}");
        let with_cookie = download(&app, &path, &[("Cookie", "view_adult=true")]).await;
        assert!(with_cookie.text().contains("EXPLICIT TEXT"), "{ext}");
        assert_eq!(with_cookie.header("vary"), Some("Cookie"));

        // The file cached for consenting guests is never served to the next guest.
        let again = download(&app, &path, &[]).await;
        assert!(
            !String::from_utf8_lossy(&again.bytes).contains("EXPLICIT TEXT"),
            "{ext}"
        );
        assert_eq!(again.header("content-disposition"), None);
    }
}

#[tokio::test]
async fn no_unposted_chapter_text_is_in_any_format() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Seven Bells", "")
                .chapters(vec![
                    (Some("The First Bell"), "One rang."),
                    (None, "Two rang."),
                    (Some("Not Posted Yet"), "UNPOSTED CHAPTER TEXT"),
                ])
                .with_unposted_last_chapter(),
        )
        .await;
    for ext in FORMATS {
        let file = download(&app, &format!("/downloads/{id}/Seven_Bells.{ext}"), &[]).await;
        assert_eq!(file.status, 200);
        let text = file.text();
        assert!(
            text.contains("One rang.") && text.contains("Two rang."),
            "{ext}"
        );
        assert!(
            !text.contains("UNPOSTED CHAPTER TEXT"),
            "{ext} leaks the unposted chapter"
        );
        assert!(!text.contains("Not Posted Yet"), "{ext} leaks its title");
    }
}

#[tokio::test]
async fn a_repeated_download_is_answered_with_304() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Seven Bells", "Bells.")).await;
    for ext in FORMATS {
        let path = format!("/downloads/{id}/Seven_Bells.{ext}");
        let first = download(&app, &path, &[]).await;
        let etag = first.header("etag").unwrap().to_owned();
        let second = download(&app, &path, &[]).await;
        assert_eq!(second.bytes, first.bytes, "{ext}: the same file every time");
        let again = download(&app, &path, &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status, 304, "{ext}");
        assert!(again.bytes.is_empty());
    }
}

#[tokio::test]
async fn the_work_page_links_its_downloads() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Seven Bells", "Bells.")).await;
    let page = app.get(&format!("/works/{id}")).await;
    for ext in FORMATS {
        page.assert_shows(&format!("href=\"/downloads/{id}/Seven_Bells.{ext}\""));
    }
}
