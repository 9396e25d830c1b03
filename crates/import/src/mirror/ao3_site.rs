//! AO3 work pages as crawled: the `/works/N`, `/works/N/chapters/M`, `?view_full_work=true`
//! and `/works/N/navigate` captures of one work become one work. The full-work page is used
//! when it is whole; otherwise the chapters are joined from the chapter pages (and the work
//! page, which shows chapter 1), in the order the chapter index gives (the `navigate` page, or
//! a page's chapter menu), else the chapter numbers on the pages, else the chapter ids.

use super::SiteSummary;
use super::capture::Capture;
use super::efiction_site::decode;
use super::index::Slot;
use super::site::{load, stamp};
use crate::Entry;
use crate::dom::{sel, text_of};
use crate::profile::Profile;
use crate::work::{ParsedChapter, ParsedWork};
use regex::Regex;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static HEADING: LazyLock<Selector> =
    LazyLock::new(|| sel("#chapters h2.heading, #chapters h3.title, h2.heading, h3.title"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static MENU: LazyLock<Selector> = LazyLock::new(|| sel("select#selected_id option[value]"));
static CHAPTER_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^chapter\s+(\d+)\b").expect("valid regex"));
static POSTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Chapters:\s*(\d+)\s*/").expect("valid regex"));

/// What an AO3 address shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ao3Page {
    /// `/works/N`: the work (its first chapter, or with `view_full_work=true` all of it).
    Work,
    /// `/works/N/chapters/M`: the chapter whose id is M.
    Chapter(u64),
    /// `/works/N/navigate`: the chapter index.
    Navigate,
}

/// `/works/N`, `/works/N/chapters/M` or `/works/N/navigate`: the work number and the page.
pub fn work_of(path: &str) -> Option<(u64, Ao3Page)> {
    let rest = path.strip_prefix("/works/")?;
    let mut parts = rest.split('/');
    let work = parts.next()?.parse().ok()?;
    match (parts.next(), parts.next(), parts.next()) {
        (None | Some(""), None, None) => Some((work, Ao3Page::Work)),
        (Some("navigate"), None, None) => Some((work, Ao3Page::Navigate)),
        (Some("chapters"), Some(ch), None) => Some((work, Ao3Page::Chapter(ch.parse().ok()?))),
        _ => None,
    }
}

/// One chapter read from a page, with what tells its place.
struct Found {
    number: Option<u32>,
    id: Option<u64>,
    chapter: ParsedChapter,
    page: Capture,
}

/// Builds work `number` of `host` from its captured pages; notes the work when every capture
/// of it is an error page.
pub fn build(
    host: &str,
    number: u64,
    pages: &[Slot],
    profile: &Profile,
    summary: &mut SiteSummary,
) -> Option<Entry> {
    let work_url = format!("http://{host}/works/{number}");
    let kind = |s: &Slot| {
        s.url
            .as_ref()
            .and_then(|u| work_of(&u.path))
            .map(|(_, k)| k)
    };
    let full_page = |s: &Slot| {
        s.url
            .as_ref()
            .is_some_and(|u| u.param("view_full_work") == Some("true"))
    };
    let good = |want: &dyn Fn(&Slot) -> bool| {
        pages
            .iter()
            .filter(|s| want(s))
            .filter_map(|s| s.good.as_ref())
            .max_by_key(|c| c.captured)
    };
    let full = good(&|s| kind(s) == Some(Ao3Page::Work) && full_page(s));
    let front = good(&|s| kind(s) == Some(Ao3Page::Work) && !full_page(s));
    let navigate = good(&|s| kind(s) == Some(Ao3Page::Navigate));
    let mut chapters: BTreeMap<u64, &Capture> = BTreeMap::new();
    for s in pages {
        if let (Some(Ao3Page::Chapter(id)), Some(c)) = (kind(s), s.good.as_ref()) {
            chapters.insert(id, c);
        }
    }
    if full.is_none() && front.is_none() && chapters.is_empty() {
        for s in pages {
            if let Some(u) = &s.url
                && !s.errors.is_empty()
            {
                summary
                    .error_only
                    .push(format!("{u}: {}", s.errors.join(", ")));
            }
        }
        return None;
    }

    // The full-work page, when it holds every chapter the work has posted.
    let mut fallback = None;
    if let Some(full) = full {
        let page = match load(full, &work_url) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        if let Some(work) = parse(&page, profile) {
            let posted = posted(&work).max(chapters.len());
            if work.chapters.len() >= posted {
                return Some(Ok(finish(work, &work_url, number, &[(1, &page)])));
            }
            fallback = Some((work, page));
        }
    }

    // Else the chapters joined from the chapter pages and the work page.
    let mut index: Vec<u64> = Vec::new();
    if let Some(nav) = navigate {
        match load(nav, &work_url) {
            Ok(p) => index = chapter_ids(&p, number, &LINKS),
            Err(e) => return Some(Err(e)),
        }
    }
    let mut base: Option<ParsedWork> = None;
    let mut found: Vec<Found> = Vec::new();
    let sources = front
        .map(|c| (None, c))
        .into_iter()
        .chain(chapters.iter().map(|(id, c)| (Some(*id), *c)));
    for (id, capture) in sources {
        let page = match load(capture, &work_url) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let Some(mut work) = parse(&page, profile) else {
            summary.not_understood.push(page.url.to_string());
            continue;
        };
        if index.is_empty() {
            index = chapter_ids(&page, number, &MENU);
        }
        let number = heading_number(&page);
        if work.chapters.len() == 1 {
            let chapter = work.chapters.remove(0);
            found.push(Found {
                number: number.or(id.is_none().then_some(1)),
                id,
                chapter,
                page,
            });
        }
        if base.is_none() || id.is_none() {
            base = Some(work);
        }
    }
    // Places: the chapter index first, else the numbers on the pages, else by chapter id.
    for f in &mut found {
        if let Some(at) = f.id.and_then(|id| index.iter().position(|i| *i == id)) {
            f.number = u32::try_from(at + 1).ok();
        }
    }
    found.sort_by_key(|f| (f.number.is_none(), f.number, f.id.is_none(), f.id));
    found.dedup_by(|later, first| later.number.is_some() && later.number == first.number);
    let Some(mut work) = base else {
        return fallback.map(|(w, p)| Ok(finish(w, &work_url, number, &[(1, &p)])));
    };
    if let Some((full, page)) = fallback
        && full.chapters.len() > found.len()
    {
        return Some(Ok(finish(full, &work_url, number, &[(1, &page)])));
    }
    let expected = posted(&work).max(index.len());
    let mut used: Vec<(u32, &Capture)> = Vec::new();
    work.chapters.clear();
    for (i, f) in found.iter().enumerate() {
        let n = f.number.unwrap_or(u32::try_from(i + 1).unwrap_or(u32::MAX));
        work.chapters.push(f.chapter.clone());
        used.push((n, &f.page));
    }
    for n in 1..=expected {
        if !used.iter().any(|(m, _)| *m as usize == n) {
            let line = format!("chapter {n} of {expected} never crawled: {work_url}");
            work.needs_review.push(line.clone());
            summary.missing_chapters.push(line);
        }
    }
    Some(Ok(finish(work, &work_url, number, &used)))
}

fn finish(mut work: ParsedWork, url: &str, number: u64, used: &[(u32, &Capture)]) -> ParsedWork {
    if let Some((_, first)) = used.first() {
        stamp(&mut work, first, used);
    }
    work.source_id = url.to_owned();
    work.original_id = Some(number.to_string());
    work
}

fn parse(page: &Capture, profile: &Profile) -> Option<ParsedWork> {
    let (entries, _) = crate::walk::parse_bytes(&page.body, &page.origin, None, profile);
    entries.into_iter().next().and_then(Result::ok)
}

/// The chapters a work says it has posted (`Chapters: 2/3` in its stats gives 2).
fn posted(work: &ParsedWork) -> usize {
    work.fields
        .iter()
        .find_map(|(_, v)| POSTED.captures(v))
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(0)
}

/// The chapter number a chapter page's heading gives (`Chapter 2: High Water`).
fn heading_number(page: &Capture) -> Option<u32> {
    let doc = Html::parse_document(&decode(page));
    let heading = doc.select(&HEADING).next().map(text_of)?;
    CHAPTER_NUMBER.captures(&heading)?[1].parse().ok()
}

/// The chapter ids a page lists in order: the chapter index's links, or the chapter menu.
fn chapter_ids(page: &Capture, work: u64, which: &Selector) -> Vec<u64> {
    let doc = Html::parse_document(&decode(page));
    let mut ids: Vec<u64> = Vec::new();
    for el in doc.select(which) {
        let id = if el.value().name() == "option" {
            el.value().attr("value").and_then(|v| v.parse().ok())
        } else {
            el.value()
                .attr("href")
                .and_then(|h| page.url.join(h))
                .and_then(|u| match work_of(&u.path) {
                    Some((w, Ao3Page::Chapter(id))) if w == work => Some(id),
                    _ => None,
                })
        };
        if let Some(id) = id
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}
