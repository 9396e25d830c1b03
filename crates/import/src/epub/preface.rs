//! AO3-shaped books: a preface (tag list, title, by-line, summary and notes), chapters (a
//! heading, chapter summary and notes, the text, chapter end notes) and an afterword (end
//! notes). AO3's EPUBs are its HTML download run through calibre, which splits the page into
//! one file per chapter and may rename classes (`userstuff1`), so the pages are read as one
//! stream of pieces — headings, `Summary`/`Notes` labels with their blockquotes, the tag
//! list, text blocks — whatever files and wrappers they sit in. Quire's own EPUBs have the
//! same parts.

use super::Doc;
use crate::ao3::{apply_tag_row, tag_values};
use crate::dom::{sel, text_of};
use crate::header::{append_html, split_names};
use crate::profile::Profile;
use crate::work::{ParsedChapter, ParsedWork};
use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static AUTHOR: LazyLock<Selector> = LazyLock::new(|| sel("a[rel=author]"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static TAG_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<dt[^>]*>\s*(rating|archive warnings?|fandoms?|stats)\s*:?\s*</dt>")
        .expect("valid regex")
});
static WORK_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://(?:www\.)?archiveofourown\.org/works/(\d+)/?$").expect("valid regex")
});
static CHAPTER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:chapter\s+\d+\s*(?:[:.\-\u{2013}\u{2014}]\s*)?|\d+\.\s+)")
        .expect("valid regex")
});

/// True for a page with AO3's tag list (`<dt>Rating:</dt>`, `<dt>Fandom:</dt>`, …).
pub(super) fn is_preface_page(html: &str) -> bool {
    TAG_ROW.find_iter(html).count() >= 2
}

/// The labels that introduce a blockquote of notes.
fn note_label(text: &str) -> Option<String> {
    let l = text.trim().trim_end_matches(':').trim().to_lowercase();
    matches!(
        l.as_str(),
        "summary"
            | "notes"
            | "end notes"
            | "chapter summary"
            | "chapter notes"
            | "chapter end notes"
            | "author's note"
            | "author's notes"
    )
    .then_some(l)
}

/// A class name without calibre's numbering (`userstuff1` → `userstuff`).
fn has_class(e: ElementRef<'_>, class: &str) -> bool {
    e.value()
        .classes()
        .any(|c| c.trim_end_matches(|ch: char| ch.is_ascii_digit()) == class)
}

/// One piece of the book, in reading order.
#[derive(Debug)]
enum Piece {
    DocStart(Option<String>),
    Heading(u8, String),
    Label(String),
    Quote(String),
    /// The rows of a tag list: label, value text, the values.
    Tags(Vec<(String, String, Vec<String>)>),
    Byline(Vec<String>),
    Link(String),
    Text(String),
    Loose(String),
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        _ => None,
    }
}

/// Would this element be a piece of its own?
fn is_marker(e: ElementRef<'_>) -> bool {
    let name = e.value().name();
    heading_level(name).is_some()
        || matches!(name, "blockquote" | "dl")
        || has_class(e, "userstuff")
        || has_class(e, "byline")
        || has_class(e, "message")
        || (name == "p" && note_label(&text_of(e)).is_some())
}

fn pieces(doc: &Html, out: &mut Vec<Piece>, after_h1: &mut bool) {
    let Some(body) = doc.select(&BODY).next() else {
        return;
    };
    let mut stack: Vec<NodeRef<'_, Node>> = body.children().rev().collect();
    while let Some(node) = stack.pop() {
        let Some(e) = ElementRef::wrap(node) else {
            if let Node::Text(t) = node.value()
                && !t.trim().is_empty()
            {
                out.push(Piece::Loose(quire_text::escape_text(t)));
            }
            continue;
        };
        let name = e.value().name();
        if has_class(e, "provenance") || has_class(e, "endnote-link") || name == "nav" {
            continue;
        }
        if let Some(level) = heading_level(name) {
            *after_h1 = level == 1;
            out.push(Piece::Heading(level, text_of(e)));
            continue;
        }
        let was_after_h1 = std::mem::replace(after_h1, false);
        let text = text_of(e);
        if has_class(e, "message") || text.starts_with("Posted originally on") {
            out.extend(
                e.select(&LINK)
                    .filter_map(|a| a.value().attr("href"))
                    .map(|h| Piece::Link(h.to_owned())),
            );
            continue;
        }
        if has_class(e, "byline")
            || (was_after_h1 && matches!(name, "p" | "div") && text.starts_with("by "))
        {
            let mut names: Vec<String> = e.select(&AUTHOR).map(text_of).collect();
            if names.is_empty() {
                names = split_names(text.trim_start_matches("by "));
            }
            out.push(Piece::Byline(names));
            continue;
        }
        match name {
            "blockquote" => {
                out.push(Piece::Quote(e.inner_html()));
                continue;
            }
            "dl" => {
                let mut rows = Vec::new();
                let mut label = String::new();
                for child in e.children().filter_map(ElementRef::wrap) {
                    match child.value().name() {
                        "dt" => label = text_of(child).trim_end_matches(':').trim().to_owned(),
                        "dd" => rows.push((label.clone(), text_of(child), tag_values(child))),
                        _ => {}
                    }
                }
                out.push(Piece::Tags(rows));
                continue;
            }
            "p" if note_label(&text).is_some() => {
                out.push(Piece::Label(note_label(&text).unwrap_or_default()));
                continue;
            }
            _ => {}
        }
        let inner = e.descendants().skip(1).filter_map(ElementRef::wrap);
        let nested = inner.clone().any(is_marker);
        let innermost = !inner
            .clone()
            .any(|d| has_class(d, "userstuff") && d.value().name() != "blockquote");
        if has_class(e, "userstuff") && innermost {
            out.push(Piece::Text(e.inner_html()));
        } else if nested {
            stack.extend(e.children().rev());
        } else if !text.is_empty() {
            out.push(Piece::Loose(e.html()));
        }
    }
}

/// The chapter being read: its parts, and the text found outside any `userstuff` block.
#[derive(Default)]
struct Open {
    chapter: ParsedChapter,
    text: String,
    loose: String,
    toc_label: Option<String>,
}

impl Open {
    fn is_empty(&self) -> bool {
        self.text.is_empty()
            && self.loose.trim().is_empty()
            && self.chapter.notes.is_none()
            && self.chapter.summary.is_none()
    }

    fn close(self, work: &mut ParsedWork) {
        let raw = if self.text.trim().is_empty() {
            &self.loose
        } else {
            &self.text
        };
        let content = super::sanitize(raw);
        let mut ch = self.chapter;
        // A one-chapter book's table of contents names the chapter after the work.
        if ch.title.is_none() {
            ch.title = self
                .toc_label
                .as_deref()
                .filter(|l| !l.trim().eq_ignore_ascii_case(work.title.trim()))
                .and_then(chapter_title);
        }
        ch.word_count = quire_text::word_count_html(&content);
        ch.content = content;
        ch.posted = true;
        work.chapters.push(ch);
    }
}

/// `Chapter 2: The Ferry` → `The Ferry`; `Chapter 2` → none.
pub(super) fn chapter_title(heading: &str) -> Option<String> {
    let t = CHAPTER_PREFIX.replace(heading.trim(), "").trim().to_owned();
    (!t.is_empty()).then_some(t)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Region {
    Preface,
    Chapters,
    Afterword,
}

/// Reads an AO3-shaped book's pages into `work`.
pub(super) fn read(docs: &[Doc], work: &mut ParsedWork, profile: &Profile) {
    let parsed: Vec<Html> = docs
        .iter()
        .filter(|d| !d.is_nav)
        .map(|d| Html::parse_document(&d.html))
        .collect();
    let mut all = Vec::new();
    let mut after_h1 = false;
    for (doc, html) in docs.iter().filter(|d| !d.is_nav).zip(&parsed) {
        all.push(Piece::DocStart(doc.toc_label.clone()));
        pieces(html, &mut all, &mut after_h1);
    }
    let mut region = Region::Preface;
    let mut saw_tags = false;
    let mut label: Option<String> = None;
    let mut open: Option<Open> = None;
    let mut status = None;
    for piece in all {
        match piece {
            Piece::DocStart(toc) => {
                if region == Region::Preface && saw_tags {
                    region = Region::Chapters;
                }
                if region == Region::Chapters {
                    match open.as_mut() {
                        Some(o) if o.is_empty() => o.toc_label = toc,
                        Some(_) => {}
                        None => {
                            open = Some(Open {
                                toc_label: toc,
                                ..Open::default()
                            })
                        }
                    }
                }
            }
            Piece::Heading(level, text) => {
                let lower = text.to_lowercase();
                if lower == "preface" {
                    region = Region::Preface;
                } else if lower == "afterword" {
                    if let Some(o) = open.take() {
                        o.close(work);
                    }
                    region = Region::Afterword;
                } else if level == 1 && region == Region::Preface {
                    if work.title.is_empty() {
                        work.title = text;
                    }
                } else if region != Region::Afterword && level >= 2 {
                    region = Region::Chapters;
                    let title = chapter_title(&text);
                    match open.as_mut() {
                        Some(o) if o.is_empty() => o.chapter.title = title,
                        _ => {
                            if let Some(o) = open.take() {
                                o.close(work);
                            }
                            let mut o = Open::default();
                            o.chapter.title = title;
                            open = Some(o);
                        }
                    }
                }
                label = None;
            }
            Piece::Label(l) => label = Some(l),
            Piece::Quote(html) => {
                let html = super::sanitize(&html);
                let l = label.take();
                match (region, l.as_deref(), open.as_mut()) {
                    (Region::Preface, Some("summary"), _) => append_html(&mut work.summary, html),
                    (Region::Preface, Some("end notes"), _) => {
                        append_html(&mut work.end_notes, html)
                    }
                    (Region::Preface, Some(_), _) => append_html(&mut work.notes, html),
                    (Region::Chapters, Some(l), Some(o)) if l.contains("summary") => {
                        append_html(&mut o.chapter.summary, html);
                    }
                    (Region::Chapters, Some(l), Some(o)) if l.contains("end notes") => {
                        append_html(&mut o.chapter.end_notes, html);
                    }
                    (Region::Chapters, Some(_), Some(o)) => append_html(&mut o.chapter.notes, html),
                    (Region::Chapters, None, Some(o)) => {
                        o.loose.push_str("<blockquote>");
                        o.loose.push_str(&html);
                        o.loose.push_str("</blockquote>");
                    }
                    (Region::Afterword, Some(l), _) if l.contains("end notes") => {
                        append_html(&mut work.end_notes, html);
                    }
                    _ => {}
                }
            }
            Piece::Tags(rows) if region == Region::Preface && !saw_tags => {
                saw_tags = true;
                for (row_label, text, values) in rows {
                    status = apply_tag_row(work, &row_label, &text, &values, profile).or(status);
                }
            }
            Piece::Tags(_) => {}
            Piece::Byline(names) => {
                if region == Region::Preface && work.authors.is_empty() {
                    names.iter().for_each(|n| work.add_author(n));
                }
            }
            Piece::Link(href) => {
                if let Some(c) = WORK_URL.captures(&href)
                    && work.original_id.is_none()
                {
                    work.original_id = Some(c[1].to_owned());
                    work.archive = Some("Archive of Our Own".to_owned());
                    work.fields.push(("Source URL".to_owned(), href.clone()));
                }
            }
            Piece::Text(html) => {
                if region == Region::Preface {
                    region = Region::Chapters;
                }
                if region == Region::Chapters {
                    open.get_or_insert_with(Open::default).text.push_str(&html);
                }
            }
            Piece::Loose(html) => {
                if region == Region::Chapters
                    && let Some(o) = open.as_mut()
                {
                    o.loose.push_str(&html);
                }
            }
        }
    }
    if let Some(o) = open.take() {
        o.close(work);
    }
    if let Some(s) = status {
        work.complete = s;
    }
}
