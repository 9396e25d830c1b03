//! A reader's history (the [`crate::readings::Readings`] trait): one row per reader per work,
//! upserted from batches of visits counted in memory, and AO3's "marked for later".

/// Expands the `readings` module, and the `Readings` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! readings {
    () => {
        mod readings {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use quire_core::{UserId, WorkId};

            use super::S;
            use super::kudos::must_be_posted;
            use crate::backend::Backend;
            use crate::readings::{Reading, Readings, Visit};
            use crate::{Page, Result};

            #[derive(sqlx::FromRow)]
            struct Row {
                work_id: i64,
                first_visited_at: DateTime<Utc>,
                last_visited_at: DateTime<Utc>,
                visits: i64,
                later: bool,
            }

            impl From<Row> for Reading {
                fn from(row: Row) -> Reading {
                    Reading {
                        work_id: row.work_id,
                        first_visited_at: row.first_visited_at,
                        last_visited_at: row.last_visited_at,
                        visits: row.visits,
                        later: row.later,
                    }
                }
            }

            #[async_trait]
            impl Readings for S {
                async fn record_visits(&self, visits: &[Visit]) -> Result<()> {
                    if visits.is_empty() {
                        return Ok(());
                    }
                    let mut tx = super::begin_write(self).await?;
                    for visit in visits {
                        // Works and readers deleted since, and readers who turned their
                        // history off, are left out rather than failing the batch.
                        sqlx::query(
                            "INSERT INTO readings (user_id, work_id, first_visited_at, \
                             last_visited_at, visits, later) \
                             SELECT $1, $2, $3, $3, $4, $5 \
                             WHERE EXISTS (SELECT 1 FROM works WHERE id = $2) \
                               AND EXISTS (SELECT 1 FROM users WHERE id = $1) \
                               AND NOT EXISTS (SELECT 1 FROM preferences \
                                               WHERE user_id = $1 AND NOT history_enabled) \
                             ON CONFLICT (user_id, work_id) DO UPDATE SET \
                             last_visited_at = excluded.last_visited_at, \
                             visits = readings.visits + excluded.visits",
                        )
                        .bind(visit.user)
                        .bind(visit.work)
                        .bind(visit.at)
                        .bind(visit.visits)
                        .bind(false)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn readings(
                    &self,
                    user: UserId,
                    later_only: bool,
                    page: Page,
                ) -> Result<Vec<Reading>> {
                    let rows: Vec<Row> = sqlx::query_as(
                        "SELECT work_id, first_visited_at, last_visited_at, visits, later \
                         FROM readings WHERE user_id = $1 AND (NOT $2 OR later) \
                         ORDER BY last_visited_at DESC, work_id DESC LIMIT $3 OFFSET $4",
                    )
                    .bind(user)
                    .bind(later_only)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(Reading::from).collect())
                }

                async fn mark_for_later(&self, user: UserId, work: WorkId, later: bool) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    must_be_posted(&mut tx, work).await?;
                    if later {
                        sqlx::query(
                            "INSERT INTO readings (user_id, work_id, first_visited_at, \
                             last_visited_at, visits, later) VALUES ($1, $2, $3, $3, $4, $5) \
                             ON CONFLICT (user_id, work_id) DO UPDATE SET later = excluded.later",
                        )
                        .bind(user)
                        .bind(work)
                        .bind(Utc::now())
                        .bind(0_i64)
                        .bind(true)
                        .execute(&mut *tx)
                        .await?;
                    } else {
                        sqlx::query(
                            "UPDATE readings SET later = $1 WHERE user_id = $2 AND work_id = $3",
                        )
                        .bind(false)
                        .bind(user)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_reading(&self, user: UserId, work: WorkId) -> Result<bool> {
                    let done =
                        sqlx::query("DELETE FROM readings WHERE user_id = $1 AND work_id = $2")
                            .bind(user)
                            .bind(work)
                            .execute(&mut *super::write_connection(self).await?)
                            .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn clear_readings(&self, user: UserId) -> Result<u64> {
                    let done = sqlx::query("DELETE FROM readings WHERE user_id = $1")
                        .bind(user)
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(done.rows_affected())
                }
            }
        }
    };
}

pub(crate) use readings;
