//! `quire copy`'s table list against the migrations of both backends: a migration that adds a
//! table or a column, or changes a key, a type or a foreign key, fails here until
//! `copy/tables.rs` says how to copy it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use quire_store::copy::{Kind, TABLES};
use quire_store::testing::TestDb;
use sqlx::Row as _;

fn listed(name: &str) -> &'static quire_store::copy::Table {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("table `{name}` is missing from copy/tables.rs"))
}

fn position(name: &str) -> usize {
    TABLES.iter().position(|t| t.name == name).unwrap()
}

#[tokio::test]
async fn the_copy_list_names_every_sqlite_table_column_key_and_parent_first() {
    let db = TestDb::sqlite().await;
    let path = db.dir.as_ref().unwrap().path().join("quire.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let names: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let expected: BTreeSet<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
    assert_eq!(names, expected, "tables in the schema vs copy/tables.rs");

    for table in TABLES {
        let columns = sqlx::query(&format!(
            "SELECT name, type, pk FROM pragma_table_info('{}') ORDER BY cid",
            table.name
        ))
        .fetch_all(&pool)
        .await
        .unwrap();
        let schema: Vec<(String, String)> = columns
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect();
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|r| r.get::<i64, _>(2) > 0)
            .map(|r| (r.get::<i64, _>(2), r.get::<String, _>(0)))
            .collect();
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, n)| n).collect();
        assert_eq!(key, table.key, "{}: primary key", table.name);
        assert_eq!(
            schema.len(),
            table.columns.len(),
            "{}: columns {schema:?}",
            table.name
        );
        for ((name, declared), column) in schema.iter().zip(table.columns) {
            assert_eq!(name, column.name, "{}: column order", table.name);
            let stored_as = match column.kind {
                Kind::Int => "INTEGER",
                Kind::Bool => "BOOLEAN",
                Kind::Text | Kind::Date | Kind::Timestamp => "TEXT",
            };
            assert_eq!(declared, stored_as, "{}.{name}", table.name);
        }
        let parents = sqlx::query(&format!(
            "SELECT \"table\", \"from\" FROM pragma_foreign_key_list('{}')",
            table.name
        ))
        .fetch_all(&pool)
        .await
        .unwrap();
        for parent in parents {
            let (parent, column): (String, String) = (parent.get(0), parent.get(1));
            if parent == table.name {
                assert!(
                    table.deferred.contains(&column.as_str()),
                    "{}.{column} refers to its own table: list it as deferred",
                    table.name
                );
            } else {
                assert!(
                    position(&parent) < position(table.name),
                    "{} must come after its parent {parent}",
                    table.name
                );
            }
        }
    }
}

#[tokio::test]
async fn the_copy_list_matches_the_postgres_types_and_identity_columns() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let pool = sqlx::PgPool::connect(&db.url().unwrap()).await.unwrap();
    let names: BTreeSet<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let expected: BTreeSet<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
    assert_eq!(names, expected, "tables in the schema vs copy/tables.rs");
    for table in TABLES {
        let columns = sqlx::query(
            "SELECT column_name::text, data_type::text, is_identity::text \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table.name)
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            columns.len(),
            table.columns.len(),
            "{}: columns",
            table.name
        );
        let _ = listed(table.name);
        for (row, column) in columns.iter().zip(table.columns) {
            let (name, data_type, identity): (String, String, String) =
                (row.get(0), row.get(1), row.get(2));
            assert_eq!(name, column.name, "{}: column order", table.name);
            let kind = match data_type.as_str() {
                "bigint" | "integer" => Kind::Int,
                "text" => Kind::Text,
                "boolean" => Kind::Bool,
                "date" => Kind::Date,
                "timestamp with time zone" => Kind::Timestamp,
                other => panic!("{}.{name}: no copy kind for {other}", table.name),
            };
            assert_eq!(kind, column.kind, "{}.{name}", table.name);
            assert_eq!(
                identity == "YES",
                table.identity == Some(column.name),
                "{}.{name}: identity",
                table.name
            );
        }
    }
    pool.close().await;
}
