//! `quire import PATH…`: legacy files and folders into the archive. Files are parsed on
//! their own threads (a file whole before anything of it is stored) while the writer stores
//! the works parsed so far, one transaction per work.

mod report;
mod writer;

pub use report::Report;

use std::io::{IsTerminal as _, Write as _};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire_import::{Entry, ImportError, ParsedWork, Profile};
use quire_store::Store;

use crate::Failure;
use crate::config::Config;
use writer::Writer;

/// Files parsed ahead of the writer, at most.
const AHEAD: usize = 256;
/// Files taken from the parser at once, at most.
const FILES_PER_BATCH: usize = 256;
/// How long the writer waits for more parsed files before it stores what it has.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(20);
/// Works stored in one transaction, at most.
const WORKS_PER_BATCH: usize = 256;

/// What `quire import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub paths: Vec<PathBuf>,
    /// `--archive`: the archive name for every work, over the profile's and the files'.
    pub archive: Option<String>,
    pub profile: Profile,
    pub dry_run: bool,
    /// `--json`: the report on stdout, nothing else there.
    pub json: bool,
    /// Show a progress bar (on a terminal only).
    pub progress: bool,
}

impl ImportOptions {
    /// Reads `--profile FILE.toml`; a missing or invalid file is a usage error.
    pub fn load_profile(path: &Path) -> Result<Profile, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!("cannot read the profile {}: {e}", path.display()))
        })?;
        Profile::from_toml(&text).map_err(|e| {
            let message = e.to_string().replace('\n', " ");
            Failure::usage(format!("{}: {}", path.display(), message.trim()))
        })
    }
}

/// Runs the command: imports, prints the report or the summary, and fails with exit code 1
/// when any input failed.
pub async fn run(config: &Config, options: ImportOptions) -> Result<(), Failure> {
    for path in &options.paths {
        if !path.exists() {
            return Err(Failure::usage(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    // A dry run never creates a database; it compares with one that exists.
    let store = if options.dry_run
        && config.database_url.is_none()
        && !config.data.join("quire.db").exists()
    {
        None
    } else {
        Some(crate::open_store(config, quire_store::Usage::Shared).await?)
    };
    let started = Instant::now();
    let report = import(store.as_deref(), &options).await?;
    let elapsed = started.elapsed();

    let mut stdout = std::io::stdout().lock();
    let written = if options.json {
        serde_json::to_writer_pretty(&mut stdout, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(stdout))
    } else {
        write!(stdout, "{}", report.summary(elapsed))
    };
    // stdout may be a closed pipe; the import itself is done either way.
    drop(written);
    if report.failed > 0 {
        return Err(Failure::runtime(format!(
            "{} of {} entries failed; nothing of them was stored",
            report.failed,
            report.entries()
        )));
    }
    Ok(())
}

/// Imports every PATH into `store` (`None`: a dry run with no database to compare with) and
/// returns the report. Each failed file is also told on stderr, one line each.
pub async fn import(store: Option<&dyn Store>, options: &ImportOptions) -> Result<Report, Failure> {
    let progress = progress_bar(options);
    let (sender, mut files) = tokio::sync::mpsc::channel::<(usize, Vec<Entry>)>(AHEAD);
    let roots = options.paths.clone();
    let profile = options.profile.clone();
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let parser = std::thread::spawn(move || {
        for (index, root) in roots.iter().enumerate() {
            let mut open = true;
            quire_import::parse_path_each(root, &profile, threads, |entries| {
                if sender.blocking_send((index, entries)).is_err() {
                    open = false;
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
            if !open {
                break;
            }
        }
    });

    let fallback: Vec<String> = options.paths.iter().map(|p| folder_name(p)).collect();
    let mut writer = Writer::new(store, options.dry_run);
    let mut report = Report::new(options.dry_run, options.json);
    let mut stderr = std::io::stderr();
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
        for (root, entries) in ready {
            report.files += 1;
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
            written.extend(writer.write_batch(rest, options.json).await);
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
                progress.suspend(|| {
                    let _ = writeln!(stderr, "quire: {error}");
                });
            }
            report.add(entry, archive);
        }
        progress.set_position(report.files);
    }
    progress.finish_and_clear();
    parser
        .join()
        .map_err(|_| Failure::runtime("the parser stopped unexpectedly"))?;
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

/// Files per second and time left, on a terminal only.
fn progress_bar(options: &ImportOptions) -> ProgressBar {
    if !options.progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = options
        .paths
        .iter()
        .map(|p| quire_import::count_files(p))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("importing {bar:40} {pos}/{len} files, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
