//! Works to export in tests: one chapter, several chapters with every kind of note, an
//! imported work with its original header, and one full of hostile HTML.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read as _;

use chrono::{NaiveDate, TimeZone, Utc};
use quire_core::work::Source;
use quire_core::{Chapter, Pseud, Rating, SeriesPart, Tag, TagKind, Work, WorkStats};

pub const SITE: &str = "Quire Test Archive";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 3, d).unwrap()
}

fn tag(id: i64, kind: TagKind, name: &str) -> Tag {
    Tag {
        id,
        kind,
        name: name.to_owned(),
        canonical: true,
    }
}

fn pseud(id: i64, name: &str) -> Pseud {
    Pseud {
        id,
        user_id: id,
        name: name.to_owned(),
        login: name.to_lowercase().replace(' ', "_"),
        is_default: true,
    }
}

/// A one-chapter General Audiences work.
pub fn single() -> (Work, Vec<Chapter>) {
    let work = Work {
        id: 11,
        title: "The Lantern Keeper".into(),
        creators: vec![pseud(1, "Wren Ashdown")],
        rating: Rating::GeneralAudiences,
        tags: vec![
            tag(1, TagKind::Rating, "General Audiences"),
            tag(2, TagKind::ArchiveWarning, "No Archive Warnings Apply"),
            tag(3, TagKind::Category, "Gen"),
            tag(4, TagKind::Fandom, "Lanterns of Hollowmere"),
            tag(5, TagKind::Character, "Mira"),
            tag(6, TagKind::Freeform, "Lighthouses"),
        ],
        language: "en".into(),
        summary: Some("<p>Mira keeps the <em>lantern</em> lit.</p>".into()),
        notes: None,
        end_notes: None,
        word_count: 12,
        chapter_count: 1,
        expected_chapters: Some(1),
        complete: true,
        published: Some(day(14)),
        updated: Some(day(14)),
        posted: true,
        restricted: false,
        hidden_by_admin: false,
        series: vec![],
        gifts: Vec::new(),
        stats: WorkStats {
            hits: 1234,
            kudos: 56,
            comments: 7,
            bookmarks: 8,
        },
        source: None,
    };
    let chapters = vec![chapter(
        &work,
        101,
        1,
        None,
        "<p>The lantern burned all night.</p><hr /><p>In the morning it was <em>still</em> burning &amp; warm.</p>",
    )];
    (work, chapters)
}

pub fn chapter(work: &Work, id: i64, position: i32, title: Option<&str>, content: &str) -> Chapter {
    Chapter {
        id,
        work_id: work.id,
        position,
        title: title.map(str::to_owned),
        summary: None,
        notes: None,
        end_notes: None,
        content: content.to_owned(),
        word_count: i64::try_from(content.split_whitespace().count()).unwrap(),
        posted: true,
        published: work.published,
    }
}

/// Three posted chapters with summaries and notes, a fourth not yet posted.
pub fn multi() -> (Work, Vec<Chapter>) {
    let (mut work, _) = single();
    work.id = 12;
    work.title = "Seven Bells".into();
    work.creators.push(pseud(2, "Pell Marrow"));
    work.rating = Rating::Explicit;
    work.tags[0] = tag(1, TagKind::Rating, "Explicit");
    work.tags.push(tag(7, TagKind::Relationship, "Mira/Tomas"));
    work.notes = Some("<p>For the autumn swap.</p>".into());
    work.end_notes = Some("<p>Thanks for reading!</p>".into());
    work.chapter_count = 3;
    work.expected_chapters = None;
    work.complete = false;
    work.updated = Some(day(20));
    work.series = vec![SeriesPart {
        id: 3,
        title: "Harbour Songs".into(),
        position: 2,
    }];
    let mut chapters = vec![
        chapter(
            &work,
            201,
            1,
            Some("The First Bell"),
            "<p>The first bell rang at dawn.</p>",
        ),
        chapter(
            &work,
            202,
            2,
            None,
            "<p>By the fourth bell the baker had stopped.</p>",
        ),
        chapter(
            &work,
            203,
            3,
            Some("The Seventh Bell"),
            "<p>On the seventh bell the harbourmaster came out.</p>",
        ),
        chapter(
            &work,
            204,
            4,
            Some("Unposted Draft"),
            "<p>SECRET DRAFT TEXT</p>",
        ),
    ];
    chapters[0].summary = Some("<p>Dawn.</p>".into());
    chapters[0].notes = Some("<p>Chapter one notes.</p>".into());
    chapters[1].end_notes = Some("<p>More soon.</p>".into());
    chapters[3].posted = false;
    (work, chapters)
}

/// An imported work: provenance and an original header with an e-mail address.
pub fn imported() -> (Work, Vec<Chapter>) {
    let (mut work, chapters) = single();
    work.id = 13;
    work.title = "The Cartographer's Daughter".into();
    work.rating = Rating::TeenAndUpAudiences;
    work.tags[0] = tag(1, TagKind::Rating, "Teen And Up Audiences");
    work.source = Some(Source {
        archive: "Lanterns of Hollowmere".into(),
        path: "stories/cartographer.txt".into(),
        original_id: None,
        content_hash: "abc".into(),
        fields: vec![
            ("Rating".into(), "PG-13. For some mild language.".into()),
            (
                "Author".into(),
                "Wren Ashdown <wren@hollowmere.example>".into(),
            ),
            ("Spoilers".into(), "Up to the end of Book Two".into()),
        ],
        original_rating: Some("PG-13. For some mild language.".into()),
        imported_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    });
    (work, chapters)
}

/// Every payload of tests/data/security/xss-payloads.txt, sanitized as the archive stores
/// text, plus HTML that is clean but not XHTML an EPUB accepts.
pub fn tricky() -> (Work, Vec<Chapter>) {
    let (mut work, _) = single();
    work.id = 14;
    work.title = "<script>alert('title')</script> & \u{1}Friends".into();
    work.language = "Old English".into();
    let payloads = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/security/xss-payloads.txt"
    ))
    .unwrap();
    let mut content = String::new();
    for line in payloads.lines() {
        content.push_str(&quire_text::sanitize_html(line));
        content.push('\n');
    }
    let tricky = quire_text::sanitize_html(
        "<center>Centered</center><p><tt>mono</tt> <big>big</big> <strike>gone</strike>\
         <acronym title=\"x\">ACR</acronym></p><em><p>block in inline</p><div>div</div></em>\
         <ul>loose text<p>para in list</p><li>item</li></ul><li>orphan</li><dd>orphan dd</dd>\
         <p><img src=\"https://example.org/map.png\" alt=\"A map\"> <img src=\"rel.png\">\
         <a href=\"chapter2.html\">relative</a> <a href=\"#top\">fragment</a>\
         <a href=\"https://example.org/a b?q=ü#x#y\">odd url</a>\
         <a href=\"https://example.org/\"><img src=\"https://example.org/i.png\"></a></p>\
         <a name=\"anchor\">named</a><ol type=\"disc\" start=\"x\"><li>o</li></ol>\
         <table><tr><td colspan=\"0\">cell</td></tr><caption>late caption</caption></table>\
         <h2>heading <hr> with rule</h2><pre>\n  pre\n    text</pre>\
         <p dir=\"sideways\" lang=\"not a tag\">attrs</p><figure><figcaption>cap</figcaption>fig</figure>\
         <address>addr<h3>heading in address</h3></address><q cite=\"not a url\">q</q>",
    );
    content.push_str(&tricky);
    content.push_str("<p>control \u{1}\u{b} characters</p>");
    let chapters = vec![chapter(
        &work,
        401,
        1,
        Some("<b>Tricky</b> & \"quoted\""),
        &content,
    )];
    (work, chapters)
}

/// The entries of a zip file: (name, compression method, bytes), in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, zip::CompressionMethod, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().to_owned(), file.compression(), data)
        })
        .collect()
}
