//! The header at the top of an archive page's story text, when it is formatted text rather
//! than a div per field: a centred title block, a by-line, `Label: value` lines with `<b>`,
//! `<strong>`, `<font>` or `<i>` labels, table rows and definition lists, up to an `<hr>` or
//! the first paragraph of the story. Also the page `<title>` (`Archive - Title by Author`).

use crate::dom::text_of;
use crate::header::{Label, classify, names_and_emails, split_label};
use crate::html_page::lines_of;
use crate::plaintext::by_line;
use crate::profile::Profile;
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

/// What the top of a story container said, and the story HTML after it.
#[derive(Debug, Default)]
pub(crate) struct PageHeader {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub emails: Vec<String>,
    /// Header lines (`Label: value` and their continuations), in order.
    pub lines: Vec<String>,
    /// Unlabelled header text (a disclaimer before the `<hr>`), one string per paragraph.
    pub loose: Vec<String>,
    /// The story's HTML after the header (not yet sanitized).
    pub body_html: String,
}

/// A run of the container's children that reads as one line or one block.
struct Segment<'a> {
    nodes: Vec<NodeRef<'a, Node>>,
    lines: Vec<String>,
    hr: bool,
    /// Centred, a heading, or all inside one bold/font element: how title blocks look.
    styled: bool,
    /// Holds a formatted label (`<b>Label:</b>`, `<td>Label:</td>`, `<dt>`).
    labelled: bool,
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "center",
    "table",
    "dl",
    "ul",
    "ol",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "address",
];
const LABEL_TAGS: &[&str] = &[
    "b", "strong", "i", "em", "font", "u", "span", "dt", "th", "td", "label",
];
const TITLE_TAGS: &[&str] = &[
    "b", "strong", "font", "big", "u", "h1", "h2", "h3", "h4", "center", "i", "em",
];
/// Wrappers a whole page is often put in, looked through to find the story's own lines.
const WRAPPERS: &[&str] = &[
    "font",
    "div",
    "span",
    "blockquote",
    "article",
    "section",
    "main",
    "td",
];

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_blank(n: &NodeRef<'_, Node>) -> bool {
    match n.value() {
        Node::Text(t) => t.trim().is_empty(),
        Node::Element(_) => false,
        _ => true,
    }
}

fn is_centred(e: ElementRef<'_>) -> bool {
    let v = e.value();
    v.name() == "center"
        || v.attr("align")
            .is_some_and(|a| a.eq_ignore_ascii_case("center"))
        || v.attr("style")
            .is_some_and(|s| s.to_ascii_lowercase().contains("center"))
}

fn has_label_element(n: NodeRef<'_, Node>) -> bool {
    n.descendants().filter_map(ElementRef::wrap).any(|e| {
        let t = text_of(e);
        LABEL_TAGS.contains(&e.value().name())
            && (e.value().name() == "dt" || (t.ends_with(':') && t.chars().count() <= 40))
    })
}

fn text_lines(nodes: &[NodeRef<'_, Node>]) -> Vec<String> {
    let mut s = String::new();
    for n in nodes {
        lines_of(*n, &[], &mut s);
    }
    s.lines().map(collapse).filter(|l| !l.is_empty()).collect()
}

/// Table rows and definition lists as `Label: value` lines.
fn structured_lines(e: ElementRef<'_>) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    match e.value().name() {
        "table" => {
            for row in e.descendants().filter_map(ElementRef::wrap) {
                if row.value().name() != "tr" {
                    continue;
                }
                let cells: Vec<String> = row
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .map(text_of)
                    .filter(|t| !t.is_empty())
                    .collect();
                match cells.as_slice() {
                    [] => {}
                    [one] => lines.push(one.clone()),
                    [label, rest @ ..] => {
                        let label = label.trim_end_matches(':').trim();
                        lines.push(format!("{label}: {}", rest.join(" ")));
                    }
                }
            }
        }
        "dl" => {
            let mut label: Option<String> = None;
            for c in e.children().filter_map(ElementRef::wrap) {
                match c.value().name() {
                    "dt" => label = Some(text_of(c).trim_end_matches(':').trim().to_owned()),
                    "dd" => match &label {
                        Some(l) => lines.push(format!("{l}: {}", text_of(c))),
                        None => lines.push(text_of(c)),
                    },
                    _ => {}
                }
            }
        }
        _ => return None,
    }
    Some(lines)
}

fn block_segment(n: NodeRef<'_, Node>) -> Segment<'_> {
    let Some(e) = ElementRef::wrap(n) else {
        return Segment {
            nodes: vec![n],
            lines: Vec::new(),
            hr: false,
            styled: false,
            labelled: false,
        };
    };
    let structured = structured_lines(e);
    let labelled = structured.is_some() || has_label_element(n);
    let lines = structured.unwrap_or_else(|| text_lines(&[n]));
    let name = e.value().name();
    let only_child = {
        let kids: Vec<_> = e.children().filter(|c| !is_blank(c)).collect();
        kids.len() == 1
            && ElementRef::wrap(kids[0]).is_some_and(|k| TITLE_TAGS.contains(&k.value().name()))
    };
    let styled = is_centred(e) || matches!(name, "h1" | "h2" | "h3" | "h4") || only_child;
    Segment {
        nodes: vec![n],
        lines,
        hr: false,
        styled,
        labelled,
    }
}

fn run_segment<'a>(run: Vec<NodeRef<'a, Node>>) -> Segment<'a> {
    let lines = text_lines(&run);
    let content: Vec<&NodeRef<'a, Node>> = run
        .iter()
        .filter(|n| !is_blank(n) && ElementRef::wrap(**n).is_none_or(|e| e.value().name() != "br"))
        .collect();
    let styled = content.len() == 1
        && ElementRef::wrap(*content[0])
            .is_some_and(|e| TITLE_TAGS.contains(&e.value().name()) && !text_of(e).ends_with(':'));
    let labelled = run.iter().any(|n| has_label_element(*n));
    Segment {
        nodes: run,
        lines,
        hr: false,
        styled,
        labelled,
    }
}

fn segments(container: ElementRef<'_>) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for child in container.children() {
        let name = child.value().as_element().map(|e| e.name());
        match name {
            Some("br") => {
                run.push(child);
                out.push(run_segment(std::mem::take(&mut run)));
            }
            Some("hr") => {
                if !run.is_empty() {
                    out.push(run_segment(std::mem::take(&mut run)));
                }
                out.push(Segment {
                    nodes: vec![child],
                    lines: Vec::new(),
                    hr: true,
                    styled: false,
                    labelled: false,
                });
            }
            Some(n) if BLOCKS.contains(&n) => {
                if !run.is_empty() {
                    out.push(run_segment(std::mem::take(&mut run)));
                }
                out.push(block_segment(child));
            }
            _ => run.push(child),
        }
    }
    if !run.is_empty() {
        out.push(run_segment(run));
    }
    out
}

/// Looks through wrappers that hold the whole page (`<font face=…>`, a lone `<div>`).
fn unwrap(mut e: ElementRef<'_>) -> ElementRef<'_> {
    for _ in 0..16 {
        let kids: Vec<_> = e.children().filter(|c| !is_blank(c)).collect();
        match kids.as_slice() {
            [only] => match ElementRef::wrap(*only) {
                Some(k) if WRAPPERS.contains(&k.value().name()) => e = k,
                _ => break,
            },
            _ => break,
        }
    }
    e
}

#[derive(Debug, PartialEq)]
enum Kind {
    Label { open: bool },
    By,
    Other,
}

fn kind(line: &str, labelled: bool, profile: &Profile) -> Kind {
    if by_line(line).is_some() {
        return Kind::By;
    }
    match split_label(line) {
        Some((l, v)) => {
            let known = classify(l, profile) != Label::Other;
            // An unknown label with no value (`<b>Chapter 1:</b>`) is not a header line, and
            // only a known one takes the next paragraph as its value.
            if known || (labelled && !v.is_empty()) {
                Kind::Label {
                    open: known && v.is_empty(),
                }
            } else {
                Kind::Other
            }
        }
        None => Kind::Other,
    }
}

/// Splits the header off the top of a story container.
pub(crate) fn split(container: ElementRef<'_>, profile: &Profile) -> PageHeader {
    let container = unwrap(container);
    let segs = segments(container);
    let mut h = PageHeader::default();
    let mut saw_meta = false;
    let mut open = false;
    let mut by_hr = false;
    let mut i = 0;
    let mut end = None;
    while i < segs.len() {
        let seg = &segs[i];
        if seg.hr {
            if saw_meta || h.title.is_some() {
                by_hr = true;
                end = Some(i + 1);
                break;
            }
            if segs[..i].iter().all(|s| s.lines.is_empty()) {
                i += 1;
                continue;
            }
            break;
        }
        if seg.lines.is_empty() {
            i += 1;
            continue;
        }
        let kinds: Vec<Kind> = seg
            .lines
            .iter()
            .map(|l| kind(l, seg.labelled, profile))
            .collect();
        if kinds.iter().all(|k| *k != Kind::Other) {
            take_meta(&mut h, &seg.lines, &kinds);
            saw_meta = true;
            open = matches!(kinds.last(), Some(Kind::Label { open: true }));
            i += 1;
            continue;
        }
        if open {
            h.lines.extend(seg.lines.iter().cloned());
            open = false;
            i += 1;
            continue;
        }
        let next_by = segs[i + 1..]
            .iter()
            .find(|s| !s.lines.is_empty())
            .is_some_and(|s| by_line(&s.lines[0]).is_some());
        let short = seg.lines.iter().all(|l| l.chars().count() <= 100) && seg.lines.len() <= 4;
        if h.title.is_none() && !saw_meta && short && (seg.styled || next_by) {
            for (line, k) in seg.lines.iter().zip(&kinds) {
                match k {
                    Kind::Other if h.title.is_none() => h.title = Some(line.clone()),
                    Kind::Other => h.loose.push(line.clone()),
                    _ => take_meta(
                        &mut h,
                        std::slice::from_ref(line),
                        &[kind(line, seg.labelled, profile)],
                    ),
                }
            }
            saw_meta |= kinds.iter().any(|k| *k != Kind::Other);
            i += 1;
            continue;
        }
        // Unlabelled text (a disclaimer, a note) between the header and an `<hr>` close below.
        if saw_meta || h.title.is_some() {
            let hr = segs[i..].iter().take(5).position(|s| s.hr).map(|p| p + i);
            let chars: usize = segs[i..hr.unwrap_or(i)]
                .iter()
                .flat_map(|s| &s.lines)
                .map(String::len)
                .sum();
            if let Some(hr) = hr
                && chars <= 2000
            {
                for s in &segs[i..hr] {
                    if !s.lines.is_empty() {
                        h.loose.push(s.lines.join(" "));
                    }
                }
                by_hr = true;
                end = Some(hr + 1);
            }
        }
        break;
    }
    let end = end.unwrap_or(i);
    // A header must leave a story under it: a script-style story (`<b>Mira:</b> Hello`) is
    // not all header.
    let story_left = segs[end.min(segs.len())..]
        .iter()
        .any(|s| !s.lines.is_empty());
    if !story_left || !(saw_meta || (by_hr && h.title.is_some())) {
        return PageHeader {
            body_html: container.inner_html(),
            ..PageHeader::default()
        };
    }
    // Addresses behind `mailto:` links are header text too.
    for n in segs[..end.min(segs.len())].iter().flat_map(|s| &s.nodes) {
        for e in n.descendants().filter_map(ElementRef::wrap) {
            if let Some(addr) = e.value().attr("href").and_then(mailto)
                && !h.emails.iter().any(|x| x.eq_ignore_ascii_case(addr))
            {
                h.emails.push(addr.to_owned());
            }
        }
    }
    h.body_html = segs[end.min(segs.len())..]
        .iter()
        .flat_map(|s| &s.nodes)
        .map(|n| html_of(*n))
        .collect();
    h
}

fn mailto(href: &str) -> Option<&str> {
    let rest = href.trim();
    let rest = rest
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map(|_| &rest[7..])?;
    let addr = rest.split('?').next().unwrap_or_default().trim();
    addr.contains('@').then_some(addr)
}

fn take_meta(h: &mut PageHeader, lines: &[String], kinds: &[Kind]) {
    for (line, k) in lines.iter().zip(kinds) {
        if *k == Kind::By
            && let Some(name) = by_line(line)
        {
            let (names, emails) = names_and_emails(name);
            for n in names {
                if !h.authors.iter().any(|a| a.eq_ignore_ascii_case(&n)) {
                    h.authors.push(n);
                }
            }
            h.emails.extend(emails);
        } else {
            h.lines.push(line.clone());
        }
    }
}

fn html_of(n: NodeRef<'_, Node>) -> String {
    match n.value() {
        Node::Text(t) => quire_text::escape_text(t),
        Node::Element(_) => ElementRef::wrap(n).map(|e| e.html()).unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn split_body(html: &str) -> PageHeader {
        let doc = Html::parse_document(html);
        let body = doc.select(&crate::dom::sel("body")).next().expect("a body");
        split(body, &Profile::default())
    }

    #[test]
    fn a_bold_chapter_heading_does_not_swallow_the_first_paragraph() {
        let h = split_body(
            "<body><b>Chapter 1:</b><br><p>It was dark.</p><p>Then it was not.</p></body>",
        );
        assert!(h.lines.is_empty(), "{:?}", h.lines);
        assert!(h.body_html.contains("It was dark."));
    }

    #[test]
    fn a_script_style_story_is_not_all_header() {
        let h = split_body(
            "<body><b>Rating:</b> G<br><b>Mira:</b> Hello.<br><b>Tomas:</b> Go away.<br></body>",
        );
        assert!(h.body_html.contains("Rating"), "{}", h.body_html);
        assert!(h.body_html.contains("Go away."));
    }
}
