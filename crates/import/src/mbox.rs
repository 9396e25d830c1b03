//! Usenet and e-mail posts: an mbox of many posts or a single post with RFC 822 headers.
//! Multi-part posts whose subjects share a title become one work, one chapter per part.

use crate::body::{decide_complete, drop_end_marker, is_tbc, trim_blank_end};
use crate::dates::parse_date_for;
use crate::error::ErrorReason;
use crate::header::{
    ApplyOptions, Label, append_html, apply_fields, classify, read_block, split_label,
};
use crate::opening::{self, ByLine};
use crate::plaintext::take_by_line;
use crate::profile::Profile;
use crate::rating_map::map_rating;
use crate::work::{Format, ParsedWork, chapter_of, content_hash};
use quire_core::Rating;
use regex::Regex;
use std::sync::LazyLock;

/// One post: its headers in order, and its body lines with `>From ` unescaped.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub headers: Vec<(String, String)>,
    pub body: Vec<String>,
    pub raw: String,
}

impl Post {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits an mbox (posts start with a `From ` line after a blank line) or a single post.
pub fn split_posts(text: &str) -> Vec<Post> {
    let lines: Vec<&str> = text.lines().collect();
    let mut chunks: Vec<&[&str]> = Vec::new();
    if lines.first().is_some_and(|l| l.starts_with("From ")) {
        let mut start = 0;
        for i in 1..lines.len() {
            if lines[i].starts_with("From ") && lines[i - 1].trim().is_empty() {
                chunks.push(&lines[start..i]);
                start = i;
            }
        }
        chunks.push(&lines[start..]);
    } else {
        chunks.push(&lines);
    }
    chunks.into_iter().map(parse_post).collect()
}

pub(crate) fn parse_post(lines: &[&str]) -> Post {
    let mut i = usize::from(lines.first().is_some_and(|l| l.starts_with("From ")));
    let mut post = Post {
        raw: lines.join("\n"),
        ..Post::default()
    };
    while i < lines.len() && !lines[i].trim().is_empty() {
        let line = lines[i];
        if line.starts_with([' ', '\t']) {
            if let Some(last) = post.headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            post.headers
                .push((k.trim().to_owned(), v.trim().to_owned()));
        } else {
            break;
        }
        i += 1;
    }
    post.body = lines[i.min(lines.len())..]
        .iter()
        .map(|l| {
            let gt = l.bytes().take_while(|&b| b == b'>').count();
            if gt > 0 && l[gt..].starts_with("From ") {
                l[1..].to_owned()
            } else {
                (*l).to_owned()
            }
        })
        .collect();
    post
}

/// What a subject line says: the title, a part marker and a bracketed rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub title: String,
    /// (part, of how many).
    pub part: Option<(u32, Option<u32>)>,
    pub rating: Option<String>,
}

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:re|fic|new|repost|fwd?|story|new fic)\s*:|\[(?:fic|new|repost)\])\s*",
    )
    .expect("valid regex")
});
static LIST_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\[([A-Za-z][A-Za-z0-9_.\-]{0,40})\]\s*").expect("valid regex")
});
static GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[(]([^\[\]()]*)[\])]").expect("valid regex"));
static PART_IN_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:part\s*)?(\d+)\s*(?:/|of)\s*(\d+|\?)\s*$|^\s*part\s+(\d+)\s*$")
        .expect("valid regex")
});
static PART_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,:\-]*\bpart\s+(\d+)(?:\s*(?:of|/)\s*(\d+))?\s*$|\s(\d+)/(\d+)\s*$")
        .expect("valid regex")
});

/// Parses a subject: `NEW: The Tide-Clock (1/2) [PG-13]` → `The Tide-Clock`, part 1 of 2, `PG-13`.
pub fn parse_subject(subject: &str) -> Subject {
    let mut s = subject.trim().to_owned();
    loop {
        if let Some(m) = PREFIX.find(&s).filter(|m| m.end() > 0) {
            s = s[m.end()..].to_owned();
            continue;
        }
        // A mailing list's tag (`[lanterns-fic]`), unless it is a rating or a part marker.
        if let Some(c) = LIST_TAG.captures(&s)
            && let (Some(whole), Some(inner)) = (c.get(0), c.get(1))
            && map_rating(inner.as_str(), &Profile::default()) == Rating::NotRated
            && !PART_IN_GROUP.is_match(inner.as_str())
        {
            s = s[whole.end()..].to_owned();
            continue;
        }
        break;
    }
    let mut part = None;
    let mut rating = None;
    let mut kept = String::new();
    let mut last = 0;
    for c in GROUP.captures_iter(&s) {
        let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let inner_text = inner.as_str().trim();
        let consumed = if let Some(p) = PART_IN_GROUP.captures(inner_text) {
            let n = p.get(1).or(p.get(3)).and_then(|m| m.as_str().parse().ok());
            let of = p.get(2).and_then(|m| m.as_str().parse().ok());
            if let Some(n) = n {
                part = Some((n, of));
            }
            true
        } else if let Some(r) = inner_text
            .strip_prefix("Rated ")
            .or_else(|| inner_text.strip_prefix("rated "))
            .or_else(|| inner_text.strip_prefix("Rating: "))
        {
            rating = Some(r.trim().to_owned());
            true
        } else if map_rating(inner_text, &Profile::default()) != Rating::NotRated
            && inner_text.split_whitespace().count() <= 2
        {
            rating = Some(inner_text.to_owned());
            true
        } else {
            false
        };
        if consumed {
            kept.push_str(&s[last..whole.start()]);
            last = whole.end();
        }
    }
    kept.push_str(&s[last..]);
    let mut title = kept.trim().to_owned();
    if part.is_none()
        && let Some(c) = PART_BARE.captures(&title)
        && let Some(m) = c.get(0)
    {
        let n = c.get(1).or(c.get(3)).and_then(|m| m.as_str().parse().ok());
        let of = c.get(2).or(c.get(4)).and_then(|m| m.as_str().parse().ok());
        if let Some(n) = n {
            part = Some((n, of));
            title = title[..m.start()].trim().to_owned();
        }
    }
    let title = title
        .trim_matches(|c: char| c.is_whitespace() || "\"'\u{201c}\u{201d}:-,".contains(c))
        .to_owned();
    Subject {
        title,
        part,
        rating,
    }
}

/// The poster's name from a `From:` header (`addr (Name)`, `Name <addr>`, `"Name" <addr>`).
pub fn poster_name(from: &str) -> String {
    let from = from.trim();
    if let (Some(open), Some(close)) = (from.find('('), from.rfind(')'))
        && open < close
    {
        return from[open + 1..close].trim().to_owned();
    }
    if let Some(lt) = from.find('<') {
        let name = from[..lt].trim().trim_matches('"').trim();
        if !name.is_empty() {
            return name.to_owned();
        }
        return from[lt + 1..].trim_end_matches('>').trim().to_owned();
    }
    from.to_owned()
}

/// A preamble-ending separator: a long line of `*`, `-` or `=`.
fn is_long_separator(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() >= 10 && t.chars().all(|c| matches!(c, '*' | '-' | '=' | '~' | '_'))
}

/// One post's body, taken apart.
struct PostBody {
    preamble_fields: Vec<(String, String)>,
    preamble_html: String,
    author: Option<ByLine>,
    extra_fields: Vec<(String, String)>,
    text: Vec<String>,
    tbc: bool,
}

fn split_body(lines: &[String], profile: &Profile) -> PostBody {
    let mut lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut extra_fields = Vec::new();
    if let Some(sig) = lines.iter().rposition(|l| *l == "--" || *l == "-- ") {
        let signature = lines[sig + 1..].join("\n").trim_end().to_owned();
        extra_fields.push(("Signature".to_owned(), signature));
        lines.truncate(sig);
    }
    trim_blank_end(&mut lines);
    let mut tbc = false;
    if let Some(last) = lines.last()
        && is_tbc(last)
    {
        extra_fields.push(("Continued".to_owned(), last.trim().to_owned()));
        lines.pop();
        trim_blank_end(&mut lines);
        tbc = true;
    }

    // The title and by lines near the top, and a separator before them or a long one early on.
    let half = lines.len() / 2;
    let separator = lines
        .iter()
        .position(|l| is_long_separator(l))
        .filter(|&s| s <= half.max(12));
    let search_from = separator.map_or(0, |s| s + 1);
    let found = opening::find(&lines, search_from, 12, profile)
        .map(|o| (o.by_line_at, o.by))
        .or_else(|| {
            lines
                .iter()
                .enumerate()
                .skip(search_from)
                .filter(|(_, l)| !l.trim().is_empty())
                .take(12)
                .find_map(|(i, _)| opening::by_at(&lines, i, profile).map(|b| (i, b)))
        });
    let by_at = found.as_ref().map(|(k, _)| *k);
    let mut author = None;
    let mut preamble_end = separator.unwrap_or(0);
    let mut text_start = search_from;
    let mut title_line = None;
    if let Some((k, by)) = found {
        let title_at = (search_from..k)
            .rev()
            .find(|&j| !lines[j].trim().is_empty())
            .filter(|&j| k - j <= 2 && lines[j].trim().chars().count() <= 80);
        if separator.is_none() {
            preamble_end = title_at.unwrap_or(k);
        }
        text_start = by.end;
        if let Some(t) = title_at
            && separator.is_some()
            && lines[search_from..t].iter().any(|l| !l.trim().is_empty())
        {
            // Text between the separator and the title belongs to the story.
            text_start = search_from;
        }
        title_line = title_at;
        author = Some(by);
    }
    // A header block right under the title and by-line (`Rating: G`), or opening the text
    // (`Title:`, `Author:`, `Date:`), led by a known label so that a script-style story
    // (`Mira: Hello`) stays story.
    let mut after_by = Vec::new();
    if author.as_ref().is_none_or(|by| text_start == by.end)
        && let Some(j) = (text_start..lines.len()).find(|&j| !lines[j].trim().is_empty())
        && split_label(lines[j]).is_some_and(|(l, _)| classify(l, profile) != Label::Other)
    {
        let (fields, next) = read_block(&lines, j);
        if !fields.is_empty() && lines[next..].iter().any(|l| !l.trim().is_empty()) {
            after_by = fields;
            text_start = next;
        }
    }

    let mut preamble_fields = Vec::new();
    let mut preamble_html = String::new();
    let mut i = 0;
    while i < preamble_end {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        if split_label(lines[i]).is_some() {
            let (fields, next) = read_block(&lines[..preamble_end], i);
            preamble_fields.extend(fields);
            i = next.max(i + 1);
        } else {
            let end = (i..preamble_end)
                .find(|&j| lines[j].trim().is_empty())
                .unwrap_or(preamble_end);
            if !preamble_html.is_empty() {
                preamble_html.push('\n');
            }
            preamble_html.push_str(&quire_text::wrapped_text_to_html(&lines[i..end].join("\n")));
            i = end;
        }
    }

    preamble_fields.extend(after_by);

    // The title and by-line are dropped when they sit inside the story text.
    let text: Vec<&str> = (text_start.min(lines.len())..lines.len())
        .filter(|&j| {
            let in_by = by_at.is_some_and(|k| j >= k && author.as_ref().is_some_and(|b| j < b.end));
            !in_by && Some(j) != title_line.filter(|_| by_at.is_some())
        })
        .map(|j| lines[j])
        .collect();
    PostBody {
        preamble_fields,
        preamble_html,
        author,
        extra_fields,
        text: text.into_iter().map(str::to_owned).collect(),
        tbc,
    }
}

/// Parses an mbox or a single post into works: posts without part markers each as a work,
/// the parts of a multi-part story joined (see [`crate::mailbox::Joiner`]), in the order the
/// works are complete.
pub fn parse(
    text: &str,
    path: &str,
    encoding: &str,
    profile: &Profile,
) -> Vec<Result<ParsedWork, ErrorReason>> {
    let mut joiner = crate::mailbox::Joiner::new(profile);
    let mut out = Vec::new();
    for post in split_posts(text) {
        joiner.add(post, path, encoding, Vec::new(), &mut out);
    }
    joiner.finish(&mut out);
    out.into_iter().map(|e| e.map_err(|e| e.reason)).collect()
}

pub(crate) fn build_work(
    posts: &[Post],
    subjects: &[Subject],
    group: &[usize],
    path: &str,
    encoding: &str,
    profile: &Profile,
) -> Result<ParsedWork, ErrorReason> {
    let raws: Vec<&[u8]> = group.iter().map(|&i| posts[i].raw.as_bytes()).collect();
    let mut work = ParsedWork::new(path, Format::Mbox, encoding, content_hash(&raws));
    let first = group.first().copied().ok_or(ErrorReason::NoBody)?;
    work.title.clone_from(&subjects[first].title);
    let id = posts[first]
        .header("Message-ID")
        .map(|m| m.trim().trim_matches(['<', '>']).to_owned())
        .filter(|m| !m.is_empty());
    work.source_id = match &id {
        Some(m) => format!("{path}#{m}"),
        None if !work.title.is_empty() => format!("{path}#{}", work.title),
        None => path.to_owned(),
    };
    work.original_id = id;

    let mut preamble_fields = Vec::new();
    let mut poster = None;
    let mut last_tbc = false;
    let last = group.len() - 1;
    for (n, &i) in group.iter().enumerate() {
        let post = &posts[i];
        work.fields.extend(post.headers.iter().cloned());
        if poster.is_none() {
            poster = post.header("From").map(poster_name);
        }
        let body = split_body(&post.body, profile);
        if let Some(by) = &body.author {
            take_by_line(&mut work, by, profile);
        }
        preamble_fields.extend(body.preamble_fields.iter().cloned());
        let mut text: Vec<&str> = body.text.iter().map(String::as_str).collect();
        if n == last {
            drop_end_marker(&mut text, &mut work);
            last_tbc = body.tbc;
        }
        trim_blank_end(&mut text);
        let mut chapter = chapter_of(quire_text::text_to_html(&text.join("\n")));
        chapter.published = post
            .header("Date")
            .and_then(|d| parse_date_for(d, profile))
            .map(|d| d.date());
        if n == 0 {
            append_html(&mut work.notes, body.preamble_html);
        } else if !body.preamble_html.is_empty() {
            chapter.notes = Some(body.preamble_html);
        }
        work.fields.extend(body.preamble_fields);
        work.fields.extend(body.extra_fields);
        if chapter.content.is_empty() {
            continue;
        }
        work.chapters.push(chapter);
    }
    if work.chapters.is_empty() {
        return Err(ErrorReason::NoBody);
    }
    // Preamble labels apply (a `Rating:` there wins over the subject); the verbatim copies are
    // already in `fields`.
    let mut scratch = work.clone();
    scratch.fields.clear();
    let facts = apply_fields(
        &mut scratch,
        &preamble_fields,
        profile,
        ApplyOptions::default(),
    );
    scratch.fields = work.fields;
    work = scratch;
    if work.original_rating.is_none()
        && let Some(r) = group.iter().find_map(|&i| subjects[i].rating.clone())
    {
        work.rating = map_rating(&r, profile);
        work.original_rating = Some(r);
    }
    if let Some(p) = poster.filter(|p| !p.is_empty()) {
        if work.authors.is_empty() {
            work.add_author(&p);
        } else if !work.authors.iter().any(|a| a.eq_ignore_ascii_case(&p)) {
            work.fields.push(("Posted by".to_owned(), p));
        }
    }
    // Published is the earliest date the posts give (a by-line's date may be older than
    // the post); updated the last part's.
    let first_post = work.chapters.first().and_then(|c| c.published);
    work.published = match (work.published, first_post) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    work.updated = work.chapters.last().and_then(|c| c.published);
    if let Some(total) = subjects[first].part.and_then(|p| p.1) {
        work.expected_chapters = i32::try_from(total).ok();
        let have: Vec<u32> = group
            .iter()
            .filter_map(|&i| subjects[i].part.map(|p| p.0))
            .collect();
        for n in 1..=total.min(500) {
            if !have.contains(&n) {
                work.needs_review
                    .push(format!("part {n} of {total} is missing"));
            }
        }
    }
    work.complete = decide_complete(facts.status, &work, last_tbc);
    work.finalize(profile);
    Ok(work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        let s = parse_subject("NEW: The Tide-Clock (1/2) [PG-13]");
        assert_eq!(s.title, "The Tide-Clock");
        assert_eq!(s.part, Some((1, Some(2))));
        assert_eq!(s.rating.as_deref(), Some("PG-13"));
        let s = parse_subject("Re: FIC: \"Salt\" Part 3 of 7 (Rated PG)");
        assert_eq!(s.title, "Salt");
        assert_eq!(s.part, Some((3, Some(7))));
        assert_eq!(s.rating.as_deref(), Some("PG"));
        let s = parse_subject("[lanterns-fic] Re: NEW: Low Water (1/3) [PG]");
        assert_eq!(s.title, "Low Water");
        assert_eq!(s.part, Some((1, Some(3))));
        let s = parse_subject("[PG] Lamps");
        assert_eq!(
            (s.title.as_str(), s.rating.as_deref()),
            ("Lamps", Some("PG"))
        );
        let s = parse_subject("REPOST: Ember [2/5]");
        assert_eq!((s.title.as_str(), s.part), ("Ember", Some((2, Some(5)))));
    }

    #[test]
    fn parts_join_in_order_and_repeated_parts_stand_alone() {
        let post = |id: &str, subject: &str, body: &str| {
            format!(
                "From x Sat Oct 12 21:14:03 1996\nFrom: a@b.example (A)\nSubject: {subject}\nMessage-ID: <{id}>\n\n{body}\n\n"
            )
        };
        let text = [
            post("2", "Lamps (2/2)", "Second part."),
            post("1", "Lamps (1/2)", "First part."),
            post("3", "Re: Lamps (1/2)", "Loved it!"),
        ]
        .concat();
        let works: Vec<ParsedWork> = parse(&text, "m.mbox", "UTF-8", &Profile::default())
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(works.len(), 2);
        assert_eq!(works[0].source_id, "m.mbox#1");
        assert_eq!(works[0].chapters[0].content, "<p>First part.</p>");
        assert_eq!(works[0].chapters[1].content, "<p>Second part.</p>");
        assert_eq!(works[1].source_id, "m.mbox#3");
    }

    #[test]
    fn posters() {
        assert_eq!(poster_name("wren@hollowmere.example (Wren A.)"), "Wren A.");
        assert_eq!(poster_name("\"Wren A.\" <wren@x.example>"), "Wren A.");
        assert_eq!(poster_name("<wren@x.example>"), "wren@x.example");
    }
}
