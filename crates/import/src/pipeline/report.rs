//! The import report: one entry per work (and per file that failed as a whole), the counts,
//! the `--json` shape of DESIGN.md and the human summary.

use std::fmt::Write as _;
use std::time::Duration;

use quire_core::json::WorkJson;
use serde::Serialize;

use crate::mirror::SiteSummary;
use crate::wrangling::WranglingReport;

/// What happened to one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A new work.
    Imported,
    /// Same source identity, changed content: updated in place, same id.
    Updated,
    /// Same source identity and content as an earlier import.
    Skipped,
    /// Nothing of it was stored; `error` says why.
    Failed,
}

/// One entry of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportEntry {
    /// The file, relative to the PATH it was found under.
    pub path: String,
    /// Null for a file that failed as a whole.
    pub source_id: Option<String>,
    pub status: Status,
    /// One line naming the file and the reason.
    pub error: Option<String>,
    pub encoding: Option<String>,
    pub needs_review: Vec<String>,
    pub notes: Vec<String>,
    pub work: Option<WorkJson>,
}

/// The whole report, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The archive every work went into; null when they went into several.
    pub archive: Option<String>,
    pub dry_run: bool,
    pub imported: u64,
    pub updated: u64,
    pub skipped: u64,
    pub failed: u64,
    pub works: Vec<ReportEntry>,
    /// What the profile's wrangling did; absent when it has none (or in a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrangling: Option<WranglingReport>,
    /// What each crawled site held, for web mirrors and WARC files; absent for other imports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteSummary>,
    /// Every archive an entry went into, in the order first met.
    #[serde(skip)]
    archives: Vec<String>,
    /// Files read (a file can give several entries, or one that failed as a whole).
    #[serde(skip)]
    pub files: u64,
    /// Keep every entry; otherwise only those the summary shows (failures, works to review).
    #[serde(skip)]
    keep_all: bool,
}

impl Report {
    /// An empty report. Without `keep_all` only entries worth showing in the summary are
    /// kept (failures and works that need review), so that huge imports stay small in memory.
    pub fn new(dry_run: bool, keep_all: bool) -> Self {
        Report {
            archive: None,
            dry_run,
            imported: 0,
            updated: 0,
            skipped: 0,
            failed: 0,
            works: Vec::new(),
            wrangling: None,
            sites: Vec::new(),
            archives: Vec::new(),
            files: 0,
            keep_all,
        }
    }

    /// Counts an entry (and keeps it, see [`Report::new`]). `archive` is where it went.
    pub fn add(&mut self, entry: ReportEntry, archive: Option<&str>) {
        match entry.status {
            Status::Imported => self.imported += 1,
            Status::Updated => self.updated += 1,
            Status::Skipped => self.skipped += 1,
            Status::Failed => self.failed += 1,
        }
        if let Some(a) = archive
            && !self.archives.iter().any(|known| known == a)
        {
            self.archives.push(a.to_owned());
            self.archive = (self.archives.len() == 1).then(|| a.to_owned());
        }
        if self.keep_all || entry.status == Status::Failed || !entry.needs_review.is_empty() {
            self.works.push(entry);
        }
    }

    pub fn entries(&self) -> u64 {
        self.imported + self.updated + self.skipped + self.failed
    }

    /// The summary printed at the end of a run without `--json`.
    /// The first line of the summary, saying what happened as a sentence: `1 of 15 stories
    /// failed and was not stored; 14 imported, 0 updated, 0 unchanged.`
    fn headline(&self) -> String {
        let entries = self.entries();
        if entries == 0 {
            return "No stories found.".to_owned();
        }
        let stories = plural(entries, "story", "stories");
        let (imported, updated, skipped) = (self.imported, self.updated, self.skipped);
        match (self.dry_run, self.failed) {
            (false, 0) => format!(
                "All {entries} {stories} stored: {imported} imported, {updated} updated, \
                 {skipped} unchanged."
            ),
            (false, failed) => format!(
                "{failed} of {entries} {stories} failed and {} not stored; {imported} imported, \
                 {updated} updated, {skipped} unchanged.",
                plural(failed, "was", "were")
            ),
            (true, 0) => format!(
                "Dry run, nothing stored: all {entries} {stories} would be stored: \
                 {imported} imported, {updated} updated, {skipped} unchanged."
            ),
            (true, failed) => format!(
                "Dry run, nothing stored: {failed} of {entries} {stories} would fail; \
                 {imported} would be imported, {updated} updated, {skipped} unchanged."
            ),
        }
    }

    pub fn summary(&self, elapsed: Duration) -> String {
        let mut out = String::new();
        let secs = elapsed.as_secs_f64();
        let stored = self.imported + self.updated + self.skipped;
        let _ = writeln!(out, "{}", self.headline());
        let _ = writeln!(
            out,
            "{} {} read in {secs:.1}s ({:.0} stories/s).",
            self.files,
            plural(self.files, "file", "files"),
            if secs > 0.0 {
                stored as f64 / secs
            } else {
                0.0
            },
        );
        match self.archives.as_slice() {
            [] => {}
            [one] => {
                let _ = writeln!(out, "Archive: {one}");
            }
            many => {
                let _ = writeln!(out, "Archives: {}", many.join(", "));
            }
        }
        let failed: Vec<&ReportEntry> = self
            .works
            .iter()
            .filter(|e| e.status == Status::Failed)
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(out, "Failed (nothing of these was stored):");
            for e in failed {
                let _ = writeln!(out, "  {}", e.error.as_deref().unwrap_or(&e.path));
            }
        }
        if let Some(w) = &self.wrangling {
            let _ = writeln!(
                out,
                "Wrangling: {} {}, {} {} re-filed.",
                w.changes,
                plural(w.changes, "change", "changes"),
                w.works,
                plural(u64::try_from(w.works).unwrap_or(0), "work", "works"),
            );
            for line in w.refused.iter().chain(&w.skipped) {
                let _ = writeln!(out, "  {line}");
            }
        }
        for site in &self.sites {
            site_summary(&mut out, site);
        }
        let review: Vec<&ReportEntry> = self
            .works
            .iter()
            .filter(|e| e.status != Status::Failed && !e.needs_review.is_empty())
            .collect();
        if !review.is_empty() {
            let _ = writeln!(out, "Needs review:");
            for e in review.iter().take(50) {
                let id = e.source_id.as_deref().unwrap_or(&e.path);
                let _ = writeln!(out, "  {id}: {}", e.needs_review.join("; "));
            }
            if review.len() > 50 {
                let _ = writeln!(out, "  … and {} more (see --json)", review.len() - 50);
            }
        }
        out
    }
}

/// A crawled site in the summary: what was found, and what an archivist should look at.
fn site_summary(out: &mut String, site: &SiteSummary) {
    let _ = writeln!(
        out,
        "Site {} ({}): {} {}, {} {}, {} {} from {} {}.",
        site.site,
        site.layout,
        site.stories,
        plural(site.stories, "story", "stories"),
        site.chapters,
        plural(site.chapters, "chapter", "chapters"),
        site.authors.len(),
        plural(site.authors.len() as u64, "author", "authors"),
        site.pages,
        plural(site.pages, "page", "pages"),
    );
    if !site.authors.is_empty() {
        let _ = writeln!(out, "  Authors: {}", site.authors.join(", "));
    }
    let lists = [
        ("Chapters missing from the capture", &site.missing_chapters),
        (
            "Stories whose only captures are error pages",
            &site.error_only,
        ),
        ("Pages not understood", &site.not_understood),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for line in list.iter().take(50) {
            let _ = writeln!(out, "    {line}");
        }
        if list.len() > 50 {
            let _ = writeln!(out, "    … and {} more (see --json)", list.len() - 50);
        }
    }
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(dry_run: bool, counts: [u64; 4]) -> Report {
        let mut report = Report::new(dry_run, false);
        [
            report.imported,
            report.updated,
            report.skipped,
            report.failed,
        ] = counts;
        report
    }

    #[test]
    fn the_headline_reads_as_what_it_means() {
        assert_eq!(
            report(false, [14, 0, 0, 1]).headline(),
            "1 of 15 stories failed and was not stored; 14 imported, 0 updated, 0 unchanged."
        );
        assert_eq!(
            report(false, [0, 1, 2, 0]).headline(),
            "All 3 stories stored: 0 imported, 1 updated, 2 unchanged."
        );
        assert_eq!(
            report(true, [1, 0, 0, 2]).headline(),
            "Dry run, nothing stored: 2 of 3 stories would fail; 1 would be imported, \
             0 updated, 0 unchanged."
        );
        assert_eq!(report(false, [0; 4]).headline(), "No stories found.");
    }
}
