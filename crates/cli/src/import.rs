//! `quire import PATH…`: runs the import pipeline (`quire_import::pipeline`) on the configured
//! archive, with a progress bar on a terminal, then prints the report or the summary.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire_import::Profile;
use quire_import::pipeline::{self, ImportOptions, Progress, Report};
use quire_store::Store;

use crate::Failure;
use crate::config::Config;

/// Reads `--profile FILE.toml`; a missing or invalid file is a usage error.
pub fn load_profile(path: &Path) -> Result<Profile, Failure> {
    std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("cannot read the profile {}: {e}", path.display())))?;
    Profile::from_file(path).map_err(|e| {
        let message = e.to_string().replace('\n', " ");
        Failure::usage(format!("{}: {}", path.display(), message.trim()))
    })
}

/// Runs the command: imports, prints the report (`--json`, when `options.full_report`) or the
/// summary, and fails with exit code 1 when any input failed.
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
    let report = import(store.as_deref(), &options, true).await?;
    let elapsed = started.elapsed();

    let mut stdout = std::io::stdout().lock();
    let written = if options.full_report {
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

/// Runs the pipeline, telling each failure on stderr (one line each) and, with `bar` on a
/// terminal, showing a progress bar there.
pub async fn import(
    store: Option<&dyn Store>,
    options: &ImportOptions,
    bar: bool,
) -> Result<Report, Failure> {
    let progress = Stderr {
        bar: if bar {
            progress_bar(options)
        } else {
            ProgressBar::hidden()
        },
    };
    let report = pipeline::import(store, options, &progress)
        .await
        .map_err(Failure::runtime);
    progress.bar.finish_and_clear();
    report
}

/// Failures and progress on stderr.
struct Stderr {
    bar: ProgressBar,
}

impl Progress for Stderr {
    fn failed(&self, error: &str) {
        self.bar.suspend(|| {
            let _ = writeln!(std::io::stderr(), "quire: {error}");
        });
    }

    fn files_done(&self, files: u64) {
        self.bar.set_position(files);
    }
}

/// Files per second and time left, on a terminal only.
fn progress_bar(options: &ImportOptions) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
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
