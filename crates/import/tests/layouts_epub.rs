//! EPUB input (issue 12, layout class 5): AO3's EPUB downloads, FanFicFare's EPUBs, hand-made
//! EPUB 2 and 3 books, and damaged ones, one test per fixture in `tests/data/legacy/epub/`
//! and `tests/data/damaged-epub/` (written by `tests/data/make_legacy_epubs.py`), field by field.

use chrono::NaiveDate;
use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_import::{ErrorReason, ImportError, ParsedWork, Profile, parse_path};
use std::path::{Path, PathBuf};

fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data"))
        .join(dir)
        .join(name)
}

fn one(name: &str) -> ParsedWork {
    let mut results = parse_path(&fixture("legacy/epub", name), &Profile::default());
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    match results.remove(0) {
        Ok(w) => w,
        Err(e) => panic!("{e}"),
    }
}

fn failure(name: &str) -> ImportError {
    let mut results = parse_path(&fixture("damaged-epub", name), &Profile::default());
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    match results.remove(0) {
        Ok(w) => panic!("{name} imported as {}", w.title),
        Err(e) => e,
    }
}

fn text(html: &str) -> String {
    quire_text::html_to_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn labels(w: &ParsedWork) -> Vec<&str> {
    w.fields.iter().map(|(l, _)| l.as_str()).collect()
}

#[test]
fn ao3_single_chapter_with_calibre_classes() {
    let w = one("ao3-single-chapter.epub");
    assert_eq!(w.title, "The Salt Road");
    assert_eq!(w.authors, ["wren_of_the_marsh"]);
    assert_eq!(w.archive.as_deref(), Some("Archive of Our Own"));
    assert_eq!(w.original_id.as_deref(), Some("1234567"));
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("Teen And Up Audiences"));
    assert_eq!(w.warnings, [ArchiveWarning::NoneApply]);
    assert_eq!(w.categories, [Category::FF]);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.tags_of(TagKind::Relationship), ["Mira/Odile"]);
    assert_eq!(w.tags_of(TagKind::Character), ["Mira", "Odile"]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Slow Burn", "Salt Flats"]);
    assert_eq!(w.language, "en");
    assert_eq!(w.published, date(2019, 4, 2));
    assert!(w.complete);
    assert_eq!(w.expected_chapters, Some(1));
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>Two lamplighters walk the <em>salt road</em> to the sea.</p>")
    );
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>For the Hollowmere exchange.</p>")
    );
    assert_eq!(
        labels(&w),
        [
            "Source URL",
            "Rating",
            "Archive Warning",
            "Category",
            "Fandom",
            "Relationship",
            "Characters",
            "Additional Tags",
            "Language",
            "Stats",
            "Publisher"
        ]
    );
    assert_eq!(w.chapters.len(), 1);
    let ch = &w.chapters[0];
    assert_eq!(ch.title, None);
    let body = text(&ch.content);
    assert!(
        body.starts_with("The road ran white under the moon"),
        "{body}"
    );
    assert!(body.contains("Light the first lamp last."), "{body}");
    assert!(body.ends_with("walked all that way to say."), "{body}");
    assert!(ch.content.contains("<blockquote>"), "{}", ch.content);
    assert!(!body.contains("Please drop by"), "{body}");
    assert!(!ch.content.contains("calibre"), "{}", ch.content);
    assert!(w.needs_review.is_empty(), "{:?}", w.needs_review);
}

#[test]
fn ao3_multi_chapter_with_notes_series_and_split_files() {
    let w = one("ao3-multi-chapter.epub");
    assert_eq!(w.title, "Charts for a Drowned Coast");
    assert_eq!(w.authors, ["saltwife", "Tamsin_Reed"]);
    assert_eq!(w.original_id.as_deref(), Some("7654321"));
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(
        w.warnings,
        [
            ArchiveWarning::GraphicViolence,
            ArchiveWarning::MajorCharacterDeath
        ]
    );
    assert_eq!(w.categories, [Category::Gen, Category::MM]);
    assert_eq!(
        w.tags_of(TagKind::Fandom),
        ["Tidewater Chronicles", "Lanterns of Hollowmere"]
    );
    assert_eq!(w.tags_of(TagKind::Relationship), ["Ash & Pell"]);
    assert_eq!(
        w.tags_of(TagKind::Character),
        ["Ash", "Pell Tamsin", "The Cartographer"]
    );
    assert_eq!(
        w.tags_of(TagKind::Freeform),
        ["Maps", "Sea Monsters", "Found Family"]
    );
    assert_eq!(w.series, [("Charts and Currents".to_owned(), 2)]);
    assert_eq!(w.published, date(2018, 1, 5));
    assert_eq!(w.updated, date(2018, 3, 1));
    assert!(!w.complete);
    assert_eq!(w.expected_chapters, Some(5));
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>The coast moved in the night. Someone has to chart it again.</p>")
    );
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>Thanks to my beta, who knows what a sounding line is.</p>")
    );
    assert_eq!(
        w.end_notes.as_deref(),
        Some("<p>The last two chapters are coming when the tide allows.</p>")
    );
    let titles: Vec<Option<&str>> = w.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Low Tide"), None, Some("What the Line Said")]);
    let [one, two, three] = &w.chapters[..] else {
        panic!("{} chapters", w.chapters.len());
    };
    assert_eq!(
        one.notes.as_deref(),
        Some("<p>Set a week after part one.</p>")
    );
    assert_eq!(one.end_notes, None);
    assert!(text(&one.content).starts_with("Ash found the first wrong mark"));
    assert!(text(&one.content).ends_with("coasts that moved."));
    assert_eq!(two.notes, None);
    assert_eq!(
        two.end_notes.as_deref(),
        Some("<p>The book is based on a real one. Sort of.</p>")
    );
    assert!(two.content.contains("<hr />"), "{}", two.content);
    assert!(!text(&two.content).contains("See the end"));
    assert_eq!(
        three.notes.as_deref(),
        Some("<p>Warning for a death in this chapter.</p>")
    );
    assert_eq!(three.end_notes.as_deref(), Some("<p>Sorry.</p>"));
    assert_eq!(
        text(&three.content),
        "The Cartographer did not come back from the last sounding, and Ash wrote the depth in the margin in her place."
    );
}

#[test]
fn fanficfare_table_title_page_toc_page_and_update_log() {
    let w = one("fanficfare-table.epub");
    assert_eq!(w.title, "The Tidewater Ferry");
    assert_eq!(w.authors, ["Odile Fairweather"]);
    assert_eq!(
        w.original_id.as_deref(),
        Some("https://tidewater.example/viewstory.php?sid=88")
    );
    assert_eq!(w.tags_of(TagKind::Fandom), ["Tidewater Chronicles"]);
    assert_eq!(w.tags_of(TagKind::Character), ["Ash", "the Ferryman"]);
    assert_eq!(w.tags_of(TagKind::Relationship), ["Ash/the Ferryman"]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Adventure", "Romance"]);
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG-13"));
    assert_eq!(w.published, date(2011, 6, 14));
    assert_eq!(w.updated, date(2012, 2, 3));
    assert!(!w.complete);
    assert_eq!(
        w.summary.as_deref(),
        Some(
            "<p>Ash takes the last ferry of the year.</p>\n<p>The ferryman does not take coins.</p>"
        )
    );
    assert_eq!(w.field("Packaged"), Some("2024-05-01 10:12:44"));
    assert_eq!(
        w.field("Story URL"),
        Some("https://tidewater.example/viewstory.php?sid=88")
    );
    let titles: Vec<Option<&str>> = w.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("1. The Last Ferry"), Some("2. Fare")]);
    assert_eq!(
        text(&w.chapters[0].content),
        "The ferry left at dusk, the last one of the year, and Ash was the only passenger. The ferryman did not look up."
    );
    assert!(
        w.report_notes
            .contains(&"FanFicFare's Update Log page left out".to_owned()),
        "{:?}",
        w.report_notes
    );
    for ch in &w.chapters {
        assert!(!text(&ch.content).contains("Update Log"));
        assert!(!text(&ch.content).contains("Table of Contents"));
    }
}

#[test]
fn fanficfare_epub3_formatted_title_page() {
    let w = one("fanficfare-lines.epub");
    assert_eq!(w.title, "Nine Bells");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(w.original_rating.as_deref(), Some("Fiction M"));
    assert_eq!(w.published, date(2009, 10, 26));
    assert_eq!(w.updated, date(2010, 1, 2));
    assert!(w.complete);
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>The bell tower rings nine times at midnight. It should ring twelve.</p>")
    );
    assert_eq!(
        w.field("Author URL"),
        Some("https://www.fanfiction.example/u/998877/")
    );
    let titles: Vec<Option<&str>> = w.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Midnight"), Some("The Ninth Bell")]);
    assert_eq!(
        text(&w.chapters[0].content),
        "Jory counted the bells from the bottom of the tower. Nine. Then nothing."
    );
}

#[test]
fn generic_epub2_with_an_ncx_only() {
    let w = one("generic-epub2-ncx.epub");
    assert_eq!(w.title, "Letters from the Lamp House");
    assert_eq!(w.authors, ["Mira Holt"]);
    assert_eq!(w.language, "en");
    assert_eq!(w.published, date(2003, 10, 26));
    assert_eq!(w.tags_of(TagKind::Freeform), ["Epistolary", "Lighthouses"]);
    assert_eq!(w.series, [("Lamp House".to_owned(), 1)]);
    assert_eq!(
        w.summary.as_deref(),
        Some(
            "<p>Letters between a lamp keeper and her sister.</p>\n<p>Written for a zine in 2003.</p>"
        )
    );
    assert_eq!(
        w.original_id.as_deref(),
        Some("http://lamphouse.example/letters/")
    );
    let titles: Vec<Option<&str>> = w.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("The First Letter"),
            Some("The Second Letter"),
            Some("Postscript")
        ]
    );
    assert_eq!(
        text(&w.chapters[0].content),
        "Dear Odile, the lamp house is colder than you said, and the gulls are louder. Yours, M."
    );
    assert_eq!(
        w.chapters[2].content,
        "<p><i>P.S.</i> The lamp went out on the ninth night, and I lit it again with my hands shaking.</p>"
    );
    assert!(w.complete);
}

#[test]
fn epub3_with_an_obfuscated_font_is_not_drm() {
    let w = one("epub3-obfuscated-font.epub");
    assert_eq!(w.title, "Under the Weir");
    assert_eq!(w.authors, ["Jory Vane"]);
    assert_eq!(w.language, "fr");
    assert_eq!(w.series, [("River Songs".to_owned(), 3)]);
    assert_eq!(w.published, date(2016, 7, 9));
    assert_eq!(w.chapters.len(), 1);
    assert_eq!(w.chapters[0].title.as_deref(), Some("Sous le barrage"));
    assert!(text(&w.chapters[0].content).starts_with("L\u{2019}eau passait"));
}

#[test]
fn damaged_epubs_fail_alone_with_a_clear_reason() {
    let e = failure("missing-opf.epub");
    assert!(matches!(e.reason, ErrorReason::BadEpub(_)), "{e}");
    assert_eq!(e.reason.code(), "epub_unreadable");
    assert!(e.to_string().contains("no package document"), "{e}");

    let e = failure("truncated.epub");
    assert_eq!(e.reason.code(), "epub_unreadable");
    assert!(e.to_string().contains("the zip cannot be read"), "{e}");

    let e = failure("drm-encrypted.epub");
    assert_eq!(e.reason.code(), "epub_drm");
    assert!(
        e.to_string().contains("DRM-protected") && e.to_string().contains("encrypts 2 files"),
        "{e}"
    );
}
