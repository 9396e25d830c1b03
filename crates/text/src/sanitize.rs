//! HTML from outside to clean XHTML: AO3's allow-list (via ammonia), then re-serialized with
//! self-closing void elements so the same markup can go into an EPUB.

use ammonia::{Builder, UrlRelative};
use ego_tree::iter::Edge;
use scraper::{Html, Node};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

const VOID: &[&str] = &["area", "br", "col", "hr", "img", "wbr"];

const BLOCKS: &[&str] = &[
    "address",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "body",
    "html",
];

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    tag_attributes.insert("a", ["href", "name"].into_iter().collect());
    tag_attributes.insert(
        "img",
        ["src", "alt", "width", "height"].into_iter().collect(),
    );
    tag_attributes.insert("ol", ["start", "type"].into_iter().collect());
    tag_attributes.insert("ul", ["type"].into_iter().collect());
    tag_attributes.insert("td", ["colspan", "rowspan"].into_iter().collect());
    tag_attributes.insert("th", ["colspan", "rowspan"].into_iter().collect());
    tag_attributes.insert("abbr", ["title"].into_iter().collect());
    tag_attributes.insert("acronym", ["title"].into_iter().collect());
    tag_attributes.insert("q", ["cite"].into_iter().collect());
    tag_attributes.insert("blockquote", ["cite"].into_iter().collect());
    let mut b = Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(["class", "dir", "lang", "title"].into_iter().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("nofollow"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => is_remote_image(value).then_some(Cow::Borrowed(value)),
            (_, "class") => Some(Cow::Owned(prefixed_classes(value))),
            _ => Some(Cow::Borrowed(value)),
        });
    b
});

/// What every class from outside is prefixed with, so that no story can dress its text as the
/// archive's own buttons or notices. The site's stylesheet never uses a class starting so.
pub const USER_CLASS_PREFIX: &str = "user-";

/// `button  big` → `user-button user-big`. Classes already prefixed stay as they are, so that
/// cleaning clean HTML again changes nothing.
fn prefixed_classes(value: &str) -> String {
    value
        .split_ascii_whitespace()
        .map(|class| {
            if class.starts_with(USER_CLASS_PREFIX) {
                class.to_owned()
            } else {
                format!("{USER_CLASS_PREFIX}{class}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An image source is kept only as an absolute `http:` or `https:` URL with a host. Anything
/// else (`/?view_adult=true`, `works/5`, `//host/…`, `https:/works/5`, which browsers resolve
/// against the archive) would make every reader's browser request one of the archive's own
/// pages, as them.
fn is_remote_image(src: &str) -> bool {
    // Browsers drop tabs and newlines anywhere in a URL, and spaces around it.
    let src: String = src
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let rest = src
        .strip_prefix("https://")
        .or_else(|| src.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '\\']))
}

/// Cleans HTML from outside with AO3's allow-list (no `style`, scripts or event attributes;
/// links only to http, https and mailto, with `rel="nofollow"`) and serializes it as XHTML.
pub fn sanitize_html(html: &str) -> String {
    let clean = CLEANER.clean(html).to_string();
    to_xhtml(&clean)
}

/// Re-serializes an HTML fragment as XHTML (`<br />`, escaped text, quoted attributes).
fn to_xhtml(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len() + 16);
    for child in fragment.root_element().children() {
        write_node(child, &mut out);
    }
    out.trim().to_owned()
}

fn write_node(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    // Iterative, so that no nesting depth can overflow the stack.
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Text(t) => crate::escape::push_escaped_text(out, t),
                Node::Element(e) => {
                    let name = e.name();
                    out.push('<');
                    out.push_str(name);
                    let mut attrs: Vec<(&str, &str)> = e.attrs().collect();
                    attrs.sort_unstable();
                    for (k, v) in attrs {
                        out.push(' ');
                        out.push_str(k);
                        out.push_str("=\"");
                        crate::escape::push_escaped(out, v);
                        out.push('"');
                    }
                    out.push_str(if VOID.contains(&name) { " />" } else { ">" });
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value()
                    && !VOID.contains(&e.name())
                {
                    out.push_str("</");
                    out.push_str(e.name());
                    out.push('>');
                }
            }
        }
    }
}

/// The text of an HTML fragment, with a line break between block elements (so that words in
/// neighbouring paragraphs are never glued together).
pub fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    collect_text(*fragment.root_element(), &mut out);
    out
}

fn collect_text(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => {
                if skipping.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => out.push_str(t),
                    Node::Element(e) if matches!(e.name(), "script" | "style") => {
                        skipping = Some(n.id());
                    }
                    Node::Element(e) if BLOCKS.contains(&e.name()) => out.push('\n'),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skipping == Some(n.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let Node::Element(e) = n.value()
                    && BLOCKS.contains(&e.name())
                {
                    out.push('\n');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_allowed_markup_as_xhtml() {
        assert_eq!(
            sanitize_html("<p>One<br>two <em>three</em></p><hr>"),
            "<p>One<br />two <em>three</em></p><hr />"
        );
    }

    #[test]
    fn removes_scripts_styles_and_event_handlers() {
        let html = sanitize_html(
            "<p style=\"color:red\" onclick=\"x()\">Hi<script>alert(1)</script></p><style>p{}</style>",
        );
        assert_eq!(html, "<p>Hi</p>");
    }

    #[test]
    fn links_are_nofollow_and_only_safe_schemes() {
        assert_eq!(
            sanitize_html(
                "<a href=\"javascript:alert(1)\">x</a> <a href=\"https://example.org/\">y</a>"
            ),
            "<a rel=\"nofollow\">x</a> <a href=\"https://example.org/\" rel=\"nofollow\">y</a>"
        );
    }

    #[test]
    fn images_can_never_point_at_the_archive_itself() {
        for src in [
            "/?view_adult=true",
            "/works/5?view_adult=true",
            "works/5",
            "//archive.example/?view_adult=true",
            "https:/?view_adult=true",
            "https:///?view_adult=true",
            "data:image/png;base64,AAAA",
            "mailto:a@example.org",
            "  /\t?view_adult=true",
        ] {
            let html = sanitize_html(&format!("<p><img src=\"{src}\" alt=\"x\"></p>"));
            assert_eq!(html, "<p><img alt=\"x\" /></p>", "{src}");
        }
        assert_eq!(
            sanitize_html("<img src=\"https://images.example.org/a.png\">"),
            "<img src=\"https://images.example.org/a.png\" />"
        );
        assert_eq!(
            sanitize_html("<img src=\"HTTP://images.example.org/a.png\">"),
            "<img src=\"HTTP://images.example.org/a.png\" />"
        );
    }

    #[test]
    fn classes_from_outside_cannot_be_the_sites_own() {
        assert_eq!(
            sanitize_html("<a class=\"button\" href=\"https://example.org/\">Continue</a>"),
            "<a class=\"user-button\" href=\"https://example.org/\" rel=\"nofollow\">Continue</a>"
        );
        let once = sanitize_html("<p class=\" caution  adult \">x</p>");
        assert_eq!(once, "<p class=\"user-caution user-adult\">x</p>");
        assert_eq!(sanitize_html(&once), once, "cleaning again changes nothing");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            sanitize_html("<p>Nearly there &lt;3</p>"),
            "<p>Nearly there &lt;3</p>"
        );
    }

    #[test]
    fn text_of_blocks_is_separated() {
        let t = html_to_text("<p>one</p><p>two<br>three</p>");
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>(),
            ["one", "two", "three"]
        );
    }
}
