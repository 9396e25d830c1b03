//! What a backend must provide so that the shared SQL in [`crate::sql`] can run on it.
//!
//! Everything else (every query, every transaction) is written once in `sql/` and expanded for
//! each backend with its concrete sqlx types; this trait is the whole of what differs.

use std::future::Future;
use std::sync::Arc;

use sqlx::{Database, Pool};

use crate::Result;
use crate::fast_lane::FastLane;

/// A database Quire can keep the archive in: SQLite ([`crate::sqlite::SqliteStore`]) or
/// PostgreSQL ([`crate::postgres::PgStore`]).
pub(crate) trait Backend: Send + Sync + 'static {
    /// The sqlx driver.
    type Db: Database;

    /// `sqlite` or `postgres`, as [`crate::Store::backend`] reports it.
    const NAME: &'static str;

    /// The pool the write lane's connections come from (and `quire copy`'s bulk writes use).
    /// SQLite's holds one connection, which serializes writers; PostgreSQL's is shared with
    /// readers.
    fn writer(&self) -> &Pool<Self::Db>;

    /// The pool reads run on (read-only connections on SQLite).
    fn reader(&self) -> &Pool<Self::Db>;

    /// The connections every write runs on, handed back without a ping: SQLite's one writer,
    /// or a few of PostgreSQL's.
    fn write_lane(&self) -> &Arc<FastLane<Self::Db>>;

    /// The reading connections the session lookup and read transactions run on, handed back
    /// without a ping.
    fn fast_lane(&self) -> &Arc<FastLane<Self::Db>>;

    /// Who hears of the changes its write transactions commit.
    fn commits(&self) -> &std::sync::Arc<crate::commits::Commits>;

    /// How its pools are used, each named once.
    fn pool_use(&self) -> Vec<crate::store::PoolUse>;

    /// Ids for `n` new works, inside the writing transaction on `conn`: a multi-row insert
    /// names its ids up front so that chapters, tags and creators can refer to them.
    fn reserve_work_ids(
        conn: &mut <Self::Db as Database>::Connection,
        n: usize,
    ) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// What goes before and after the `VALUES` list of an insert into the `changes` outbox
    /// (it returns `seq, entity_id`). Outbox rows must commit in `seq` order, so that a
    /// follower never steps past a change still in flight: the insert takes whatever lock the
    /// backend needs for that.
    const OUTBOX_INSERT: (&'static str, &'static str);

    /// A query giving the id the next comment takes, inside its writing transaction (the
    /// comment names it as its own thread in the same insert).
    const NEXT_COMMENT_ID: &'static str;
}
