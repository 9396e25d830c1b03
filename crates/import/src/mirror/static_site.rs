//! Static story-page sites as crawled: each page with a header block is a work; pages that
//! are mostly links (the index, author pages, tables of contents) are understood, not works,
//! and give the stories whose page names no author or fandom theirs (`static_links`).

use super::capture::Capture;
use super::efiction_site::decode;
use super::index::{Slot, key_of};
use super::site::{SiteOut, load, stamp};
use super::static_links::{self, Hints};
use crate::profile::Profile;
use crate::work::ParsedWork;
use quire_core::TagKind;
use std::collections::HashSet;

/// Builds the works of a static site's pages (the good captures of `slots`): a first sweep
/// sorts the pages into story pages and pages of links and reads the links; a second reads
/// each story page again and hands its work on.
pub fn build_all(slots: &[Slot], profile: &Profile, out: &mut SiteOut<'_, '_>) {
    let mut stories: Vec<&Capture> = Vec::new();
    let mut link_pages = Vec::new();
    for page in slots.iter().filter_map(|s| s.good.as_ref()) {
        if out.stopped() {
            return;
        }
        match load(page, &page.url.to_string()) {
            Ok(loaded) => {
                let text = decode(&loaded);
                if mostly_links(&text) {
                    link_pages.push(static_links::read(&page.url, &text));
                } else {
                    stories.push(page);
                }
            }
            Err(e) => out.add(Err(e)),
        }
    }
    let keys: HashSet<String> = stories.iter().map(|p| key_of(&p.url)).collect();
    let hints = Hints::new(&link_pages, &keys);
    drop(link_pages);
    for page in stories {
        if out.stopped() {
            return;
        }
        match load(page, &page.url.to_string()) {
            Ok(loaded) => match story_page(&loaded, profile, &hints) {
                Some(work) => out.add(Ok(work)),
                None => out.summary.not_understood.push(page.url.to_string()),
            },
            Err(e) => out.add(Err(e)),
        }
    }
}

/// A static page read as a story on its own, with what the site's link pages say of it; or
/// a page not understood: one with neither a header block nor an author from the link pages.
fn story_page(page: &Capture, profile: &Profile, hints: &Hints) -> Option<ParsedWork> {
    let (entries, _) = crate::walk::parse_bytes(&page.body, &page.origin, None, profile);
    let Some(Ok(mut work)) = entries.into_iter().next() else {
        return None;
    };
    apply_hints(&mut work, hints, &key_of(&page.url));
    let headerless =
        work.fields.is_empty() && work.needs_review.iter().any(|r| r == "no author given");
    if headerless {
        return None;
    }
    stamp(&mut work, page, &[(1, page)]);
    work.source_id = page.url.to_string();
    Some(work)
}

/// Gives a work whose page names no author (or no fandom) the one the site's link pages give.
fn apply_hints(work: &mut ParsedWork, hints: &Hints, key: &str) {
    let missing = |work: &ParsedWork, what: &str| work.needs_review.iter().any(|r| r == what);
    if missing(work, "no author given")
        && let Some(author) = hints.authors.get(key)
    {
        work.authors.clear();
        work.add_author(author);
        work.needs_review.retain(|r| r != "no author given");
        work.fields
            .push(("Author (from the site's pages)".to_owned(), author.clone()));
    }
    if missing(work, "no fandom given")
        && let Some(fandoms) = hints.fandoms.get(key)
    {
        work.tags.retain(|(kind, _)| *kind != TagKind::Fandom);
        for f in fandoms {
            work.add_tag(TagKind::Fandom, f);
        }
        work.needs_review.retain(|r| r != "no fandom given");
        work.fields.push((
            "Fandom (from the site's index)".to_owned(),
            fandoms.join(", "),
        ));
    }
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
