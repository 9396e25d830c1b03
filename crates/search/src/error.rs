//! What can go wrong: a query string that means nothing, or an index that cannot be used.

/// A query string or [`crate::WorkQuery`] that cannot be run: the reader's mistake, shown to
/// them as a 400 with the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query string is too long ({len} bytes; at most {max})")]
    TooLong { len: usize, max: usize },
    #[error("unknown search parameter{}: {}", if names.len() == 1 { "" } else { "s" }, names.join(", "))]
    UnknownParameters { names: Vec<String> },
    #[error("`{0}` is given more than once")]
    Repeated(String),
    #[error("`{param}={value}`: expected {expected}")]
    InvalidValue {
        param: String,
        value: String,
        expected: &'static str,
    },
    #[error("`{param}` is {value}: it must be {range}")]
    OutOfRange {
        param: &'static str,
        value: String,
        range: String,
    },
    #[error("at most {max} tag filters can be combined")]
    TooManyTags { max: usize },
    #[error("contradictory filters: {0}")]
    Contradiction(String),
}

impl QueryError {
    /// A stable, machine-readable code for the API.
    pub const fn code(&self) -> &'static str {
        match self {
            QueryError::TooLong { .. } => "query_too_long",
            QueryError::UnknownParameters { .. } => "query_unknown_parameter",
            QueryError::Repeated(_) => "query_repeated_parameter",
            QueryError::InvalidValue { .. } => "query_invalid_value",
            QueryError::OutOfRange { .. } => "query_out_of_range",
            QueryError::TooManyTags { .. } => "query_too_many_tags",
            QueryError::Contradiction(_) => "query_contradiction",
        }
    }
}

/// The index could not be opened, written or read.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("reading the archive for the search index: {0}")]
    Store(#[from] quire_store::StoreError),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
