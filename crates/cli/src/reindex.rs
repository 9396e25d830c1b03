//! `quire reindex`: rebuilds the data dir's search index from the database.

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire_search::follow::{Progress, rebuild};
use quire_search::{INDEX_DIR, Opened, SearchIndex};

use crate::Failure;
use crate::config::Config;

/// Rebuilds the index, showing progress on a terminal; prints one summary line.
pub async fn run(config: &Config, chapter_text: bool) -> Result<(), Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let dir = config.data.join(INDEX_DIR);
    let (index, opened) = SearchIndex::open(&dir).map_err(Failure::runtime)?;
    if let Opened::Created { reason } = &opened {
        tracing::info!("new search index at {}: {reason}", dir.display());
    }
    let started = Instant::now();
    let bar = ProgressBar::hidden();
    let works = rebuild(&index, &*store, chapter_text, |progress| match progress {
        Progress::Started { works, .. } => {
            if std::io::stderr().is_terminal() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.set_length(works);
            if let Ok(style) = ProgressStyle::with_template(
                "indexing {bar:40} {pos}/{len} works, {per_sec}, {eta} left",
            ) {
                bar.set_style(style);
            }
        }
        Progress::Indexed { indexed } => bar.set_position(indexed),
    })
    .await
    .map_err(Failure::runtime)?;
    bar.finish_and_clear();
    println!(
        "indexed {works} works in {:.1}s into {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}
