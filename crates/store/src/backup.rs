//! `quire backup DIR` and `quire restore DIR`: a consistent copy of a running archive as one
//! SQLite file with a manifest, restorable into either backend.
//!
//! A backup folder holds `quire.db` and `manifest.json` (see [`Manifest`]); the manifest is
//! written last, so a folder without one is not a backup. From SQLite the file is made by
//! `VACUUM INTO`, which reads one snapshot while writers go on; from PostgreSQL it is a copy
//! (`crate::copy`) read inside one `REPEATABLE READ READ ONLY` transaction. Restoring checks the
//! manifest (refusing a backup from a newer Quire or schema) and the file's SHA-256, then copies
//! the file into the configured database, which must be empty unless forced, and verifies it.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::copy::{self, CopyOptions, CopyProgress, CopyReport, Db, Location, TableSummary};
use crate::{Result, StoreError};

/// The version of the backup folder's layout this Quire writes and reads.
pub const FORMAT: u32 = 1;

/// This Quire's version, as manifests record it.
pub const QUIRE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The database file in a backup folder.
pub const DATABASE_FILE: &str = "quire.db";

/// The manifest in a backup folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What a backup folder holds, written as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The folder layout's version ([`FORMAT`]).
    pub format: u32,
    /// The Quire that made the backup.
    pub quire_version: String,
    /// The last migration applied to the backed-up database.
    pub schema_version: i64,
    /// `sqlite` or `postgres`: where the archive was backed up from.
    pub source_backend: String,
    pub created_at: DateTime<Utc>,
    /// The database file's name in the folder.
    pub file: String,
    pub bytes: u64,
    /// SHA-256 (hex) of the database file.
    pub sha256: String,
    pub works: u64,
    /// Every table's row count and checksum, as `quire copy` verifies them.
    pub tables: Vec<TableSummary>,
}

/// The last migration this Quire knows.
pub fn schema_version() -> i64 {
    crate::sqlite::latest_migration()
}

/// Backs up the archive at `from` into the folder `dir` (created when missing; it must not
/// hold a backup already).
pub async fn backup(from: &Location, dir: &Path, progress: &dyn CopyProgress) -> Result<Manifest> {
    let file = dir.join(DATABASE_FILE);
    let manifest_path = dir.join(MANIFEST_FILE);
    if file.exists() || manifest_path.exists() {
        return Err(StoreError::Backup(format!(
            "{} already holds a backup; give an empty or new folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let partial = dir.join(format!("{DATABASE_FILE}.partial"));
    if partial.exists() {
        // Left by an interrupted backup.
        std::fs::remove_file(&partial).map_err(|e| io_error(&partial, &e))?;
    }

    let source = Db::open_source(from).await?;
    let source_backend = source.backend().to_owned();
    let made = match &source {
        Db::Sqlite(pool) => {
            let target = partial.to_string_lossy().replace('\'', "''");
            sqlx::query(&format!("VACUUM INTO '{target}'"))
                .execute(pool)
                .await
                .map(drop)
                .map_err(StoreError::from)
        }
        Db::Postgres(_) => {
            let target = Db::open_target(&Location::Sqlite(partial.clone())).await?;
            let made = copy::run(
                &source,
                &target,
                &from.label(),
                &CopyOptions::default(),
                progress,
            )
            .await;
            target.close().await;
            made.map(drop)
        }
    };
    source.close().await;
    made?;

    let (schema_version, works, tables) = describe(&partial).await?;
    let (bytes, sha256) = hash_file(partial.clone()).await?;
    let manifest = Manifest {
        format: FORMAT,
        quire_version: QUIRE_VERSION.to_owned(),
        schema_version,
        source_backend,
        created_at: Utc::now(),
        file: DATABASE_FILE.to_owned(),
        bytes,
        sha256,
        works,
        tables,
    };
    std::fs::rename(&partial, &file).map_err(|e| io_error(&file, &e))?;
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| StoreError::Backup(format!("cannot write the manifest: {e}")))?;
    let manifest_partial = dir.join(format!("{MANIFEST_FILE}.partial"));
    std::fs::write(&manifest_partial, json).map_err(|e| io_error(&manifest_partial, &e))?;
    std::fs::rename(&manifest_partial, &manifest_path).map_err(|e| io_error(&manifest_path, &e))?;
    Ok(manifest)
}

/// Reads and checks the backup in `dir`: its manifest (not from a newer Quire or schema) and
/// its file's size and SHA-256.
pub async fn check(dir: &Path) -> Result<Manifest> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let text = std::fs::read(&manifest_path).map_err(|e| {
        StoreError::Backup(format!(
            "{} is not a Quire backup: cannot read {MANIFEST_FILE}: {e}",
            dir.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        StoreError::Backup(format!(
            "{} is not a Quire backup manifest: {e}",
            manifest_path.display()
        ))
    })?;
    if manifest.format > FORMAT
        || is_newer(&manifest.quire_version, QUIRE_VERSION)
        || manifest.schema_version > schema_version()
    {
        return Err(StoreError::Backup(format!(
            "the backup in {} was made by a newer Quire ({}, schema {}, format {}) than this one \
             ({QUIRE_VERSION}, schema {}, format {FORMAT}); restore it with that version or later",
            dir.display(),
            manifest.quire_version,
            manifest.schema_version,
            manifest.format,
            schema_version()
        )));
    }
    if manifest.file.contains(['/', '\\']) || manifest.file.starts_with('.') {
        return Err(StoreError::Backup(format!(
            "{}: the file `{}` is not in the backup folder",
            manifest_path.display(),
            manifest.file
        )));
    }
    let file = dir.join(&manifest.file);
    let (bytes, sha256) = hash_file(file.clone()).await?;
    if bytes != manifest.bytes || sha256 != manifest.sha256 {
        return Err(StoreError::Backup(format!(
            "{} is damaged: {bytes} bytes with SHA-256 {sha256}, but the manifest says {} bytes \
             with SHA-256 {}; nothing was restored",
            file.display(),
            manifest.bytes,
            manifest.sha256
        )));
    }
    Ok(manifest)
}

/// Restores the backup in `dir` into the database at `to`: checks it ([`check`]), copies it
/// (into an empty database, or any with `options.force`, which empties it) and verifies the
/// copy against the source and the manifest.
pub async fn restore(
    dir: &Path,
    to: &Location,
    options: &CopyOptions,
    progress: &dyn CopyProgress,
) -> Result<(Manifest, CopyReport)> {
    let manifest = check(dir).await?;
    // A copy, so that migrating an older backup leaves the folder as it was.
    let scratch = tempfile::tempdir().map_err(|e| {
        StoreError::Backup(format!(
            "cannot make a temporary folder for the restore: {e}"
        ))
    })?;
    let working = scratch.path().join(DATABASE_FILE);
    std::fs::copy(dir.join(&manifest.file), &working).map_err(|e| io_error(&working, &e))?;

    let source = Db::open_source(&Location::Sqlite(working)).await?;
    let target = Db::open_target(to).await?;
    let label = format!(
        "backup {} ({})",
        std::path::absolute(dir)
            .unwrap_or_else(|_| dir.to_owned())
            .display(),
        manifest.sha256
    );
    let report = copy::run(&source, &target, &label, options, progress).await;
    source.close().await;
    target.close().await;
    let report = report?;
    if manifest.schema_version == schema_version() {
        let read: Vec<&TableSummary> = report.tables.iter().map(|t| &t.source).collect();
        let listed: Vec<&TableSummary> = manifest.tables.iter().collect();
        if read != listed {
            return Err(StoreError::Backup(format!(
                "the tables read from {} differ from its manifest",
                dir.display()
            )));
        }
    }
    Ok((manifest, report))
}

/// The schema version, work count and table summaries of a backup file; leaves it in
/// rollback-journal mode, one self-contained file.
async fn describe(path: &Path) -> Result<(i64, u64, Vec<TableSummary>)> {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(|e| StoreError::Config(e.to_string()))?
        .filename(path)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&pool)
        .await?;
    let schema: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&pool)
            .await?;
    let db = Db::Sqlite(pool);
    let mut conn = db.connection().await?;
    conn.begin_snapshot().await?;
    let tables = copy::summaries(&mut conn, 1000).await;
    conn.end().await?;
    db.close().await;
    let tables = tables?;
    let works = tables
        .iter()
        .find(|t| t.table == "works")
        .map_or(0, |t| t.rows);
    Ok((schema, works, tables))
}

/// The size and SHA-256 (hex) of a file.
async fn hash_file(path: PathBuf) -> Result<(u64, String)> {
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path).map_err(|e| io_error(&path, &e))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 20];
        let mut bytes = 0u64;
        loop {
            let n = file.read(&mut buffer).map_err(|e| io_error(&path, &e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            bytes += n as u64;
        }
        let hex: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((bytes, hex))
    })
    .await
    .map_err(|e| StoreError::Backup(format!("hashing failed: {e}")))?
}

fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Backup(format!("{}: {e}", path.display()))
}

/// Whether version `a` (`major.minor.patch`, any suffix ignored) is newer than `b`.
fn is_newer(a: &str, b: &str) -> bool {
    fn parts(v: &str) -> Vec<u64> {
        v.split(['-', '+'])
            .next()
            .unwrap_or_default()
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    }
    parts(a) > parts(b)
}

#[cfg(test)]
mod tests {
    use super::is_newer;

    #[test]
    fn versions_compare_by_number() {
        assert!(is_newer("0.10.0", "0.9.3"));
        assert!(is_newer("1.0.0", "0.99.0"));
        assert!(!is_newer("0.1.0", "0.1.0"));
        assert!(!is_newer("0.1.0-dev", "0.1.0"));
    }
}
