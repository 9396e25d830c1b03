//! Importing into an archive: files parsed on their own threads (each file whole before
//! anything of it is stored) while the writer stores what is parsed so far, in batches of up
//! to 256 works per transaction; source identity, skip/update/insert by content hash, and
//! the report. `quire import` and `quire serve --demo` run this; so can tests and servers.

mod crash_hook;
mod report;
mod writer;

#[cfg(feature = "test-hooks")]
pub use crash_hook::ABORT_AFTER_ENV;
pub use report::{Report, ReportEntry, Status};

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use quire_store::Store;

use crate::{Entry, ImportError, ParsedWork, Profile};
use writer::Writer;

/// Files parsed ahead of the writer, at most.
const AHEAD: usize = 256;
/// Files taken from the parser at once, at most.
const FILES_PER_BATCH: usize = 256;
/// How long the writer waits for more parsed files before it stores what it has.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(20);
/// Works stored in one transaction, at most.
const WORKS_PER_BATCH: usize = 256;

/// What to import, and how.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub paths: Vec<PathBuf>,
    /// The archive name for every work, over the profile's and the files' (`--archive`).
    pub archive: Option<String>,
    pub profile: Profile,
    /// Parse and compare, store nothing.
    pub dry_run: bool,
    /// Keep every entry in the report, each with its work JSON (`--json`); otherwise only
    /// failures and works to review are kept, so that huge imports stay small in memory.
    pub full_report: bool,
}

/// What the caller is told while an import runs (a progress bar, a log).
pub trait Progress {
    /// An entry failed (nothing of it is stored); its one-line error.
    fn failed(&self, _error: &str) {}
    /// This many files are done so far.
    fn files_done(&self, _files: u64) {}
}

/// No progress to show.
impl Progress for () {}

/// The import could not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("the parser stopped unexpectedly")]
    ParserStopped,
    #[error("applying the profile's wrangling: {0}")]
    Wrangling(#[from] quire_store::StoreError),
}

/// Imports every path into `store` (`None`: a dry run with no database to compare with) and
/// returns the report. Each failed entry is also told to `progress`, as it happens.
pub async fn import(
    store: Option<&dyn Store>,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Report, PipelineError> {
    let (sender, mut files) = tokio::sync::mpsc::channel::<(usize, Vec<Entry>, u64)>(AHEAD);
    let roots = options.paths.clone();
    let profile = options.profile.clone();
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let parser = std::thread::spawn(move || {
        let mut sites = Vec::new();
        for (index, root) in roots.iter().enumerate() {
            let mut open = true;
            sites.extend(crate::parse_path_sites(
                root,
                &profile,
                threads,
                |entries, done| {
                    if sender.blocking_send((index, entries, done)).is_err() {
                        open = false;
                        return ControlFlow::Break(());
                    }
                    ControlFlow::Continue(())
                },
            ));
            if !open {
                break;
            }
        }
        sites
    });

    let fallback: Vec<String> = options.paths.iter().map(|p| folder_name(p)).collect();
    let mut writer = Writer::new(store, options.dry_run);
    let mut report = Report::new(options.dry_run, options.full_report);
    while let Some(first) = files.recv().await {
        // What the parser gives within a moment, up to a batch: one transaction (and a few
        // multi-row statements) for many small works rather than one each.
        let mut ready = vec![first];
        let deadline = tokio::time::Instant::now() + BATCH_WAIT;
        while ready.len() < FILES_PER_BATCH {
            match tokio::time::timeout_at(deadline, files.recv()).await {
                Ok(Some(more)) => ready.push(more),
                Ok(None) | Err(_) => break,
            }
        }
        let mut batch: Vec<(ParsedWork, String)> = Vec::new();
        let mut order: Vec<Result<usize, ImportError>> = Vec::new();
        for (root, entries, done) in ready {
            report.files += done;
            for entry in entries {
                match entry {
                    Ok(work) => {
                        let archive = options
                            .archive
                            .as_deref()
                            .or(options.profile.archive.as_deref())
                            .or(work.archive.as_deref())
                            .unwrap_or(&fallback[root])
                            .trim()
                            .to_owned();
                        order.push(Ok(batch.len()));
                        batch.push((work, archive));
                    }
                    Err(error) => order.push(Err(error)),
                }
            }
        }
        let archives: Vec<String> = batch.iter().map(|(_, a)| a.clone()).collect();
        let mut written = Vec::with_capacity(batch.len());
        let mut rest = batch;
        while !rest.is_empty() {
            let later = rest.split_off(rest.len().min(WORKS_PER_BATCH));
            written.extend(writer.write_batch(rest, options.full_report).await);
            rest = later;
        }
        let mut written = written.into_iter();
        for item in order {
            let (entry, archive) = match item {
                Ok(i) => (written.next(), Some(archives[i].as_str())),
                Err(error) => (Some(Writer::failed_file(&error)), None),
            };
            let Some(entry) = entry else { continue };
            if let Some(error) = &entry.error {
                progress.failed(error);
            }
            report.add(entry, archive);
        }
        progress.files_done(report.files);
    }
    report.sites = parser.join().map_err(|_| PipelineError::ParserStopped)?;
    if let Some(store) = store
        && !options.dry_run
        && !options.profile.wrangling.is_empty()
    {
        report.wrangling = Some(crate::wrangling::apply(store, &options.profile.wrangling).await?);
    }
    Ok(report)
}

/// The archive name of last resort: the name of the folder given to `import` (for a file,
/// the folder it is in).
fn folder_name(path: &Path) -> String {
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let folder = if full.is_dir() {
        Some(full.as_path())
    } else {
        full.parent()
    };
    folder
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Imported".to_owned())
}
