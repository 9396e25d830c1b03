//! `quire export --out DIR [--format F] [filters]`: many works at once, into one folder.
//!
//! - Works are read from the database a batch at a time and written one by one (two at once,
//!   one per core): never the whole archive in memory.
//! - Files get AO3's names; a name already taken in this run gets ` (2)`, ` (3)`… in id order,
//!   so the same selection gives every work the same name each time.
//! - Each file is written to a hidden `.part` file and renamed when complete, so a file under
//!   its final name is whole: a run that is stopped and started again (or repeated) skips the
//!   files already there and writes the rest. Delete a file to have it written again.
//! - A work that cannot be exported is reported on stderr and the run goes on; the exit code
//!   is 1 when any failed.

use std::collections::{HashMap, VecDeque};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire_core::Work;
use quire_export::{Book, Format};
use tokio::task::JoinHandle;

use crate::Failure;
use crate::config::Config;
use crate::export_select::{Filters, select};

/// Works rendered at the same time.
const IN_FLIGHT: usize = 2;

/// What a run did.
#[derive(Debug, Default)]
struct Tally {
    written: u64,
    skipped: u64,
    failed: u64,
}

/// A work being written: its id and title (for the error line) and the task writing it.
type Pending = (i64, String, JoinHandle<Result<(), String>>);

/// Exports every posted work `filters` select into `dir` in `format`; prints one summary line.
pub async fn run(
    config: &Config,
    format: Format,
    dir: &Path,
    filters: &Filters,
) -> Result<(), Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let selection = select(config, &*store, filters).await?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
    let started = Instant::now();
    let bar = progress_bar(selection.ids_to_scan());
    let site: Arc<str> = config.site_name.as_str().into();
    let mut names = Names::default();
    let mut tally = Tally::default();
    let mut pending: VecDeque<Pending> = VecDeque::new();
    for ids in selection.batches() {
        let mut works = store.works(&ids).await?;
        works.sort_by_key(|w| w.id);
        for work in works.into_iter().filter(|w| w.posted) {
            let path = dir.join(names.claim(quire_export::file_name(&work, format)));
            if path.exists() {
                tally.skipped += 1;
                continue;
            }
            let (id, title) = (work.id, work.title.clone());
            let task = match store.chapters(work.id).await {
                Ok(chapters) => {
                    let site = Arc::clone(&site);
                    tokio::task::spawn_blocking(move || {
                        write_work(&work, &chapters, &site, format, &path)
                    })
                }
                Err(e) => {
                    let message = format!("reading its chapters: {e}");
                    tokio::spawn(async move { Err::<(), String>(message) })
                }
            };
            pending.push_back((id, title, task));
            while pending.len() >= IN_FLIGHT {
                finish(pending.pop_front(), &mut tally, &bar).await;
            }
        }
        bar.inc(ids.len() as u64);
    }
    while let Some(next) = pending.pop_front() {
        finish(Some(next), &mut tally, &bar).await;
    }
    bar.finish_and_clear();
    println!(
        "exported {} works to {} in {:.1}s ({} already there, {} failed)",
        tally.written,
        dir.display(),
        started.elapsed().as_secs_f64(),
        tally.skipped,
        tally.failed
    );
    if tally.failed > 0 {
        return Err(Failure::runtime(format!(
            "{} works could not be exported (see above)",
            tally.failed
        )));
    }
    Ok(())
}

/// A bar on a terminal only (`reindex` does the same); nothing when output is piped.
fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::hidden();
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_length(len);
    if let Ok(style) =
        ProgressStyle::with_template("exporting {bar:40} {pos}/{len} ids, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Waits for one work's task and counts (and reports) its outcome.
async fn finish(pending: Option<Pending>, tally: &mut Tally, bar: &ProgressBar) {
    let Some((id, title, task)) = pending else {
        return;
    };
    let outcome = task
        .await
        .unwrap_or_else(|e| Err(format!("the export stopped: {e}")));
    match outcome {
        Ok(()) => tally.written += 1,
        Err(message) => {
            tally.failed += 1;
            bar.suspend(|| eprintln!("quire: work {id} ({title}): {message}"));
        }
    }
}

/// Renders one work and writes it to `path` through a `.part` file beside it.
fn write_work(
    work: &Work,
    chapters: &[quire_core::Chapter],
    site: &str,
    format: Format,
    path: &Path,
) -> Result<(), String> {
    let book = Book::new(work, chapters, site);
    if book.chapters().is_empty() {
        return Err("it has no posted chapter to export".to_owned());
    }
    let bytes = quire_export::render(format, &book).map_err(|e| e.to_string())?;
    let part = part_path(path);
    let written = std::fs::write(&part, &bytes).and_then(|()| std::fs::rename(&part, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&part);
        format!("cannot write {}: {e}", path.display())
    })
}

/// `DIR/.Name.epub.part`: hidden, and never taken for a finished file.
fn part_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.part"))
}

/// The file names given out so far in this run, case-insensitively (as some file systems
/// compare them): the stem and extension of each, and how many works took it.
#[derive(Debug, Default)]
struct Names {
    taken: HashMap<String, u32>,
}

impl Names {
    /// `name` the first time, then `Stem (2).ext`, `Stem (3).ext`… AO3's stems hold no
    /// parentheses, so these never meet another work's plain name.
    fn claim(&mut self, name: String) -> String {
        let count = self.taken.entry(name.to_lowercase()).or_insert(0);
        *count += 1;
        if *count == 1 {
            return name;
        }
        match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem} ({count}).{ext}"),
            None => format!("{name} ({count})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_taken_again_gets_a_number() {
        let mut names = Names::default();
        assert_eq!(names.claim("Seven_Bells.epub".into()), "Seven_Bells.epub");
        assert_eq!(
            names.claim("seven_bells.epub".into()),
            "seven_bells (2).epub"
        );
        assert_eq!(
            names.claim("Seven_Bells.epub".into()),
            "Seven_Bells (3).epub"
        );
        assert_eq!(names.claim("Other.epub".into()), "Other.epub");
        assert_eq!(
            part_path(Path::new("/x/Seven_Bells (2).epub")),
            Path::new("/x/.Seven_Bells (2).epub.part")
        );
    }
}
