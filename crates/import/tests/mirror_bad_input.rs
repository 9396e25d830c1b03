//! Bad crawls: WARC records cut short, gzip members cut off, error captures (404s, a suspended
//! site, a login wall), duplicate captures and Wayback Machine addresses. Each is reported;
//! none crashes the import, none becomes a story.

use flate2::Compression;
use flate2::write::GzEncoder;
use quire_import::pipeline::{ImportOptions, import};
use quire_import::{Profile, parse_path};
use std::io::Write;

fn record(uri: &str, date: &str, status: &str, body: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\n\
         WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        uri.len() + date.len(),
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).expect("test setup");
    enc.finish().expect("test setup")
}

fn story_page(title: &str, text: &str) -> String {
    format!(
        "<html><head><title>Old Archive :: {title}</title></head><body>\
         <div id=\"pagetitle\"><a href=\"viewstory.php?sid=1\">{title}</a> by \
         <a href=\"viewuser.php?uid=4\">Ash</a></div>\
         <div class=\"chaptertitle\">1. Start by Ash</div><div id=\"story\"><p>{text}</p></div>\
         </body></html>"
    )
}

const SITE: &str = "http://old.example.org";

#[tokio::test]
async fn damaged_warcs_and_error_captures_are_reported_not_imported() {
    let dir = tempfile::tempdir().expect("test setup");
    let old = story_page("Ember", "An older capture of the text.");
    let new = story_page("Ember", "The newest capture of the text.");
    let suspended = "<html><body><h1>This account has been suspended.</h1></body></html>";
    let login = "<html><body><p>You must be logged in to read this story.</p></body></html>";
    let mut good = Vec::new();
    // The same page twice, through the Wayback Machine: the newer capture wins.
    for (date, page) in [
        ("2004-01-01T00:00:00Z", &old),
        ("2005-06-01T00:00:00Z", &new),
    ] {
        let stamp: String = date.chars().filter(char::is_ascii_digit).collect();
        let uri = format!("https://web.archive.org/web/{stamp}/{SITE}/viewstory.php?sid=1");
        good.extend(gz(&record(&uri, date, "200 OK", page)));
    }
    good.extend(gz(&record(
        &format!("{SITE}/viewstory.php?sid=2"),
        "2005-06-01T00:00:00Z",
        "404 Not Found",
        "<html><body>Not Found</body></html>",
    )));
    good.extend(gz(&record(
        &format!("{SITE}/viewstory.php?sid=3"),
        "2005-06-01T00:00:00Z",
        "200 OK",
        suspended,
    )));
    good.extend(gz(&record(
        &format!("{SITE}/viewstory.php?sid=4"),
        "2005-06-01T00:00:00Z",
        "200 OK",
        login,
    )));
    // A last record whose gzip member is cut off half-way.
    let cut = gz(&record(
        &format!("{SITE}/viewstory.php?sid=5"),
        "2005-06-01T00:00:00Z",
        "200 OK",
        &story_page("Cinder", "Never whole."),
    ));
    let mut damaged = good.clone();
    damaged.extend_from_slice(&cut[..cut.len() / 2]);
    std::fs::write(dir.path().join("crawl.warc.gz"), &damaged).expect("test setup");

    let entries = parse_path(dir.path(), &Profile::default());
    let works: Vec<_> = entries.iter().flatten().collect();
    assert_eq!(works.len(), 1, "{entries:?}");
    let w = works[0];
    assert_eq!(w.title, "Ember");
    assert_eq!(w.authors, ["Ash"]);
    assert_eq!(w.source_id, format!("{SITE}/viewstory.php?sid=1"));
    assert_eq!(w.chapters.len(), 1);
    assert_eq!(
        w.chapters[0].content,
        "<p>The newest capture of the text.</p>"
    );
    assert_eq!(w.field("Captured"), Some("2005-06-01"));
    assert!(w.field("Original WARC record").is_some());
    let failures: Vec<String> = entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .map(ToString::to_string)
        .collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("crawl.warc.gz: record 6"),
        "{failures:?}"
    );

    // A record cut short inside an uncompressed WARC.
    let plain = record(
        &format!("{SITE}/viewstory.php?sid=6"),
        "2005-06-01T00:00:00Z",
        "200 OK",
        &story_page("Ash Tree", "Cut."),
    );
    let short = dir.path().join("short");
    std::fs::create_dir(&short).expect("test setup");
    std::fs::write(short.join("a.warc"), &plain[..plain.len() - 40]).expect("test setup");
    let entries = parse_path(&short.join("a.warc"), &Profile::default());
    assert!(entries.iter().all(Result::is_err), "{entries:?}");
    assert!(!entries.is_empty());

    // The report names the error captures, story by story.
    let options = ImportOptions {
        paths: vec![dir.path().join("crawl.warc.gz")],
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import(None, &options, &()).await.expect("test setup");
    assert_eq!((report.imported, report.failed), (1, 1));
    let site = &report.sites[0];
    assert_eq!(site.site, "old.example.org");
    assert_eq!(site.layout, "efiction");
    let errors = site.error_only.join("\n");
    assert!(errors.contains("sid=2: HTTP 404 on 2005-06-01"), "{errors}");
    assert!(errors.contains("sid=3: site suspended"), "{errors}");
    assert!(errors.contains("sid=4: login wall"), "{errors}");
}
