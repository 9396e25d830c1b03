//! What can go wrong in the store, with stable codes.

/// A store error. Messages are one line and say what to do where that helps.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(String),
    #[error("cannot reach the database: {0}")]
    Unreachable(String),
    #[error("{0} is not a Quire database (or it is corrupt): {1}")]
    Corrupt(String, String),
    #[error(
        "the database was migrated by a newer Quire (schema version {0}); upgrade quire or use another data directory"
    )]
    NewerSchema(i64),
    #[error("migration failed, nothing was changed: {0}")]
    Migration(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is invalid: {0}")]
    Invalid(String),
    #[error(
        "the copy differs from its source in {0}; nothing was removed, run it again with --force"
    )]
    CopyMismatch(String),
    #[error("{0}")]
    Backup(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Wrangling(#[from] crate::wrangling::WranglingError),
}

impl StoreError {
    /// Stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            StoreError::Config(_) => "database_config",
            StoreError::Unreachable(_) => "database_unreachable",
            StoreError::Corrupt(..) => "database_corrupt",
            StoreError::NewerSchema(_) => "database_newer",
            StoreError::Migration(_) => "migration_failed",
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::Invalid(_) => "stored_data_invalid",
            StoreError::CopyMismatch(_) => "copy_mismatch",
            StoreError::Backup(_) => "backup_invalid",
            StoreError::Database(_) => "database_error",
            StoreError::Wrangling(e) => e.code(),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::NewerSchema(v),
            other => StoreError::Migration(other.to_string()),
        }
    }
}
