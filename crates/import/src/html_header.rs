//! The header at the top of an archive page's story text, when it is formatted text rather
//! than a div per field: a centred title block, a by-line, `Label: value` lines with `<b>`,
//! `<strong>`, `<font>` or `<i>` labels, table rows and definition lists, up to an `<hr>` or
//! the first paragraph of the story.

use crate::header::{Label, classify, names_and_emails, split_label};
use crate::html_segments::{Segment, segments, unwrap};
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
        // Site navigation above the story (`<p><a href="../index.html">Archive</a></p>`,
        // `Home | Authors | Search`): chrome, not the story's first paragraph.
        if h.title.is_none() && !saw_meta && h.lines.is_empty() && links_only(seg) {
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

/// True for a segment whose text is all inside links (a navigation line), apart from the
/// separators between them.
fn links_only(seg: &Segment<'_>) -> bool {
    let mut linked = 0;
    let mut other = String::new();
    for n in &seg.nodes {
        for d in n.descendants() {
            let in_link = d.ancestors().chain(std::iter::once(d)).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "a" && e.attr("href").is_some())
            });
            if let Node::Text(t) = d.value() {
                if in_link {
                    linked += t.trim().len();
                } else {
                    other.push_str(t);
                }
            }
        }
    }
    linked > 0
        && other.chars().all(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '|' | '·' | '•' | '-' | '–' | '»' | '«' | '>' | '<' | ':' | '[' | ']' | '/'
                )
        })
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
    fn a_font_title_block_with_a_mailto_by_line_and_italic_labels() {
        let h = split_body(
            "<body><font size=5><b>Lamp Black</b></font><br>\n\
             by <a href=\"mailto:w@example.org?subject=Lamp\">Wren Ashdown</a><br><br>\n\
             <i>Rating:</i> R<br><i>Beta:</i> Pell<br>\n\
             It was dark in the lamp room.<br><br>It stayed dark.</body>",
        );
        assert_eq!(h.title.as_deref(), Some("Lamp Black"));
        assert_eq!(h.authors, ["Wren Ashdown"]);
        assert_eq!(h.emails, ["w@example.org"]);
        assert_eq!(h.lines, ["Rating: R", "Beta: Pell"]);
        assert!(
            h.body_html.trim_start().starts_with("It was dark"),
            "{}",
            h.body_html
        );
        assert!(!h.body_html.contains("Wren"));
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
