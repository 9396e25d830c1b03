//! Any other EPUB: one chapter per content document of the spine that holds text, titled
//! from the table of contents (NCX or nav) or the document's first heading; cover, title
//! and contents pages left out. Tags come from the package's `dc:subject`s.

use super::Doc;
use crate::dom::{sel, text_of};
use crate::profile::Profile;
use crate::rating_map::{CategoryItem, WarningItem, map_category, map_warning};
use crate::work::{ParsedWork, chapter_of};
use quire_core::{Rating, TagKind};
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| sel("h1, h2, h3"));
static TYPED: LazyLock<Selector> = LazyLock::new(|| sel("body, section, div"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));

/// The document's first heading.
pub(super) fn first_heading(html: &Html) -> Option<ElementRef<'_>> {
    html.select(&HEADING).next()
}

/// The body's HTML without the heading that gives the chapter's title (the first heading, when
/// its text is the title or nothing comes before it).
pub(super) fn body_without_heading(body: ElementRef<'_>, title: Option<&str>) -> String {
    let heading = body.select(&HEADING).next().filter(|h| {
        let text = text_of(*h);
        title.is_some_and(|t| text.eq_ignore_ascii_case(t.trim()))
            || body
                .descendants()
                .take_while(|n| n.id() != h.id())
                .all(|n| n.value().as_text().is_none_or(|t| t.trim().is_empty()))
    });
    let mut out = String::with_capacity(body.html().len());
    push_without(body, heading.map(|h| h.id()), &mut out);
    out
}

fn push_without(e: ElementRef<'_>, skip: Option<ego_tree::NodeId>, out: &mut String) {
    for child in e.children() {
        if Some(child.id()) == skip {
            continue;
        }
        match child.value() {
            Node::Text(t) => out.push_str(&quire_text::escape_text(t)),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    let holds = skip.is_some_and(|s| c.descendants().any(|d| d.id() == s));
                    if holds {
                        // Only the wrapper's content: the sanitizer drops unknown wrappers anyway.
                        push_without(c, skip, out);
                    } else {
                        out.push_str(&c.html());
                    }
                }
            }
            _ => {}
        }
    }
}

fn epub_types(html: &Html) -> String {
    html.select(&TYPED)
        .filter_map(|e| e.value().attr("epub:type"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads each text document of the spine as one chapter.
pub(super) fn read(docs: &[Doc], work: &mut ParsedWork) {
    for doc in docs.iter().filter(|d| !d.is_nav) {
        let html = Html::parse_document(&doc.html);
        let Some(body) = html.select(&BODY).next() else {
            continue;
        };
        let text = quire_text::html_to_text(&body.inner_html());
        let words = quire_text::word_count_text(&text);
        let file = doc
            .path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let types = epub_types(&html);
        let heading = first_heading(&html).map(text_of);
        let label = doc.toc_label.clone().or_else(|| heading.clone());
        let lower = label.as_deref().unwrap_or_default().to_lowercase();
        let links = body.select(&LINK).count();
        let front = types.contains("cover")
            || types.contains("titlepage")
            || types.contains("toc")
            || ((file.contains("cover") || file.contains("title")) && words < 150)
            || (matches!(lower.as_str(), "contents" | "table of contents") && links > 0);
        if front || words == 0 {
            continue;
        }
        let content = body_without_heading(body, heading.as_deref());
        let mut ch = chapter_of(super::sanitize(&content));
        ch.title = label.as_deref().and_then(super::preface::chapter_title);
        work.chapters.push(ch);
    }
}

/// The package's subjects as tags: AO3 rating, warning and category names where they are
/// ones, the rest freeform tags (`Fanworks`, calibre's filler, left out).
pub(super) fn apply_subjects(subjects: &[String], work: &mut ParsedWork, profile: &Profile) {
    for s in subjects.iter().map(|s| s.trim()) {
        if s.is_empty() || s.eq_ignore_ascii_case("Fanworks") {
            continue;
        }
        if let Ok(r) = s.parse::<Rating>() {
            if work.original_rating.is_none() {
                work.original_rating = Some(s.to_owned());
                work.rating = r;
            }
            continue;
        }
        if let WarningItem::Warning(w) = map_warning(s, profile)
            && s.parse::<quire_core::ArchiveWarning>().is_ok()
        {
            work.add_warning(w);
            continue;
        }
        match map_category(s, profile) {
            CategoryItem::Category(c) if s.parse::<quire_core::Category>().is_ok() => {
                work.add_category(c);
            }
            _ => work.add_tag(TagKind::Freeform, s),
        }
    }
}
