//! FanFicFare's HTML output: `<h1>` title and author links, a `table.full` of `Label:` rows,
//! a table of contents, then chapters each opened by `<a name="sectionNNNN"><h2>…</h2></a>`.
//! (Its TXT output is read by [`crate::plaintext`] with FanFicFare's conventions.)

use crate::body::decide_complete;
use crate::dom::{sel, text_of};
use crate::error::ErrorReason;
use crate::header::{ApplyOptions, apply_fields, split_names};
use crate::profile::Profile;
use crate::work::{Format, ParsedWork, chapter_of};
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a"));
static ROWS: LazyLock<Selector> = LazyLock::new(|| sel("table.full tr"));
static CELLS: LazyLock<Selector> = LazyLock::new(|| sel("td"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H2: LazyLock<Selector> = LazyLock::new(|| sel("h2"));

/// True for FanFicFare's HTML layout.
pub fn looks_like_html(text: &str) -> bool {
    text.contains("name=\"TOCTOP\"")
        || (text.contains("<table class=\"full\">") && text.contains("name=\"section"))
}

fn section_title(e: ElementRef<'_>) -> Option<Option<String>> {
    let name = e.value().attr("name")?;
    if e.value().name() != "a" || !name.starts_with("section") {
        return None;
    }
    Some(e.select(&H2).next().map(text_of).filter(|t| !t.is_empty()))
}

/// Parses FanFicFare's HTML output.
pub fn parse_html(
    text: &str,
    path: &str,
    encoding: &str,
    hash: String,
    profile: &Profile,
) -> Result<ParsedWork, ErrorReason> {
    let doc = Html::parse_document(text);
    let mut work = ParsedWork::new(path, Format::FanFicFareHtml, encoding, hash);
    if let Some(h1) = doc.select(&H1).next() {
        let links: Vec<ElementRef<'_>> = h1.select(&LINK).collect();
        if let Some(first) = links.first() {
            work.title = text_of(*first);
            if let Some(href) = first.value().attr("href") {
                work.fields.push(("Story URL".to_owned(), href.to_owned()));
            }
            for a in &links[1..] {
                work.add_author(&text_of(*a));
            }
        }
        let whole = text_of(h1);
        if let Some((t, a)) = whole.rsplit_once(" by ") {
            if work.title.is_empty() {
                work.title = t.trim().to_owned();
            }
            if work.authors.is_empty() {
                split_names(a).iter().for_each(|n| work.add_author(n));
            }
        }
    }
    let fields: Vec<(String, String)> = doc
        .select(&ROWS)
        .filter_map(|row| {
            let cells: Vec<ElementRef<'_>> = row.select(&CELLS).collect();
            let label = text_of(*cells.first()?);
            let value = text_of(*cells.get(1)?);
            let label = label.trim_end_matches(':').trim().to_owned();
            (!label.is_empty()).then_some((label, value))
        })
        .collect();
    let facts = apply_fields(
        &mut work,
        &fields,
        profile,
        ApplyOptions {
            category_is_fandom: true,
        },
    );

    // Chapters: everything after each section anchor, up to the next one.
    let mut current: Option<(Option<String>, String)> = None;
    let mut finished = Vec::new();
    if let Some(body) = doc.select(&BODY).next() {
        for child in body.children() {
            let el = ElementRef::wrap(child);
            if let Some(title) = el.and_then(section_title) {
                if let Some(done) = current.take() {
                    finished.push(done);
                }
                current = Some((title, String::new()));
                continue;
            }
            if let Some((_, html)) = current.as_mut() {
                match child.value() {
                    Node::Text(t) => html.push_str(&quire_text::escape_text(t)),
                    Node::Element(_) => {
                        if let Some(e) = el {
                            html.push_str(&e.html());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    finished.extend(current);
    for (title, html) in finished {
        let mut ch = chapter_of(quire_text::sanitize_html(&html));
        ch.title = title;
        work.chapters.push(ch);
    }
    work.chapters
        .retain(|c| !quire_text::html_to_text(&c.content).trim().is_empty());
    if work.chapters.is_empty() {
        return Err(ErrorReason::NoBody);
    }
    work.complete = decide_complete(facts.status, &work, false);
    work.finalize(profile);
    Ok(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>The Keeper by Pell Tamsin</title></head>
<body>
<h1><a href="http://archive.example/viewstory.php?sid=413">The Keeper</a> by <a href="http://archive.example/viewuser.php?uid=77">Pell Tamsin</a></h1>
<table class="full">
<tr><td><b>Category:</b></td><td>Lanterns of Hollowmere</td></tr>
<tr><td><b>Rating:</b></td><td>PG</td></tr>
<tr><td><b>Status:</b></td><td>Completed</td></tr>
<tr><td><b>Summary:</b></td><td>Jory lights the last lamp.</td></tr>
</table>
<a name="TOCTOP"><h2>Table of Contents</h2></a>
<p><a href="#section0001">One</a><br /><a href="#section0002">Two</a><br /></p>
<a name="section0001"><h2>One</h2></a>
<div><p>Jory waited.</p></div>
<a name="section0002"><h2>Two</h2></a>
<p>The match would not strike.</p>
<p>Then it did.</p>
</body></html>"##;

    #[test]
    fn reads_fanficfare_html() {
        assert!(looks_like_html(PAGE));
        let w = parse_html(PAGE, "k.html", "UTF-8", String::new(), &Profile::default()).unwrap();
        assert_eq!(w.title, "The Keeper");
        assert_eq!(w.authors, ["Pell Tamsin"]);
        assert_eq!(
            w.tags_of(quire_core::TagKind::Fandom),
            ["Lanterns of Hollowmere"]
        );
        assert_eq!(w.rating, quire_core::Rating::GeneralAudiences);
        assert!(w.complete);
        assert_eq!(w.chapters.len(), 2);
        assert_eq!(w.chapters[0].title.as_deref(), Some("One"));
        assert_eq!(w.chapters[0].content, "<div><p>Jory waited.</p></div>");
        assert_eq!(
            w.chapters[1].content,
            "<p>The match would not strike.</p>\n<p>Then it did.</p>"
        );
        assert_eq!(
            w.summary.as_deref(),
            Some("<p>Jory lights the last lamp.</p>")
        );
    }
}
