//! Files with no header but a recognisable opening (issue 12, layout class 3): a centred
//! title, a by-line, a date, disclaimers before and after, end markers. One test per fixture
//! in `tests/data/legacy/no-header-openings/`, field by field.

use quire_core::Rating;
use quire_import::{ParsedWork, Profile, parse_path};
use std::path::Path;

fn one(name: &str) -> ParsedWork {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/no-header-openings"
    ))
    .join(name);
    let mut results = parse_path(&path, &Profile::default());
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    results.remove(0).unwrap_or_else(|e| panic!("{e}"))
}

fn labels(w: &ParsedWork) -> Vec<&str> {
    w.fields.iter().map(|(l, _)| l.as_str()).collect()
}

fn text(w: &ParsedWork) -> String {
    quire_text::html_to_text(&w.chapters[0].content)
        .trim()
        .to_owned()
}

fn reviewed(w: &ParsedWork, part: &str) -> bool {
    w.needs_review.iter().any(|n| n.contains(part))
}

#[test]
fn a_centred_title_alone_and_a_disclaimer_after_the_end() {
    let w = one("story17.txt");
    assert_eq!(w.title, "The Lighthouse Keeper's Cat");
    assert_eq!(w.authors, ["Anonymous"]);
    assert_eq!(w.rating, Rating::NotRated);
    assert!(reviewed(
        &w,
        "title `The Lighthouse Keeper's Cat` read from the centred first line"
    ));
    assert!(reviewed(&w, "no author given"));
    assert!(!reviewed(&w, "file name"));
    assert_eq!(labels(&w), ["Disclaimer"]);
    assert_eq!(
        w.field("Disclaimer"),
        Some("the lighthouse is real, the cat is mine, the keeper belongs to nobody at all.")
    );
    assert_eq!(w.end_marker.as_deref(), Some("End."));
    let body = text(&w);
    assert!(
        body.starts_with("The cat had been on the lighthouse"),
        "{body}"
    );
    assert!(body.ends_with("The cat followed him there too."), "{body}");
    assert!(!body.contains("Disclaimer") && !body.contains("Keeper's Cat"));
    assert!(w.complete);
}

#[test]
fn a_disclaimer_before_a_by_line_with_a_date_and_again_after_the_end() {
    let w = one("untitled-3.txt");
    assert_eq!(w.title, "Under the Pier");
    assert_eq!(w.authors, ["Sam Reed"]);
    assert_eq!(w.published, Some("1994-10-26".parse().unwrap()));
    assert_eq!(labels(&w), ["Date"]);
    assert_eq!(w.field("Date"), Some("26 Oct 1994"));
    let disclaimer = "<p>These characters are not mine; they belong to the Hollowmere books. No money is made here.</p>";
    assert_eq!(w.notes.as_deref(), Some(disclaimer));
    assert_eq!(w.end_notes.as_deref(), Some(disclaimer));
    assert!(reviewed(
        &w,
        "no header block: title `Under the Pier` and author `Sam Reed` read from the story's opening"
    ));
    assert_eq!(w.end_marker.as_deref(), Some("*END*"));
    let body = text(&w);
    assert!(
        body.starts_with("There was a door under the pier"),
        "{body}"
    );
    assert!(body.ends_with("It was also open."), "{body}");
    assert!(!body.contains("not mine") && !body.contains("Sam Reed"));
}

#[test]
fn written_by_under_a_title_and_a_note_after_the_end() {
    let w = one("file.txt");
    assert_eq!(w.title, "Gull Song");
    assert_eq!(w.authors, ["Wren Ashdown"]);
    assert_eq!(w.end_marker.as_deref(), Some("The End"));
    assert_eq!(
        w.end_notes.as_deref(),
        Some("<p>Feedback welcome!  Disclaimer: Hollowmere is not mine.</p>")
    );
    assert!(reviewed(&w, "read from the story's opening"));
    let body = text(&w);
    assert!(body.starts_with("The gulls sang only"), "{body}");
    assert!(body.ends_with("Mira learned every song."), "{body}");
}

#[test]
fn a_lowercase_centred_title_in_a_crlf_file_with_a_fin_marker() {
    let w = one("NF.TXT");
    assert_eq!(w.title, "the night ferry");
    assert_ne!(w.title, "NF");
    assert_eq!(w.end_marker.as_deref(), Some("-fin-"));
    let body = text(&w);
    assert!(body.starts_with("The last ferry left at eleven"), "{body}");
    assert!(body.ends_with("Nobody asked who."), "{body}");
    assert!(w.complete);
}
