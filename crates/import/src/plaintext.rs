//! Plain-text story pages (archive line, title, by line, header block, body), mailing-list
//! posts (header block, separator, body), FanFicFare's TXT output, and files with no header.

use crate::body::{
    chapters_from, decide_complete, drop_end_marker, ends_with_tbc, find_headings,
    find_tab_headings, split_after_end, trim_blank_end,
};
use crate::error::ErrorReason;
use crate::header::{
    ApplyOptions, Label, append_html, apply_date, apply_fields, classify, read_block, split_label,
};
use crate::opening::{self, ByLine};
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

/// Where the title, by line, archive line and preamble are.
struct Top {
    archive: Option<String>,
    title: Option<String>,
    by: Option<ByLine>,
    /// Lines before the title that are not an archive line: the author's preamble.
    preamble: (usize, usize),
    header_start: usize,
}

fn find_top(lines: &[&str], profile: &Profile) -> Option<Top> {
    let first = skip_blank(lines, 0);
    let mut non_blank = 0;
    let mut found = None;
    for k in first..lines.len() {
        let line = lines[k];
        if line.trim().is_empty() {
            continue;
        }
        non_blank += 1;
        if non_blank > 6 || line.trim().chars().count() > 120 {
            break;
        }
        // The header starts at a by line, or at the first known label after the title.
        if let Some(by) = opening::by_at(lines, k, profile) {
            found = Some((k, Some(by)));
            break;
        } else if is_known_label_line(line, profile) {
            found = Some((k, None));
            break;
        } else if split_label(line).is_some() {
            break;
        }
    }
    // Before a label block, a title stands apart from what is above it: a line closing a
    // paragraph is the end of a preamble. (Above a by-line, `Title` / `Subtitle` is fine.)
    let found = found.filter(|(k, by)| {
        by.is_some()
            || (first..*k)
                .rev()
                .find(|&j| !lines[j].trim().is_empty())
                .is_none_or(|t| t == first || lines[t - 1].trim().is_empty())
    });
    let Some((k, by)) = found else {
        // A title and by-line further down, after a preamble.
        let o = opening::find(lines, first, 12, profile)?;
        return Some(Top {
            archive: None,
            title: o.title,
            preamble: (first, o.start),
            header_start: o.by.end,
            by: Some(o.by),
        });
    };
    let header_start = by.as_ref().map_or(k, |b| b.end);
    // The title is the last non-blank line before the by line.
    let title_at = (first..k).rev().find(|&j| !lines[j].trim().is_empty());
    let title = title_at.map(|j| lines[j].trim().to_owned());
    let mut archive = None;
    let mut preamble = (first, first);
    if let Some(t) = title_at {
        let before: Vec<usize> = (first..t)
            .filter(|&j| !lines[j].trim().is_empty())
            .collect();
        match before.as_slice() {
            [] => {}
            // One short line, set apart by a blank line: the archive's name (a sentence, such
            // as a one-line disclaimer, is a note).
            [only]
                if lines[only + 1..t].iter().any(|l| l.trim().is_empty())
                    && lines[*only].trim().chars().count() <= 80
                    && !lines[*only].contains(':')
                    && !lines[*only].trim_end().ends_with(['.', '!', '?'])
                    && !quire_text::is_scene_break(lines[*only]) =>
            {
                archive = Some(lines[*only].trim().to_owned());
            }
            _ => preamble = (first, t),
        }
    }
    Some(Top {
        archive,
        title,
        by,
        preamble,
        header_start,
    })
}

/// A short line standing alone at the top, centred by leading spaces or a tab, with a blank
/// line under it: a headerless story's title.
fn centred_title(lines: &[&str], first: usize) -> Option<String> {
    let line = lines.get(first)?;
    let lead = line.len() - line.trim_start().len();
    let t = line.trim();
    let centred = line.starts_with('\t') || lead >= 4;
    let alone = lines.get(first + 1).is_none_or(|l| l.trim().is_empty());
    let next = skip_blank(lines, first + 1);
    // A story whose every paragraph is indented is not centred.
    let body_indented = lines
        .get(next)
        .is_some_and(|l| l.len() - l.trim_start().len() >= lead);
    (centred
        && alone
        && !body_indented
        && t.chars().count() <= 80
        && split_label(t).is_none()
        && !quire_text::is_scene_break(t)
        && !t.ends_with(['.', ',', ';']))
    .then(|| t.to_owned())
}

/// The story's by-line names its authors (ahead of any poster or label), their addresses and
/// perhaps a date.
pub(crate) fn take_by_line(work: &mut ParsedWork, by: &ByLine, profile: &Profile) {
    for a in &by.authors {
        work.add_author(a);
    }
    for e in &by.emails {
        if !work
            .author_emails
            .iter()
            .any(|(_, x)| x.eq_ignore_ascii_case(e))
        {
            let author = by.authors.first().cloned().unwrap_or_default();
            work.author_emails.push((author, e.clone()));
        }
    }
    if let Some(d) = &by.date {
        work.fields.push(("Date".to_owned(), d.clone()));
        apply_date(work, d, profile, false);
    }
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
    let mut preamble_fields = Vec::new();
    let mut by: Option<ByLine> = None;

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
        let (pre_fields, pre_html) = opening::read_preamble(&lines[top.preamble.0..top.preamble.1]);
        preamble_fields = pre_fields;
        append_html(&mut work.notes, pre_html);
        by = top.by;
        read_header_blocks(&lines, top.header_start, profile)
    } else if let Some(title) = centred_title(&lines, first) {
        work.needs_review.push(format!(
            "no header found: title `{title}` read from the centred first line, rating Not Rated"
        ));
        work.title = title;
        (Vec::new(), first + 1)
    } else {
        work.needs_review
            .push("no header found: title from the file name, rating Not Rated".to_owned());
        (Vec::new(), first)
    };
    if work.format == Format::PlainText
        && fields.is_empty()
        && preamble_fields.is_empty()
        && by.is_some()
    {
        let title = if work.title.is_empty() {
            "no title (file name used)".to_owned()
        } else {
            format!("title `{}`", work.title)
        };
        let names = by
            .as_ref()
            .map(|b| b.authors.join(", "))
            .unwrap_or_default();
        work.needs_review.push(format!(
            "no header block: {title} and author `{names}` read from the story's opening"
        ));
    }
    let mut facts = apply_fields(&mut work, &preamble_fields, profile, opts);
    if let Some(by) = &by {
        take_by_line(&mut work, by, profile);
    }
    let header_facts = apply_fields(&mut work, &fields, profile, opts);
    facts.status = header_facts.status.or(facts.status);

    // A mailing-list post's header block is often followed by the story's own title and
    // by-line: header text, not story.
    let mut body_start = body_start;
    if work.format == Format::MailingList
        && let Some(o) = opening::find(&lines, body_start, 3, profile)
        && o.start == skip_blank(&lines, body_start)
        && o.title
            .as_deref()
            .is_none_or(|t| work.title.is_empty() || t.eq_ignore_ascii_case(&work.title))
    {
        if work.title.is_empty()
            && let Some(t) = &o.title
        {
            work.title.clone_from(t);
        }
        take_by_line(&mut work, &o.by, profile);
        body_start = o.by.end;
    }

    let mut body: Vec<&str> = lines[body_start.min(lines.len())..].to_vec();
    if let Some(tail) = split_after_end(&mut body) {
        let (tail_fields, tail_html) = opening::read_preamble(&tail);
        let tail_facts = apply_fields(&mut work, &tail_fields, profile, opts);
        facts.status = facts.status.or(tail_facts.status);
        append_html(&mut work.end_notes, tail_html);
        work.report_notes
            .push("text after the end marker kept as end notes and fields".to_owned());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_and_subtitle_above_a_by_line_keep_their_header() {
        let text =
            "The Long Night\nA Hollowmere Story\nby Wren Ashdown\n\nRating: PG\n\nIt was long.\n";
        let w = parse(
            text,
            "x.txt",
            "UTF-8",
            String::new(),
            &Profile::default(),
            false,
        )
        .expect("a work");
        assert_eq!(w.title, "A Hollowmere Story");
        assert_eq!(w.authors, ["Wren Ashdown"]);
        assert_eq!(w.original_rating.as_deref(), Some("PG"));
        assert_eq!(w.chapters[0].content, "<p>It was long.</p>");
    }
}
