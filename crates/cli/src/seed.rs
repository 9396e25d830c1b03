//! `quire seed`: the synthetic corpus (`quire_seed`) into the archive or a folder of legacy
//! files, with a progress bar on a terminal.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use quire_seed::{CorpusOptions, SeedReport};
use quire_store::Store;

use crate::config::Config;
use crate::{Failure, open_store};

/// Runs the command and prints what it did.
pub async fn run(
    config: &Config,
    options: CorpusOptions,
    emit_files: Option<&Path>,
) -> Result<(), Failure> {
    let report = match emit_files {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
            let bar = progress_bar(options.works, "writing");
            let report = quire_seed::into_files(dir, options, &|n| bar.set_position(n));
            bar.finish_and_clear();
            report.map_err(Failure::runtime)?
        }
        None => {
            let store = open_store(config, quire_store::Usage::BulkLoad).await?;
            into_store(&*store, options).await?
        }
    };
    println!(
        "seeded {} works in {:.1}s",
        report.works,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}

/// Seeds the corpus into a store.
pub async fn into_store(store: &dyn Store, options: CorpusOptions) -> Result<SeedReport, Failure> {
    let bar = progress_bar(options.works, "seeding");
    let report = quire_seed::into_store(store, options, &|n| bar.set_position(n)).await;
    bar.finish_and_clear();
    report.map_err(Failure::runtime)
}

/// Works per second and time left (drawn on a terminal only).
fn progress_bar(total: u64, verb: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} works, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar.set_message(verb);
    bar
}
