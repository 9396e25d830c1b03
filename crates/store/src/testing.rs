//! Throwaway databases for tests: a SQLite file in a temp dir, or a fresh schema on the
//! PostgreSQL server named by `QUIRE_TEST_DATABASE_URL`.
//!
//! Without a server the PostgreSQL tests are skipped with one visible line, unless
//! `QUIRE_REQUIRE_POSTGRES=1` (set in CI) makes a missing server a failure.

use std::io::Write;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::Store;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;

/// The server the PostgreSQL tests use unless `QUIRE_TEST_DATABASE_URL` names another.
pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A test database; dropping it removes the database (temp dir or schema).
pub struct TestDb {
    pub store: Arc<dyn Store>,
    /// Keeps the SQLite file's folder alive.
    pub dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

impl TestDb {
    /// A fresh SQLite archive in a temp dir.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("quire.db"))
            .await
            .expect("open sqlite store");
        TestDb {
            store: Arc::new(store),
            dir: Some(dir),
            schema: None,
        }
    }

    /// A fresh schema on the test server, or `None` (after saying so once) when no server answers
    /// and `QUIRE_REQUIRE_POSTGRES` is not set.
    pub async fn postgres() -> Option<TestDb> {
        let url = database_url();
        let options = match PgConnectOptions::from_str(&url) {
            Ok(o) => o,
            Err(e) => panic!("QUIRE_TEST_DATABASE_URL is not a PostgreSQL URL ({url}): {e}"),
        };
        let mut admin = match PgConnection::connect_with(&options).await {
            Ok(conn) => conn,
            Err(e) => {
                if std::env::var("QUIRE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!("QUIRE_REQUIRE_POSTGRES=1 but no PostgreSQL answers at {url}: {e}");
                }
                announce_skip(&url);
                return None;
            }
        };
        let schema = unique_schema();
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create test schema");
        drop(admin.close().await);
        let store = PgStore::connect_with(options.options([("search_path", schema.as_str())]))
            .await
            .expect("open postgres store");
        Some(TestDb {
            store: Arc::new(store),
            dir: None,
            schema: Some((url, schema)),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((url, schema)) = self.schema.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(&url).await.ok()?;
                sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
        drop(dropped);
    }
}

impl TestDb {
    /// A database URL for this test database that another process (`quire … --database-url`)
    /// can open: the server's URL with the test schema as its search path. `None` for SQLite.
    pub fn url(&self) -> Option<String> {
        let (url, schema) = self.schema.as_ref()?;
        let separator = if url.contains('?') { '&' } else { '?' };
        Some(format!("{url}{separator}options[search_path]={schema}"))
    }
}

/// The URL of the PostgreSQL server for tests.
pub fn database_url() -> String {
    std::env::var("QUIRE_TEST_DATABASE_URL")
        .unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned())
}

fn unique_schema() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "quire_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn announce_skip(url: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Written to stderr directly: the test harness captures eprintln!.
        let _ = writeln!(
            std::io::stderr(),
            "postgres story tests skipped: no server at {url}; start one or set QUIRE_TEST_DATABASE_URL"
        );
    });
}
