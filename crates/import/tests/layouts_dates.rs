//! Dates as files give them (issue 12, layout class 4): mail `Date:` headers, `10/26/94`,
//! `26 Oct 1994`, `October 26, 1994`, two-digit years, published = the earliest. One test per
//! fixture in `tests/data/legacy/dates/`.

use quire_import::{ParsedWork, Profile, parse_path};
use std::path::Path;

fn one_with(name: &str, profile: &Profile) -> ParsedWork {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/dates"
    ))
    .join(name);
    let mut results = parse_path(&path, profile);
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    results.remove(0).unwrap_or_else(|e| panic!("{e}"))
}

fn one(name: &str) -> ParsedWork {
    one_with(name, &Profile::default())
}

fn d(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().expect("a date"))
}

#[test]
fn numeric_dates_with_two_digit_years_are_19xx() {
    let w = one("numeric-two-digit.txt");
    assert_eq!(w.title, "Three Tides");
    assert_eq!(w.published, d("1994-10-26"));
    assert_eq!(w.updated, d("1994-11-02"));
    assert_eq!(w.field("Date"), Some("10/26/94"));
    assert_eq!(w.field("Updated"), Some("11/02/94"));
    // 11/02/94 could be 11 February: read month-first, and said so.
    assert!(
        w.needs_review
            .iter()
            .any(|n| n == "ambiguous date `11/02/94` read month-first as 1994-11-02"),
        "{:?}",
        w.needs_review
    );
    let dmy = Profile {
        date_order: Some(quire_import::DateOrder::Dmy),
        ..Profile::default()
    };
    // With the profile's order there is nothing to guess.
    let w = one_with("numeric-two-digit.txt", &dmy);
    assert!(!w.needs_review.iter().any(|n| n.contains("ambiguous")));
    assert_eq!(w.published, d("1994-10-26"));
}

#[test]
fn month_name_dates_and_the_earliest_is_published() {
    let w = one("month-names.txt");
    assert_eq!(w.title, "The Salt Clock");
    assert_eq!(w.authors, ["K. Marlowe"]);
    let labels: Vec<&str> = w.fields.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["Date", "Posted", "Archived"]);
    assert_eq!(w.field("Date"), Some("October 26, 1994"));
    assert_eq!(w.field("Posted"), Some("28 Oct 1994"));
    // October 26 (by-line) is earlier than the Posted: label's 28 Oct.
    assert_eq!(w.published, d("1994-10-26"));
    assert!(!w.needs_review.iter().any(|n| n.contains("date")));
    let body = quire_text::html_to_text(&w.chapters[0].content);
    assert_eq!(
        body.trim(),
        "The salt clock kept time by the sea, and the sea was never early."
    );
}

#[test]
fn a_posts_by_line_date_before_its_mail_date_is_the_published_date() {
    let w = one("mail-date.txt");
    assert_eq!(w.title, "Lamp Oil");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(w.published, d("1994-10-24"));
    assert_eq!(w.updated, d("1994-10-31"));
    assert_eq!(w.field("Date"), Some("Mon, 31 Oct 1994 09:30:00 +0100"));
    assert!(w.fields.iter().any(|(l, v)| l == "Date" && v == "10/24/94"));
    let body = quire_text::html_to_text(&w.chapters[0].content);
    assert!(
        body.trim().starts_with("Jory carried the lamp oil"),
        "{body}"
    );
}

#[test]
fn a_work_with_no_date_anywhere_is_marked_for_review() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/no-header.txt"
    ));
    let w = parse_path(path, &Profile::default()).remove(0).unwrap();
    assert_eq!(w.published, None);
    assert!(
        w.needs_review
            .iter()
            .any(|n| n == "no date given: published date unknown")
    );
}
