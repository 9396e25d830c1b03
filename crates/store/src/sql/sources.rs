//! Provenance of imported works: the `sources` row each keeps, and finding works again by
//! their source identity (archive + path) so that a re-import skips or updates them.

/// Expands the `sources` module for the backend of the enclosing [`super::expand!`].
macro_rules! sources {
    () => {
        mod sources {
            use chrono::Utc;
            use quire_core::WorkId;
            use quire_core::work::NewSource;
            use sqlx::QueryBuilder;

            use super::{Db, S, Tx};
            use crate::backend::Backend;
            use crate::store::SourceRef;
            use crate::{Result, StoreError};

            /// Stores where a work came from, in the transaction that writes the work.
            pub(crate) async fn insert_source(
                tx: &mut Tx,
                work: WorkId,
                source: &NewSource,
            ) -> Result<()> {
                let fields = serde_json::to_string(&source.fields)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO sources (work_id, archive, path, original_id, content_hash, \
                     fields, original_rating, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(work)
                .bind(&source.archive)
                .bind(&source.path)
                .bind(&source.original_id)
                .bind(&source.content_hash)
                .bind(fields)
                .bind(&source.original_rating)
                .bind(Utc::now())
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// An imported work by its source identity.
            pub(crate) async fn source(
                store: &S,
                archive: &str,
                path: &str,
            ) -> Result<Option<SourceRef>> {
                let row: Option<(i64, String)> = sqlx::query_as(
                    "SELECT work_id, content_hash FROM sources WHERE archive = $1 AND path = $2",
                )
                .bind(archive)
                .bind(path)
                .fetch_optional(store.reader())
                .await?;
                Ok(row.map(|(work_id, content_hash)| SourceRef {
                    work_id,
                    content_hash,
                }))
            }

            /// The imported works of these paths in one archive, 500 paths per statement.
            pub(crate) async fn sources_of(
                store: &S,
                archive: &str,
                paths: &[String],
            ) -> Result<Vec<(String, SourceRef)>> {
                let mut found = Vec::new();
                for chunk in paths.chunks(500) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "SELECT path, work_id, content_hash FROM sources WHERE archive = ",
                    );
                    qb.push_bind(archive);
                    qb.push(" AND path IN (");
                    let mut list = qb.separated(", ");
                    for path in chunk {
                        list.push_bind(path);
                    }
                    qb.push(")");
                    let rows: Vec<(String, i64, String)> =
                        qb.build_query_as().fetch_all(store.reader()).await?;
                    found.extend(rows.into_iter().map(|(path, work_id, content_hash)| {
                        (
                            path,
                            SourceRef {
                                work_id,
                                content_hash,
                            },
                        )
                    }));
                }
                Ok(found)
            }
        }
    };
}

pub(crate) use sources;
