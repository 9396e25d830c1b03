//! The two ends of a copy: a database of either backend, opened raw (its pool, not the
//! `Store`), and the few statements a copy runs on it, built once for both backends.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, PgPool, Postgres, QueryBuilder, Sqlite, SqlitePool};

use super::driver::Driver;
use super::tables::{Column, TABLES, Table};
use super::value::{Kind, Row, Value};
use crate::backend::Backend;
use crate::keys::redact_url;
use crate::{Result, StoreError};

/// Where an archive's database is: a SQLite file or a PostgreSQL URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// The database `quire_store::open` would use for `database_url` and `data_dir`.
    pub fn configured(database_url: Option<&str>, data_dir: &Path) -> Result<Location> {
        match database_url {
            Some(url) => Location::parse(url),
            None => Ok(Location::Sqlite(data_dir.join("quire.db"))),
        }
    }

    /// `postgres://…`, `postgresql://…` or `sqlite:PATH`.
    pub fn parse(url: &str) -> Result<Location> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            Ok(Location::Sqlite(PathBuf::from(path)))
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL `{}`: use postgres://… or sqlite:PATH",
                redact_url(url)
            )))
        }
    }

    /// How the location is named in messages and in a resumable copy's marker: the file's
    /// absolute path, or the URL without its password.
    pub fn label(&self) -> String {
        match self {
            Location::Sqlite(path) => {
                let path = std::fs::canonicalize(path)
                    .or_else(|_| std::path::absolute(path))
                    .unwrap_or_else(|_| path.clone());
                format!("sqlite:{}", path.display())
            }
            Location::Postgres(url) => redact_url(url),
        }
    }
}

/// A database opened for copying, migrated to this Quire's schema.
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One connection of a [`Db`], owned (closed when dropped).
pub(crate) enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The table that marks a copy in progress in its target (see `copy::run`).
const MARKER: &str = "quire_copy_marker";

impl Db {
    /// Opens an existing archive to read from; a SQLite file must exist.
    pub(crate) async fn open_source(location: &Location) -> Result<Db> {
        match location {
            Location::Sqlite(path) => {
                if !path.is_file() {
                    return Err(StoreError::Config(format!(
                        "no archive at {}: the SQLite file does not exist",
                        path.display()
                    )));
                }
                let store = crate::sqlite::SqliteStore::open(path).await?;
                Ok(Db::Sqlite(store.writer().clone()))
            }
            Location::Postgres(url) => Self::open_postgres(url).await,
        }
    }

    /// Opens (creating a SQLite file when missing) a database to write into. SQLite is opened
    /// for one bulk writer: a copy is the only user of its target.
    pub(crate) async fn open_target(location: &Location) -> Result<Db> {
        match location {
            Location::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::Config(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                let store = crate::sqlite::SqliteStore::open_for_bulk_load(path).await?;
                Ok(Db::Sqlite(store.writer().clone()))
            }
            Location::Postgres(url) => Self::open_postgres(url).await,
        }
    }

    async fn open_postgres(url: &str) -> Result<Db> {
        let store = crate::postgres::PgStore::connect(url).await?;
        Ok(Db::Postgres(store.writer().clone()))
    }

    /// `sqlite` or `postgres`.
    pub(crate) fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub(crate) async fn connection(&self) -> Result<Conn> {
        Ok(match self {
            Db::Sqlite(pool) => Conn::Sqlite(pool.acquire().await?.detach()),
            Db::Postgres(pool) => Conn::Postgres(pool.acquire().await?.detach()),
        })
    }

    /// Waits for every connection to close (a SQLite file is complete on disk after it).
    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Inserts `rows` of `table` in one transaction; deferred columns are left NULL.
    pub(crate) async fn insert(&self, table: &Table, rows: Vec<Row>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                insert_query::<Sqlite>(table, rows)
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                insert_query::<Postgres>(table, rows)
                    .build()
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Sets the deferred columns of `rows` (already inserted), in one transaction.
    pub(crate) async fn set_deferred(&self, table: &Table, rows: &[Row]) -> Result<()> {
        let keys = table.key_positions();
        let updates: Vec<(&Column, &Value, Vec<Value>)> = rows
            .iter()
            .flat_map(|row| {
                let key: Vec<Value> = keys.iter().map(|&i| row[i].clone()).collect();
                table.deferred.iter().filter_map(move |name| {
                    let i = table.position(name)?;
                    (row[i] != Value::Null).then(|| (&table.columns[i], &row[i], key.clone()))
                })
            })
            .collect();
        if updates.is_empty() {
            return Ok(());
        }
        let key_columns = key_columns(table);
        macro_rules! run {
            ($pool:expr, $db:ty) => {{
                let mut tx = $pool.begin().await?;
                for (column, value, key) in updates {
                    let mut q = QueryBuilder::<$db>::new(format!(
                        "UPDATE {} SET {} = ",
                        table.name, column.name
                    ));
                    {
                        let mut s = q.separated(", ");
                        <$db>::bind(&mut s, column.kind, value.clone(), true);
                    }
                    q.push(" WHERE ");
                    let mut s = q.separated(" AND ");
                    for (c, v) in key_columns.iter().zip(key) {
                        s.push(format!("{} = ", c.name));
                        <$db>::bind(&mut s, c.kind, v, false);
                    }
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }};
        }
        match self {
            Db::Sqlite(pool) => run!(pool, Sqlite),
            Db::Postgres(pool) => run!(pool, Postgres),
        }
        Ok(())
    }

    /// Whether any table holds a row.
    pub(crate) async fn is_empty(&self) -> Result<bool> {
        let mut conn = self.connection().await?;
        for table in TABLES {
            if conn.count(table).await? > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Deletes every row of every table, in one transaction.
    pub(crate) async fn clear(&self) -> Result<()> {
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                for table in TABLES.iter().rev() {
                    sqlx::query(&format!("DELETE FROM {}", table.name))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
                sqlx::query(&format!("TRUNCATE {}", names.join(", ")))
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// The source named by the marker of a copy in progress, if there is one.
    pub(crate) async fn marker(&self) -> Result<Option<String>> {
        let exists = match self {
            Db::Sqlite(pool) => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
                )
                .bind(MARKER)
                .fetch_one(pool)
                .await?
                    > 0
            }
            Db::Postgres(pool) => {
                sqlx::query_scalar::<_, bool>("SELECT to_regclass($1) IS NOT NULL")
                    .bind(MARKER)
                    .fetch_one(pool)
                    .await?
            }
        };
        if !exists {
            return Ok(None);
        }
        let sql = format!("SELECT source FROM {MARKER} LIMIT 1");
        Ok(match self {
            Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_optional(pool).await?,
            Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_optional(pool).await?,
        })
    }

    /// Marks the target as holding a copy of `source` in progress.
    pub(crate) async fn set_marker(&self, source: &str) -> Result<()> {
        let statements = [
            format!(
                "CREATE TABLE IF NOT EXISTS {MARKER} (source TEXT NOT NULL, started_at TEXT NOT NULL)"
            ),
            format!("DELETE FROM {MARKER}"),
            format!("INSERT INTO {MARKER} (source, started_at) VALUES ($1, $2)"),
        ];
        let now = Utc::now().to_rfc3339();
        macro_rules! run {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                for sql in &statements[..2] {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
                sqlx::query(&statements[2])
                    .bind(source)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }};
        }
        match self {
            Db::Sqlite(pool) => run!(pool),
            Db::Postgres(pool) => run!(pool),
        }
        Ok(())
    }

    /// Removes the marker: the copy is complete and verified.
    pub(crate) async fn drop_marker(&self) -> Result<()> {
        let sql = format!("DROP TABLE IF EXISTS {MARKER}");
        match self {
            Db::Sqlite(pool) => {
                sqlx::query(&sql).execute(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query(&sql).execute(pool).await?;
            }
        }
        Ok(())
    }

    /// On PostgreSQL, moves each identity sequence past its column's largest value, so that
    /// the next work, chapter or outbox row gets a fresh id. SQLite needs nothing: it takes the
    /// next id after the largest (and `changes`' AUTOINCREMENT follows explicit inserts).
    pub(crate) async fn reset_sequences(&self) -> Result<()> {
        let Db::Postgres(pool) = self else {
            return Ok(());
        };
        for table in TABLES {
            let Some(column) = table.identity else {
                continue;
            };
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{t}', '{column}'), \
                 COALESCE(MAX({column}), 0) + 1, false) FROM {t}",
                t = table.name
            );
            sqlx::query(&sql).execute(pool).await?;
        }
        Ok(())
    }

    /// On PostgreSQL, gathers the planner's statistics of the freshly filled tables
    /// (`ANALYZE`). Without them the planner guesses at empty tables until autovacuum gets
    /// round to it, and picks plans that cost a work page tens of milliseconds of database
    /// time (measured: 29 uncached work pages per PostgreSQL CPU-second straight after a
    /// copy). SQLite plans without statistics well enough.
    pub(crate) async fn refresh_statistics(&self) -> Result<()> {
        if let Db::Postgres(pool) = self {
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Ok(())
    }
}

impl Conn {
    /// Starts one read-only transaction whose snapshot every later read on this connection
    /// sees: on PostgreSQL `REPEATABLE READ READ ONLY`; on SQLite a read transaction, which in
    /// WAL mode keeps its snapshot while writers commit.
    pub(crate) async fn begin_snapshot(&mut self) -> Result<()> {
        match self {
            Conn::Sqlite(conn) => {
                sqlx::query("BEGIN").execute(&mut *conn).await?;
                // The snapshot starts with the first read.
                sqlx::query("SELECT COUNT(*) FROM sqlite_master")
                    .execute(&mut *conn)
                    .await?;
            }
            Conn::Postgres(conn) => {
                sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }

    /// Ends the snapshot and closes the connection.
    pub(crate) async fn end(mut self) -> Result<()> {
        match &mut self {
            Conn::Sqlite(conn) => drop(sqlx::query("ROLLBACK").execute(&mut *conn).await),
            Conn::Postgres(conn) => drop(sqlx::query("ROLLBACK").execute(&mut *conn).await),
        }
        self.close().await
    }

    /// Closes a connection that holds no snapshot.
    pub(crate) async fn close(self) -> Result<()> {
        match self {
            Conn::Sqlite(conn) => conn.close().await?,
            Conn::Postgres(conn) => conn.close().await?,
        }
        Ok(())
    }

    pub(crate) async fn count(&mut self, table: &Table) -> Result<u64> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        let n: i64 = match self {
            Conn::Sqlite(conn) => sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?,
            Conn::Postgres(conn) => sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` rows of `table` after the key `after` (from the start without one), in
    /// key order.
    pub(crate) async fn scan(
        &mut self,
        table: &Table,
        after: Option<&[Value]>,
        limit: usize,
    ) -> Result<Vec<Row>> {
        let columns = table.columns;
        Ok(match self {
            Conn::Sqlite(conn) => {
                let rows = select_query::<Sqlite>(table, columns, after, limit, false)
                    .build()
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter()
                    .map(|r| Sqlite::decode(table.name, r, columns))
                    .collect::<Result<_>>()?
            }
            Conn::Postgres(conn) => {
                let rows = select_query::<Postgres>(table, columns, after, limit, true)
                    .build()
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter()
                    .map(|r| Postgres::decode(table.name, r, columns))
                    .collect::<Result<_>>()?
            }
        })
    }

    /// The key of `table`'s last row in key order.
    pub(crate) async fn last_key(&mut self, table: &Table) -> Result<Option<Row>> {
        let columns = key_columns(table);
        Ok(match self {
            Conn::Sqlite(conn) => {
                let row = last_key_query::<Sqlite>(table, false)
                    .build()
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|r| Sqlite::decode(table.name, &r, &columns))
                    .transpose()?
            }
            Conn::Postgres(conn) => {
                let row = last_key_query::<Postgres>(table, true)
                    .build()
                    .fetch_optional(&mut *conn)
                    .await?;
                row.map(|r| Postgres::decode(table.name, &r, &columns))
                    .transpose()?
            }
        })
    }
}

fn key_columns(table: &Table) -> Vec<Column> {
    table
        .key_positions()
        .into_iter()
        .map(|i| table.columns[i])
        .collect()
}

/// A key column as it is ordered: text by its bytes (`COLLATE "C"` on PostgreSQL, SQLite's
/// default), so that both backends read rows in the same order.
fn key_expression(column: &Column, postgres: bool) -> String {
    if postgres && column.kind == Kind::Text {
        format!("{} COLLATE \"C\"", column.name)
    } else {
        column.name.to_owned()
    }
}

fn select_list(columns: &[Column], postgres: bool) -> String {
    columns
        .iter()
        .map(|c| {
            // INTEGER columns are int4 on PostgreSQL; read every integer as int8.
            if postgres && c.kind == Kind::Int {
                format!("CAST({0} AS BIGINT) AS {0}", c.name)
            } else {
                c.name.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn select_query<'q, DB: Driver>(
    table: &Table,
    columns: &[Column],
    after: Option<&[Value]>,
    limit: usize,
    postgres: bool,
) -> QueryBuilder<'q, DB> {
    let keys = key_columns(table);
    let order: Vec<String> = keys.iter().map(|c| key_expression(c, postgres)).collect();
    let mut q = QueryBuilder::new(format!(
        "SELECT {} FROM {}",
        select_list(columns, postgres),
        table.name
    ));
    if let Some(after) = after {
        q.push(format!(" WHERE ({}) > (", order.join(", ")));
        let mut s = q.separated(", ");
        for (column, value) in keys.iter().zip(after) {
            DB::bind(&mut s, column.kind, value.clone(), true);
        }
        q.push(")");
    }
    q.push(format!(" ORDER BY {} LIMIT {limit}", order.join(", ")));
    q
}

fn last_key_query<'q, DB: Driver>(table: &Table, postgres: bool) -> QueryBuilder<'q, DB> {
    let keys = key_columns(table);
    let order: Vec<String> = keys
        .iter()
        .map(|c| format!("{} DESC", key_expression(c, postgres)))
        .collect();
    QueryBuilder::new(format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT 1",
        select_list(&keys, postgres),
        table.name,
        order.join(", ")
    ))
}

fn insert_query<'q, DB: Driver>(table: &Table, rows: Vec<Row>) -> QueryBuilder<'q, DB> {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let mut q = QueryBuilder::new(format!(
        "INSERT INTO {} ({}) ",
        table.name,
        names.join(", ")
    ));
    q.push_values(rows, |mut s, row| {
        for (column, value) in table.columns.iter().zip(row) {
            let value = if table.deferred.contains(&column.name) {
                Value::Null
            } else {
                value
            };
            DB::bind(&mut s, column.kind, value, true);
        }
    });
    q
}
