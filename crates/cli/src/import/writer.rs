//! Storing parsed works: source identity, skip/update/insert by content hash, creators and
//! series of the archive. Each work goes in its own transaction (with its source row and
//! outbox entry), so a crash leaves whole works only.

use std::collections::HashMap;

use chrono::NaiveDate;
use quire_core::{PseudId, SeriesId, WorkId};
use quire_import::{ImportError, ParsedWork};
use quire_store::{ImportWrite, SourceRef, Store, StoreError, name_key};

use super::report::{ReportEntry, Status};

/// The environment variable of the crash test: abort the process (as a crash would) right
/// after this many works were committed. For tests only.
pub const ABORT_AFTER_ENV: &str = "QUIRE_TEST_ABORT_AFTER";

/// Writes works into one store, remembering the creators and series it made.
pub struct Writer<'a> {
    /// `None` in a dry run without a database: every work would be new.
    store: Option<&'a dyn Store>,
    dry_run: bool,
    today: NaiveDate,
    creators: HashMap<(String, String), (PseudId, String)>,
    series: HashMap<(String, String), SeriesId>,
    committed: u64,
    abort_after: Option<u64>,
}

impl<'a> Writer<'a> {
    pub fn new(store: Option<&'a dyn Store>, dry_run: bool) -> Self {
        Writer {
            store,
            dry_run,
            today: chrono::Utc::now().date_naive(),
            creators: HashMap::new(),
            series: HashMap::new(),
            committed: 0,
            abort_after: std::env::var(ABORT_AFTER_ENV)
                .ok()
                .and_then(|v| v.trim().parse().ok()),
        }
    }

    /// The report entry of a file that failed as a whole.
    pub fn failed_file(error: &ImportError) -> ReportEntry {
        ReportEntry {
            path: error.path.clone(),
            source_id: None,
            status: Status::Failed,
            error: Some(error.to_string()),
            encoding: None,
            needs_review: Vec::new(),
            notes: Vec::new(),
            work: None,
        }
    }

    /// Stores a batch of parsed works, each in `archive` (or, in a dry run, finds what would
    /// happen), in order; one report entry each. The new and changed works go into the store
    /// together (each whole, with its source row and outbox entry); should that fail, they are
    /// tried one by one so that only the bad ones fail. `with_json` asks for the work JSON.
    pub async fn write_batch(
        &mut self,
        works: &[(ParsedWork, String)],
        with_json: bool,
    ) -> Vec<ReportEntry> {
        let mut entries: Vec<ReportEntry> = works.iter().map(|(w, _)| Self::entry(w)).collect();
        let existing = match self.lookup(works).await {
            Ok(found) => found,
            Err(e) => {
                for (entry, (work, _)) in entries.iter_mut().zip(works) {
                    entry.error = Some(Self::error_line(work, &e));
                }
                return entries;
            }
        };
        let mut pending: Vec<(usize, ImportWrite, Vec<String>, Vec<SeriesId>)> = Vec::new();
        for (i, (work, archive)) in works.iter().enumerate() {
            let found = existing.get(&(archive.clone(), work.source_id.clone()));
            let status = match found {
                Some(f) if f.content_hash == work.content_hash => Status::Skipped,
                Some(_) => Status::Updated,
                None => Status::Imported,
            };
            let entry = &mut entries[i];
            entry.status = status;
            let stored = self.store.is_some() && !self.dry_run;
            if !stored || status == Status::Skipped {
                entry.work = with_json.then(|| {
                    let mut json = work.to_json(archive);
                    if stored {
                        json.id = found.map(|f| f.work_id);
                    }
                    json
                });
                continue;
            }
            match self.prepare(work, archive, found.map(|f| f.work_id)).await {
                Ok((write, names, series)) => pending.push((i, write, names, series)),
                Err(e) => {
                    entry.status = Status::Failed;
                    entry.error = Some(Self::error_line(work, &e));
                }
            }
        }

        // The crash test's hook may cut the batch short, so that exactly N works commit.
        let mut start = 0;
        while start < pending.len() {
            let mut end = pending.len();
            if let Some(n) = self.abort_after {
                end = end.min(
                    start
                        + usize::try_from(n.saturating_sub(self.committed))
                            .unwrap_or(0)
                            .max(1),
                );
            }
            let chunk = &pending[start..end];
            let writes: Vec<ImportWrite> = chunk.iter().map(|(_, w, _, _)| w.clone()).collect();
            let ids = match self.import(&writes).await {
                Ok(ids) => ids.into_iter().map(Ok).collect(),
                Err(_) if writes.len() > 1 => {
                    let mut one_by_one = Vec::with_capacity(writes.len());
                    for write in &writes {
                        one_by_one.push(self.import(std::slice::from_ref(write)).await.and_then(
                            |ids| ids.first().copied().ok_or(StoreError::NotFound("work")),
                        ));
                    }
                    one_by_one
                }
                Err(e) => vec![Err(e)],
            };
            for ((i, _, names, series), id) in chunk.iter().zip(ids) {
                let (work, archive) = &works[*i];
                let entry = &mut entries[*i];
                match id {
                    Ok(id) => {
                        entry.work = with_json.then(|| {
                            let mut json = work.to_json(archive);
                            json.id = Some(id);
                            json.authors.clone_from(names);
                            for (part, series_id) in json.series.iter_mut().zip(series) {
                                part.id = Some(*series_id);
                            }
                            json
                        });
                    }
                    Err(e) => {
                        entry.status = Status::Failed;
                        entry.error = Some(Self::error_line(work, &e));
                    }
                }
            }
            start = end;
        }
        entries
    }

    /// Stores works in one transaction, then counts them for the crash test's hook.
    async fn import(&mut self, writes: &[ImportWrite]) -> Result<Vec<WorkId>, StoreError> {
        let Some(store) = self.store else {
            return Err(StoreError::NotFound("store"));
        };
        let ids = store.import_works(writes).await?;
        self.committed += ids.len() as u64;
        if self.abort_after.is_some_and(|n| self.committed >= n) {
            // Die as a crash would: no cleanup, no report.
            std::process::abort();
        }
        Ok(ids)
    }

    /// What the store already holds of these works, by (archive, source id).
    async fn lookup(
        &self,
        works: &[(ParsedWork, String)],
    ) -> Result<HashMap<(String, String), SourceRef>, StoreError> {
        let mut found = HashMap::new();
        let Some(store) = self.store else {
            return Ok(found);
        };
        let mut by_archive: HashMap<&str, Vec<String>> = HashMap::new();
        for (work, archive) in works {
            by_archive
                .entry(archive.as_str())
                .or_default()
                .push(work.source_id.clone());
        }
        for (archive, paths) in by_archive {
            for (path, source) in store.sources_of(archive, &paths).await? {
                found.insert((archive.to_owned(), path), source);
            }
        }
        Ok(found)
    }

    /// The insert form of a work, with its creators and series made in the archive; also the
    /// creators' names and the series ids, for the report.
    async fn prepare(
        &mut self,
        work: &ParsedWork,
        archive: &str,
        replace: Option<WorkId>,
    ) -> Result<(ImportWrite, Vec<String>, Vec<SeriesId>), StoreError> {
        let Some(store) = self.store else {
            return Err(StoreError::NotFound("store"));
        };
        let mut creators = Vec::with_capacity(work.authors.len());
        let mut names = Vec::with_capacity(work.authors.len());
        for author in &work.authors {
            let (id, name) = self.creator(store, archive, author).await?;
            if !creators.contains(&id) {
                creators.push(id);
                names.push(name);
            }
        }
        let mut series = Vec::with_capacity(work.series.len());
        let mut ids = Vec::with_capacity(work.series.len());
        for (title, position) in &work.series {
            let id = self.series(store, archive, title).await?;
            ids.push(id);
            if !series.iter().any(|(s, _)| *s == id) {
                series.push((id, *position));
            }
        }
        let mut new = work.to_new_work(archive, creators, self.today);
        new.series = series;
        Ok((ImportWrite { replace, work: new }, names, ids))
    }

    fn entry(work: &ParsedWork) -> ReportEntry {
        ReportEntry {
            path: work.path.clone(),
            source_id: Some(work.source_id.clone()),
            status: Status::Failed,
            error: None,
            encoding: Some(work.encoding.clone()),
            needs_review: work.needs_review.clone(),
            notes: work.report_notes.clone(),
            work: None,
        }
    }

    fn error_line(work: &ParsedWork, e: &StoreError) -> String {
        format!("{}: {}", work.source_id, e.to_string().replace('\n', " "))
    }

    /// The archive's creator of this name: one pseud per name (case-insensitively) per archive.
    async fn creator(
        &mut self,
        store: &dyn Store,
        archive: &str,
        name: &str,
    ) -> Result<(PseudId, String), StoreError> {
        let key = (archive.to_owned(), name_key(name));
        if let Some(found) = self.creators.get(&key) {
            return Ok(found.clone());
        }
        let pseud = store.archive_creator(archive, name).await?;
        let found = (pseud.id, pseud.name);
        self.creators.insert(key, found.clone());
        Ok(found)
    }

    async fn series(
        &mut self,
        store: &dyn Store,
        archive: &str,
        title: &str,
    ) -> Result<SeriesId, StoreError> {
        let key = (archive.to_owned(), name_key(title));
        if let Some(id) = self.series.get(&key) {
            return Ok(*id);
        }
        let id = store.archive_series(archive, title).await?;
        self.series.insert(key, id);
        Ok(id)
    }
}
