//! An archive page's story container cut into segments: runs of inline content between
//! `<br>`s, blocks, `<hr>`s; tables and definition lists read as `Label: value` lines.

use crate::dom::text_of;
use crate::html_page::lines_of;
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

/// A run of the container's children that reads as one line or one block.
pub(crate) struct Segment<'a> {
    pub nodes: Vec<NodeRef<'a, Node>>,
    pub lines: Vec<String>,
    pub hr: bool,
    /// Centred, a heading, or all inside one bold/font element: how title blocks look.
    pub styled: bool,
    /// Holds a formatted label (`<b>Label:</b>`, `<td>Label:</td>`, `<dt>`).
    pub labelled: bool,
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

pub(crate) fn segments(container: ElementRef<'_>) -> Vec<Segment<'_>> {
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
pub(crate) fn unwrap(mut e: ElementRef<'_>) -> ElementRef<'_> {
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
