//! One crawled site: its pages sorted into what they are (eFiction stories and author pages,
//! AO3 works, static story pages, the site's own chrome, pages not understood), and its works
//! built one story at a time, each reading its pages' bytes again and handing its work on
//! before the next is read.

use super::capture::Capture;
use super::efiction_site::{self, StoryPages};
use super::index::{Slot, is_efiction_chrome};
use super::{Emit, SiteSummary, ao3_site, static_site};
use crate::Entry;
use crate::error::{ErrorReason, ImportError};
use crate::profile::{Profile, SiteProfile};
use crate::work::ParsedWork;
use quire_core::TagKind;
use std::collections::BTreeMap;

/// Where one site's works go: given what the profile says of the site, handed on, and
/// counted in its summary.
pub struct SiteOut<'a, 'b> {
    emit: &'a mut Emit<'b>,
    site: Option<&'a SiteProfile>,
    pub summary: SiteSummary,
    /// Authors by lowercase name, as first written.
    authors: BTreeMap<String, String>,
}

impl SiteOut<'_, '_> {
    /// Hands a work (or a failure) on, counting its chapters and authors.
    pub fn add(&mut self, mut entry: Entry) {
        if let (Ok(work), Some(site)) = (&mut entry, self.site) {
            apply_site(work, site);
        }
        if let Ok(work) = &entry {
            self.summary.stories += 1;
            self.summary.chapters += work.chapters.len() as u64;
            for a in &work.authors {
                self.authors
                    .entry(a.to_lowercase())
                    .or_insert_with(|| a.clone());
            }
        }
        self.emit.push(entry);
    }

    /// True once whoever takes the works wants no more.
    pub fn stopped(&self) -> bool {
        self.emit.stopped()
    }
}

/// What the profile says of a site that its pages may not: its archive name, its one fandom.
fn apply_site(work: &mut ParsedWork, site: &SiteProfile) {
    if let Some(archive) = &site.archive {
        work.archive = Some(archive.clone());
    }
    if let Some(fandom) = &site.fandom {
        if work.needs_review.iter().any(|r| r == "no fandom given") {
            work.tags.retain(|(kind, _)| *kind != TagKind::Fandom);
            work.needs_review.retain(|r| r != "no fandom given");
        }
        work.add_tag(TagKind::Fandom, fandom);
    }
}

/// Reads a page's bytes again for building its work; a page that cannot be read again (the
/// file changed since the first pass) fails the work that needs it.
pub fn load(page: &Capture, work: &str) -> Result<Capture, ImportError> {
    page.load().map_err(|e| {
        ImportError::new(
            work,
            ErrorReason::BadCapture(format!("{} cannot be read again ({e})", page.url)),
        )
    })
}

/// Reads one site's pages into works, handed to `emit` one story at a time, and returns its
/// summary. The profile's settings for the site (`[sites."host"]`) hold over its own.
pub fn read_site(
    host: &str,
    slots: Vec<Slot>,
    names: &efiction_site::AuthorNames,
    profile: &Profile,
    emit: &mut Emit<'_>,
) -> SiteSummary {
    let profile = &profile.for_site(host);
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
        .any(|u| ao3_site::work_of(&u.path).is_some());
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
        } else if efiction && is_efiction_chrome(&file) {
            continue;
        } else if let Some((work, _)) = ao3_site::work_of(&url.path) {
            ao3_works.entry(work).or_default().push(slot);
        } else if slot.good.is_some() {
            statics.push(slot);
        }
    }

    let mut out = SiteOut {
        emit,
        site: profile.site(host),
        summary,
        authors: BTreeMap::new(),
    };
    for ((_, sid), story) in &stories {
        if out.stopped() {
            break;
        }
        if let Some(entry) =
            efiction_site::build(host, sid, story, names, profile, &mut out.summary)
        {
            out.add(entry);
        }
    }
    for (number, pages) in &ao3_works {
        if out.stopped() {
            break;
        }
        if let Some(entry) = ao3_site::build(host, *number, pages, profile, &mut out.summary) {
            out.add(entry);
        }
    }
    static_site::build_all(&statics, profile, &mut out);
    let mut summary = out.summary;
    summary.authors = out.authors.into_values().collect();
    summary
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
