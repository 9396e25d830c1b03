//! The opening of a story in plain text or a post: a title line and a by-line (centred or
//! tab-indented, after a preamble or not), in the shapes old files used: `by Name`,
//! `By: Name`, `By.` with the name on the next line, `written by`, `a story by`, and
//! `Name (e-mail) date` under the title.

use crate::dates::parse_date_for;
use crate::header::{names_and_emails, split_label};
use crate::plaintext::by_line;
use crate::profile::Profile;
use quire_core::privacy::find_emails;
use regex::Regex;
use std::sync::LazyLock;

/// A by-line found at some line.
#[derive(Debug, Clone, PartialEq)]
pub struct ByLine {
    pub authors: Vec<String>,
    pub emails: Vec<String>,
    /// A date written on the by-line or on the line after it, as written.
    pub date: Option<String>,
    /// The line after the by-line (and its date line).
    pub end: usize,
}

/// A title and by-line block.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub title: Option<String>,
    /// Where the title line is (else the by-line).
    pub start: usize,
    /// Where the by-line is.
    pub by_line_at: usize,
    pub by: ByLine,
}

static BARE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:a|an)\s+(?:story|fic|tale|fanfic)\s+)?(?:(?:written|posted)\s+)?by\s*[:.]?\s*$",
    )
    .expect("valid regex")
});
/// `Jane Doe (jd@example.com) 10/26/94`, `Jane Doe <jd@example.com>`.
static NAME_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([^\s(<@:][^(<@:]{0,60}?)\s*[(<]\s*([^\s()<>]+@[^\s()<>]+)\s*[)>]\s*(.*?)\s*$")
        .expect("valid regex")
});

fn is_blank(lines: &[&str], i: usize) -> bool {
    lines.get(i).is_none_or(|l| l.trim().is_empty())
}

fn next_non_blank(lines: &[&str], mut i: usize, limit: usize) -> Option<usize> {
    while i < lines.len() && i < limit {
        if !lines[i].trim().is_empty() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A date line (`October 26, 1994`, `10/26/94`) standing right after a by-line.
fn date_line(line: &str, profile: &Profile) -> bool {
    let t = line.trim();
    t.chars().count() <= 40
        && t.chars().any(|c| c.is_ascii_digit())
        && parse_date_for(t, profile).is_some()
}

/// The by-line at `k`, if that line is one (with its name on the next line for a bare `By.`).
pub fn by_at(lines: &[&str], k: usize, profile: &Profile) -> Option<ByLine> {
    let line = lines.get(k)?;
    let (authors, emails, mut date, mut end) = if let Some(name) = by_line(line) {
        let (a, e) = names_and_emails(name);
        (a, e, None, k + 1)
    } else if BARE_BY.is_match(line) {
        let n = next_non_blank(lines, k + 1, k + 3)?;
        let name = lines[n].trim();
        if name.split_whitespace().count() > 6 || split_label(name).is_some() {
            return None;
        }
        let (a, e) = names_and_emails(name);
        (a, e, None, n + 1)
    } else {
        return None;
    };
    if authors.is_empty() {
        return None;
    }
    if let Some(d) = lines.get(end).filter(|l| date_line(l, profile)) {
        date = Some(d.trim().to_owned());
        end += 1;
    }
    Some(ByLine {
        authors,
        emails,
        date,
        end,
    })
}

/// `Name (e-mail) date` under a title: only taken with a title line right above it.
fn name_email_at(lines: &[&str], k: usize, profile: &Profile) -> Option<ByLine> {
    let c = NAME_EMAIL.captures(lines.get(k)?)?;
    let name = c.get(1)?.as_str().trim();
    let rest = c.get(3).map_or("", |m| m.as_str()).trim();
    if name.split_whitespace().count() > 5 || !find_emails(name).is_empty() {
        return None;
    }
    if !rest.is_empty() && parse_date_for(rest, profile).is_none() {
        return None;
    }
    Some(ByLine {
        authors: vec![name.to_owned()],
        emails: vec![c.get(2)?.as_str().to_owned()],
        date: (!rest.is_empty()).then(|| rest.to_owned()),
        end: k + 1,
    })
}

fn title_candidate(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= 100
        && split_label(t).is_none()
        && !quire_text::is_scene_break(t)
        && by_line(t).is_none()
}

/// A title and by-line block whose by-line starts within the first `max_lines` non-blank
/// lines from `from`. The block must stand apart: a blank line (or the start) above the title
/// and a blank line, a label or the end below the by-line, so that a sentence of the story
/// that happens to start with "by" is not read as one.
pub fn find(lines: &[&str], from: usize, max_lines: usize, profile: &Profile) -> Option<Opening> {
    let mut seen = 0;
    for k in from..lines.len() {
        if lines[k].trim().is_empty() {
            continue;
        }
        seen += 1;
        if seen > max_lines {
            return None;
        }
        let title_at = k
            .checked_sub(1)
            .filter(|&t| t >= from && title_candidate(lines[t]));
        let by = by_at(lines, k, profile)
            .or_else(|| title_at.and_then(|_| name_email_at(lines, k, profile)));
        let Some(by) = by else { continue };
        let indented =
            lines[k].starts_with(['\t', ' ']) && lines[k].trim_start().len() + 2 <= lines[k].len();
        let closed = indented
            || is_blank(lines, by.end)
            || lines
                .get(by.end)
                .is_some_and(|l| split_label(l).is_some() || quire_text::is_scene_break(l));
        let start = title_at.unwrap_or(k);
        let open_above = start == from || is_blank(lines, start.wrapping_sub(1));
        if !(closed && open_above) {
            continue;
        }
        return Some(Opening {
            title: title_at.map(|t| lines[t].trim().to_owned()),
            start,
            by_line_at: k,
            by,
        });
    }
    None
}

/// A preamble (text before the opening): `Label: value` lines to fields, the rest as HTML
/// paragraphs for the work's notes. Separator lines are dropped.
pub fn read_preamble(lines: &[&str]) -> (Vec<(String, String)>, String) {
    let mut fields = Vec::new();
    let mut html = String::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() || quire_text::is_scene_break(lines[i]) {
            i += 1;
            continue;
        }
        if split_label(lines[i]).is_some() {
            let (block, next) = crate::header::read_block(lines, i);
            fields.extend(block);
            i = next.max(i + 1);
        } else {
            let end = (i..lines.len())
                .find(|&j| lines[j].trim().is_empty() || quire_text::is_scene_break(lines[j]))
                .unwrap_or(lines.len());
            if !html.is_empty() {
                html.push('\n');
            }
            html.push_str(&quire_text::wrapped_text_to_html(&lines[i..end].join("\n")));
            i = end;
        }
    }
    (fields, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_in(text: &str) -> Option<Opening> {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines, 0, 12, &Profile::default())
    }

    #[test]
    fn by_line_shapes() {
        for (text, author) in [
            ("\t\tThe Night Market\n\t\tby Jane Doe\n\nText.", "Jane Doe"),
            ("The Night Market\nBy: Jane Doe\n\nText.", "Jane Doe"),
            (
                "   The Night Market\n        By.\n     Jane Doe\n\nText.",
                "Jane Doe",
            ),
            ("The Night Market\nwritten by Jane Doe\n\nText.", "Jane Doe"),
            ("The Night Market\na story by Jane Doe\n\nText.", "Jane Doe"),
            (
                "The Night Market\nJane Doe (jd@example.com) 10/26/94\n\nText.",
                "Jane Doe",
            ),
        ] {
            let o = find_in(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(o.title.as_deref(), Some("The Night Market"), "{text}");
            assert_eq!(o.by.authors, [author], "{text}");
        }
        let o = find_in("T\nJane Doe (jd@example.com) 10/26/94\n\nx").unwrap();
        assert_eq!(o.by.date.as_deref(), Some("10/26/94"));
        assert_eq!(o.by.emails, ["jd@example.com"]);
    }

    #[test]
    fn sentences_are_not_by_lines() {
        assert_eq!(
            find_in("It was late.\nBy the time she came home the lamps were\nout, all of them."),
            None
        );
        assert_eq!(find_in("She went.\nby the sea.\n\nx"), None);
    }
}
