//! Moving a whole archive between databases: `quire copy` (SQLite ⇄ PostgreSQL), and the
//! copy under `quire backup` / `quire restore` (see [`crate::backup`]).
//!
//! - `tables.rs`: every table, parents first, with its key and its columns' kinds.
//! - `value.rs`: the backend-neutral value and the canonical encoding checksums hash.
//! - `driver.rs`: binding and reading values, per driver; `db.rs`: the statements a copy runs.
//!
//! A copy reads the source inside one snapshot (a read transaction), table by table in key
//! order, in batches (keyset pagination), and inserts each batch into the target in its own
//! transaction. While it runs, the target holds a one-row table `quire_copy_marker` naming the
//! source: a copy interrupted for any reason resumes, when run again from the same source,
//! after the last key each table holds. A target with rows and no marker of this source is
//! refused unless `force`, which empties it first. At the end the identity sequences
//! (PostgreSQL) are moved past the copied ids, every table's row count and checksum is
//! compared between source and target, and only when all match is the marker removed.

mod db;
mod driver;
mod tables;
mod value;

pub use db::Location;
pub use tables::{Column, TABLES, Table};
pub use value::{Kind, Value};

pub(crate) use db::{Conn, Db};

use crate::{Result, StoreError};
use value::Checksum;

/// How a copy runs.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Empty a target that holds an archive which is not an interrupted copy of this source.
    pub force: bool,
    /// Rows per batch (fewer for wide tables, to stay under the drivers' parameter limits).
    pub batch_rows: usize,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            force: false,
            batch_rows: 1000,
        }
    }
}

/// Told how a copy goes, to draw a progress bar.
pub trait CopyProgress: Send + Sync {
    /// The copy starts: `total` rows in the source, `done` already in the target (a resume).
    fn started(&self, total: u64, done: u64) {
        let _ = (total, done);
    }
    /// `rows` more rows were committed into the target.
    fn copied(&self, rows: u64) {
        let _ = rows;
    }
    /// Everything is copied; the checksums are being computed.
    fn verifying(&self) {}
}

/// Progress nobody watches.
pub struct Quiet;
impl CopyProgress for Quiet {}

/// One table's row count and checksum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableSummary {
    pub table: String,
    pub rows: u64,
    /// SHA-256 (hex) over the rows' canonical encoding, in key order.
    pub checksum: String,
}

/// One table of a verified copy: the source's and the target's summaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub source: TableSummary,
    pub target: TableSummary,
}

impl TableCheck {
    pub fn matches(&self) -> bool {
        self.source == self.target
    }
}

/// What a copy did.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Works in the source.
    pub works: u64,
    /// Rows inserted by this run (fewer than the total when it resumed).
    pub rows_copied: u64,
    /// Whether this run continued an interrupted copy.
    pub resumed: bool,
    /// Every table, verified.
    pub tables: Vec<TableCheck>,
}

/// Copies the archive at `from` into `to` (both migrated to this Quire's schema first) and
/// verifies it. `to` must be empty, or an interrupted copy of `from`, unless `options.force`.
pub async fn copy(
    from: &Location,
    to: &Location,
    options: &CopyOptions,
    progress: &dyn CopyProgress,
) -> Result<CopyReport> {
    let (from_label, to_label) = (from.label(), to.label());
    if from_label == to_label {
        return Err(StoreError::Config(format!(
            "the source and the target are the same database ({from_label})"
        )));
    }
    let source = Db::open_source(from).await?;
    let target = Db::open_target(to).await?;
    let report = run(&source, &target, &from_label, options, progress).await;
    source.close().await;
    target.close().await;
    report
}

/// The row count and checksum of every table at `location`, read in one snapshot.
pub async fn summarize(location: &Location) -> Result<Vec<TableSummary>> {
    let db = Db::open_source(location).await?;
    let mut conn = db.connection().await?;
    conn.begin_snapshot().await?;
    let summaries = summaries(&mut conn, 1000).await;
    conn.end().await?;
    db.close().await;
    summaries
}

pub(crate) async fn summaries(conn: &mut Conn, batch_rows: usize) -> Result<Vec<TableSummary>> {
    let mut out = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        out.push(summarize_table(conn, table, batch_rows).await?);
    }
    Ok(out)
}

async fn summarize_table(
    conn: &mut Conn,
    table: &Table,
    batch_rows: usize,
) -> Result<TableSummary> {
    let mut checksum = Checksum::default();
    let mut after: Option<Vec<Value>> = None;
    let limit = batch_for(table, batch_rows);
    loop {
        let rows = conn.scan(table, after.as_deref(), limit).await?;
        for row in &rows {
            checksum.add(row);
        }
        match rows.last() {
            Some(last) if rows.len() == limit => after = Some(key_of(table, last)),
            _ => break,
        }
    }
    let (rows, checksum) = checksum.finish();
    Ok(TableSummary {
        table: table.name.to_owned(),
        rows,
        checksum,
    })
}

/// Rows per batch for `table`: at most `batch_rows`, and few enough that a multi-row insert
/// stays under SQLite's 32,766 bound parameters.
fn batch_for(table: &Table, batch_rows: usize) -> usize {
    batch_rows.clamp(1, 30_000 / table.columns.len().max(1))
}

fn key_of(table: &Table, row: &[Value]) -> Vec<Value> {
    table
        .key_positions()
        .into_iter()
        .map(|i| row[i].clone())
        .collect()
}

/// The copy proper, between opened databases; `source_label` names the source in the marker.
pub(crate) async fn run(
    source: &Db,
    target: &Db,
    source_label: &str,
    options: &CopyOptions,
    progress: &dyn CopyProgress,
) -> Result<CopyReport> {
    let resumed = prepare_target(target, source_label, options.force).await?;
    let mut snapshot = source.connection().await?;
    snapshot.begin_snapshot().await?;
    let mut reader = target.connection().await?;

    let mut total = 0;
    let mut done = 0;
    let mut works = 0;
    for table in TABLES {
        let n = snapshot.count(table).await?;
        total += n;
        done += reader.count(table).await?;
        if table.name == "works" {
            works = n;
        }
    }
    progress.started(total, done);

    let hook = hook::Hook::from_env();
    let mut rows_copied = 0;
    for table in TABLES {
        let limit = batch_for(table, options.batch_rows);
        let mut after = reader.last_key(table).await?;
        loop {
            let rows = snapshot.scan(table, after.as_deref(), limit).await?;
            let Some(last) = rows.last() else { break };
            after = Some(key_of(table, last));
            let n = rows.len() as u64;
            target.insert(table, rows).await?;
            rows_copied += n;
            progress.copied(n);
            hook.batch_committed();
            if n < limit as u64 {
                break;
            }
        }
    }
    for table in TABLES.iter().filter(|t| !t.deferred.is_empty()) {
        let limit = batch_for(table, options.batch_rows);
        let mut after: Option<Vec<Value>> = None;
        loop {
            let rows = snapshot.scan(table, after.as_deref(), limit).await?;
            let Some(last) = rows.last() else { break };
            after = Some(key_of(table, last));
            target.set_deferred(table, &rows).await?;
            if rows.len() < limit {
                break;
            }
        }
    }
    target.reset_sequences().await?;
    target.refresh_statistics().await?;

    progress.verifying();
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let source = summarize_table(&mut snapshot, table, options.batch_rows).await?;
        let target = summarize_table(&mut reader, table, options.batch_rows).await?;
        tables.push(TableCheck { source, target });
    }
    snapshot.end().await?;
    reader.close().await?;
    let differ: Vec<String> = tables
        .iter()
        .filter(|t| !t.matches())
        .map(|t| {
            format!(
                "{} ({} rows in the source, {} in the target{})",
                t.source.table,
                t.source.rows,
                t.target.rows,
                if t.source.rows == t.target.rows {
                    ", different content"
                } else {
                    ""
                }
            )
        })
        .collect();
    if !differ.is_empty() {
        return Err(StoreError::CopyMismatch(differ.join("; ")));
    }
    target.drop_marker().await?;
    Ok(CopyReport {
        works,
        rows_copied,
        resumed,
        tables,
    })
}

/// Readies the target: a fresh copy into an empty one, a resumed copy into one marked as an
/// interrupted copy of this source, or (with `force`) a fresh copy into an emptied one.
/// Whether this run resumes.
async fn prepare_target(target: &Db, source_label: &str, force: bool) -> Result<bool> {
    let marker = target.marker().await?;
    let empty = target.is_empty().await?;
    if marker.as_deref() == Some(source_label) && !force {
        return Ok(!empty);
    }
    if !empty {
        if !force {
            let why = match marker {
                Some(other) => format!("an interrupted copy of another archive ({other})"),
                None => "an archive".to_owned(),
            };
            return Err(StoreError::Conflict(format!(
                "the target {} database holds {why}; pass --force to empty it and copy anyway",
                target.backend()
            )));
        }
        target.clear().await?;
    }
    target.set_marker(source_label).await?;
    Ok(false)
}

/// The resume test's hook, compiled only with the cargo feature `test-hooks` (quire-cli's
/// dev-dependency turns it on): with `QUIRE_TEST_COPY_ABORT_AFTER=N` a copy aborts the
/// process, as a crash would, right after its N-th batch is committed.
mod hook {
    #[derive(Default)]
    pub struct Hook {
        #[cfg(feature = "test-hooks")]
        abort_after: Option<u64>,
        #[cfg(feature = "test-hooks")]
        batches: std::sync::atomic::AtomicU64,
    }

    impl Hook {
        pub fn from_env() -> Hook {
            Hook {
                #[cfg(feature = "test-hooks")]
                abort_after: std::env::var("QUIRE_TEST_COPY_ABORT_AFTER")
                    .ok()
                    .and_then(|v| v.trim().parse().ok()),
                #[cfg(feature = "test-hooks")]
                batches: std::sync::atomic::AtomicU64::new(0),
            }
        }

        pub fn batch_committed(&self) {
            #[cfg(feature = "test-hooks")]
            {
                let n = self
                    .batches
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    + 1;
                if self.abort_after.is_some_and(|limit| n >= limit) {
                    std::process::abort();
                }
            }
        }
    }
}
