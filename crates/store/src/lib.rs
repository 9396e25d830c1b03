//! Where the archive lives: the [`Store`] trait and its SQLite and PostgreSQL implementations.
//!
//! Both backends run the same SQL (written once in [`sql`]) against their own migrations, and
//! pass one story-test suite. Every write that changes what readers see appends to the `changes`
//! outbox in the same transaction.

mod error;
mod keys;
pub mod postgres;
mod rows;
mod sql;
pub mod sqlite;
mod store;
pub mod testing;

pub use error::StoreError;
pub use keys::name_key;
pub use store::{ArchiveCounts, Change, NewSeries, NewUser, Page, SourceRef, Store, WorkCriteria};

use std::path::Path;
use std::sync::Arc;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens the archive's database: PostgreSQL when `database_url` is a `postgres://` URL, else the
/// SQLite file `quire.db` in `data_dir` (created when missing). Runs pending migrations.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(postgres::PgStore::connect(url).await?))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            Ok(Arc::new(sqlite::SqliteStore::open(Path::new(path)).await?))
        }
        Some(url) => Err(StoreError::Config(format!(
            "unsupported database URL `{}`: use postgres://… or sqlite:PATH",
            keys::redact_url(url)
        ))),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| {
                StoreError::Config(format!(
                    "cannot create the data directory {}: {e}",
                    data_dir.display()
                ))
            })?;
            Ok(Arc::new(
                sqlite::SqliteStore::open(&data_dir.join("quire.db")).await?,
            ))
        }
    }
}
