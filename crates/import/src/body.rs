//! Plain-text bodies: end markers, `TBC` lines, chapter headings, and the completion rule.

use crate::work::{ParsedChapter, ParsedWork, chapter_of};
use regex::Regex;
use std::sync::LazyLock;

fn bare(line: &str) -> String {
    line.trim()
        .trim_matches(|c: char| "()[]~*-_=.!,:;\u{2013}\u{2014}".contains(c) || c.is_whitespace())
        .to_lowercase()
}

/// `END`, `FIN`, `The End`, `Finis`, `End file.` (any case, optional punctuation).
pub fn is_end_marker(line: &str) -> bool {
    matches!(
        bare(line).as_str(),
        "end" | "fin" | "the end" | "finis" | "end file" | "owari"
    )
}

/// `TBC`, `To be continued`, `(continued in part 2)`.
pub fn is_tbc(line: &str) -> bool {
    let b = bare(line);
    b == "tbc"
        || b.starts_with("to be continued")
        || b.starts_with("continued in")
        || b.starts_with("continued next")
        || b == "more to come"
}

/// Drops a lone end marker at the very end of the lines, noting it in the work.
pub fn drop_end_marker(lines: &mut Vec<&str>, work: &mut ParsedWork) {
    trim_blank_end(lines);
    if let Some(last) = lines.last()
        && is_end_marker(last)
    {
        let marker = last.trim().to_owned();
        lines.pop();
        trim_blank_end(lines);
        work.report_notes
            .push(format!("end marker `{marker}` dropped"));
        work.end_marker = Some(marker);
    }
}

/// Text after an end marker near the end (a disclaimer repeated after `The End`, a last
/// note): cut off the lines and returned, so that the marker is the last line again. Only a
/// short tail (at most three paragraphs, 1,200 characters) counts; otherwise the marker is
/// inside the story.
pub fn split_after_end<'a>(lines: &mut Vec<&'a str>) -> Option<Vec<&'a str>> {
    trim_blank_end(lines);
    let m = lines.iter().rposition(|l| is_end_marker(l))?;
    let tail = &lines[m + 1..];
    let chars: usize = tail.iter().map(|l| l.trim().len()).sum();
    let paragraphs = tail
        .split(|l| l.trim().is_empty())
        .filter(|p| !p.is_empty())
        .count();
    if tail.is_empty() || chars > 1200 || paragraphs > 3 {
        return None;
    }
    let tail = tail.to_vec();
    lines.truncate(m + 1);
    Some(tail)
}

/// Removes trailing blank lines.
pub fn trim_blank_end(lines: &mut Vec<&str>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
}

/// True when the last non-blank line is a `TBC` line.
pub fn ends_with_tbc(lines: &[&str]) -> bool {
    lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| is_tbc(l))
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:part|chapter)\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\s*(?:[:.\-\u{2013}\u{2014}]\s*(.*?))?\s*$",
    )
    .expect("valid regex")
});

fn number_word(w: &str) -> Option<u32> {
    let words = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    if let Ok(n) = w.parse() {
        return Some(n);
    }
    let l = w.to_lowercase();
    words
        .iter()
        .position(|x| *x == l)
        .and_then(|p| u32::try_from(p + 1).ok())
}

fn alone(lines: &[&str], i: usize) -> bool {
    let before = i == 0 || lines[i - 1].trim().is_empty();
    let after = i + 1 >= lines.len() || lines[i + 1].trim().is_empty();
    before && after
}

/// Chapter headings: (line index, title). `Part 2: Title` / `Chapter Two - Title` lines standing
/// alone between blank lines, only when there are two or more counting up from 1.
pub fn find_headings(lines: &[&str]) -> Vec<(usize, Option<String>)> {
    let mut found = Vec::new();
    let mut expected = 1;
    for (i, line) in lines.iter().enumerate() {
        if !alone(lines, i) {
            continue;
        }
        let Some(c) = HEADING.captures(line) else {
            continue;
        };
        if c.get(1).and_then(|m| number_word(m.as_str())) != Some(expected) {
            continue;
        }
        expected += 1;
        let title = c
            .get(2)
            .map(|m| m.as_str().trim().to_owned())
            .filter(|t| !t.is_empty());
        found.push((i, title));
    }
    if found.len() >= 2 { found } else { Vec::new() }
}

/// FanFicFare's chapter headings: tab-indented lines standing alone between blank lines.
pub fn find_tab_headings(lines: &[&str]) -> Vec<(usize, Option<String>)> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| l.starts_with('\t') && !l.trim().is_empty() && alone(lines, *i))
        .map(|(i, l)| (i, Some(l.trim().to_owned())))
        .collect()
}

/// Splits the lines at the headings into chapters of HTML. Text before the first heading goes
/// to the first chapter.
pub fn chapters_from(lines: &[&str], headings: &[(usize, Option<String>)]) -> Vec<ParsedChapter> {
    if headings.is_empty() {
        let html = quire_text::text_to_html(&lines.join("\n"));
        return vec![chapter_of(html)];
    }
    let mut chapters = Vec::new();
    for (n, (start, title)) in headings.iter().enumerate() {
        let from = if n == 0 { 0 } else { start + 1 };
        let end = headings.get(n + 1).map_or(lines.len(), |(next, _)| *next);
        let mut text: Vec<&str> = Vec::new();
        if n == 0 {
            text.extend_from_slice(&lines[..*start]);
        }
        text.extend_from_slice(&lines[(from.max(start + 1)).min(end)..end]);
        let mut ch = chapter_of(quire_text::text_to_html(&text.join("\n")));
        ch.title.clone_from(title);
        chapters.push(ch);
    }
    chapters
}

/// The completion rule: a status label decides; else an end marker means complete; else a
/// single chapter with no `TBC` at its end is complete.
pub fn decide_complete(status: Option<bool>, work: &ParsedWork, tbc: bool) -> bool {
    match status {
        Some(s) => s,
        None => work.end_marker.is_some() || (work.chapters.len() == 1 && !tbc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_markers_and_tbc() {
        for l in ["END", "The End.", "fin!", "End file.", "   ~ Finis ~"] {
            assert!(is_end_marker(l), "{l}");
        }
        assert!(!is_end_marker("The end of the road"));
        assert!(is_tbc("(continued in part 2)"));
        assert!(is_tbc("TBC..."));
        assert!(is_tbc("To be continued"));
    }

    #[test]
    fn headings_must_count_up_from_one() {
        let lines = ["Part 1: A", "", "x", "", "Part 2", "", "y"];
        assert_eq!(
            find_headings(&lines),
            [(0, Some("A".to_owned())), (4, None)]
        );
        let lines = ["Chapter Two - B", "", "x", "", "Chapter 3", "", "y"];
        assert!(find_headings(&lines).is_empty());
        let lines = ["Chapter One", "", "x"];
        assert!(find_headings(&lines).is_empty());
    }
}
