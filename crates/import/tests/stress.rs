//! Pathological inputs: very deep nesting and long files parse without overflowing the stack.

use quire_import::{Profile, parse_bytes};

#[test]
fn deeply_nested_html_does_not_overflow() {
    let depth = 3_000;
    let mut html = String::from("<html><body><div id=\"story\">");
    for _ in 0..depth {
        html.push_str("<div><i>");
    }
    html.push_str("deep words</body></html>");
    let (entries, _) = parse_bytes(html.as_bytes(), "deep.html", None, &Profile::default());
    assert_eq!(entries.len(), 1);
    let w = entries[0].as_ref().expect("a work");
    assert!(w.chapters[0].content.contains("deep words"));
}

#[test]
fn deeply_nested_plain_markup_in_an_ao3_download_does_not_overflow() {
    let mut html = String::from(
        "<html><body><div id=\"preface\"></div><div id=\"chapters\"><div class=\"userstuff\">",
    );
    for _ in 0..3_000 {
        html.push_str("<blockquote>");
    }
    html.push_str("words</body></html>");
    let (entries, _) = parse_bytes(html.as_bytes(), "deep.html", None, &Profile::default());
    assert_eq!(entries.len(), 1);
}

#[test]
fn many_stories_parse_quickly() {
    let text = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/archive-header.txt"
    ));
    let start = std::time::Instant::now();
    for _ in 0..500 {
        let (entries, _) = parse_bytes(text, "a.txt", None, &Profile::default());
        assert!(entries[0].is_ok());
    }
    let per_second = 500.0 / start.elapsed().as_secs_f64();
    println!("{per_second:.0} stories/s");
}
