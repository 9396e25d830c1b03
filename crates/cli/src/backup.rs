//! `quire backup DIR` and `quire restore DIR`: a consistent snapshot of the archive as one
//! SQLite file with a manifest, and its restore into the configured database (either backend),
//! through `quire_store::backup`.

use std::path::Path;
use std::time::Instant;

use quire_store::backup;
use quire_store::copy::{CopyOptions, Location};

use crate::Failure;
use crate::config::Config;
use crate::copy::{Bar, print_checks};

/// Backs the configured archive up into `dir`.
pub async fn run_backup(config: &Config, dir: &Path) -> Result<(), Failure> {
    let from = Location::configured(config.database_url.as_deref(), &config.data)?;
    let started = Instant::now();
    let bar = Bar::new("backing up");
    let manifest = backup::backup(&from, dir, &bar).await;
    bar.finish();
    let manifest = manifest?;
    println!(
        "backed up {} works ({} MB, schema {}) from {} into {} in {:.1}s",
        manifest.works,
        manifest.bytes / 1_000_000,
        manifest.schema_version,
        from.label(),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restores the backup in `dir` into the configured database.
pub async fn run_restore(config: &Config, dir: &Path, force: bool) -> Result<(), Failure> {
    let to = Location::configured(config.database_url.as_deref(), &config.data)?;
    let started = Instant::now();
    let bar = Bar::new("restoring");
    let options = CopyOptions {
        force,
        ..CopyOptions::default()
    };
    let restored = backup::restore(dir, &to, &options, &bar).await;
    bar.finish();
    let (manifest, report) = restored?;
    print_checks(&report);
    println!(
        "restored {} works from the backup of {} (Quire {}) into {} in {:.1}s; every table verified",
        report.works,
        manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        manifest.quire_version,
        to.label(),
        started.elapsed().as_secs_f64()
    );
    println!("the search index is not in a backup: run `quire reindex` before serving");
    Ok(())
}
