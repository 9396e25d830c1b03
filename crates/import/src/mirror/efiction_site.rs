//! eFiction sites as crawled: a story's chapters from its `viewstory.php?sid=N&chapter=M`
//! pages (or its printable page, `action=printable`, which holds them all), in order; its
//! authors by their user id (`viewuser.php?uid=N`), named as the newest capture names them;
//! chapters the crawl never reached, and stories whose only captures are error pages.

use super::SiteSummary;
use super::capture::Capture;
use super::index::Slot;
use super::site::{load, stamp};
use crate::Entry;
use crate::dom::{sel, text_of};
use crate::error::{ErrorReason, ImportError};
use crate::html_page::declared_charset;
use crate::profile::Profile;
use crate::work::{ParsedChapter, chapter_of};
use regex::Regex;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

static PAGETITLE_USER: LazyLock<Selector> =
    LazyLock::new(|| sel("#pagetitle a[href*=\"viewuser.php\"]"));
static STORY: LazyLock<Selector> = LazyLock::new(|| sel("#story, .story, #storytext, .storytext"));
static CHAPTER_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("#chaptertitle, .chaptertitle"));
static JUMP_OPTION: LazyLock<Selector> =
    LazyLock::new(|| sel("select[name=\"chapter\"] option, .jumpmenu option"));

/// The captures of one story.
#[derive(Debug, Default)]
pub struct StoryPages {
    /// By chapter number.
    pub chapters: BTreeMap<u32, Vec<Slot>>,
    pub printable: Vec<Slot>,
}

fn good(slots: &[Slot]) -> Option<&Capture> {
    slots
        .iter()
        .filter_map(|s| s.good.as_ref())
        .max_by_key(|c| c.captured)
}

pub fn decode(page: &Capture) -> String {
    quire_text::decode_with_label(&page.body, declared_charset(&page.body).as_deref())
        .map(|d| d.text)
        .unwrap_or_else(|_| String::from_utf8_lossy(&page.body).into_owned())
}

fn uid_of(href: &str) -> Option<String> {
    let query = href.split_once('?')?.1.replace("&amp;", "&");
    query
        .split('&')
        .find_map(|p| p.strip_prefix("uid="))
        .map(str::to_owned)
        .filter(|u| !u.is_empty())
}

/// Author links (`<a href="viewuser.php?uid=N">Name</a>`) as written in a page's HTML.
static USER_LINK_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)<a\s[^>]*href\s*=\s*["']?[^"'>]*viewuser\.php\?[^"'>]*?uid=(\d+)[^>]*>(.*?)</a>"#,
    )
    .expect("valid regex")
});

/// Each author's name by user id on one site, as the newest capture that links to them
/// writes it.
#[derive(Debug, Default)]
pub struct AuthorNames {
    names: HashMap<String, (Option<chrono::DateTime<chrono::Utc>>, String)>,
}

impl AuthorNames {
    /// Reads the author links of a captured page.
    pub fn read(&mut self, page: &Capture) {
        if page.body.is_empty() || !contains(&page.body, b"viewuser.php") {
            return;
        }
        let text = decode(page);
        for m in USER_LINK_HTML.captures_iter(&text) {
            let uid = m[1].to_owned();
            let name = quire_text::html_to_text(&m[2])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if name.is_empty() {
                continue;
            }
            let slot = self.names.entry(uid).or_insert((None, String::new()));
            if slot.1.is_empty() || page.captured > slot.0 {
                *slot = (page.captured, name);
            }
        }
    }

    pub fn get(&self, uid: &str) -> Option<&String> {
        self.names.get(uid).map(|(_, n)| n)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One chapter read from its own page: eFiction's `#story` text, titled from the chapter
/// heading (`2. Title by Author`) or the chapter menu.
fn chapter_from_page(text: &str, n: u32) -> Option<(ParsedChapter, usize)> {
    let doc = Html::parse_document(text);
    let printed = crate::html_print::printed_chapters(&doc);
    let options: Vec<String> = doc.select(&JUMP_OPTION).map(text_of).collect();
    let mut chapter = if printed.chapters.len() == 1 {
        printed.chapters.into_iter().next()?
    } else {
        let story = doc.select(&STORY).next()?;
        let content = quire_text::sanitize_html(&story.inner_html());
        if quire_text::html_to_text(&content).trim().is_empty() {
            return None;
        }
        let mut ch = chapter_of(content);
        let heading = doc.select(&CHAPTER_TITLE).next().map(text_of).or_else(|| {
            usize::try_from(n)
                .ok()
                .and_then(|i| options.get(i.wrapping_sub(1)))
                .cloned()
        });
        ch.title = heading.map(|h| clean_title(&h)).filter(|t| !t.is_empty());
        ch
    };
    if chapter.title.as_deref().is_some_and(|t| t.is_empty()) {
        chapter.title = None;
    }
    Some((chapter, options.len()))
}

/// `2. Title by Author` → `Title`.
fn clean_title(heading: &str) -> String {
    let t = heading
        .rsplit_once(" by ")
        .map_or(heading, |(t, _)| t)
        .trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(". ") {
        t[digits + 2..].trim().to_owned()
    } else {
        t.to_owned()
    }
}

/// Builds one story, or notes it in the summary when no good capture of it exists.
pub fn build(
    host: &str,
    sid: &str,
    story: &StoryPages,
    names: &AuthorNames,
    profile: &Profile,
    summary: &mut SiteSummary,
) -> Option<Entry> {
    let story_url = format!("http://{host}/viewstory.php?sid={sid}");
    let indexed: Vec<(u32, &Capture)> = story
        .chapters
        .iter()
        .filter_map(|(n, slots)| good(slots).map(|c| (*n, c)))
        .collect();
    let printable = good(&story.printable);
    if printable.is_none() && indexed.is_empty() {
        let errors: Vec<String> = story
            .chapters
            .values()
            .chain(std::iter::once(&story.printable))
            .flatten()
            .flat_map(|s| s.errors.iter().cloned())
            .collect();
        summary
            .error_only
            .push(format!("{story_url}: {}", errors.join(", ")));
        return None;
    }
    // The pages' bytes, read again: the printable page alone, else every chapter page.
    let wanted: Vec<(u32, &Capture)> = printable.map_or(indexed, |p| vec![(1, p)]);
    let mut loaded: Vec<(u32, Capture)> = Vec::with_capacity(wanted.len());
    for (n, page) in wanted {
        match load(page, &story_url) {
            Ok(page) => loaded.push((n, page)),
            Err(e) => return Some(Err(e)),
        }
    }
    let chapter_pages: Vec<(u32, &Capture)> = loaded.iter().map(|(n, c)| (*n, c)).collect();
    let first = chapter_pages.first()?.1;
    let (entries, _) = crate::walk::parse_bytes(&first.body, &first.origin, None, profile);
    let mut work = match entries.into_iter().next() {
        Some(Ok(w)) => w,
        Some(Err(e)) => return Some(Err(ImportError::new(story_url, e.reason))),
        None => return None,
    };
    let mut used: Vec<(u32, &Capture)> = vec![(1, first)];
    if printable.is_none() {
        let mut chapters = Vec::new();
        let mut expected = 0usize;
        used.clear();
        for (n, page) in &chapter_pages {
            match chapter_from_page(&decode(page), *n) {
                Some((ch, menu)) => {
                    expected = expected.max(menu);
                    chapters.push(ch);
                    used.push((*n, page));
                }
                None => summary.not_understood.push(page.url.to_string()),
            }
        }
        if chapters.is_empty() {
            return Some(Err(ImportError::new(story_url, ErrorReason::NoBody)));
        }
        let highest = used.last().map_or(0, |(n, _)| *n as usize);
        let expected = expected.max(highest);
        for n in 1..=expected {
            if !used.iter().any(|(m, _)| *m as usize == n) {
                let line =
                    format!("chapter {n} of {expected} never crawled: {story_url}&chapter={n}");
                work.needs_review.push(line.clone());
                summary.missing_chapters.push(line);
            }
        }
        if expected > chapters.len() {
            work.expected_chapters = i32::try_from(expected).ok();
            work.complete = false;
        }
        work.chapters = chapters;
    }
    // Authors by user id: one name per uid, the newest the crawl shows.
    let text = decode(first);
    let doc = Html::parse_document(&text);
    let uids: Vec<String> = doc
        .select(&PAGETITLE_USER)
        .filter_map(|a| uid_of(a.value().attr("href").unwrap_or_default()))
        .collect();
    if !uids.is_empty() {
        let named: Vec<&String> = uids.iter().filter_map(|u| names.get(u)).collect();
        if !named.is_empty() {
            work.authors.clear();
            for n in named {
                work.add_author(n);
            }
            work.needs_review.retain(|r| r != "no author given");
        }
    }
    stamp(&mut work, first, &used);
    work.source_id = story_url;
    work.original_id = Some(sid.to_owned());
    Some(Ok(work))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_headings_lose_number_and_author() {
        assert_eq!(clean_title("2. The Second Lamp by Pell"), "The Second Lamp");
        assert_eq!(clean_title("Lamps"), "Lamps");
        assert_eq!(uid_of("viewuser.php?uid=12&amp;x=1").as_deref(), Some("12"));
    }
}
