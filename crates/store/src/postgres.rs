//! The scale-out backend: PostgreSQL, shared by several web nodes.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Postgres;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

use crate::backend::Backend;
use crate::commits::Commits;
use crate::fast_lane::FastLane;
use crate::keys::redact_url;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The archive in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    writer: PgPool,
    reader: PgPool,
    write_lane: Arc<FastLane<Postgres>>,
    fast_lane: Arc<FastLane<Postgres>>,
    commits: Arc<Commits>,
}

impl PgStore {
    /// Connects to `url` and migrates the database.
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            crate::StoreError::Config(format!("bad database URL `{}`: {e}", redact_url(url)))
        })?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (tests use them to pick a schema) and migrates.
    pub async fn connect_with(options: PgConnectOptions) -> crate::Result<Self> {
        let where_ = format!("{}:{}", options.get_host(), options.get_port());
        // No ping before each use (sqlx's default), which is a round trip to the server on
        // every query: a connection the server dropped fails its next query, which sqlx
        // then closes, and idle ones are closed after ten minutes anyway.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| crate::StoreError::Unreachable(format!("{where_}: {e}")))?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore {
            writer: pool.clone(),
            // Writes queue on the outbox lock at their end anyway: a few connections carry
            // them all.
            write_lane: FastLane::new(pool.clone(), 4),
            fast_lane: FastLane::new(pool.clone(), 4),
            commits: Arc::default(),
            reader: pool,
        })
    }
}

impl Backend for PgStore {
    type Db = Postgres;
    const NAME: &'static str = "postgres";

    fn writer(&self) -> &PgPool {
        &self.writer
    }

    fn reader(&self) -> &PgPool {
        &self.reader
    }

    fn write_lane(&self) -> &Arc<FastLane<Postgres>> {
        &self.write_lane
    }

    fn fast_lane(&self) -> &Arc<FastLane<Postgres>> {
        &self.fast_lane
    }

    fn commits(&self) -> &Arc<Commits> {
        &self.commits
    }

    fn pool_use(&self) -> Vec<crate::store::PoolUse> {
        vec![crate::store::PoolUse::of("shared", &self.writer)]
    }

    /// From the identity sequence: safe with concurrent writers.
    async fn reserve_work_ids(conn: &mut PgConnection, n: usize) -> crate::Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('works', 'id')) FROM generate_series(1, $1)",
        )
        .bind(i64::try_from(n).unwrap_or(i64::MAX))
        .fetch_all(conn)
        .await?)
    }

    /// Sequence values are handed out before commit, in no particular commit order. Appending
    /// under one transaction-level advisory lock (its key 0x5155_4952_4500, "QUIRE") makes
    /// `seq` order and commit order the same, so an outbox follower reading `seq > last` can
    /// never step past a change still in flight. The lock is taken in the insert itself (a
    /// materialized CTE runs before any row, and so before any `seq`, is made): one round trip.
    const OUTBOX_INSERT: (&'static str, &'static str) = (
        "WITH outbox_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(89426744198400)) \
         INSERT INTO changes (entity, entity_id, op, at) SELECT v.* FROM outbox_lock, (",
        ") AS v",
    );
    const NEXT_COMMENT_ID: &'static str =
        "SELECT nextval(pg_get_serial_sequence('comments', 'id'))";
}

/// The shared SQL of [`crate::sql`], expanded for PostgreSQL.
mod queries {
    crate::sql::expand!(super::PgStore);
}
