//! Stored HTML to plain-text paragraphs, and paragraphs to lines wrapped at a width.
//!
//! The rules are the plain-text importer's, read backwards: a blank line between paragraphs,
//! `* * *` for a scene break (`<hr />`), `*word*` for emphasis. A text imported from a plain
//! file therefore comes back as the same HTML when its export is imported again.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// A paragraph's text, or a scene break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Lines of one paragraph (more than one only where the HTML had `<br />`), each with
    /// its whitespace collapsed.
    Para(Vec<String>),
    /// Preformatted text, kept line by line and never wrapped.
    Pre(String),
    Break,
}

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "blockquote",
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
    "li",
    "ol",
    "p",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

struct Builder {
    blocks: Vec<Block>,
    lines: Vec<String>,
    line: String,
    /// Depth of `em`/`i` elements; only the outermost one is marked.
    emphasis: usize,
    /// An emphasis opened whose marker waits for its first letter, so that `<em> b</em>`
    /// gives ` *b*`, which the importer reads back as emphasis.
    emphasis_pending: bool,
}

impl Builder {
    /// Appends text with HTML's whitespace rule: any run of whitespace is one space.
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.line.is_empty() && !self.line.ends_with(' ') {
                    self.line.push(' ');
                }
            } else {
                if std::mem::take(&mut self.emphasis_pending) {
                    self.line.push('*');
                }
                self.line.push(c);
            }
        }
    }

    fn open_emphasis(&mut self) {
        self.emphasis += 1;
        if self.emphasis == 1 {
            self.emphasis_pending = true;
        }
    }

    /// Closes emphasis: the marker goes before any trailing space; an emphasis with nothing
    /// in it leaves no marker at all.
    fn close_emphasis(&mut self) {
        self.emphasis = self.emphasis.saturating_sub(1);
        if self.emphasis > 0 || std::mem::take(&mut self.emphasis_pending) {
            return;
        }
        let trailing_space = self.line.ends_with(' ');
        self.line.truncate(self.line.trim_end().len());
        self.line.push('*');
        if trailing_space {
            self.line.push(' ');
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim().to_owned();
        self.line.clear();
        if !line.is_empty() || !self.lines.is_empty() {
            self.lines.push(line);
        }
    }

    fn end_paragraph(&mut self) {
        self.break_line();
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        if !self.lines.is_empty() {
            self.blocks
                .push(Block::Para(std::mem::take(&mut self.lines)));
        }
    }
}

/// The paragraphs of an HTML fragment.
pub fn blocks(html: &str) -> Vec<Block> {
    let fragment = Html::parse_fragment(html);
    let mut b = Builder {
        blocks: Vec::new(),
        lines: Vec::new(),
        line: String::new(),
        emphasis: 0,
        emphasis_pending: false,
    };
    let mut skip_depth = 0usize;
    for edge in fragment.root_element().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_depth > 0 {
                    if matches!(node.value(), Node::Element(_)) {
                        skip_depth += 1;
                    }
                    continue;
                }
                match node.value() {
                    Node::Text(t) => b.push_text(t),
                    Node::Element(e) => match e.name() {
                        "br" => b.break_line(),
                        "hr" => {
                            b.end_paragraph();
                            b.blocks.push(Block::Break);
                        }
                        "img" => {
                            let alt = e.attr("alt").map(str::trim).filter(|a| !a.is_empty());
                            b.push_text(
                                &alt.map_or("[image]".to_owned(), |a| format!("[image: {a}]")),
                            );
                        }
                        "em" | "i" => b.open_emphasis(),
                        "li" => {
                            b.end_paragraph();
                            b.line.push_str("- ");
                        }
                        "pre" => {
                            b.end_paragraph();
                            let text: String = node
                                .descendants()
                                .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                                .collect();
                            let text = text.trim_matches('\n').trim_end();
                            if !text.trim().is_empty() {
                                b.blocks.push(Block::Pre(text.to_owned()));
                            }
                            skip_depth = 1;
                        }
                        name if BLOCKS.contains(&name) => b.end_paragraph(),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip_depth > 0 {
                    if matches!(node.value(), Node::Element(_)) {
                        skip_depth -= 1;
                    }
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    match e.name() {
                        "em" | "i" => b.close_emphasis(),
                        name if BLOCKS.contains(&name) => b.end_paragraph(),
                        _ => {}
                    }
                }
            }
        }
    }
    b.end_paragraph();
    b.blocks
}

/// Wraps one line of text at `width` characters, breaking only at spaces (a longer word
/// stands alone).
pub fn wrap(text: &str, width: usize, out: &mut Vec<String>) {
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_len = word.chars().count();
        if len > 0 && len + 1 + word_len > width {
            out.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += word_len;
    }
    if !line.is_empty() {
        out.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(s: &str) -> Block {
        Block::Para(vec![s.to_owned()])
    }

    #[test]
    fn paragraphs_breaks_and_emphasis() {
        assert_eq!(
            blocks("<p>She was <em>not</em> amused.</p>\n<hr />\n<p>Next  line</p>"),
            [
                para("She was *not* amused."),
                Block::Break,
                para("Next line")
            ]
        );
    }

    #[test]
    fn emphasis_markers_hug_the_words() {
        assert_eq!(blocks("<p>a<em> b </em>c</p>"), [para("a *b* c")]);
        assert_eq!(blocks("<p>a <em></em>c</p>"), [para("a c")]);
    }

    #[test]
    fn line_breaks_stay_inside_the_paragraph() {
        assert_eq!(
            blocks("<p>one<br />two</p>"),
            [Block::Para(vec!["one".into(), "two".into()])]
        );
    }

    #[test]
    fn lists_and_images() {
        assert_eq!(
            blocks("<ul><li>a</li><li><img src=\"x\" alt=\"map\" /></li></ul>"),
            [para("- a"), para("- [image: map]")]
        );
    }

    #[test]
    fn wrapping_breaks_at_spaces() {
        let mut out = Vec::new();
        wrap("aaa bbb ccc dddddddddd", 7, &mut out);
        assert_eq!(out, ["aaa bbb", "ccc", "dddddddddd"]);
    }
}
