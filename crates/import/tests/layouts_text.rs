//! Title and by-line blocks inside plain text and Usenet posts (issue 12, layout class 2):
//! centred or tab-indented, after a preamble, in every by-line shape; one test per fixture in
//! `tests/data/legacy/text-openings/`, field by field.

use quire_core::{ArchiveWarning, Rating, TagKind};
use quire_import::{ParsedWork, Profile, parse_path};
use std::path::{Path, PathBuf};

fn path(name: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/text-openings"
    ))
    .join(name)
}

fn all(name: &str) -> Vec<ParsedWork> {
    parse_path(&path(name), &Profile::default())
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn one(name: &str) -> ParsedWork {
    let mut works = all(name);
    assert_eq!(works.len(), 1, "{name}: {works:?}");
    works.remove(0)
}

fn labels(w: &ParsedWork) -> Vec<&str> {
    w.fields.iter().map(|(l, _)| l.as_str()).collect()
}

fn text(w: &ParsedWork) -> String {
    w.chapters
        .iter()
        .map(|c| quire_text::html_to_text(&c.content))
        .collect::<String>()
        .trim()
        .to_owned()
}

fn d(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().expect("a date"))
}

#[test]
fn a_centred_title_block_after_a_preamble_and_a_separator() {
    let w = one("preamble-centred.txt");
    assert_eq!(w.title, "The Night Market");
    assert_eq!(w.authors, ["Jane Doe"]);
    assert_eq!(w.archive, None);
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG"));
    assert_eq!(labels(&w), ["Disclaimer", "Rating"]);
    assert_eq!(
        w.notes.as_deref(),
        Some(
            "<p>This is my first story for the list, so please be gentle.  Thanks to Pell for reading it over twice.</p>"
        )
    );
    let body = text(&w);
    assert!(body.starts_with("The market opened only after"), "{body}");
    assert!(body.ends_with("answered the question for free."), "{body}");
    assert!(!body.contains("Night Market") && !body.contains("Jane Doe"));
    assert_eq!(w.end_marker.as_deref(), Some("The End"));
    assert!(w.complete);
}

#[test]
fn a_tab_indented_title_and_by_colon_after_an_authors_note() {
    let w = one("tab-by-colon.txt");
    assert_eq!(w.title, "The Lantern Gate");
    assert_eq!(w.authors, ["Odile Fairweather"]);
    assert_eq!(w.encoding, "windows-1252");
    assert_eq!(labels(&w), ["Author's note"]);
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>written for the Midwinter challenge.  Feedback is always welcome.</p>")
    );
    let body = text(&w);
    assert!(body.starts_with("The gate had been shut"), "{body}");
    assert!(body.contains("grandmother\u{2019}s sewing box"));
    assert!(body.ends_with("Her second was turning it."), "{body}");
    assert_eq!(w.chapters[0].content.matches("<p>").count(), 3);
    assert_eq!(w.end_marker.as_deref(), Some("*END*"));
    assert!(!body.contains("Fairweather"));
}

#[test]
fn by_dot_alone_with_the_name_and_a_date_below() {
    let w = one("by-dot-next-line.txt");
    assert_eq!(w.title, "SALT AND SILVER");
    assert_eq!(w.authors, ["K. Marlowe"]);
    assert_eq!(w.published, d("1994-10-26"));
    assert_eq!(labels(&w), ["Date"]);
    assert_eq!(w.field("Date"), Some("October 26, 1994"));
    let body = text(&w);
    assert!(body.starts_with("The fishwives said"), "{body}");
    assert!(body.ends_with("Tomas kept both."), "{body}");
    assert_eq!(w.end_marker.as_deref(), Some("-fin-"));
    // No header block: what was read from the opening is marked for a look, not the file name.
    assert!(w.needs_review.iter().any(|n| n
        == "no header block: title `SALT AND SILVER` and author `K. Marlowe` read from the story's opening"));
    assert!(!w.needs_review.iter().any(|n| n.contains("file name")));
}

#[test]
fn name_email_and_date_under_the_title_after_a_header_block() {
    let w = one("name-email-date.txt");
    assert_eq!(w.title, "The Ninth Bell");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(
        w.author_emails,
        [("Pell Tamsin".to_owned(), "pell@example.org".to_owned())]
    );
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Violence"]);
    assert_eq!(w.warnings, [ArchiveWarning::CreatorChoseNotToUse]);
    assert_eq!(labels(&w), ["Rating", "Fandom", "Warnings", "Date"]);
    assert_eq!(w.published, d("1994-10-26"));
    let body = text(&w);
    assert!(body.starts_with("Jory counted the bells"), "{body}");
    assert!(!body.contains("pell@example.org") && !body.contains("Ninth Bell"));
}

#[test]
fn in_a_post_the_storys_by_line_wins_and_the_poster_is_kept() {
    let w = one("poster-differs.txt");
    assert_eq!(w.title, "The Harbour Wall");
    assert_eq!(w.authors, ["Jane Doe"]);
    assert_eq!(w.field("Posted by"), Some("JDoe99"));
    assert_eq!(w.field("From"), Some("jd@example.com (JDoe99)"));
    assert_eq!(w.published, d("1994-10-26"));
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>Here's the one I promised at the meet.  Comments to the address above.</p>")
    );
    let body = text(&w);
    assert!(body.starts_with("The wall had stood"), "{body}");
    assert!(body.ends_with("looked at the sea."), "{body}");
    assert!(!body.contains("a story by") && !body.contains("tide waits"));
}

#[test]
fn mbox_posts_with_by_dot_and_name_email_by_lines() {
    let works = all("usenet-bylines.mbox");
    assert_eq!(works.len(), 2);
    let coin = &works[0];
    assert_eq!(coin.title, "The Ferryman's Coin");
    assert_eq!(coin.authors, ["Mira Wakefield"]);
    assert_eq!(coin.field("Posted by"), Some("Mira W"));
    let body = text(coin);
    assert!(body.starts_with("The ferryman took one coin"), "{body}");
    assert!(!body.contains("Wakefield") && !body.contains("END"));
    assert!(coin.complete);

    let tide = &works[1];
    assert_eq!(tide.title, "Low Tide");
    assert_eq!(tide.authors, ["Kit Wells"]);
    assert_eq!(tide.field("Posted by"), Some("kw"));
    assert_eq!(
        tide.author_emails,
        [("Kit Wells".to_owned(), "kw@example.org".to_owned())]
    );
    let body = text(tide);
    assert!(body.starts_with("The tide went out"), "{body}");
    assert!(!body.contains("Kit Wells"));
}
