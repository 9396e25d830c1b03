//! `quire export WORK_ID [--format epub|html|txt] [-o FILE]`: one work as a download file
//! (many at once: [`crate::export_many`]).
//!
//! This is the archive operator's tool, not a reader's download: it exports any posted work,
//! restricted and adult ones included, without asking for consent. Drafts are refused, and
//! unposted chapters are never written (the export crate leaves them out whoever asks).

use std::path::{Path, PathBuf};

use quire_export::{Book, Format};

use crate::Failure;
use crate::config::Config;

/// Writes work `work_id` in `format` to `out` (default: its AO3-style file name in the current
/// directory, or in `out` when that is a folder) and returns the path written.
pub async fn run(
    config: &Config,
    work_id: i64,
    format: Format,
    out: Option<PathBuf>,
) -> Result<PathBuf, Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let work = store
        .work(work_id)
        .await?
        .ok_or_else(|| Failure::runtime(format!("work {work_id} does not exist")))?;
    if !work.posted {
        return Err(Failure::runtime(format!(
            "work {work_id} is a draft: only posted works are exported"
        )));
    }
    let chapters = store.chapters(work.id).await?;
    let book = Book::new(&work, &chapters, &config.site_name);
    if book.chapters().is_empty() {
        return Err(Failure::runtime(format!(
            "work {work_id} has no posted chapter to export"
        )));
    }
    let bytes = quire_export::render(format, &book).map_err(Failure::runtime)?;
    let name = quire_export::file_name(&work, format);
    let path = match out {
        Some(dir) if dir.is_dir() => dir.join(name),
        Some(file) => file,
        None => PathBuf::from(name),
    };
    write(&path, &bytes)?;
    Ok(path)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}
