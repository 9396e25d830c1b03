//! FanFicFare's EPUBs: a title page (`<h3><a href=URL>Title</a> by <a>Author</a></h3>` over
//! `<b>Label:</b> value<br />` lines or a `table.full` of rows), an optional table of contents
//! page and "Update Log" page (left out), and one `fileNNNN.xhtml` per chapter opened by an
//! `<h3 class="fff_chapter_title">`.

use super::Doc;
use super::generic::{body_without_heading, first_heading};
use crate::body::decide_complete;
use crate::dom::{sel, text_of};
use crate::header::{ApplyOptions, apply_fields, split_label, split_names};
use crate::profile::Profile;
use crate::work::{ParsedWork, chapter_of};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a"));
static ROWS: LazyLock<Selector> = LazyLock::new(|| sel("table tr"));
static CELLS: LazyLock<Selector> = LazyLock::new(|| sel("td, th"));
static CHAPTER_TITLE: LazyLock<Selector> =
    LazyLock::new(|| sel("h3.fff_chapter_title, .fff_chapter_title"));
static META_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("meta[name=chaptertitle]"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Title,
    Contents,
    Log,
    Cover,
    Chapter,
}

fn page_of(doc: &Doc, html: &Html) -> Page {
    let class = html
        .select(&BODY)
        .next()
        .and_then(|b| b.value().attr("class"))
        .unwrap_or_default();
    let file = doc.path.rsplit('/').next().unwrap_or_default();
    let heading = first_heading(html).map(|h| text_of(h).to_lowercase());
    if class.contains("fff_titlepage") || file == "title_page.xhtml" {
        Page::Title
    } else if class.contains("fff_logpage")
        || file == "log_page.xhtml"
        || heading.as_deref() == Some("update log")
    {
        Page::Log
    } else if class.contains("fff_tocpage") || file == "toc_page.xhtml" {
        Page::Contents
    } else if class.contains("fff_coverpage") || file == "cover.xhtml" {
        Page::Cover
    } else {
        Page::Chapter
    }
}

/// The title page's `Label: value` entries: table rows, or formatted lines with the unlabelled
/// lines under a label (a summary's paragraphs) joined to its value.
fn title_fields(body: ElementRef<'_>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let rows: Vec<ElementRef<'_>> = body.select(&ROWS).collect();
    if !rows.is_empty() {
        for row in rows {
            let cells: Vec<ElementRef<'_>> = row.select(&CELLS).collect();
            match cells.as_slice() {
                [label, value, ..] => {
                    let label = text_of(*label).trim_end_matches(':').trim().to_owned();
                    if !label.is_empty() {
                        fields.push((label, cell_text(*value)));
                    }
                }
                [one] => {
                    let text = cell_text(*one);
                    let (first, rest) = text.split_once("\n\n").unwrap_or((&text, ""));
                    if let Some((l, v)) = split_label(first) {
                        let value = if rest.is_empty() {
                            v.to_owned()
                        } else if v.is_empty() {
                            rest.to_owned()
                        } else {
                            format!("{v}\n\n{rest}")
                        };
                        fields.push((l.to_owned(), value));
                    }
                }
                [] => {}
            }
        }
        return fields;
    }
    let text = quire_text::html_to_text(&body.inner_html());
    let mut in_heading = true;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if let Some((_, v)) = fields.last_mut()
                && !v.is_empty()
                && !v.ends_with("\n\n")
            {
                v.push_str("\n\n");
            }
            continue;
        }
        match split_label(line) {
            Some((l, v)) => {
                in_heading = false;
                fields.push((l.to_owned(), v.to_owned()));
            }
            None if in_heading => {}
            None => {
                if let Some((_, v)) = fields.last_mut() {
                    if !v.is_empty() && !v.ends_with('\n') {
                        v.push(' ');
                    }
                    v.push_str(line);
                }
            }
        }
    }
    for (_, v) in &mut fields {
        *v = v.trim().to_owned();
    }
    fields
}

/// A cell's text, its paragraphs kept apart by blank lines.
fn cell_text(cell: ElementRef<'_>) -> String {
    let text = quire_text::html_to_text(&cell.inner_html());
    let mut out = String::new();
    for para in text.split("\n\n") {
        let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p);
        }
    }
    out
}

/// Reads a FanFicFare book's pages into `work`.
pub(super) fn read(docs: &[Doc], work: &mut ParsedWork, profile: &Profile) {
    let mut status = None;
    for doc in docs.iter().filter(|d| !d.is_nav) {
        let html = Html::parse_document(&doc.html);
        let Some(body) = html.select(&BODY).next() else {
            continue;
        };
        match page_of(doc, &html) {
            Page::Title => {
                if let Some(h) = first_heading(&html) {
                    let links: Vec<ElementRef<'_>> = h.select(&LINK).collect();
                    if let Some(first) = links.first() {
                        work.title = text_of(*first);
                        if let Some(href) = first.value().attr("href") {
                            work.fields.push(("Story URL".to_owned(), href.to_owned()));
                            work.original_id = Some(href.to_owned());
                        }
                        links[1..]
                            .iter()
                            .for_each(|a| work.add_author(&text_of(*a)));
                    }
                    if let Some((t, a)) = text_of(h).rsplit_once(" by ") {
                        if work.title.is_empty() {
                            work.title = t.trim().to_owned();
                        }
                        if work.authors.is_empty() {
                            split_names(a).iter().for_each(|n| work.add_author(n));
                        }
                    }
                }
                let fields = title_fields(body);
                let facts = apply_fields(
                    work,
                    &fields,
                    profile,
                    ApplyOptions {
                        category_is_fandom: true,
                    },
                );
                status = facts.status.or(status);
            }
            Page::Log => work
                .report_notes
                .push("FanFicFare's Update Log page left out".to_owned()),
            Page::Contents | Page::Cover => {}
            Page::Chapter => {
                let marked = html.select(&CHAPTER_TITLE).next().map(text_of);
                let title = marked
                    .clone()
                    .or_else(|| {
                        html.select(&META_TITLE)
                            .next()
                            .and_then(|m| m.value().attr("content"))
                            .map(str::to_owned)
                    })
                    .or_else(|| doc.toc_label.clone())
                    .or_else(|| first_heading(&html).map(text_of));
                let content = body_without_heading(body, title.as_deref());
                let mut ch = chapter_of(super::sanitize(&content));
                ch.title = title.filter(|t| !t.is_empty());
                work.chapters.push(ch);
            }
        }
    }
    work.complete = decide_complete(status, work, false);
}
