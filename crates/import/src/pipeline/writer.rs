//! Storing parsed works: source identity, skip/update/insert by content hash, creators and
//! series of the archive. Works go into the store in batches (up to 256 per transaction,
//! each work whole with its source row and outbox entry), so a crash leaves whole works only;
//! a batch that fails is tried again one work per transaction, so that only the bad ones fail.

use std::collections::HashMap;

use crate::{ImportError, ParsedWork};
use quire_core::work::NewWork;
use quire_core::{PseudId, SeriesId, WorkId};
use quire_store::{SourceRef, Store, StoreError, name_key};

use super::crash_hook::CrashHook;
use super::report::{ReportEntry, Status};

/// A work on its way into the store.
struct Pending {
    /// Its place in the batch (and the report).
    index: usize,
    /// The work it replaces, if any.
    replace: Option<WorkId>,
    work: NewWork,
    /// The id it got, once stored.
    id: Option<WorkId>,
    names: Vec<String>,
    series: Vec<SeriesId>,
}

/// Writes works into one store, remembering the creators and series it made.
pub struct Writer<'a> {
    /// `None` in a dry run without a database: every work would be new.
    store: Option<&'a dyn Store>,
    dry_run: bool,
    creators: HashMap<(String, String), (PseudId, String)>,
    series: HashMap<(String, String), SeriesId>,
    /// Works committed in this run.
    committed: u64,
    crash: CrashHook,
}

impl<'a> Writer<'a> {
    pub fn new(store: Option<&'a dyn Store>, dry_run: bool) -> Self {
        Writer {
            store,
            dry_run,
            creators: HashMap::new(),
            series: HashMap::new(),
            committed: 0,
            crash: CrashHook::from_env(),
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
        mut works: Vec<(ParsedWork, String)>,
        with_json: bool,
    ) -> Vec<ReportEntry> {
        let mut entries: Vec<ReportEntry> = works.iter().map(|(w, _)| Self::entry(w)).collect();
        let existing = match self.lookup(&works).await {
            Ok(found) => found,
            Err(e) => {
                for (entry, (work, _)) in entries.iter_mut().zip(&works) {
                    entry.error = Some(Self::error_line(work, &e));
                }
                return entries;
            }
        };
        if self.store.is_some()
            && !self.dry_run
            && let Err(e) = self.make_creators(&works, &existing).await
        {
            for (entry, (work, _)) in entries.iter_mut().zip(&works) {
                entry.error = Some(Self::error_line(work, &e));
            }
            return entries;
        }
        let mut pending: Vec<Pending> = Vec::new();
        for (i, (work, archive)) in works.iter_mut().enumerate() {
            let found = existing.get(&(archive.clone(), work.source_id.clone()));
            let status = match found {
                Some(f) if f.content_hash == work.content_hash => Status::Skipped,
                Some(_) => Status::Updated,
                None => Status::Imported,
            };
            let entry = &mut entries[i];
            entry.status = status;
            entry.work = with_json.then(|| work.to_json(archive));
            let stored = self.store.is_some() && !self.dry_run;
            if !stored || status == Status::Skipped {
                if let Some(json) = &mut entry.work
                    && stored
                {
                    json.id = found.map(|f| f.work_id);
                }
                continue;
            }
            match self.prepare(work, archive).await {
                Ok((new, names, series)) => pending.push(Pending {
                    index: i,
                    replace: found.map(|f| f.work_id),
                    work: new,
                    id: None,
                    names,
                    series,
                }),
                Err(e) => {
                    entry.status = Status::Failed;
                    entry.error = Some(Self::error_line(work, &e));
                    entry.work = None;
                }
            }
        }

        // The crash test's hook may cut the batch short, so that exactly N works commit.
        let mut rest = pending.as_mut_slice();
        while !rest.is_empty() {
            let take = self.crash.take(self.committed, rest.len());
            let (chunk, later) = rest.split_at_mut(take);
            let results = match self.import(chunk).await {
                Ok(()) => chunk.iter().map(|_| Ok(())).collect(),
                Err(_) if chunk.len() > 1 => {
                    let mut one_by_one = Vec::with_capacity(chunk.len());
                    for one in chunk.chunks_mut(1) {
                        one_by_one.push(self.import(one).await);
                    }
                    one_by_one
                }
                Err(e) => vec![Err(e)],
            };
            for (done, result) in chunk.iter().zip(results) {
                let (work, _) = &works[done.index];
                let entry = &mut entries[done.index];
                match result {
                    Ok(()) => {
                        if let Some(json) = &mut entry.work {
                            json.id = done.replace.or(done.id);
                            json.authors.clone_from(&done.names);
                            for (part, series_id) in json.series.iter_mut().zip(&done.series) {
                                part.id = Some(*series_id);
                            }
                        }
                    }
                    Err(e) => {
                        entry.status = Status::Failed;
                        entry.error = Some(Self::error_line(work, &e));
                        entry.work = None;
                    }
                }
            }
            rest = later;
        }
        entries
    }

    /// Stores works in one transaction (their ids noted in them), then counts them (and tells
    /// the crash test's hook, which only test builds have).
    async fn import(&mut self, chunk: &mut [Pending]) -> Result<(), StoreError> {
        let Some(store) = self.store else {
            return Err(StoreError::NotFound("store"));
        };
        let mut new = Vec::new();
        let mut replaced = Vec::new();
        for p in chunk.iter_mut() {
            let work = std::mem::take(&mut p.work);
            match p.replace {
                Some(id) => replaced.push((id, work)),
                None => new.push(work),
            }
        }
        let result = store.import_works(&new, &replaced).await;
        // Put the works back: a failed batch is tried again one by one.
        let (mut new, mut replaced) = (new.into_iter(), replaced.into_iter());
        for p in chunk.iter_mut() {
            p.work = match p.replace {
                Some(_) => replaced.next().map(|(_, w)| w),
                None => new.next(),
            }
            .unwrap_or_default();
        }
        let ids = result?;
        let mut ids = ids.into_iter();
        for p in chunk.iter_mut().filter(|p| p.replace.is_none()) {
            p.id = ids.next();
        }
        self.committed += chunk.len() as u64;
        self.crash.committed(self.committed);
        Ok(())
    }

    /// Makes (or finds) the creators the new and changed works of a batch name and that this
    /// run has not met yet, one transaction per archive.
    async fn make_creators(
        &mut self,
        works: &[(ParsedWork, String)],
        existing: &HashMap<(String, String), SourceRef>,
    ) -> Result<(), StoreError> {
        let Some(store) = self.store else {
            return Ok(());
        };
        let mut missing: HashMap<&str, Vec<String>> = HashMap::new();
        for (work, archive) in works {
            let skipped = existing
                .get(&(archive.clone(), work.source_id.clone()))
                .is_some_and(|f| f.content_hash == work.content_hash);
            if skipped {
                continue;
            }
            for author in &work.authors {
                let key = (archive.clone(), name_key(author));
                let names = missing.entry(archive.as_str()).or_default();
                if !self.creators.contains_key(&key) && !names.iter().any(|n| name_key(n) == key.1)
                {
                    names.push(author.clone());
                }
            }
        }
        for (archive, names) in missing {
            let pseuds = store.archive_creators(archive, &names).await?;
            for (name, pseud) in names.iter().zip(pseuds) {
                self.creators
                    .insert((archive.to_owned(), name_key(name)), (pseud.id, pseud.name));
            }
        }
        Ok(())
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
        work: &mut ParsedWork,
        archive: &str,
    ) -> Result<(NewWork, Vec<String>, Vec<SeriesId>), StoreError> {
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
        let mut new = work.take_new_work(archive, creators);
        new.series = series;
        Ok((new, names, ids))
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
