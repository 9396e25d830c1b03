//! The embedded backend: one SQLite file in WAL mode, one writer connection and a reader pool.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;

use crate::backend::Backend;
use crate::commits::Commits;
use crate::fast_lane::FastLane;
use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The last migration this Quire applies (both backends number theirs alike).
pub(crate) fn latest_migration() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// WAL, one writer and a pool of readers.
    Serving,
    /// One connection, rollback journal.
    BulkLoad,
}

/// The archive in a SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// The writer pool's one connection, taken out of it on first use.
    write_lane: Arc<FastLane<Sqlite>>,
    fast_lane: Arc<FastLane<Sqlite>>,
    commits: Arc<Commits>,
    path: PathBuf,
}

/// How much of the database file SQLite reads through a memory map (its own upper bound on
/// 64-bit builds).
const MMAP_BYTES: &str = "2147418112";

impl SqliteStore {
    /// Opens (creating it when missing) and migrates the database at `path`.
    pub async fn open(path: &Path) -> crate::Result<Self> {
        Self::open_in(path, Mode::Serving).await
    }

    /// Opens the database for one bulk writer and nobody else (`quire seed`): a rollback journal
    /// instead of the WAL, so that each page is written once rather than twice, and no fsync.
    /// Opening it normally again brings the WAL back.
    pub async fn open_for_bulk_load(path: &Path) -> crate::Result<Self> {
        Self::open_in(path, Mode::BulkLoad).await
    }

    async fn open_in(path: &Path, mode: Mode) -> crate::Result<Self> {
        let display = path.display().to_string();
        // A bulk load writes synthetic data into a scratch archive: it trades durability
        // against power loss (not against a crash of the process) for never waiting on fsync.
        let (journal, synchronous) = match mode {
            Mode::Serving => (SqliteJournalMode::Wal, SqliteSynchronous::Normal),
            Mode::BulkLoad => (SqliteJournalMode::Delete, SqliteSynchronous::Off),
        };
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| crate::StoreError::Config(e.to_string()))?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(journal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32768")
            // Pages are read through a memory map of the file rather than copied into each
            // connection's page cache: in WAL mode a reader drops its whole cache whenever
            // another connection has written, so with writes coming in every reader's next
            // statement would read its pages again (SQLite caps the map at 2 GiB).
            .pragma("mmap_size", MMAP_BYTES)
            .pragma("temp_store", "memory");
        // No ping before each use (sqlx's default): a SQLite connection cannot be lost, and
        // the ping is a hop to the connection's thread and back on every query.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(|e| classify(&display, e))?;
        // Reading the schema first turns a file that is not a database into one clear error.
        sqlx::query("SELECT COUNT(*) FROM sqlite_master")
            .execute(&writer)
            .await
            .map_err(|e| classify(&display, e))?;
        MIGRATOR.run(&writer).await?;
        if mode == Mode::BulkLoad {
            return Ok(SqliteStore {
                reader: writer.clone(),
                write_lane: FastLane::new(writer.clone(), 1),
                // Opened only when a session is read, which a bulk load never does.
                fast_lane: FastLane::new(writer.clone(), 1),
                commits: Arc::default(),
                writer,
                path: path.to_owned(),
            });
        }
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let readers = cores * 2;
        let reader = SqlitePoolOptions::new()
            .max_connections(u32::try_from(readers).unwrap_or(4))
            .test_before_acquire(false)
            .min_connections(1)
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| classify(&display, e))?;
        Ok(SqliteStore {
            write_lane: FastLane::new(writer.clone(), 1),
            writer,
            fast_lane: FastLane::new(reader.clone(), cores.max(2)),
            commits: Arc::default(),
            reader,
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Backend for SqliteStore {
    type Db = Sqlite;
    const NAME: &'static str = "sqlite";

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    fn write_lane(&self) -> &Arc<FastLane<Sqlite>> {
        &self.write_lane
    }

    fn fast_lane(&self) -> &Arc<FastLane<Sqlite>> {
        &self.fast_lane
    }

    fn commits(&self) -> &Arc<Commits> {
        &self.commits
    }

    fn pool_use(&self) -> Vec<crate::store::PoolUse> {
        vec![
            crate::store::PoolUse::of("write", &self.writer),
            crate::store::PoolUse::of("read", &self.reader),
        ]
    }

    /// With one writer, the ids after the largest are free until commit.
    async fn reserve_work_ids(conn: &mut SqliteConnection, n: usize) -> crate::Result<Vec<i64>> {
        let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM works")
            .fetch_one(conn)
            .await?;
        Ok((1..=n as i64).map(|i| max + i).collect())
    }

    /// One writer connection serializes every write, so outbox rows commit in `seq` order.
    const OUTBOX_INSERT: (&'static str, &'static str) =
        ("INSERT INTO changes (entity, entity_id, op, at) ", "");
    /// What SQLite gives a rowid it is not told (the table is not AUTOINCREMENT); the one
    /// writer's transaction holds it.
    const NEXT_COMMENT_ID: &'static str = "SELECT COALESCE(MAX(id), 0) + 1 FROM comments";
}

fn classify(path: &str, e: sqlx::Error) -> crate::StoreError {
    if let sqlx::Error::Database(db) = &e {
        let message = db.message().to_owned();
        return match db.code().as_deref() {
            Some("26") | Some("11") => crate::StoreError::Corrupt(path.to_owned(), message),
            Some("14") | Some("8") | Some("23") => {
                crate::StoreError::Config(format!("cannot open the database {path}: {message}"))
            }
            _ => crate::StoreError::Database(e),
        };
    }
    crate::StoreError::Database(e)
}

/// The shared SQL of [`crate::sql`], expanded for SQLite.
mod queries {
    crate::sql::expand!(super::SqliteStore);
}
