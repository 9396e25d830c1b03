//! The first pass over a crawl: every capture of a URL reduced to the newest good one (kept
//! without its page's bytes, only where to read them again) and its error captures, the
//! author names the pages' links give, and which pages are the site's own chrome.

use super::capture::Capture;
use super::efiction_site;
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

pub fn key_of(url: &super::PageUrl) -> String {
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
            // Only where its bytes lie is kept: a work reads them again when it is built.
            slot.good = Some(Capture {
                body: Vec::new(),
                ..capture
            });
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

/// eFiction's own pages other than stories (`viewuser.php`, `browse.php`, …, by the last
/// segment of their path): never stories.
pub fn is_efiction_chrome(file: &str) -> bool {
    file == "viewuser.php" || EFICTION_CHROME.contains(&file)
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
