//! Header blocks: `Label: value` lines (with continuation lines), the known labels, and how
//! each known label's value lands in a work. Every label and value is also kept verbatim.

use crate::dates::{ParsedDate, parse_date_for};
use crate::profile::Profile;
use crate::rating_map::{
    CategoryItem, WarningItem, map_category, map_language, map_rating, map_warning,
};
use crate::work::ParsedWork;
use quire_core::TagKind;
use quire_core::privacy::{find_emails, mask_emails};
use regex::Regex;
use std::sync::LazyLock;

/// The known header labels (legacy-import.md, section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Title,
    Author,
    Email,
    Fandom,
    Rating,
    Warnings,
    Category,
    Genre,
    /// Freeform tags, as they are (`Tags:`, `Additional Tags:`, `Keywords:`).
    Tags,
    Pairing,
    Characters,
    Summary,
    Notes,
    Disclaimer,
    Spoilers,
    Feedback,
    Archive,
    Distribution,
    WordCount,
    Status,
    Published,
    Updated,
    Language,
    Series,
    Chapter,
    Other,
}

static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{0,3}([A-Za-z][A-Za-z0-9 '\u{2019}/()&.\-]{0,39}?)\s*:(?:\s+(.*)|$)")
        .expect("valid regex")
});

/// Splits a `Label: value` line (`RATING :`, `Pairing(s):`, `A/N:` included).
pub fn split_label(line: &str) -> Option<(&str, &str)> {
    let c = LABEL_LINE.captures(line)?;
    let label = c.get(1)?.as_str().trim();
    if label.split_whitespace().count() > 5 {
        return None;
    }
    let value = c.get(2).map_or("", |m| m.as_str().trim());
    Some((label, value))
}

fn normalize_label(label: &str) -> String {
    let l = label.to_lowercase().replace("(s)", "");
    let kept: String = l
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Which known label a header label is (after the profile's aliases), or [`Label::Other`].
pub fn classify(label: &str, profile: &Profile) -> Label {
    let aliased = Profile::lookup(&profile.labels, label).map_or(label, String::as_str);
    match normalize_label(aliased).as_str() {
        "title" | "story title" => Label::Title,
        "author" | "authors" | "writer" | "writers" | "by" | "written by" | "pen name"
        | "penname" | "creator" => Label::Author,
        "email" | "author email" | "authors email" | "contact" | "mail" => Label::Email,
        "fandom" | "fandoms" | "universe" => Label::Fandom,
        "rating" | "rated" | "ratings" => Label::Rating,
        "warning" | "warnings" | "content warning" | "content warnings" | "archive warning"
        | "archive warnings" => Label::Warnings,
        "category" | "categories" => Label::Category,
        "genre" | "genres" => Label::Genre,
        "tags" | "tag" | "additional tags" | "freeform" | "freeforms" | "keywords" => Label::Tags,
        "pairing" | "pairings" | "relationship" | "relationships" | "ship" | "ships" => {
            Label::Pairing
        }
        "character" | "characters" | "main characters" => Label::Characters,
        "summary" | "description" | "blurb" => Label::Summary,
        "notes" | "note" | "authors notes" | "authors note" | "author notes" | "author note"
        | "an" | "a n" | "story notes" => Label::Notes,
        "disclaimer" | "disclaimers" => Label::Disclaimer,
        "spoilers" | "spoiler" => Label::Spoilers,
        "feedback" => Label::Feedback,
        "archive" | "archiving" => Label::Archive,
        "distribution" => Label::Distribution,
        "word count" | "words" | "wordcount" | "length" => Label::WordCount,
        "status" | "completed" | "complete" => Label::Status,
        "published" | "posted" | "date" | "date posted" | "first posted" | "first published" => {
            Label::Published
        }
        "updated" | "last updated" | "date updated" => Label::Updated,
        "language" => Label::Language,
        "series" => Label::Series,
        "part" | "parts" | "chapter" | "chapters" => Label::Chapter,
        _ => Label::Other,
    }
}

/// Reads a header block starting at `lines[start]`: label lines, each with the unlabelled
/// lines that follow it, up to a blank line. Returns the fields and the index after the block.
pub fn read_block(lines: &[&str], start: usize) -> (Vec<(String, String)>, usize) {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            break;
        }
        if let Some((label, value)) = split_label(line) {
            fields.push((label.to_owned(), value.to_owned()));
        } else if let Some(last) = fields.last_mut() {
            if !last.1.is_empty() {
                last.1.push(' ');
            }
            last.1.push_str(line.trim());
        } else {
            break;
        }
        i += 1;
    }
    (fields, i)
}

/// Options for how fields apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// FanFicFare writes the fandom as `Category`.
    pub category_is_fandom: bool,
}

/// What a header said about completion, decided by the caller with the body's signs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderFacts {
    /// `Some(true)` for Complete/Yes/Finished, `Some(false)` for In-Progress/WIP/No/Ongoing.
    pub status: Option<bool>,
}

/// Splits a list value on commas and semicolons.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Splits author names: `A and B`, `A & B`, `A, B`.
pub fn split_names(value: &str) -> Vec<String> {
    let v = value
        .replace(" & ", ",")
        .replace(" and ", ",")
        .replace(" AND ", ",");
    split_list(&v)
        .map(|s| s.trim_start_matches("by ").trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The names and e-mail addresses on a by-line: `Jane Doe (jd@example.com)`,
/// `Jane Doe <jd@example.com>`, `A and B`. Bracketed parts without an address stay in the name.
pub fn names_and_emails(value: &str) -> (Vec<String>, Vec<String>) {
    let emails: Vec<String> = find_emails(value).into_iter().map(str::to_owned).collect();
    if emails.is_empty() {
        return (split_names(value), emails);
    }
    let mut name = String::new();
    let mut depth = 0usize;
    let mut group = String::new();
    for c in value.chars() {
        match c {
            '(' | '<' | '[' => {
                depth += 1;
                group.clear();
            }
            ')' | '>' | ']' if depth > 0 => {
                depth -= 1;
                if !group.contains('@') {
                    name.push_str(&format!("({group})"));
                }
            }
            _ if depth > 0 => group.push(c),
            _ => name.push(c),
        }
    }
    let name: String = name
        .split_whitespace()
        .filter(|w| !w.contains('@'))
        .collect::<Vec<_>>()
        .join(" ");
    (split_names(&name), emails)
}

/// Reads `Complete`/`In-Progress` style values.
pub fn parse_status(value: &str) -> Option<bool> {
    let l = value.trim().trim_end_matches('.').to_lowercase();
    let first = l.split([',', ' ', '(']).next().unwrap_or_default();
    match first {
        "complete" | "completed" | "yes" | "finished" | "done" | "y" => Some(true),
        "in-progress" | "wip" | "no" | "ongoing" | "incomplete" | "unfinished" | "n" => Some(false),
        "in" if l.starts_with("in progress") => Some(false),
        _ => None,
    }
}

static SERIES_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:part|book|no\.?|#)\s*(\d+)\s+(?:of|in)\s+(?:the\s+)?(.+?)\s*(?:series)?$",
    )
    .expect("valid regex")
});
static SERIES_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.+?)[\s,:\-]*(?:\(|\[)?\s*(?:part|book|#|no\.?)\s*(\d+)\s*(?:\)|\])?$")
        .expect("valid regex")
});

/// `Part 2 of Charts and Currents`, `Charts and Currents, part 2`, `Charts and Currents`.
pub fn parse_series(value: &str) -> Option<(String, i32)> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Some(c) = SERIES_PART.captures(v) {
        return Some((c[2].trim().to_owned(), c[1].parse().unwrap_or(1)));
    }
    if let Some(c) = SERIES_SUFFIX.captures(v) {
        return Some((c[1].trim().to_owned(), c[2].parse().unwrap_or(1)));
    }
    Some((v.to_owned(), 1))
}

/// `2`, `2/3`, `2 of 3`: the stated total, if any.
fn expected_of(value: &str) -> Option<i32> {
    let v = value.trim();
    let total = v
        .split_once('/')
        .map(|(_, t)| t)
        .or_else(|| v.split_once(" of ").map(|(_, t)| t))?;
    total.trim().parse().ok()
}

/// Applies one date field, noting an ambiguous one for review.
pub fn apply_date(work: &mut ParsedWork, value: &str, profile: &Profile, updated: bool) {
    let Some(parsed) = parse_date_for(value, profile) else {
        if !value.trim().is_empty() {
            work.needs_review
                .push(format!("date `{}` not understood", value.trim()));
        }
        return;
    };
    if let ParsedDate::Ambiguous(d) = parsed {
        work.needs_review.push(format!(
            "ambiguous date `{}` read month-first as {d}",
            value.trim()
        ));
    }
    let d = parsed.date();
    if updated {
        work.updated = Some(d);
    } else {
        // A file that gives several dates was first published on the earliest of them.
        work.published = Some(work.published.map_or(d, |p| p.min(d)));
    }
}

/// Appends an HTML fragment to an optional HTML field.
pub fn append_html(slot: &mut Option<String>, html: String) {
    if html.is_empty() {
        return;
    }
    match slot {
        Some(existing) => {
            existing.push('\n');
            existing.push_str(&html);
        }
        None => *slot = Some(html),
    }
}

/// Keeps every field verbatim and applies the known ones to the work.
pub fn apply_fields(
    work: &mut ParsedWork,
    fields: &[(String, String)],
    profile: &Profile,
    opts: ApplyOptions,
) -> HeaderFacts {
    let mut facts = HeaderFacts::default();
    let mut emails = Vec::new();
    for (label, value) in fields {
        work.fields.push((label.clone(), value.clone()));
        let value = value.trim();
        match classify(label, profile) {
            Label::Title => {
                if work.title.is_empty() {
                    value.clone_into(&mut work.title);
                }
            }
            Label::Author => {
                emails.extend(find_emails(value).into_iter().map(str::to_owned));
                let without = mask_emails(value);
                if without == value {
                    for name in split_names(value) {
                        work.add_author(&name);
                    }
                } else {
                    let name = value
                        .split(['<', '('])
                        .find(|s| !s.contains('@') && !s.trim().is_empty())
                        .unwrap_or_default()
                        .trim_end_matches([')', '>'])
                        .trim();
                    for name in split_names(name) {
                        work.add_author(&name);
                    }
                }
            }
            Label::Email => emails.extend(find_emails(value).into_iter().map(str::to_owned)),
            Label::Fandom => {
                for f in split_list(value) {
                    work.add_tag(TagKind::Fandom, f);
                }
            }
            Label::Rating => {
                if work.original_rating.is_none() {
                    work.original_rating = Some(value.to_owned());
                    work.rating = map_rating(value, profile);
                }
            }
            Label::Warnings => {
                for item in split_list(value) {
                    match map_warning(item, profile) {
                        WarningItem::Warning(w) => work.add_warning(w),
                        WarningItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                    }
                }
            }
            Label::Category => {
                for item in split_list(value) {
                    if opts.category_is_fandom {
                        work.add_tag(TagKind::Fandom, item);
                    } else if let Some((fandom, _rest)) = item.split_once('>') {
                        work.add_tag(TagKind::Fandom, fandom.trim());
                    } else {
                        match map_category(item, profile) {
                            CategoryItem::Category(c) => work.add_category(c),
                            CategoryItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                        }
                    }
                }
            }
            Label::Genre => {
                for item in split_list(value) {
                    match map_category(item, profile) {
                        CategoryItem::Category(c) => work.add_category(c),
                        CategoryItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                    }
                }
            }
            Label::Tags => {
                for tag in split_list(value) {
                    work.add_tag(TagKind::Freeform, tag);
                }
            }
            Label::Pairing => {
                for p in split_list(value) {
                    work.add_tag(TagKind::Relationship, p);
                }
            }
            Label::Characters => {
                for c in split_list(value) {
                    work.add_tag(TagKind::Character, c);
                }
            }
            Label::Summary => {
                append_html(&mut work.summary, quire_text::wrapped_text_to_html(value))
            }
            Label::Notes => append_html(&mut work.notes, quire_text::wrapped_text_to_html(value)),
            Label::Status => facts.status = parse_status(value).or(facts.status),
            Label::Published => apply_date(work, value, profile, false),
            Label::Updated => apply_date(work, value, profile, true),
            Label::Language => work.language = map_language(value),
            Label::Series => {
                if let Some(s) = parse_series(value) {
                    work.series.push(s);
                }
            }
            Label::Chapter => {
                if let Some(n) = expected_of(value) {
                    work.expected_chapters = Some(n);
                }
            }
            Label::Archive
            | Label::Disclaimer
            | Label::Spoilers
            | Label::Feedback
            | Label::Distribution
            | Label::WordCount
            | Label::Other => {}
        }
    }
    for email in emails {
        let author = work.authors.first().cloned().unwrap_or_default();
        if !work
            .author_emails
            .iter()
            .any(|(_, e)| e.eq_ignore_ascii_case(&email))
        {
            work.author_emails.push((author, email));
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_lines() {
        assert_eq!(split_label("RATING : PG"), Some(("RATING", "PG")));
        assert_eq!(split_label("Pairing(s): A/B"), Some(("Pairing(s)", "A/B")));
        assert_eq!(split_label("A/N: hi"), Some(("A/N", "hi")));
        assert_eq!(
            split_label("Author's Notes: x"),
            Some(("Author's Notes", "x"))
        );
        assert_eq!(
            split_label("He said: go away and never come back to me"),
            Some(("He said", "go away and never come back to me"))
        );
        assert_eq!(split_label("http://x"), None);
        assert_eq!(split_label("10:12:44"), None);
        let p = Profile::default();
        assert_eq!(classify("Pairing(s)", &p), Label::Pairing);
        assert_eq!(classify("Author's Notes", &p), Label::Notes);
        assert_eq!(classify("A/N", &p), Label::Notes);
        assert_eq!(classify("E-mail", &p), Label::Email);
    }

    #[test]
    fn blocks_with_continuations() {
        let lines = ["Summary: one", "two", "  three", "Rating: G", "", "body"];
        let (fields, next) = read_block(&lines, 0);
        assert_eq!(
            fields,
            [
                ("Summary".into(), "one two three".into()),
                ("Rating".into(), "G".into())
            ]
        );
        assert_eq!(next, 4);
    }

    #[test]
    fn series_values() {
        assert_eq!(
            parse_series("Part 2 of Charts and Currents"),
            Some(("Charts and Currents".into(), 2))
        );
        assert_eq!(
            parse_series("Lamps and Lanterns"),
            Some(("Lamps and Lanterns".into(), 1))
        );
        assert_eq!(parse_series("Lamps, part 3"), Some(("Lamps".into(), 3)));
    }

    #[test]
    fn names_and_status() {
        assert_eq!(split_names("A and B & C"), ["A", "B", "C"]);
        assert_eq!(parse_status("In-Progress"), Some(false));
        assert_eq!(parse_status("Complete"), Some(true));
        assert_eq!(parse_status("Maybe"), None);
    }
}
