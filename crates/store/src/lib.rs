//! The Store trait with its SQLite and PostgreSQL implementations.
