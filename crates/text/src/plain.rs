//! Plain text to HTML paragraphs, following the legacy body rules: blank-line paragraphs,
//! hard-wrap joining, indented paragraphs, centered lines, `*emphasis*` and scene breaks.

use crate::escape::push_escaped_text as push_escaped;

/// Leading spaces from which a line counts as centered rather than indented.
const CENTERED_INDENT: usize = 10;

enum Block {
    Para(String),
    Break,
}

/// True for a line that is only a scene-break ornament: `* * *`, `***`, `~*~`, `-----`, `===`.
pub fn is_scene_break(line: &str) -> bool {
    let t = line.trim();
    // The `all` first: it stops at the first letter of an ordinary line.
    t.chars().all(|c| {
        c.is_whitespace() || matches!(c, '*' | '~' | '-' | '=' | '#' | '_' | '+' | '•' | '·')
    }) && t.chars().filter(|c| !c.is_whitespace()).count() >= 3
}

fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn is_centered(line: &str) -> bool {
    indent_of(line) >= CENTERED_INDENT && line.trim().chars().count() < 60
}

/// Converts a plain-text body to sanitized XHTML paragraphs (`<p>…</p>` and `<hr />`).
/// Everything in the text is escaped: a `<3` stays `<3`. A text with no blank lines at all
/// gets one paragraph per line.
pub fn text_to_html(text: &str) -> String {
    convert(text, true)
}

/// Like [`text_to_html`], for short texts known to be hard-wrapped (a header value, a post's
/// preamble): lines of a block are joined even when the text has no blank lines.
pub fn wrapped_text_to_html(text: &str) -> String {
    convert(text, false)
}

fn convert(text: &str, lines_are_paragraphs: bool) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut groups: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                groups.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    let single_block = lines_are_paragraphs && groups.len() <= 1;

    let mut blocks = Vec::new();
    for group in &groups {
        split_group(group, single_block, &mut blocks);
    }

    let mut out = String::with_capacity(text.len() + text.len() / 10);
    for block in blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        match block {
            Block::Break => out.push_str("<hr />"),
            Block::Para(p) => {
                out.push_str("<p>");
                push_inline(&mut out, &p);
                out.push_str("</p>");
            }
        }
    }
    out
}

fn split_group(group: &[&str], single_block: bool, blocks: &mut Vec<Block>) {
    let indented = |l: &&str| {
        let n = indent_of(l);
        n > 0 && n < CENTERED_INDENT
    };
    let indent_mode = group.len() >= 2
        && group[1..].iter().any(indented)
        && group.iter().any(|l| indent_of(l) == 0);
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            let joined = para.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            blocks.push(Block::Para(joined));
            para.clear();
        }
    };
    for line in group {
        if is_scene_break(line) {
            flush(&mut para, blocks);
            blocks.push(Block::Break);
        } else if is_centered(line) && group.len() > 1 {
            flush(&mut para, blocks);
            blocks.push(Block::Para(line.trim().to_owned()));
        } else if indent_mode {
            if indented(line) {
                flush(&mut para, blocks);
            }
            para.push(line);
        } else if single_block {
            flush(&mut para, blocks);
            para.push(line);
        } else {
            para.push(line);
        }
    }
    flush(&mut para, blocks);
}

/// Escapes a paragraph's text and turns `*word*` / `_word_` into emphasis.
fn push_inline(out: &mut String, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut plain_start = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '*' || c == '_')
            && opens(&chars, i)
            && let Some(j) = closing(&chars, i)
        {
            push_escaped(out, &chars[plain_start..i].iter().collect::<String>());
            out.push_str("<em>");
            push_escaped(out, &chars[i + 1..j].iter().collect::<String>());
            out.push_str("</em>");
            i = j + 1;
            plain_start = i;
            continue;
        }
        i += 1;
    }
    push_escaped(out, &chars[plain_start..].iter().collect::<String>());
}

fn opens(chars: &[char], i: usize) -> bool {
    let before_ok = i == 0 || {
        let p = chars[i - 1];
        p.is_whitespace() || "([{\"'\u{201c}\u{2018}\u{2014}\u{2013}-/".contains(p)
    };
    let after_ok = chars
        .get(i + 1)
        .is_some_and(|n| !n.is_whitespace() && *n != chars[i]);
    before_ok && after_ok
}

fn closing(chars: &[char], i: usize) -> Option<usize> {
    let marker = chars[i];
    let mut j = i + 2;
    while j < chars.len() {
        if chars[j] == marker {
            let before = chars[j - 1];
            let after_ok = chars
                .get(j + 1)
                .is_none_or(|n| !n.is_alphanumeric() && *n != marker);
            return (!before.is_whitespace() && after_ok).then_some(j);
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs_and_wrapped_lines_join() {
        let html = text_to_html("One line\nwrapped here.\n\nSecond.");
        assert_eq!(html, "<p>One line wrapped here.</p>\n<p>Second.</p>");
    }

    #[test]
    fn without_blank_lines_every_line_is_a_paragraph() {
        assert_eq!(
            text_to_html("First.\nSecond."),
            "<p>First.</p>\n<p>Second.</p>"
        );
    }

    #[test]
    fn indented_lines_start_paragraphs() {
        let html = text_to_html(
            "     The clock had not\nbeen wound.\n     \"Clocks don't,\" said\nTomas.",
        );
        assert_eq!(
            html,
            "<p>The clock had not been wound.</p>\n<p>\"Clocks don't,\" said Tomas.</p>"
        );
    }

    #[test]
    fn centered_lines_are_their_own_paragraphs() {
        let html = text_to_html("                The Title\n     Text starts\nhere.\n     More.");
        assert_eq!(
            html,
            "<p>The Title</p>\n<p>Text starts here.</p>\n<p>More.</p>"
        );
    }

    #[test]
    fn emphasis_and_scene_breaks() {
        let html = text_to_html(
            "She was *not* amused, _really_.\n\n* * *\n\nsnake_case_name stays; 2*3*4 too",
        );
        assert_eq!(
            html,
            "<p>She was <em>not</em> amused, <em>really</em>.</p>\n<hr />\n<p>snake_case_name stays; 2*3*4 too</p>"
        );
    }

    #[test]
    fn wrapped_text_joins_lines() {
        assert_eq!(wrapped_text_to_html("one\ntwo"), "<p>one two</p>");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            text_to_html("I <3 you & <b>him</b>"),
            "<p>I &lt;3 you &amp; &lt;b&gt;him&lt;/b&gt;</p>"
        );
    }

    #[test]
    fn scene_break_shapes() {
        for l in ["***", "* * *", "~*~", "-----", "=== "] {
            assert!(is_scene_break(l), "{l}");
        }
        for l in ["--", "a***", "* *"] {
            assert!(!is_scene_break(l), "{l}");
        }
    }
}
