//! Crawls of AO3-shaped sites and per-site profiles, from WARC files the test writes: the
//! work, chapter, full-work and chapter-index pages of one work become one work with its
//! chapters in order (checked against a direct import of the whole work), and a profile's
//! `[sites."host"]` table gives that site's works its fandom and rating labels only.

use flate2::Compression;
use flate2::write::GzEncoder;
use quire_core::{Rating, TagKind};
use quire_import::pipeline::{ImportOptions, import};
use quire_import::{ParsedWork, Profile, parse_path};
use std::io::Write;

fn record(uri: &str, date: &str, body: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\n\
         WARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        uri.len() * 7919 + body.len(),
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(&out).expect("test setup");
    enc.finish().expect("test setup")
}

const SITE: &str = "http://fics.example.net";

struct Ao3Work {
    id: u64,
    title: &'static str,
    chapters: &'static [(&'static str, &'static str)],
}

impl Ao3Work {
    /// A page in the shape of an AO3 download: the preface, then the chapters `shown`
    /// (1-based), headed `Chapter N: Title` (or the title alone, without `numbered`).
    fn page(&self, shown: &[usize], numbered: bool) -> String {
        let total = self.chapters.len();
        let chapters: String = shown
            .iter()
            .map(|&n| {
                let (title, text) = self.chapters[n - 1];
                let heading = if numbered {
                    format!("Chapter {n}: {title}")
                } else {
                    title.to_owned()
                };
                format!(
                    "<div class=\"meta group\"><h2 class=\"heading\">{heading}</h2></div>\n\
                     <div class=\"userstuff\"><p>{text}</p></div>\n"
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
             <title>{title} - wickwright - Hollowmere [Archive of Our Own]</title></head><body>\n\
             <div id=\"preface\"><p class=\"message\">Posted originally on the Archive of Our Own \
             at <a href=\"{SITE}/works/{id}\">{SITE}/works/{id}</a>.</p>\n<div class=\"meta\">\
             <dl class=\"tags\"><dt>Rating:</dt><dd><a class=\"tag\">General Audiences</a></dd>\
             <dt>Fandom:</dt><dd><a class=\"tag\">Hollowmere</a></dd><dt>Stats:</dt>\
             <dd>Published: 2021-06-01 Chapters: {total}/{total}</dd></dl>\n<h1>{title}</h1>\n\
             <div class=\"byline\">by <a rel=\"author\" href=\"/users/wickwright\">wickwright</a>\
             </div></div></div>\n<div id=\"chapters\" class=\"userstuff\">\n{chapters}</div>\n\
             </body></html>\n",
            title = self.title,
            id = self.id
        )
    }
}

const LAMPLIGHTERS: Ao3Work = Ao3Work {
    id: 7,
    title: "Lamplighters",
    chapters: &[
        ("Dusk", "The first lamp on the quay was always Mira’s."),
        ("Wick", "Tomas trimmed the wicks &amp; said nothing."),
        ("Dawn", "By dawn every lamp was out but one."),
    ],
};
const LEDGER: Ao3Work = Ao3Work {
    id: 8,
    title: "Harbour Ledger",
    chapters: &[
        ("Debits", "The harbour kept its accounts in tides."),
        ("Credits", "And it was owed a great deal."),
    ],
};
const REEDS: Ao3Work = Ao3Work {
    id: 9,
    title: "Reed Count",
    chapters: &[
        ("One Heron", "One heron stood in the reeds."),
        ("Two Herons", "Then there were two."),
        ("Many", "Then nobody could count them."),
    ],
};
const HALF: Ao3Work = Ao3Work {
    id: 10,
    title: "Half a Tide",
    chapters: &[
        ("Ebb", "Never crawled."),
        ("Flood", "The flood came in over the flats."),
    ],
};

fn by_title<'a>(works: &'a [ParsedWork], title: &str) -> &'a ParsedWork {
    works
        .iter()
        .find(|w| w.title == title)
        .unwrap_or_else(|| panic!("{title} not among {:?}", works.iter().map(|w| &w.title)))
}

fn chapters(w: &ParsedWork) -> Vec<(Option<String>, String)> {
    w.chapters
        .iter()
        .map(|c| (c.title.clone(), c.content.clone()))
        .collect()
}

#[tokio::test]
async fn ao3_work_pages_join_into_one_work_in_chapter_order() {
    let dir = tempfile::tempdir().expect("test setup");
    let day = "2024-05-01T00:00:00Z";
    let mut warc = Vec::new();
    // Lamplighters: the work page (chapter 1) and two chapter pages, whose ids run against
    // their order; the headings' numbers give it.
    warc.extend(record(
        &format!("{SITE}/works/7/chapters/650"),
        day,
        &LAMPLIGHTERS.page(&[3], true),
    ));
    warc.extend(record(
        &format!("{SITE}/works/7"),
        day,
        &LAMPLIGHTERS.page(&[1], true),
    ));
    warc.extend(record(
        &format!("{SITE}/works/7/chapters/903"),
        day,
        &LAMPLIGHTERS.page(&[2], true),
    ));
    // Harbour Ledger: a whole full-work page wins over a chapter page.
    warc.extend(record(
        &format!("{SITE}/works/8/chapters/10"),
        day,
        &LEDGER.page(&[1], true),
    ));
    warc.extend(record(
        &format!("{SITE}/works/8?view_full_work=true"),
        day,
        &LEDGER.page(&[1, 2], true),
    ));
    // Reed Count: a full-work page cut short (one chapter of three), chapter pages without
    // numbers, and the chapter index giving their order.
    warc.extend(record(
        &format!("{SITE}/works/9?view_full_work=true"),
        day,
        &REEDS.page(&[1], true),
    ));
    for (id, n) in [(12, 2), (40, 3), (31, 1)] {
        warc.extend(record(
            &format!("{SITE}/works/9/chapters/{id}"),
            day,
            &REEDS.page(&[n], false),
        ));
    }
    warc.extend(record(
        &format!("{SITE}/works/9/navigate"),
        day,
        "<html><body><h2>Chapter Index</h2><ol class=\"chapter index\">\
         <li><a href=\"/works/9/chapters/31\">1. One Heron</a></li>\
         <li><a href=\"/works/9/chapters/12\">2. Two Herons</a></li>\
         <li><a href=\"chapters/40\">3. Many</a></li></ol></body></html>",
    ));
    // Half a Tide: only its second chapter was captured.
    warc.extend(record(
        &format!("{SITE}/works/10/chapters/77"),
        day,
        &HALF.page(&[2], true),
    ));
    let crawl = dir.path().join("crawl.warc.gz");
    std::fs::write(&crawl, &warc).expect("test setup");

    let direct_dir = dir.path().join("direct");
    std::fs::create_dir(&direct_dir).expect("test setup");
    for w in [&LAMPLIGHTERS, &LEDGER, &REEDS] {
        let all: Vec<usize> = (1..=w.chapters.len()).collect();
        std::fs::write(
            direct_dir.join(format!("{}.html", w.id)),
            w.page(&all, true),
        )
        .expect("test setup");
    }
    let direct: Vec<ParsedWork> = parse_path(&direct_dir, &Profile::default())
        .into_iter()
        .map(|e| e.expect("direct import"))
        .collect();

    let rescued: Vec<ParsedWork> = parse_path(&crawl, &Profile::default())
        .into_iter()
        .map(|e| e.expect("rescued"))
        .collect();
    assert_eq!(rescued.len(), 4);
    for w in [&LAMPLIGHTERS, &LEDGER, &REEDS] {
        let got = by_title(&rescued, w.title);
        let want = by_title(&direct, w.title);
        assert_eq!(chapters(got), chapters(want), "{}", w.title);
        assert_eq!(got.authors, want.authors);
        assert_eq!(got.tags_of(TagKind::Fandom), ["Hollowmere"]);
        assert_eq!(got.source_id, format!("{SITE}/works/{}", w.id));
        assert!(got.needs_review.is_empty(), "{:?}", got.needs_review);
    }
    let lamps = by_title(&rescued, "Lamplighters");
    assert_eq!(
        lamps.field("Chapter 2 URL"),
        Some(format!("{SITE}/works/7/chapters/903").as_str())
    );
    let ledger = by_title(&rescued, "Harbour Ledger");
    assert_eq!(
        ledger.field("Original URL"),
        Some(format!("{SITE}/works/8?view_full_work=true").as_str())
    );
    let reeds = by_title(&rescued, "Reed Count");
    assert_eq!(
        reeds.field("Chapter 1 URL"),
        Some(format!("{SITE}/works/9/chapters/31").as_str())
    );
    let half = by_title(&rescued, "Half a Tide");
    assert_eq!(
        chapters(half),
        [(
            Some("Flood".to_owned()),
            "<p>The flood came in over the flats.</p>".to_owned()
        )]
    );
    let missing = format!("chapter 1 of 2 never crawled: {SITE}/works/10");
    assert_eq!(half.needs_review, std::slice::from_ref(&missing));

    let options = ImportOptions {
        paths: vec![crawl],
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import(None, &options, &()).await.expect("test setup");
    let site = &report.sites[0];
    assert_eq!(site.layout, "ao3");
    assert_eq!((site.stories, site.chapters), (4, 3 + 2 + 3 + 1));
    assert_eq!(site.missing_chapters, [missing]);
    assert!(site.not_understood.is_empty(), "{:?}", site.not_understood);
}

fn efiction_page(sid: u32, title: &str, rating: &str) -> String {
    format!(
        "<html><head><title>Old Archive :: {title}</title></head><body>\
         <div id=\"pagetitle\"><a href=\"viewstory.php?sid={sid}\">{title}</a> by \
         <a href=\"viewuser.php?uid=4\">Ash</a></div>\
         <div class=\"infobox\"><span class=\"label\">Rating:</span> {rating}<br></div>\
         <div class=\"chaptertitle\">1. Start by Ash</div><div id=\"story\"><p>The text of {title}.</p></div>\
         </body></html>"
    )
}

#[test]
fn a_sites_profile_gives_its_works_their_fandom_and_rating() {
    let dir = tempfile::tempdir().expect("test setup");
    let mut warc = Vec::new();
    for (host, title) in [("one.example.org", "Ember"), ("two.example.org", "Cinder")] {
        warc.extend(record(
            &format!("http://{host}/viewstory.php?sid=1"),
            "2005-06-01T00:00:00Z",
            &efiction_page(1, title, "FR15"),
        ));
    }
    let crawl = dir.path().join("crawl.warc.gz");
    std::fs::write(&crawl, &warc).expect("test setup");
    let profile = Profile::from_toml(
        r#"
[sites."one.example.org"]
fandom = "Hollowmere"
archive = "The One Archive"
[sites."one.example.org".ratings]
"FR15" = "Teen And Up Audiences"
"#,
    )
    .expect("test setup");
    let works: Vec<ParsedWork> = parse_path(&crawl, &profile)
        .into_iter()
        .map(|e| e.expect("rescued"))
        .collect();
    let one = by_title(&works, "Ember");
    assert_eq!(one.tags_of(TagKind::Fandom), ["Hollowmere"]);
    assert_eq!(one.rating, Rating::TeenAndUpAudiences);
    assert_eq!(one.original_rating.as_deref(), Some("FR15"));
    assert_eq!(one.archive.as_deref(), Some("The One Archive"));
    assert!(
        !one.needs_review.iter().any(|r| r == "no fandom given"),
        "{:?}",
        one.needs_review
    );
    // The other site is left as its pages say.
    let two = by_title(&works, "Cinder");
    assert_eq!(two.tags_of(TagKind::Fandom), ["Unspecified Fandom"]);
    assert_eq!(two.rating, Rating::NotRated);
    assert_eq!(two.original_rating.as_deref(), Some("FR15"));
    assert_eq!(two.archive.as_deref(), Some("Old Archive"));
}
