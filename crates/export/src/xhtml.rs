//! Stored chapter HTML to XHTML that an EPUB validator accepts.
//!
//! The stored text is already sanitized, but it is HTML as people wrote it: obsolete elements
//! (`center`, `tt`), blocks inside inline elements, images on other sites, relative links.
//! Browsers shrug; EPUB readers and epubcheck do not. This re-serializes the parsed tree with
//! obsolete elements renamed, content models repaired (a block inside a paragraph becomes a
//! `span`, a stray item of a list gets its `li`), images turned into links (an EPUB may not
//! load images from the web, and the single-file HTML stays self-contained), and only links
//! that lead somewhere (http, https, mailto) kept. The text itself is never dropped.

use ego_tree::iter::Edge;
use scraper::{Html, Node, node::Element};

use crate::links::link_target;
use crate::xml::{language_tag, push_attr, push_text};

/// Phrasing elements: the only ones allowed inside a paragraph or a heading.
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "q", "ruby",
    "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
];

/// Elements whose content is phrasing only: a block inside one must become inline.
const PHRASING_ONLY: &[&str] = &[
    "abbr", "b", "cite", "code", "dfn", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "kbd", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "u",
    "var",
];

/// Elements whose content model follows their parent's.
const TRANSPARENT: &[&str] = &["a", "del", "ins"];

/// Flow elements written as they are.
const FLOW: &[&str] = &[
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "hr",
    "li",
    "ol",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

const VOID: &[&str] = &["br", "col", "hr"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parent {
    List,
    Definitions,
    Other,
}

/// What an open element means for its children, and what closes it.
#[derive(Clone, Copy)]
struct Frame {
    close: Option<&'static str>,
    /// Closes what was opened around the element (`</li>` for a stray child of a list).
    after: &'static str,
    phrasing: bool,
    parent: Parent,
    in_link: bool,
}

/// Appends `html` (a stored fragment) to `out` as EPUB-safe XHTML.
pub fn push_fragment(out: &mut String, html: &str) {
    let fragment = Html::parse_fragment(html);
    let root = Frame {
        close: None,
        after: "",
        phrasing: false,
        parent: Parent::Other,
        in_link: false,
    };
    let mut stack: Vec<Frame> = Vec::new();
    for child in fragment.root_element().children() {
        for edge in child.traverse() {
            let top = stack.last().copied().unwrap_or(root);
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Text(t) => push_loose_text(out, t, top),
                    Node::Element(e) => {
                        let first = node.prev_siblings().all(|n| !n.value().is_element());
                        stack.push(open(out, e, top, first));
                    }
                    _ => {}
                },
                Edge::Close(node) => {
                    if matches!(node.value(), Node::Element(_))
                        && let Some(frame) = stack.pop()
                    {
                        if let Some(name) = frame.close {
                            out.push_str("</");
                            out.push_str(name);
                            out.push('>');
                        }
                        out.push_str(frame.after);
                    }
                }
            }
        }
    }
}

/// `html` as EPUB-safe XHTML.
#[cfg(test)]
pub fn fragment(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    push_fragment(&mut out, html);
    out
}

/// Text directly inside a list must sit in an item.
fn push_loose_text(out: &mut String, text: &str, parent: Frame) {
    let (before, after) = match parent.parent {
        _ if text.trim().is_empty() => ("", ""),
        Parent::List => ("<li>", "</li>"),
        Parent::Definitions => ("<dd>", "</dd>"),
        Parent::Other => ("", ""),
    };
    out.push_str(before);
    push_text(out, text);
    out.push_str(after);
}

/// Writes the start of `e` as it may stand under `parent`, and returns its frame. `first` is
/// true when no element comes before it in its parent.
fn open(out: &mut String, e: &Element, parent: Frame, first: bool) -> Frame {
    let original = e.name();
    let inherit = Frame {
        close: None,
        after: "",
        ..parent
    };
    if original == "img" {
        push_image(out, e, parent);
        return inherit;
    }
    let (mut name, mut class) = match original {
        "acronym" => ("abbr", None),
        "strike" => ("s", None),
        "big" => ("span", Some("big")),
        "tt" => ("span", Some("tt")),
        "center" => ("div", Some("center")),
        "address" => ("div", Some("address")),
        "figure" => ("div", Some("figure")),
        "figcaption" => ("div", Some("figcaption")),
        // Not markup the archive keeps (or the parser's own wrappers): keep the content.
        other => match known(other) {
            Some(known) => (known, None),
            None => return inherit,
        },
    };
    // A link needs somewhere to go, and may not hold another link; else its text stays.
    if name == "a" && (parent.in_link || e.attr("href").and_then(link_target).is_none()) {
        name = "span";
    }
    match name {
        "li" if parent.parent != Parent::List => (name, class) = ("div", Some("li")),
        "dt" | "dd" if parent.parent != Parent::Definitions => (name, class) = ("div", Some(name)),
        _ => {}
    }
    if parent.phrasing && !PHRASING.contains(&name) {
        if VOID.contains(&name) {
            // A rule or column inside a line of text: nothing to keep.
            return inherit;
        }
        class = Some(original);
        name = "span";
    }
    // What must stand around the element for it to be allowed where it is.
    let (before, after) = match (parent.parent, name) {
        (Parent::List, "li") | (Parent::Definitions, "dt" | "dd") => ("", ""),
        (Parent::List, _) => ("<li>", "</li>"),
        (Parent::Definitions, _) => ("<dd>", "</dd>"),
        // A table's caption must come first; a later one becomes a row of its own.
        (Parent::Other, "caption") if !first => {
            (name, class) = ("td", Some("caption"));
            ("<tbody><tr>", "</tr></tbody>")
        }
        (Parent::Other, _) => ("", ""),
    };
    out.push_str(before);
    out.push('<');
    out.push_str(name);
    push_attributes(out, e, name, class);
    if VOID.contains(&name) {
        out.push_str(" />");
        out.push_str(after);
        return inherit;
    }
    out.push('>');
    let phrasing = if TRANSPARENT.contains(&name) {
        parent.phrasing
    } else {
        PHRASING_ONLY.contains(&name)
    };
    Frame {
        close: Some(name),
        after,
        phrasing,
        parent: match name {
            "ul" | "ol" => Parent::List,
            "dl" => Parent::Definitions,
            _ if TRANSPARENT.contains(&name) => parent.parent,
            _ => Parent::Other,
        },
        in_link: parent.in_link || name == "a",
    }
}

/// The element name as written out, for markup the archive keeps.
fn known(name: &str) -> Option<&'static str> {
    PHRASING_ONLY
        .iter()
        .chain(PHRASING)
        .chain(FLOW)
        .find(|n| **n == name)
        .copied()
}

fn push_attributes(out: &mut String, e: &Element, name: &str, class: Option<&str>) {
    let mut attrs: Vec<(&str, &str)> = e.attrs().collect();
    attrs.sort_unstable();
    let mut classes: Vec<&str> = class.into_iter().collect();
    for (key, value) in attrs {
        let keep = match (name, key) {
            (_, "class") => {
                classes.extend(value.split_whitespace());
                false
            }
            (_, "title") => true,
            (_, "dir") => matches!(value, "ltr" | "rtl" | "auto"),
            (_, "lang") => !value.is_empty() && language_tag(value) == value,
            ("a", "href") => {
                if let Some(url) = link_target(value) {
                    push_attribute(out, "href", &url);
                }
                false
            }
            ("a", "rel") => value == "nofollow",
            ("ol", "start") => value.parse::<i64>().is_ok(),
            ("ol", "type") => matches!(value, "1" | "a" | "A" | "i" | "I"),
            ("td" | "th", "colspan") => value.parse::<u16>().is_ok_and(|n| (1..=1000).contains(&n)),
            ("td" | "th", "rowspan") => value.parse::<u16>().is_ok_and(|n| n <= 65534),
            _ => false,
        };
        if keep {
            push_attribute(out, key, value);
        }
    }
    if !classes.is_empty() {
        push_attribute(out, "class", &classes.join(" "));
    }
}

fn push_attribute(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    push_attr(out, value);
    out.push('"');
}

/// An image becomes a link to it (or its description, inside a link): a reader sees what was
/// there, and nothing is fetched from elsewhere.
fn push_image(out: &mut String, e: &Element, parent: Frame) {
    let alt = e.attr("alt").map(str::trim).filter(|a| !a.is_empty());
    let label = alt.map_or_else(|| "[image]".to_owned(), |a| format!("[image: {a}]"));
    let target = e
        .attr("src")
        .and_then(link_target)
        .filter(|u| !u.starts_with("mailto:"));
    let (before, after) = match parent.parent {
        Parent::List => ("<li>", "</li>"),
        Parent::Definitions => ("<dd>", "</dd>"),
        Parent::Other => ("", ""),
    };
    out.push_str(before);
    match target {
        Some(url) if !parent.in_link => {
            out.push_str("<a class=\"image\"");
            push_attribute(out, "href", &url);
            out.push('>');
            push_text(out, &label);
            out.push_str("</a>");
        }
        _ => {
            out.push_str("<span class=\"image\">");
            push_text(out, &label);
            out.push_str("</span>");
        }
    }
    out.push_str(after);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_markup_is_kept() {
        assert_eq!(
            fragment("<p>One<br />two <em>three</em></p><hr />"),
            "<p>One<br />two <em>three</em></p><hr />"
        );
    }

    #[test]
    fn obsolete_elements_are_renamed() {
        assert_eq!(
            fragment("<center>c</center><p><tt>t</tt><strike>s</strike><acronym>A</acronym></p>"),
            "<div class=\"center\">c</div><p><span class=\"tt\">t</span><s>s</s><abbr>A</abbr></p>"
        );
    }

    #[test]
    fn blocks_inside_text_become_spans() {
        assert_eq!(
            fragment("<span>a<div>b<ul><li>c</li></ul></div></span>"),
            "<span>a<span class=\"div\">b<span class=\"ul\"><span class=\"li\">c</span></span></span></span>"
        );
        assert_eq!(fragment("<h2>x<hr />y</h2>"), "<h2>xy</h2>");
    }

    #[test]
    fn stray_list_children_get_items() {
        assert_eq!(
            fragment("<ul>loose<li>ok</li><p>para</p></ul>"),
            "<ul><li>loose</li><li>ok</li><li><p>para</p></li></ul>"
        );
        assert_eq!(fragment("<li>alone</li>"), "<div class=\"li\">alone</div>");
    }

    #[test]
    fn images_become_links_and_relative_links_are_dropped() {
        assert_eq!(
            fragment("<p><img src=\"https://example.org/m.png\" alt=\"A map\" /></p>"),
            "<p><a class=\"image\" href=\"https://example.org/m.png\">[image: A map]</a></p>"
        );
        assert_eq!(
            fragment("<a href=\"chapter2.html\" rel=\"nofollow\">next</a>"),
            "<span>next</span>"
        );
        assert_eq!(
            fragment("<a href=\"https://example.org/a b#x#y\">l</a>"),
            "<a href=\"https://example.org/a%20b#x%23y\">l</a>"
        );
    }

    #[test]
    fn a_late_caption_becomes_a_row() {
        assert_eq!(
            fragment("<table><tr><td>cell</td></tr><caption>late</caption></table>"),
            "<table><tbody><tr><td>cell</td></tr></tbody><tbody><tr><td class=\"caption\">late</td></tr></tbody></table>"
        );
    }

    #[test]
    fn attributes_outside_the_content_model_are_dropped() {
        assert_eq!(
            fragment("<ol start=\"3\" type=\"disc\"><li dir=\"sideways\" lang=\"en\">x</li></ol>"),
            "<ol start=\"3\"><li lang=\"en\">x</li></ol>"
        );
    }
}
