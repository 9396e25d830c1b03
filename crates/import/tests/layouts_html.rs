//! Archive HTML pages whose header is formatted text (issue 12, layout class 1), one test per
//! fixture in `tests/data/legacy/html-formatted/`, field by field.

use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_import::{ParsedWork, Profile, parse_path};
use std::path::Path;

fn one(name: &str) -> ParsedWork {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/html-formatted"
    ))
    .join(name);
    let mut results = parse_path(&path, &Profile::default());
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    match results.remove(0) {
        Ok(w) => w,
        Err(e) => panic!("{e}"),
    }
}

fn labels(w: &ParsedWork) -> Vec<&str> {
    w.fields.iter().map(|(l, _)| l.as_str()).collect()
}

fn text(w: &ParsedWork) -> String {
    quire_text::html_to_text(&w.chapters[0].content)
        .trim()
        .to_owned()
}

#[test]
fn bold_labels_under_a_centred_font_title_block_and_an_hr() {
    let w = one("bold-labels.html");
    assert_eq!(w.title, "The Glass Ferry");
    assert_eq!(w.authors, ["Mira Holt"]);
    assert_eq!(
        w.author_emails,
        [("Mira Holt".to_owned(), "mira.holt@example.net".to_owned())]
    );
    assert_eq!(w.archive.as_deref(), Some("Harbour Lights Archive"));
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG-13"));
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.tags_of(TagKind::Relationship), ["Mira/Tomas"]);
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>The ferry is made of glass, and it only sails at night.</p>")
    );
    assert_eq!(
        labels(&w),
        ["Rating", "Fandom", "Pairing", "Summary", "Disclaimer"]
    );
    assert_eq!(w.field("Disclaimer"), Some("Hollowmere is not mine."));
    // Declared iso-8859-1, written in Windows-1252: the curly quotes and dashes come through.
    assert_eq!(w.encoding, "windows-1252");
    let body = text(&w);
    assert!(
        body.starts_with("\u{201c}You can see the fish through the floor,\u{201d} Tomas said."),
        "{body}"
    );
    assert!(body.contains("\u{201c}Don\u{2019}t look down.\u{201d}"));
    assert!(body.contains("looked down \u{2013} of course"));
    assert!(body.trim_end().ends_with("The ferryman only laughed."));
    for header in ["Rating", "PG-13", "Glass Ferry", "Mira Holt", "Disclaimer"] {
        assert!(!body.contains(header), "{header} left in the body: {body}");
    }
    assert!(w.complete);
    assert_eq!(w.chapters.len(), 1);
}

#[test]
fn strong_font_and_italic_labels_with_a_heading_and_no_hr() {
    let w = one("strong-font-labels.html");
    assert_eq!(w.title, "The Lantern Gate");
    assert_eq!(w.authors, ["Odile Fairweather"]);
    // No archive name in the <title>: none is made up.
    assert_eq!(w.archive, None);
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(w.original_rating.as_deref(), Some("R"));
    assert_eq!(w.warnings, [ArchiveWarning::MajorCharacterDeath]);
    assert_eq!(w.tags_of(TagKind::Character), ["Odile", "the Gatekeeper"]);
    assert_eq!(
        labels(&w),
        ["Rating", "Warnings", "Characters", "Beta reader", "Notes"]
    );
    assert_eq!(w.field("Beta reader"), Some("Wren Ashdown"));
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>Written for the winter exchange.</p>")
    );
    assert_eq!(w.encoding, "UTF-8");
    let body = text(&w);
    assert!(
        body.starts_with("The gate had been shut for a hundred years"),
        "{body}"
    );
    assert!(body.trim_end().ends_with("Her second was turning it."));
    assert!(!body.contains("winter exchange"));
    assert!(!body.contains("Fairweather"));
}

#[test]
fn table_rows_inside_a_page_wide_font_wrapper() {
    let w = one("table-rows.html");
    assert_eq!(w.title, "Nine Bells");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(
        w.author_emails,
        [("Pell Tamsin".to_owned(), "pell@example.org".to_owned())]
    );
    assert_eq!(w.archive.as_deref(), Some("Old Hollowmere Fic Archive"));
    assert_eq!(w.rating, Rating::Explicit);
    assert_eq!(w.original_rating.as_deref(), Some("NC-17"));
    assert_eq!(w.categories, [Category::MM]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Angst"]);
    assert_eq!(
        labels(&w),
        ["Title", "Author", "Rating", "Category", "Archive"]
    );
    assert_eq!(w.field("Archive"), Some("Yes, just ask"));
    let body = text(&w);
    assert!(body.starts_with("Jory counted the bells"), "{body}");
    assert!(body.contains("There should only have been eight."));
    assert!(body.trim_end().ends_with("who had rung the ninth."));
    assert!(!body.contains("NC-17") && !body.contains("Title"));
}

#[test]
fn a_definition_list_after_a_heading_and_a_story_by_line() {
    let w = one("definition-list.html");
    assert_eq!(w.title, "The Salt Road");
    assert_eq!(w.authors, ["K. Marlowe"]);
    assert_eq!(w.archive, None);
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>Two children walk to the sea to buy salt.</p>")
    );
    assert_eq!(labels(&w), ["Rating", "Fandoms", "Summary", "Word Count"]);
    let body = text(&w);
    assert!(body.starts_with("The road to the sea was white"), "{body}");
    assert!(
        body.trim_end()
            .ends_with("\u{201c}As far as it is,\u{201d} said the elder.")
    );
    assert!(!body.contains("Salt Road") && !body.contains("Marlowe"));
    assert_eq!(w.needs_review, ["no date given: published date unknown"]);
}

#[test]
fn a_centred_paragraph_title_labels_in_a_paragraph_and_a_note_before_the_hr() {
    let w = one("centred-paragraph-and-note.html");
    assert_eq!(w.title, "Wick and Wax");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(w.archive.as_deref(), Some("Tales from the Lamp"));
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(labels(&w), ["Rating", "Spoilers", "Summary"]);
    assert_eq!(w.field("Spoilers"), Some("Book Two"));
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>Please don't archive without asking. Thanks to Wren for the beta!</p>")
    );
    let body = text(&w);
    assert!(body.starts_with("The candle-maker's daughter"), "{body}");
    assert!(
        body.ends_with("She never told anyone that, either."),
        "{body}"
    );
    assert!(!body.contains("archive without asking"));
}

#[test]
fn plain_lowercase_labels_in_a_blockquote_before_an_hr() {
    let w = one("bare-text-labels.html");
    assert_eq!(w.title, "The Net Mender");
    assert_eq!(w.authors, ["Odile Fairweather"]);
    assert_eq!(
        w.author_emails,
        [(
            "Odile Fairweather".to_owned(),
            "odile@example.net".to_owned()
        )]
    );
    assert_eq!(w.archive, None);
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("pg-13"));
    assert_eq!(labels(&w), ["title", "author", "rating", "feedback"]);
    assert_eq!(w.encoding, "windows-1252");
    let body = text(&w);
    assert!(body.starts_with("Odile mended nets"), "{body}");
    assert!(body.contains("by its owner \u{2013} every one."));
    assert!(body.ends_with("knots she did not know."), "{body}");
    assert!(!body.contains("yes please"));
}
