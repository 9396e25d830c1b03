//! Archive HTML pages (eFiction `viewstory.php` saves, hand-made pages, FanFicFare's HTML):
//! labels in `<b>`, `<strong>`, `<span class="label">` or plain text, the body in `#story` or
//! the largest text container.

use crate::body::decide_complete;
use crate::dom::{sel, text_of};
use crate::error::ErrorReason;
use crate::header::{ApplyOptions, apply_fields, names_and_emails, split_label, split_names};
use crate::html_header;
use crate::html_print::printed_chapters;
use crate::plaintext::by_line;
use crate::profile::Profile;
use crate::work::{Format, ParsedWork, chapter_of};
use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

static STORY: LazyLock<Selector> =
    LazyLock::new(|| sel("#story, .story, #storytext, .storytext, #chapter-text, .chapter-text"));
static PAGETITLE: LazyLock<Selector> = LazyLock::new(|| sel("#pagetitle, .pagetitle"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| sel("h1, h2"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static CONTAINERS: LazyLock<Selector> =
    LazyLock::new(|| sel("div, td, article, section, main, blockquote, body"));

const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "dd",
    "dt",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "hr",
    "center",
    "section",
    "article",
    "header",
    "footer",
];
const INLINE_TEXT: &[&str] = &[
    "p", "br", "i", "em", "b", "strong", "span", "u", "center", "font", "s", "small", "big", "sup",
    "sub", "a",
];

/// The charset an HTML file declares in its first bytes (`<meta charset>` or `http-equiv`).
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'', ' ']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!label.is_empty()).then_some(label)
}

fn is_label_element(e: ElementRef<'_>) -> bool {
    let name = e.value().name();
    let labelled = matches!(
        name,
        "b" | "strong" | "dt" | "th" | "i" | "em" | "font" | "u" | "td"
    ) || e.value().classes().any(|c| c.eq_ignore_ascii_case("label"));
    let text = text_of(e);
    labelled && text.ends_with(':') && text.chars().count() <= 40
}

/// Writes the text of a tree as lines: a line break at block elements and before labels.
/// Iterative, so that no nesting depth can overflow the stack.
pub(crate) fn lines_of(node: NodeRef<'_, Node>, skip: &[ego_tree::NodeId], out: &mut String) {
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => {
                if skipping.is_some() {
                    continue;
                }
                match n.value() {
                    _ if skip.contains(&n.id()) => skipping = Some(n.id()),
                    Node::Text(t) => out.push_str(&t.replace(['\n', '\r'], " ")),
                    Node::Element(e) => {
                        let name = e.name();
                        if matches!(name, "script" | "style" | "head" | "title" | "noscript") {
                            skipping = Some(n.id());
                        } else if BLOCK.contains(&name)
                            || ElementRef::wrap(n).is_some_and(is_label_element)
                        {
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skipping == Some(n.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let Node::Element(e) = n.value()
                    && BLOCK.contains(&e.name())
                {
                    out.push('\n');
                }
            }
        }
    }
}

/// The element holding the story: `#story` or the one with the most text of its own.
fn story_element(doc: &Html) -> Option<ElementRef<'_>> {
    if let Some(e) = doc.select(&STORY).next() {
        return Some(e);
    }
    doc.select(&CONTAINERS).max_by_key(|e| {
        e.children()
            .map(|c| match c.value() {
                Node::Text(t) => t.trim().len(),
                Node::Element(el) if INLINE_TEXT.contains(&el.name()) => {
                    ElementRef::wrap(c).map_or(0, |ce| ce.text().map(str::len).sum::<usize>())
                }
                _ => 0,
            })
            .sum::<usize>()
    })
}

/// Reads `Label: value` lines; a label with no value takes the lines after it up to the next label.
fn fields_from_lines(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut loose = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if let Some((l, v)) = split_label(&line) {
            open = v.is_empty();
            fields.push((l.to_owned(), v.to_owned()));
        } else if open && let Some(last) = fields.last_mut() {
            if !last.1.is_empty() {
                last.1.push(' ');
            }
            last.1.push_str(&line);
        } else {
            loose.push(line);
        }
    }
    (fields, loose)
}

/// eFiction's `#pagetitle`: `<a>Title</a> by <a href="viewuser.php…">Author</a>`.
fn read_pagetitle(pt: ElementRef<'_>, work: &mut ParsedWork) {
    let links: Vec<ElementRef<'_>> = pt.select(&LINK).collect();
    for a in &links {
        let href = a.value().attr("href").unwrap_or_default();
        if href.contains("viewuser") || href.contains("/users/") {
            work.add_author(&text_of(*a));
            work.fields.push(("Author URL".to_owned(), href.to_owned()));
        } else if work.title.is_empty() {
            work.title = text_of(*a);
            work.fields.push(("Story URL".to_owned(), href.to_owned()));
        }
    }
    let whole = text_of(pt);
    if let Some((t, a)) = whole.rsplit_once(" by ") {
        if work.title.is_empty() {
            work.title = t.trim().to_owned();
        }
        if work.authors.is_empty() {
            for name in split_names(a) {
                work.add_author(&name);
            }
        }
    } else if work.title.is_empty() {
        work.title = whole;
    }
}

/// Parses an archive HTML page.
pub fn parse(
    text: &str,
    path: &str,
    encoding: &str,
    hash: String,
    profile: &Profile,
    fanficfare: bool,
) -> Result<ParsedWork, ErrorReason> {
    let doc = Html::parse_document(text);
    let format = if fanficfare {
        Format::FanFicFareHtml
    } else {
        Format::HtmlPage
    };
    let mut work = ParsedWork::new(path, format, encoding, hash);

    let printed = printed_chapters(&doc);
    let story = if printed.chapters.is_empty() {
        story_element(&doc)
    } else {
        None
    };
    let header = story.map(|s| html_header::split(s, profile));
    let content = header
        .as_ref()
        .map(|h| quire_text::sanitize_html(&h.body_html))
        .unwrap_or_default();
    if printed.chapters.is_empty() && quire_text::html_to_text(&content).trim().is_empty() {
        return Err(ErrorReason::NoBody);
    }

    // Title and author: the page title block, else the header's, else labels, else <title>,
    // else the first heading.
    if let Some(pt) = doc.select(&PAGETITLE).next() {
        read_pagetitle(pt, &mut work);
    }
    let mut header_lines = Vec::new();
    let mut header_emails = Vec::new();
    if let Some(h) = header {
        if work.title.is_empty()
            && let Some(t) = h.title
        {
            work.title = t;
        }
        if work.authors.is_empty() {
            for a in &h.authors {
                work.add_author(a);
            }
        }
        header_emails = h.emails;
        for l in &h.loose {
            crate::header::append_html(&mut work.notes, quire_text::wrapped_text_to_html(l));
        }
        header_lines = h.lines;
    }

    let mut meta = String::new();
    if let Some(body) = doc.select(&BODY).next() {
        let skip: Vec<ego_tree::NodeId> = story
            .map(|s| s.id())
            .into_iter()
            .chain(doc.select(&PAGETITLE).map(|e| e.id()))
            .chain(printed.nodes.iter().copied())
            .collect();
        lines_of(*body, &skip, &mut meta);
    }
    for l in header_lines {
        meta.push('\n');
        meta.push_str(&l);
    }
    let (fields, loose) = fields_from_lines(&meta);
    if work.authors.is_empty()
        && let Some(name) = loose.iter().find_map(|l| by_line(l))
    {
        for n in names_and_emails(name).0 {
            work.add_author(&n);
        }
    }
    let facts = apply_fields(
        &mut work,
        &fields,
        profile,
        ApplyOptions {
            category_is_fandom: fanficfare,
        },
    );
    if let Some(t) = doc.select(&TITLE).next().map(text_of) {
        let known = (!work.title.is_empty()).then(|| work.title.clone());
        let (archive, title, by) = crate::html_title::split_page_title(&t, known.as_deref());
        if archive.is_some() {
            work.archive = archive;
        }
        if work.title.is_empty() {
            work.title = title;
        }
        if work.authors.is_empty()
            && let Some(by) = by
        {
            for n in names_and_emails(&by).0 {
                work.add_author(&n);
            }
        }
    }
    for e in header_emails {
        if !work
            .author_emails
            .iter()
            .any(|(_, x)| x.eq_ignore_ascii_case(&e))
        {
            let author = work.authors.first().cloned().unwrap_or_default();
            work.author_emails.push((author, e));
        }
    }
    if work.title.is_empty()
        && let Some(h) = doc.select(&HEADING).next()
    {
        work.title = text_of(h);
    }
    if printed.chapters.is_empty() {
        work.chapters.push(chapter_of(content));
    } else {
        work.chapters = printed.chapters;
    }
    work.complete = decide_complete(facts.status, &work, false);
    work.finalize(profile);
    Ok(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = r#"<html><head><title>Hollowmere :: Two Lamps</title></head><body>
<div id="pagetitle">Two Lamps by Pell Tamsin</div>
<div class="infobox"><div class="content"><span class="label">Summary: </span>Lamps.<br />
<span class="label">Categories:</span> Hollowmere <span class="label">Rating:</span> PG-13<br />
<span class="label">Completed:</span> No</div></div>
<div class='notes'><div class='title'><span class='label'>Story Notes:</span></div><div class='noteinfo'>For Wren.</div></div>
<div class='chaptertitle'>First Lamp by Pell Tamsin</div>
<div class='notes'><div class='title'><span class='label'>Author's Notes:</div><div class='noteinfo'>Short one.</div></div>
<div class='chapter'><p>The first lamp was lit.</p></div>
<div class='notes'><div class='title'><span class='label'>End Notes:</div><div class='noteinfo'>More soon.</div></div>
<div class='chaptertitle'>Second Lamp by Pell Tamsin</div>
<div class='chapter'>The second lamp was not.</div>
</body></html>"#;

    #[test]
    fn reads_efiction_print_pages_chapter_by_chapter() {
        let w = parse(
            PRINTED,
            "p.html",
            "UTF-8",
            String::new(),
            &Profile::default(),
            false,
        )
        .unwrap();
        assert_eq!(w.title, "Two Lamps");
        assert_eq!(w.authors, ["Pell Tamsin"]);
        assert_eq!(w.rating, quire_core::Rating::TeenAndUpAudiences);
        assert_eq!(w.notes.as_deref(), Some("<p>For Wren.</p>"));
        assert!(!w.complete);
        assert_eq!(w.chapters.len(), 2);
        assert_eq!(w.chapters[0].title.as_deref(), Some("First Lamp"));
        assert_eq!(w.chapters[0].notes.as_deref(), Some("Short one."));
        assert_eq!(w.chapters[0].end_notes.as_deref(), Some("More soon."));
        assert_eq!(w.chapters[0].content, "<p>The first lamp was lit.</p>");
        assert_eq!(w.chapters[1].content, "The second lamp was not.");
    }
}
