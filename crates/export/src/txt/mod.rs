//! Plain text in the style old archives used: a `Label: value` header block (`Title:`,
//! `Author:`, `Rating:`, `Fandom:`, …), a scene-break line, then the story wrapped at 78
//! columns, chapters under `Chapter N: Title` headings.
//!
//! The layout is the one the plain-text importer reads, so importing the file again gives
//! the same title, creators, rating, tags, summary and text. Header values are wrapped with
//! indented continuation lines, which the importer joins back and never mistakes for labels.

mod flow;

use std::fmt::Write as _;

use quire_core::Work;

use self::flow::{Block, blocks, wrap};
use crate::{Book, meta};

/// Lines are wrapped at this many characters.
pub const WIDTH: usize = 78;

/// Continuation lines of a header value start with this: four spaces, so that the importer
/// never reads one as a label of its own.
const CONTINUATION: &str = "    ";

/// Writes `book` as plain text.
pub fn write(book: &Book<'_>) -> String {
    let work = book.work;
    let size: usize = book.chapters().iter().map(|c| c.content.len()).sum();
    let mut out = String::with_capacity(size + 4096);
    for (label, value) in header(work) {
        push_field(&mut out, &label, &value);
    }
    out.push_str("\n* * *\n");
    let multi = book.chapters().len() > 1;
    for (n, chapter) in book.chapters().iter().enumerate() {
        let mut body: Vec<Block> = Vec::new();
        for (label, html) in [
            ("Chapter Summary", &chapter.summary),
            ("Chapter Notes", &chapter.notes),
        ] {
            if let Some(html) = html.as_deref().filter(|h| !h.trim().is_empty()) {
                body.push(Block::Para(vec![format!("{label}:")]));
                body.extend(blocks(html));
            }
        }
        body.extend(blocks(&chapter.content));
        if let Some(html) = chapter
            .end_notes
            .as_deref()
            .filter(|h| !h.trim().is_empty())
        {
            body.push(Block::Para(vec!["Chapter End Notes:".to_owned()]));
            body.extend(blocks(html));
        }
        if multi {
            out.push('\n');
            out.push_str(&Book::chapter_heading(n + 1, chapter));
            out.push('\n');
        }
        push_blocks(&mut out, &body);
    }
    out
}

/// The header block: the work's fields under labels the importer knows, then, for an imported
/// work, where it came from and its original header under `Original …` labels (kept, never
/// applied, when the file is imported again).
fn header(work: &Work) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, value: String| fields.push((label.to_owned(), value));
    add("Title", work.title.clone());
    add("Author", meta::byline(work));
    for row in meta::tag_rows(work) {
        // AO3's plural labels, except `Fandom`, which old archives wrote singular.
        let label = if row.label == "Fandoms" {
            "Fandom"
        } else {
            row.label
        };
        add(label, row.values.join(", "));
    }
    add("Language", work.language.clone());
    for part in meta::series_parts(work) {
        add("Series", part);
    }
    add("Published", quire_core::day_or_unknown(work.published));
    add("Updated", quire_core::day_or_unknown(work.updated));
    let status = if work.complete {
        "Complete"
    } else {
        "In Progress"
    };
    add("Status", status.to_owned());
    add("Chapters", work.chapters_display());
    add("Words", quire_core::numbers::thousands(work.word_count));
    for (label, html) in [
        ("Summary", &work.summary),
        ("Notes", &work.notes),
        ("End Notes", &work.end_notes),
    ] {
        if let Some(html) = html.as_deref() {
            let text = one_line(&blocks(html));
            if !text.is_empty() {
                add(label, text);
            }
        }
    }
    if let Some(p) = meta::provenance(work) {
        add("Imported From", format!("{} ({})", p.archive, p.path));
        for (label, value) in p.fields {
            let prefixed = format!("Original {}", label.trim());
            if is_plain_label(&prefixed) {
                add(&prefixed, value);
            } else {
                add("Original Header", format!("{label}: {value}"));
            }
        }
    }
    fields
}

/// Paragraphs joined into one header value (a header value has no paragraph breaks).
fn one_line(blocks: &[Block]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for block in blocks {
        match block {
            Block::Para(lines) => parts.extend(lines.iter().map(String::as_str)),
            Block::Pre(text) => parts.extend(text.lines()),
            Block::Break => {}
        }
    }
    parts
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `label` reads back as one label: letters, digits and a little punctuation, at
/// most 40 characters and 5 words (the importer's rule for a header label).
fn is_plain_label(label: &str) -> bool {
    label.chars().count() <= 40
        && label.split_whitespace().count() <= 5
        && label.starts_with(|c: char| c.is_ascii_alphabetic())
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " '/()&.-".contains(c))
}

/// `Label: value`, wrapped, continuation lines indented.
fn push_field(out: &mut String, label: &str, value: &str) {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        let _ = writeln!(out, "{label}:");
        return;
    }
    let mut lines = Vec::new();
    wrap(
        &format!("{label}: {value}"),
        WIDTH - CONTINUATION.len(),
        &mut lines,
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(CONTINUATION);
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// The paragraphs of a chapter, a blank line before each.
fn push_blocks(out: &mut String, body: &[Block]) {
    // The importer reads a text without blank lines as one paragraph per line, so a chapter
    // of a single paragraph is not wrapped: its lines would come back as paragraphs.
    let single = body.len() == 1;
    let mut lines = Vec::new();
    for block in body {
        out.push('\n');
        match block {
            Block::Break => out.push_str("* * *\n"),
            Block::Pre(text) => {
                out.push_str(text);
                out.push('\n');
            }
            Block::Para(para) => {
                for line in para {
                    lines.clear();
                    if single {
                        lines.push(line.clone());
                    } else {
                        wrap(line, WIDTH, &mut lines);
                    }
                    for l in &lines {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_header_values_wrap_with_indented_continuations() {
        let mut out = String::new();
        let value = "word ".repeat(40);
        push_field(&mut out, "Summary", &value);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("Summary: word"));
        for line in &lines {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        for line in &lines[1..] {
            assert!(line.starts_with(CONTINUATION));
        }
    }

    #[test]
    fn labels_that_would_not_read_back_are_recognized() {
        assert!(is_plain_label("Original Pairing(s)"));
        assert!(!is_plain_label("Original #tags"));
        assert!(!is_plain_label("Original one two three four five"));
    }
}
