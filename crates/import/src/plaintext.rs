//! Plain-text story pages (archive line, title, by line, header block, body), mailing-list
//! posts (header block, separator, body), FanFicFare's TXT output, and files with no header.

use crate::body::{
    chapters_from, decide_complete, drop_end_marker, ends_with_tbc, find_headings,
    find_tab_headings, trim_blank_end,
};
use crate::error::ErrorReason;
use crate::header::{
    ApplyOptions, Label, apply_fields, classify, read_block, split_label, split_names,
};
use crate::profile::Profile;
use crate::work::{Format, ParsedWork};
use regex::Regex;
use std::sync::LazyLock;

static BY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:a|an)\s+(?:story|fic|tale|fanfic|vignette|poem)\s+)?(?:(?:written|posted)\s+)?by\s*[:.]?\s+(\S.{0,80}?)\s*$",
    )
    .expect("valid regex")
});

/// The author named on a by-line (`by Name`, `By: Name`, `written by Name`, `a story by
/// Name`), if the line is one. A name of more than six words, or one that runs on like a
/// sentence (`By the time she came…`), is not taken.
pub fn by_line(line: &str) -> Option<&str> {
    let name = BY_LINE.captures(line).and_then(|c| c.get(1))?.as_str();
    let bare = name.split(['(', '<']).next().unwrap_or(name).trim();
    let words = bare.split_whitespace().count();
    let sentence = bare.ends_with([',', ';', '!', '?'])
        || (bare.ends_with('.')
            && bare
                .split_whitespace()
                .last()
                .is_some_and(|w| w.chars().count() > 3));
    (words > 0 && words <= 6 && !sentence).then_some(name)
}

fn is_separator(line: &str) -> bool {
    quire_text::is_scene_break(line)
}

fn skip_blank(lines: &[&str], mut i: usize) -> usize {
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    i
}

fn is_known_label_line(line: &str, profile: &Profile) -> bool {
    split_label(line).is_some_and(|(l, _)| classify(l, profile) != Label::Other)
}

/// Reads header blocks from `i` (several, when blank lines split them), then a separator line.
/// Returns the fields and where the body starts.
fn read_header_blocks(
    lines: &[&str],
    mut i: usize,
    profile: &Profile,
) -> (Vec<(String, String)>, usize) {
    let mut fields = Vec::new();
    loop {
        i = skip_blank(lines, i);
        if i >= lines.len() || split_label(lines[i]).is_none() {
            break;
        }
        // A later block must start with a known label, so that a body opening with
        // `He said: …` is not read as a header.
        if !fields.is_empty() && !is_known_label_line(lines[i], profile) {
            break;
        }
        let (block, next) = read_block(lines, i);
        if block.is_empty() {
            break;
        }
        fields.extend(block);
        i = next;
    }
    i = skip_blank(lines, i);
    if i < lines.len() && is_separator(lines[i]) {
        i = skip_blank(lines, i + 1);
    }
    (fields, i)
}

/// Where the title, by line and archive line are.
struct Top {
    archive: Option<String>,
    title: Option<String>,
    authors: Vec<String>,
    header_start: usize,
}

fn find_top(lines: &[&str], profile: &Profile) -> Option<Top> {
    let first = skip_blank(lines, 0);
    let mut non_blank = 0;
    for k in first..lines.len() {
        let line = lines[k];
        if line.trim().is_empty() {
            continue;
        }
        non_blank += 1;
        if non_blank > 6 || line.trim().chars().count() > 120 {
            return None;
        }
        // The header starts at a by line, or at the first known label after the title.
        let (authors, header_start) = if let Some(name) = by_line(line) {
            (split_names(name), k + 1)
        } else if is_known_label_line(line, profile) {
            (Vec::new(), k)
        } else if split_label(line).is_some() {
            return None;
        } else {
            continue;
        };
        // The title is the last non-blank line before the by line.
        let title_at = (first..k).rev().find(|&j| !lines[j].trim().is_empty());
        let title = title_at.map(|j| lines[j].trim().to_owned());
        let archive = title_at.and_then(|t| {
            let before = (first..t).rev().find(|&j| !lines[j].trim().is_empty())?;
            let separated = lines[before + 1..t].iter().any(|l| l.trim().is_empty());
            let line = lines[before].trim();
            (separated && line.chars().count() <= 80 && !line.contains(':'))
                .then(|| line.to_owned())
        });
        return Some(Top {
            archive,
            title,
            authors,
            header_start,
        });
    }
    None
}

/// Parses a plain-text file. `fanficfare` selects FanFicFare's conventions (the fandom in
/// `Category`, tab-indented chapter titles).
pub fn parse(
    text: &str,
    path: &str,
    encoding: &str,
    hash: String,
    profile: &Profile,
    fanficfare: bool,
) -> Result<ParsedWork, ErrorReason> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(ErrorReason::Empty);
    }
    let format = if fanficfare {
        Format::FanFicFareText
    } else {
        Format::PlainText
    };
    let mut work = ParsedWork::new(path, format, encoding, hash);
    let opts = ApplyOptions {
        category_is_fandom: fanficfare,
    };
    let first = skip_blank(&lines, 0);

    let (fields, body_start) = if is_known_label_line(lines[first], profile) {
        work.format = if fanficfare {
            Format::FanFicFareText
        } else {
            Format::MailingList
        };
        read_header_blocks(&lines, first, profile)
    } else if let Some(top) = find_top(&lines, profile) {
        work.archive = top.archive;
        if let Some(t) = top.title {
            work.title = t;
        }
        for a in &top.authors {
            work.add_author(a);
        }
        read_header_blocks(&lines, top.header_start, profile)
    } else {
        work.needs_review
            .push("no header found: title from the file name, rating Not Rated".to_owned());
        (Vec::new(), first)
    };
    let facts = apply_fields(&mut work, &fields, profile, opts);

    let mut body: Vec<&str> = lines[body_start.min(lines.len())..].to_vec();
    drop_end_marker(&mut body, &mut work);
    trim_blank_end(&mut body);
    if body.iter().all(|l| l.trim().is_empty()) {
        return Err(ErrorReason::NoBody);
    }
    let tbc = ends_with_tbc(&body);
    let headings = if fanficfare {
        find_tab_headings(&body)
    } else {
        find_headings(&body)
    };
    work.chapters = chapters_from(&body, &headings);
    work.complete = decide_complete(facts.status, &work, tbc);
    work.finalize(profile);
    Ok(work)
}
