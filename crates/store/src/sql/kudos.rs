//! Kudos (the [`crate::interactions::Interactions`] trait): one per account and one per guest
//! per work, counted on the work and re-listed through the outbox.

/// Expands the `kudos` module, and the `Interactions` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! kudos {
    () => {
        mod kudos {
            use async_trait::async_trait;
            use chrono::Utc;
            use quire_core::WorkId;

            use super::{S, Tx, outbox};
            use crate::backend::Backend;
            use crate::interactions::{Hit, Interactions, KudosGiver, KudosList, KudosOutcome};
            use crate::{Change, Result, StoreError};

            /// The giver as the `kudos` table's two columns.
            fn columns(giver: &KudosGiver) -> (Option<i64>, Option<&str>) {
                match giver {
                    KudosGiver::User(user) => (Some(*user), None),
                    KudosGiver::Guest { key } => (None, Some(key.as_str())),
                }
            }

            /// Who left the work's `total` kudos: the accounts by login, newest first, and the
            /// rest counted as guests'.
            pub(crate) async fn kudos_list(
                conn: &mut <super::Db as sqlx::Database>::Connection,
                work: WorkId,
                total: i64,
            ) -> Result<KudosList> {
                let users: Vec<String> = sqlx::query_scalar(
                    "SELECT u.login FROM kudos k JOIN users u ON u.id = k.user_id \
                     WHERE k.work_id = $1 ORDER BY k.id DESC",
                )
                .bind(work)
                .fetch_all(&mut *conn)
                .await?;
                let named = i64::try_from(users.len()).unwrap_or(i64::MAX);
                Ok(KudosList {
                    guests: (total - named).max(0),
                    users,
                })
            }

            /// `NotFound` unless the work exists and is posted: what readers may leave things on.
            pub(crate) async fn must_be_posted(tx: &mut Tx, work: WorkId) -> Result<()> {
                let posted: Option<bool> =
                    sqlx::query_scalar("SELECT posted FROM works WHERE id = $1")
                        .bind(work)
                        .fetch_optional(&mut **tx)
                        .await?;
                match posted {
                    Some(true) => Ok(()),
                    _ => Err(StoreError::NotFound("work")),
                }
            }

            /// What stands between a giver and a counted kudos: the work missing or a draft
            /// (`NotFound`), the giver one of its creators, or their kudos already left.
            /// `None` when the kudos would count.
            async fn refusal<'c, E>(
                conn: E,
                work: WorkId,
                giver: &KudosGiver,
            ) -> Result<Option<KudosOutcome>>
            where
                E: sqlx::Executor<'c, Database = super::Db>,
            {
                let (user, guest_key) = columns(giver);
                let found: Option<(bool, bool, bool)> = sqlx::query_as(
                    "SELECT w.posted, \
                     EXISTS (SELECT 1 FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                             WHERE c.work_id = w.id AND p.user_id = $2), \
                     EXISTS (SELECT 1 FROM kudos k WHERE k.work_id = w.id \
                             AND (k.user_id = $2 OR k.guest_key = $3)) \
                     FROM works w WHERE w.id = $1",
                )
                .bind(work)
                .bind(user)
                .bind(guest_key)
                .fetch_optional(conn)
                .await?;
                match found {
                    Some((true, true, _)) => Ok(Some(KudosOutcome::OwnWork)),
                    Some((true, false, true)) => Ok(Some(KudosOutcome::AlreadyGiven)),
                    Some((true, false, false)) => Ok(None),
                    _ => Err(StoreError::NotFound("work")),
                }
            }

            #[async_trait]
            impl Interactions for S {
                async fn give_kudos(
                    &self,
                    work: WorkId,
                    giver: &KudosGiver,
                ) -> Result<KudosOutcome> {
                    // A second click is answered by a reader, without the writer.
                    if let Some(outcome) = refusal(self.reader(), work, giver).await? {
                        return Ok(outcome);
                    }
                    let mut tx = super::begin_write(self).await?;
                    if let Some(outcome) = refusal(&mut *tx, work, giver).await? {
                        return Ok(outcome);
                    }
                    let (user, guest_key) = columns(giver);
                    let inserted = sqlx::query(
                        "INSERT INTO kudos (work_id, user_id, guest_key, created_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    )
                    .bind(work)
                    .bind(user)
                    .bind(guest_key)
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await?;
                    if inserted.rows_affected() == 0 {
                        return Ok(KudosOutcome::AlreadyGiven);
                    }
                    sqlx::query("UPDATE works SET kudos = kudos + 1 WHERE id = $1")
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "work", &[work], Change::COUNTS).await?;
                    tx.commit().await?;
                    Ok(KudosOutcome::Given)
                }

                async fn record_hits(&self, hits: &[Hit]) -> Result<u64> {
                    super::hits::record_hits(self, hits).await
                }

                async fn kudos(&self, work: WorkId) -> Result<KudosList> {
                    let mut conn = self.reader().acquire().await?;
                    let total: Option<i64> =
                        sqlx::query_scalar("SELECT kudos FROM works WHERE id = $1")
                            .bind(work)
                            .fetch_optional(&mut *conn)
                            .await?;
                    kudos_list(&mut conn, work, total.unwrap_or(0)).await
                }

                async fn has_given_kudos(&self, work: WorkId, giver: &KudosGiver) -> Result<bool> {
                    let (user, guest_key) = columns(giver);
                    let found: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM kudos WHERE work_id = $1 \
                         AND (user_id = $2 OR guest_key = $3) LIMIT 1",
                    )
                    .bind(work)
                    .bind(user)
                    .bind(guest_key)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(found.is_some())
                }
            }
        }
    };
}

pub(crate) use kudos;
