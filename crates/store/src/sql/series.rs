//! Series: creating them (by hand, or by title as an import meets them) and reading one with
//! its works in order.

/// Expands the `series` module for the backend of the enclosing [`super::expand!`].
macro_rules! series {
    () => {
        mod series {
            use chrono::Utc;
            use quire_core::{Series, SeriesId};

            use super::{S, outbox};
            use crate::Result;
            use crate::backend::Backend;
            use crate::keys::name_key;
            use crate::store::NewSeries;

            pub(crate) async fn create_series(store: &S, series: &NewSeries) -> Result<SeriesId> {
                let mut tx = super::begin_write(store).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO series (title, summary, complete, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&series.title)
                .bind(&series.summary)
                .bind(series.complete)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?;
                outbox::append_changes(&mut tx, "series", &[id], "create").await?;
                tx.commit().await?;
                Ok(id)
            }

            /// The series with the ids of all its works (visible or not), in order.
            pub(crate) async fn series(store: &S, id: SeriesId) -> Result<Option<Series>> {
                let row: Option<(i64, String, Option<String>, Option<String>, bool)> =
                    sqlx::query_as(
                        "SELECT id, title, summary, notes, complete FROM series WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(store.reader())
                    .await?;
                let Some((id, title, summary, notes, complete)) = row else {
                    return Ok(None);
                };
                let work_ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT work_id FROM serial_works WHERE series_id = $1 ORDER BY position, work_id",
                )
                .bind(id)
                .fetch_all(store.reader())
                .await?;
                Ok(Some(Series {
                    id,
                    title,
                    summary,
                    notes,
                    complete,
                    work_ids,
                }))
            }

            /// The series an archive's works name by this title, made when first met.
            pub(crate) async fn archive_series(
                store: &S,
                archive: &str,
                title: &str,
            ) -> Result<SeriesId> {
                let key = name_key(title);
                let mut tx = super::begin_write(store).await?;
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM series WHERE archive = $1 AND title_key = $2 ORDER BY id LIMIT 1",
                )
                .bind(archive)
                .bind(&key)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = found {
                    return Ok(id);
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO series (title, summary, complete, created_at, archive, title_key) \
                     VALUES ($1, NULL, FALSE, $2, $3, $4) RETURNING id",
                )
                .bind(title.trim())
                .bind(Utc::now())
                .bind(archive)
                .bind(&key)
                .fetch_one(&mut *tx)
                .await?;
                outbox::append_changes(&mut tx, "series", &[id], "create").await?;
                tx.commit().await?;
                Ok(id)
            }
        }
    };
}

pub(crate) use series;
