//! One crawled site: the newest good capture of each URL, error captures noted, and the
//! pages sorted into what they are (eFiction stories and author pages, AO3 works, static story
//! pages, the site's own chrome, pages not understood).

use super::SiteSummary;
use super::capture::Capture;
use super::efiction_site::{self, StoryPages};
use crate::Entry;
use crate::profile::Profile;
use crate::work::ParsedWork;
use std::collections::{BTreeMap, HashMap};

/// Every capture of one URL, reduced to the newest good one and the errors.
#[derive(Debug, Default)]
pub struct Slot {
    /// The newest capture with status 200 that is not an error page.
    pub good: Option<Capture>,
    /// Captures that were not: `404`, `login wall`, … with their URL.
    pub errors: Vec<String>,
    /// The URL of any capture (for reports when there is no good one).
    pub url: Option<super::PageUrl>,
}

/// Captures collected so far, by URL; and the author names their links give, by site.
#[derive(Debug, Default)]
pub struct Pages {
    slots: HashMap<String, Slot>,
    names: HashMap<String, efiction_site::AuthorNames>,
}

/// Query parameters that do not change what a page shows.
const NOISE: &[&str] = &["textsize", "phpsessid", "sessionid", "sid_", "ref"];

fn key_of(url: &super::PageUrl) -> String {
    let mut query: Vec<(String, String)> = url
        .query
        .iter()
        .filter(|(k, _)| !NOISE.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    query.sort();
    let mut key = format!("{}{}", url.host, url.path);
    for (k, v) in query {
        key.push_str(&format!("&{k}={v}"));
    }
    key
}

impl Pages {
    /// Adds a capture: it replaces the URL's good capture when it is good and newer.
    pub fn add(&mut self, capture: Capture) {
        let slot = self.slots.entry(key_of(&capture.url)).or_default();
        slot.url.get_or_insert_with(|| capture.url.clone());
        let problem = if capture.status != 200 {
            Some(format!("HTTP {}", capture.status))
        } else {
            error_page(&capture.body).map(str::to_owned)
        };
        if let Some(p) = problem {
            let when = capture
                .captured
                .map(|d| format!(" on {}", d.format("%Y-%m-%d")))
                .unwrap_or_default();
            slot.errors.push(format!("{p}{when}"));
            return;
        }
        self.names
            .entry(capture.url.host.clone())
            .or_default()
            .read(&capture);
        let newer = match &slot.good {
            None => true,
            Some(old) => capture.captured >= old.captured,
        };
        if newer {
            let mut capture = capture;
            if is_site_chrome(&capture.url) {
                // Only its links were wanted (read above): no need to keep the page.
                capture.body = Vec::new();
            }
            slot.good = Some(capture);
        }
    }

    /// The slots grouped by site (host), in URL order within a site, with the site's
    /// author names.
    pub fn into_sites(mut self) -> BTreeMap<String, (Vec<Slot>, efiction_site::AuthorNames)> {
        let mut sorted: Vec<(String, Slot)> = self.slots.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut sites: BTreeMap<String, (Vec<Slot>, efiction_site::AuthorNames)> = BTreeMap::new();
        for (_, slot) in sorted {
            if let Some(url) = &slot.url {
                let host = url.host.clone();
                let names = &mut self.names;
                sites
                    .entry(host.clone())
                    .or_insert_with(|| (Vec::new(), names.remove(&host).unwrap_or_default()))
                    .0
                    .push(slot);
            }
        }
        sites
    }
}

/// eFiction's own pages other than stories (`viewuser.php`, `browse.php`, …): never stories.
fn is_site_chrome(url: &super::PageUrl) -> bool {
    let file = url.file();
    file.ends_with(".php") && (file == "viewuser.php" || EFICTION_CHROME.contains(&file.as_str()))
}

/// Phrases of pages that stand in for a page that is gone: an HTTP error shown as a page, a
/// suspended or parked domain, a login wall. Only short pages are judged by them.
const ERROR_PHRASES: &[(&str, &str)] = &[
    ("404 not found", "error page (not found)"),
    ("page not found", "error page (not found)"),
    ("500 internal server error", "error page (server error)"),
    ("internal server error", "error page (server error)"),
    ("service unavailable", "error page (server error)"),
    ("account has been suspended", "site suspended"),
    ("this site has been suspended", "site suspended"),
    ("site suspended", "site suspended"),
    ("this domain is for sale", "parked domain"),
    ("buy this domain", "parked domain"),
    ("domain is parked", "parked domain"),
    ("you must be logged in", "login wall"),
    ("please log in to", "login wall"),
    ("members only", "login wall"),
    ("access denied", "login wall"),
    ("that story does not exist", "error page (no such story)"),
    ("story not found", "error page (no such story)"),
    ("database error", "error page (server error)"),
];

/// Why a page is an error page, if it is one.
pub fn error_page(body: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(body);
    let visible = quire_text::html_to_text(&text);
    let words = visible.split_whitespace().count();
    if words == 0 {
        return Some("empty page");
    }
    if words > 400 {
        return None;
    }
    let lower = visible.to_lowercase();
    ERROR_PHRASES
        .iter()
        .find(|(phrase, _)| lower.contains(phrase))
        .map(|(_, why)| *why)
}

/// Files of an eFiction site that are its chrome: listings, search, help.
const EFICTION_CHROME: &[&str] = &[
    "",
    "index.php",
    "browse.php",
    "series.php",
    "viewseries.php",
    "search.php",
    "authors.php",
    "toplists.php",
    "news.php",
    "reviews.php",
    "user.php",
    "titles.php",
    "categories.php",
    "contact.php",
    "tos.php",
    "rss.php",
    "viewpage.php",
    "challenges.php",
    "stats.php",
    "index.html",
];

/// Reads one site's pages into works and its summary.
pub fn read_site(
    host: &str,
    slots: Vec<Slot>,
    names: &efiction_site::AuthorNames,
    profile: &Profile,
) -> (Vec<Entry>, SiteSummary) {
    let mut summary = SiteSummary {
        site: host.to_owned(),
        pages: slots.len() as u64,
        ..SiteSummary::default()
    };
    let efiction = slots
        .iter()
        .filter_map(|s| s.url.as_ref())
        .any(|u| u.file() == "viewstory.php" && u.param("sid").is_some());
    let ao3 = slots
        .iter()
        .filter_map(|s| s.url.as_ref())
        .any(|u| ao3_work(&u.path).is_some());
    summary.layout = if efiction {
        "efiction"
    } else if ao3 {
        "ao3"
    } else {
        "static"
    }
    .to_owned();

    let mut stories: BTreeMap<(u64, String), StoryPages> = BTreeMap::new();
    let mut ao3_works: BTreeMap<u64, Vec<Slot>> = BTreeMap::new();
    let mut statics: Vec<Slot> = Vec::new();
    for slot in slots {
        let Some(url) = slot.url.clone() else {
            continue;
        };
        let file = url.file();
        if efiction && file == "viewstory.php" {
            let Some(sid) = url.param("sid").map(str::to_owned) else {
                summary.not_understood.push(url.to_string());
                continue;
            };
            let story = stories
                .entry((sid.parse().unwrap_or(u64::MAX), sid))
                .or_default();
            if url
                .param("action")
                .is_some_and(|a| a.eq_ignore_ascii_case("printable"))
            {
                story.printable.push(slot);
            } else {
                let n = url
                    .param("chapter")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                story.chapters.entry(n).or_default().push(slot);
            }
        } else if efiction && (file == "viewuser.php" || EFICTION_CHROME.contains(&file.as_str())) {
            continue;
        } else if let Some((work, _)) = ao3_work(&url.path) {
            ao3_works.entry(work).or_default().push(slot);
        } else if slot.good.is_some() {
            statics.push(slot);
        }
    }

    let mut entries: Vec<Entry> = Vec::new();
    for ((_, sid), story) in &stories {
        if let Some(entry) = efiction_site::build(host, sid, story, names, profile, &mut summary) {
            entries.push(entry);
        }
    }
    for (_, pages) in ao3_works {
        // The full work page if it was captured, else the work's front page.
        let best = pages.iter().filter(|s| s.good.is_some()).max_by_key(|s| {
            s.url
                .as_ref()
                .is_some_and(|u| u.param("view_full_work") == Some("true"))
        });
        match best.and_then(|s| s.good.as_ref()) {
            Some(page) => entries.extend(static_page(page, profile, &mut summary, true)),
            None => {
                for s in &pages {
                    if let Some(u) = &s.url {
                        summary
                            .error_only
                            .push(format!("{u}: {}", s.errors.join(", ")));
                    }
                }
            }
        }
    }
    for slot in &statics {
        if let Some(page) = &slot.good {
            entries.extend(static_page(page, profile, &mut summary, false));
        }
    }
    let mut authors: Vec<String> = entries
        .iter()
        .flatten()
        .flat_map(|w| w.authors.iter().cloned())
        .collect();
    authors.sort_by_key(|a| a.to_lowercase());
    authors.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    summary.authors = authors;
    summary.stories = entries.iter().flatten().count() as u64;
    summary.chapters = entries
        .iter()
        .flatten()
        .map(|w| w.chapters.len() as u64)
        .sum();
    (entries, summary)
}

/// `/works/N` or `/works/N/chapters/M`: the work number and the chapter id.
fn ao3_work(path: &str) -> Option<(u64, Option<u64>)> {
    let rest = path.strip_prefix("/works/")?;
    let mut parts = rest.split('/');
    let work = parts.next()?.parse().ok()?;
    match (parts.next(), parts.next(), parts.next()) {
        (None, ..) => Some((work, None)),
        (Some("chapters"), Some(ch), None) => Some((work, ch.parse().ok())),
        _ => None,
    }
}

/// A page that is a story on its own (a static story page, an AO3 work page), or an index or
/// author page (mostly links: understood, not a story), or a page not understood.
fn static_page(
    page: &Capture,
    profile: &Profile,
    summary: &mut SiteSummary,
    ao3: bool,
) -> Option<Entry> {
    let text = String::from_utf8_lossy(&page.body);
    if !ao3 && mostly_links(&text) {
        return None;
    }
    let (entries, _) = crate::walk::parse_bytes(&page.body, &page.origin, None, profile);
    let work = match entries.into_iter().next() {
        Some(Ok(w)) => w,
        _ => {
            summary.not_understood.push(page.url.to_string());
            return None;
        }
    };
    let headerless =
        work.fields.is_empty() && work.needs_review.iter().any(|r| r == "no author given");
    if headerless && !ao3 {
        summary.not_understood.push(page.url.to_string());
        return None;
    }
    let mut work = work;
    stamp(&mut work, page, &[(1, page)]);
    work.source_id = page.url.to_string();
    Some(Ok(work))
}

/// True for a page whose text is mostly link text: an index, a table of contents, an author's
/// list of stories.
fn mostly_links(html: &str) -> bool {
    let doc = scraper::Html::parse_document(html);
    let (Ok(links), Ok(body)) = (
        scraper::Selector::parse("a"),
        scraper::Selector::parse("body"),
    ) else {
        return false;
    };
    let words = |s: &str| s.split_whitespace().count();
    let total: usize = doc
        .select(&body)
        .map(|b| words(&b.text().collect::<Vec<_>>().join(" ")))
        .sum();
    let linked: usize = doc
        .select(&links)
        .map(|a| words(&a.text().collect::<String>()))
        .sum();
    total == 0 || linked * 2 >= total
}

/// Gives a work read from captured pages its identity (the URL it was read from) and its
/// provenance: the site, each chapter's URL and capture date, the WARC record ids.
pub fn stamp(work: &mut ParsedWork, first: &Capture, chapters: &[(u32, &Capture)]) {
    let site = format!("http://{}/", first.url.host);
    if work.archive.is_none() {
        work.archive = Some(first.url.host.clone());
    }
    let captured = chapters.iter().filter_map(|(_, c)| c.captured).max();
    work.fields.push(("Rescued from".to_owned(), site));
    if let Some(d) = captured {
        work.fields
            .push(("Captured".to_owned(), d.format("%Y-%m-%d").to_string()));
    }
    for (n, c) in chapters {
        let label = if chapters.len() == 1 {
            "Original URL".to_owned()
        } else {
            format!("Chapter {n} URL")
        };
        work.fields.push((label.clone(), c.url.to_string()));
        if let Some(d) = c.captured {
            work.fields.push((
                label.replace("URL", "captured"),
                d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ));
        }
        if let Some(id) = &c.record_id {
            work.fields
                .push((label.replace("URL", "WARC record"), id.clone()));
        }
    }
    let bodies: Vec<&[u8]> = chapters.iter().map(|(_, c)| c.body.as_slice()).collect();
    work.content_hash = crate::work::content_hash(&bodies);
    work.path = first.origin.clone();
}
