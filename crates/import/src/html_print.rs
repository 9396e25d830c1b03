//! eFiction's "print story" pages (`printstory.php`): every chapter of a story on one page,
//! with its title and notes.

use crate::dom::{sel, text_of};
use crate::work::ParsedChapter;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static CHAPTER_TEXT: LazyLock<Selector> = LazyLock::new(|| sel("div.chapter"));
static NOTE_TEXT: LazyLock<Selector> = LazyLock::new(|| sel(".noteinfo"));
static NOTE_TITLE: LazyLock<Selector> = LazyLock::new(|| sel(".title"));

/// Chapters of an eFiction "print story" page, and the nodes they were read from.
#[derive(Default)]
pub(crate) struct Printed {
    pub chapters: Vec<ParsedChapter>,
    pub nodes: Vec<ego_tree::NodeId>,
}

fn has_class(e: ElementRef<'_>, class: &str) -> bool {
    e.value().classes().any(|c| c.eq_ignore_ascii_case(class))
}

/// eFiction's `printstory.php` layout: `.chaptertitle`, `.notes` (`.title` + `.noteinfo`),
/// `.chapter` and more `.notes` for each chapter, as siblings.
pub(crate) fn printed_chapters(doc: &Html) -> Printed {
    let mut printed = Printed::default();
    let Some(first) = doc.select(&CHAPTER_TEXT).next() else {
        return printed;
    };
    let Some(parent) = first.parent().and_then(ElementRef::wrap) else {
        return printed;
    };
    let siblings: Vec<ElementRef<'_>> = parent.children().filter_map(ElementRef::wrap).collect();
    if !siblings.iter().any(|e| has_class(*e, "chaptertitle")) {
        return printed;
    }
    let mut pending: Option<ParsedChapter> = None;
    let mut started = false;
    for e in siblings {
        if has_class(e, "chaptertitle") {
            started = true;
            printed.nodes.push(e.id());
            if let Some(ch) = pending.take() {
                printed.chapters.push(ch);
            }
            let title = text_of(e);
            let title = title
                .rsplit_once(" by ")
                .map_or(title.as_str(), |(t, _)| t)
                .trim()
                .to_owned();
            pending = Some(ParsedChapter {
                title: Some(title).filter(|t| !t.is_empty()),
                posted: true,
                ..ParsedChapter::default()
            });
        } else if !started {
            continue;
        } else if has_class(e, "notes") {
            printed.nodes.push(e.id());
            let label = e
                .select(&NOTE_TITLE)
                .next()
                .map(text_of)
                .unwrap_or_default()
                .to_lowercase();
            let html = e
                .select(&NOTE_TEXT)
                .next()
                .map(|n| quire_text::sanitize_html(&n.inner_html()))
                .unwrap_or_default();
            if let Some(ch) = pending.as_mut() {
                let slot = if label.contains("end") || !ch.content.is_empty() {
                    &mut ch.end_notes
                } else {
                    &mut ch.notes
                };
                crate::header::append_html(slot, html);
            }
        } else if has_class(e, "chapter") {
            printed.nodes.push(e.id());
            let content = quire_text::sanitize_html(&e.inner_html());
            let ch = pending.get_or_insert_with(ParsedChapter::default);
            ch.word_count = quire_text::word_count_html(&content);
            ch.content = content;
            ch.posted = true;
        }
    }
    printed.chapters.extend(pending);
    printed.chapters.retain(|c| !c.content.is_empty());
    printed
}
