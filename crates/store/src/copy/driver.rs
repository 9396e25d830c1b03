//! What differs between the drivers for a copy: binding a [`Value`] of a column's kind and
//! reading one back. Implemented once, by a short macro, for SQLite and PostgreSQL.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::query_builder::Separated;
use sqlx::{Database, Row as _};

use super::tables::Column;
use super::value::{Kind, Row, Value};
use crate::{Result, StoreError};

/// A driver a copy can read from and write to.
pub(crate) trait Driver: Database {
    /// Binds `value` (a NULL typed by `kind`), as the next of a separated list or, with
    /// `separated` false, right after what was pushed last.
    fn bind<Sep: Display>(
        s: &mut Separated<'_, '_, Self, Sep>,
        kind: Kind,
        value: Value,
        separated: bool,
    );

    /// Reads `columns` of `row`, of `table`.
    fn decode(table: &str, row: &Self::Row, columns: &[Column]) -> Result<Row>;
}

macro_rules! driver {
    ($db:ty) => {
        impl Driver for $db {
            fn bind<Sep: Display>(
                s: &mut Separated<'_, '_, Self, Sep>,
                kind: Kind,
                value: Value,
                separated: bool,
            ) {
                macro_rules! put {
                    ($v:expr) => {
                        if separated {
                            s.push_bind($v);
                        } else {
                            s.push_bind_unseparated($v);
                        }
                    };
                }
                match (value, kind) {
                    (Value::Int(v), _) => put!(v),
                    (Value::Text(v), _) => put!(v),
                    (Value::Bool(v), _) => put!(v),
                    (Value::Date(v), _) => put!(v),
                    (Value::Timestamp(v), _) => put!(v),
                    (Value::Null, Kind::Int) => put!(None::<i64>),
                    (Value::Null, Kind::Text) => put!(None::<String>),
                    (Value::Null, Kind::Bool) => put!(None::<bool>),
                    (Value::Null, Kind::Date) => put!(None::<NaiveDate>),
                    (Value::Null, Kind::Timestamp) => put!(None::<DateTime<Utc>>),
                }
            }

            fn decode(table: &str, row: &Self::Row, columns: &[Column]) -> Result<Row> {
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let value = match c.kind {
                            Kind::Int => {
                                row.try_get::<Option<i64>, _>(i).map(|v| v.map(Value::Int))
                            }
                            Kind::Text => row
                                .try_get::<Option<String>, _>(i)
                                .map(|v| v.map(Value::Text)),
                            Kind::Bool => row
                                .try_get::<Option<bool>, _>(i)
                                .map(|v| v.map(Value::Bool)),
                            Kind::Date => row
                                .try_get::<Option<NaiveDate>, _>(i)
                                .map(|v| v.map(Value::Date)),
                            Kind::Timestamp => row
                                .try_get::<Option<DateTime<Utc>>, _>(i)
                                .map(|v| v.map(Value::timestamp)),
                        };
                        value
                            .map(|v| v.unwrap_or(Value::Null))
                            .map_err(|e| StoreError::Invalid(format!("{table}.{}: {e}", c.name)))
                    })
                    .collect()
            }
        }
    };
}

driver!(sqlx::Sqlite);
driver!(sqlx::Postgres);
