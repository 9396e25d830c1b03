//! What series' creators do to them (the [`crate::series_edits::SeriesEditing`] trait): make
//! one, add works at the end, edit, reorder, remove a work, delete.

/// Expands the `series_edits` module, and the `SeriesEditing` implementation, for the backend
/// of the enclosing [`super::expand!`].
macro_rules! series_edits {
    () => {
        mod series_edits {
            use async_trait::async_trait;
            use chrono::Utc;
            use quire_core::{SeriesId, UserId, WorkId};

            use super::{S, Tx, inbox, outbox};
            use crate::backend::Backend;
            use crate::series_edits::{SeriesEdit, SeriesEditing};
            use crate::store::{NewSeries, SeriesSummary};
            use crate::{Result, StoreError};

            /// The series' creators: those recorded, and the creators of its works (`$1` is
            /// the series).
            const CREATORS: &str = "SELECT user_id FROM series_creators WHERE series_id = $1 \
                 UNION SELECT p.user_id FROM serial_works sw \
                 JOIN creatorships c ON c.work_id = sw.work_id \
                 JOIN pseuds p ON p.id = c.pseud_id WHERE sw.series_id = $1";

            /// The series' works in order; `NotFound` when there is no such series.
            async fn works_of(tx: &mut Tx, series: SeriesId) -> Result<Vec<WorkId>> {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM series WHERE id = $1")
                    .bind(series)
                    .fetch_optional(&mut **tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::NotFound("series"));
                }
                Ok(sqlx::query_scalar(
                    "SELECT work_id FROM serial_works WHERE series_id = $1 \
                     ORDER BY position, work_id",
                )
                .bind(series)
                .fetch_all(&mut **tx)
                .await?)
            }

            /// Numbers the works 1, 2, … in this order.
            async fn renumber(tx: &mut Tx, series: SeriesId, order: &[WorkId]) -> Result<()> {
                for (position, work) in (1_i32..).zip(order) {
                    sqlx::query(
                        "UPDATE serial_works SET position = $1 WHERE series_id = $2 AND work_id = $3",
                    )
                    .bind(position)
                    .bind(series)
                    .bind(work)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            /// The outbox entries of a change to the series: the series, and its works, whose
            /// pages show where they stand in it.
            async fn changed(tx: &mut Tx, series: SeriesId, works: &[WorkId]) -> Result<()> {
                outbox::append_changes(tx, "series", &[series], "update").await?;
                outbox::append_changes(tx, "work", works, "update").await
            }

            #[async_trait]
            impl SeriesEditing for S {
                async fn create_own_series(
                    &self,
                    series: &NewSeries,
                    creator: UserId,
                ) -> Result<SeriesId> {
                    let mut tx = super::begin_write(self).await?;
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
                    sqlx::query("INSERT INTO series_creators (series_id, user_id) VALUES ($1, $2)")
                        .bind(id)
                        .bind(creator)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "series", &[id], "create").await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn series_of_creator(&self, user: UserId) -> Result<Vec<SeriesSummary>> {
                    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                        "SELECT s.id, s.title, \
                         (SELECT COUNT(*) FROM serial_works x WHERE x.series_id = s.id) \
                         FROM series s WHERE s.id IN \
                         (SELECT series_id FROM series_creators WHERE user_id = $1 \
                          UNION SELECT sw.series_id FROM serial_works sw \
                          JOIN creatorships c ON c.work_id = sw.work_id \
                          JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1) \
                         ORDER BY s.title, s.id",
                    )
                    .bind(user)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, title, works)| SeriesSummary { id, title, works })
                        .collect())
                }

                async fn is_series_creator(&self, series: SeriesId, user: UserId) -> Result<bool> {
                    let n: i64 = sqlx::query_scalar(&format!(
                        "SELECT COUNT(*) FROM ({CREATORS}) c WHERE c.user_id = $2"
                    ))
                    .bind(series)
                    .bind(user)
                    .fetch_one(self.reader())
                    .await?;
                    Ok(n > 0)
                }

                async fn add_to_series(&self, series: SeriesId, work: WorkId) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let mut works = works_of(&mut tx, series).await?;
                    if works.contains(&work) {
                        return Ok(false);
                    }
                    let posted: Option<bool> =
                        sqlx::query_scalar("SELECT posted FROM works WHERE id = $1")
                            .bind(work)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let Some(posted) = posted else {
                        return Err(StoreError::NotFound("work"));
                    };
                    let position = i32::try_from(works.len() + 1).unwrap_or(i32::MAX);
                    sqlx::query(
                        "INSERT INTO serial_works (series_id, work_id, position) VALUES ($1, $2, $3)",
                    )
                    .bind(series)
                    .bind(work)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO series_creators (series_id, user_id) \
                         SELECT DISTINCT $1, p.user_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $2 \
                         ON CONFLICT (series_id, user_id) DO NOTHING",
                    )
                    .bind(series)
                    .bind(work)
                    .execute(&mut *tx)
                    .await?;
                    if posted {
                        inbox::work_joined_series(&mut tx, work, series).await?;
                    }
                    works.push(work);
                    changed(&mut tx, series, &works).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn edit_series(&self, series: SeriesId, edit: &SeriesEdit) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let works = works_of(&mut tx, series).await?;
                    sqlx::query(
                        "UPDATE series SET title = $1, summary = $2, notes = $3, complete = $4 \
                         WHERE id = $5",
                    )
                    .bind(&edit.title)
                    .bind(&edit.summary)
                    .bind(&edit.notes)
                    .bind(edit.complete)
                    .bind(series)
                    .execute(&mut *tx)
                    .await?;
                    changed(&mut tx, series, &works).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn reorder_series(&self, series: SeriesId, order: &[WorkId]) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let works = works_of(&mut tx, series).await?;
                    let (mut now, mut wanted) = (works.clone(), order.to_vec());
                    now.sort_unstable();
                    wanted.sort_unstable();
                    if now != wanted {
                        return Err(StoreError::Invalid(format!(
                            "the new order must name each of the series' {} works once",
                            now.len()
                        )));
                    }
                    renumber(&mut tx, series, order).await?;
                    changed(&mut tx, series, &works).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn remove_from_series(
                    &self,
                    series: SeriesId,
                    work: WorkId,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let mut works = works_of(&mut tx, series).await?;
                    if !works.contains(&work) {
                        return Ok(false);
                    }
                    sqlx::query("DELETE FROM serial_works WHERE series_id = $1 AND work_id = $2")
                        .bind(series)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    let all = works.clone();
                    works.retain(|w| *w != work);
                    renumber(&mut tx, series, &works).await?;
                    changed(&mut tx, series, &all).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn delete_series(&self, series: SeriesId) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let works = match works_of(&mut tx, series).await {
                        Ok(works) => works,
                        Err(StoreError::NotFound(_)) => return Ok(false),
                        Err(e) => return Err(e),
                    };
                    sqlx::query("DELETE FROM series WHERE id = $1")
                        .bind(series)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "series", &[series], "delete").await?;
                    outbox::append_changes(&mut tx, "work", &works, "update").await?;
                    tx.commit().await?;
                    Ok(true)
                }
            }
        }
    };
}

pub(crate) use series_edits;
