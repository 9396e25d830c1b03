//! Co-creator requests (the [`crate::co_creators::CoCreators`] trait).

/// Expands the `co_creators` module, and the `CoCreators` implementation, for the backend of
/// the enclosing [`super::expand!`].
macro_rules! co_creators {
    () => {
        mod co_creators {
            use async_trait::async_trait;
            use chrono::Utc;
            use quire_core::{PseudId, UserId, WorkId};

            use super::{S, outbox};
            use crate::backend::Backend;
            use crate::co_creators::{CoCreatorRequest, CoCreators};
            use crate::{Result, StoreError};

            #[derive(sqlx::FromRow)]
            struct RequestRow {
                id: i64,
                work_id: i64,
                work_title: String,
                pseud: String,
                inviter: String,
            }

            #[async_trait]
            impl CoCreators for S {
                async fn invite_co_creators(
                    &self,
                    work: WorkId,
                    inviter: UserId,
                    pseuds: &[PseudId],
                ) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
                        .bind(work)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound("work"));
                    }
                    let now = Utc::now().timestamp();
                    for &pseud in pseuds {
                        let owner: Option<(i64, String)> = sqlx::query_as(
                            "SELECT u.id, u.login FROM pseuds p JOIN users u ON u.id = p.user_id \
                             WHERE p.id = $1",
                        )
                        .bind(pseud)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let Some((owner, login)) = owner else {
                            return Err(StoreError::NotFound("pseud"));
                        };
                        let blocked: Option<i64> = sqlx::query_scalar(
                            "SELECT blocker_id FROM blocks WHERE blocker_id = $1 AND blocked_id = $2",
                        )
                        .bind(owner)
                        .bind(inviter)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if blocked.is_some() {
                            return Err(StoreError::Conflict(format!(
                                "{login} cannot be invited to co-create this work"
                            )));
                        }
                        // A user already credited (under any pseud) is not asked again.
                        sqlx::query(
                            "INSERT INTO creatorship_invitations \
                             (work_id, pseud_id, inviter_id, created_at) \
                             SELECT $1, $2, $3, $4 WHERE NOT EXISTS \
                             (SELECT 1 FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                              WHERE c.work_id = $1 AND p.user_id = $5) \
                             ON CONFLICT (work_id, pseud_id) DO NOTHING",
                        )
                        .bind(work)
                        .bind(pseud)
                        .bind(inviter)
                        .bind(now)
                        .bind(owner)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn co_creator_requests(
                    &self,
                    user: UserId,
                ) -> Result<Vec<CoCreatorRequest>> {
                    let rows: Vec<RequestRow> = sqlx::query_as(
                        "SELECT i.id, i.work_id, w.title AS work_title, p.name AS pseud, \
                         u.login AS inviter FROM creatorship_invitations i \
                         JOIN pseuds p ON p.id = i.pseud_id JOIN works w ON w.id = i.work_id \
                         JOIN users u ON u.id = i.inviter_id \
                         WHERE p.user_id = $1 ORDER BY i.id DESC",
                    )
                    .bind(user)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|r| CoCreatorRequest {
                            id: r.id,
                            work_id: r.work_id,
                            work_title: r.work_title,
                            pseud: r.pseud,
                            inviter: r.inviter,
                        })
                        .collect())
                }

                async fn answer_co_creator_request(
                    &self,
                    user: UserId,
                    request: i64,
                    accept: bool,
                ) -> Result<WorkId> {
                    let mut tx = super::begin_write(self).await?;
                    let found: Option<(i64, i64)> = sqlx::query_as(
                        "SELECT i.work_id, i.pseud_id FROM creatorship_invitations i \
                         JOIN pseuds p ON p.id = i.pseud_id WHERE i.id = $1 AND p.user_id = $2",
                    )
                    .bind(request)
                    .bind(user)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((work, pseud)) = found else {
                        return Err(StoreError::NotFound("co-creator request"));
                    };
                    sqlx::query("DELETE FROM creatorship_invitations WHERE id = $1")
                        .bind(request)
                        .execute(&mut *tx)
                        .await?;
                    if accept {
                        sqlx::query(
                            "INSERT INTO creatorships (work_id, pseud_id, position) \
                             SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM creatorships \
                             WHERE work_id = $1 ON CONFLICT (work_id, pseud_id) DO NOTHING",
                        )
                        .bind(work)
                        .bind(pseud)
                        .execute(&mut *tx)
                        .await?;
                        outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    }
                    tx.commit().await?;
                    Ok(work)
                }

                async fn set_own_pseuds(
                    &self,
                    work: WorkId,
                    user: UserId,
                    pseuds: &[PseudId],
                ) -> Result<()> {
                    if pseuds.is_empty() {
                        return Err(StoreError::Invalid(
                            "a creator is credited under at least one pseud".into(),
                        ));
                    }
                    let mut tx = super::begin_write(self).await?;
                    let own: Vec<i64> =
                        sqlx::query_scalar("SELECT id FROM pseuds WHERE user_id = $1")
                            .bind(user)
                            .fetch_all(&mut *tx)
                            .await?;
                    if pseuds.iter().any(|p| !own.contains(p)) {
                        return Err(StoreError::NotFound("pseud"));
                    }
                    let now: Vec<(i64, i64)> = sqlx::query_as(
                        "SELECT c.pseud_id, p.user_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $1 \
                         ORDER BY c.position, c.pseud_id",
                    )
                    .bind(work)
                    .fetch_all(&mut *tx)
                    .await?;
                    let Some(at) = now.iter().position(|(_, owner)| *owner == user) else {
                        return Err(StoreError::NotFound("creatorship"));
                    };
                    let mut credited: Vec<i64> = now
                        .iter()
                        .filter(|(_, owner)| *owner != user)
                        .map(|(pseud, _)| *pseud)
                        .collect();
                    let mut mine: Vec<i64> = Vec::with_capacity(pseuds.len());
                    for p in pseuds {
                        if !mine.contains(p) {
                            mine.push(*p);
                        }
                    }
                    let unchanged = now
                        .iter()
                        .filter(|(_, owner)| *owner == user)
                        .map(|(pseud, _)| *pseud)
                        .eq(mine.iter().copied());
                    if unchanged {
                        return Ok(());
                    }
                    credited.splice(at..at, mine);
                    sqlx::query("DELETE FROM creatorships WHERE work_id = $1")
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    for (place, pseud) in credited.iter().enumerate() {
                        sqlx::query(
                            "INSERT INTO creatorships (work_id, pseud_id, position) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(work)
                        .bind(pseud)
                        .bind(i32::try_from(place + 1).unwrap_or(i32::MAX))
                        .execute(&mut *tx)
                        .await?;
                    }
                    // A pseud now credited is no longer waiting as an invitation.
                    sqlx::query(
                        "DELETE FROM creatorship_invitations WHERE work_id = $1 AND pseud_id IN \
                         (SELECT id FROM pseuds WHERE user_id = $2)",
                    )
                    .bind(work)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn remove_co_creator(&self, work: WorkId, user: UserId) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let users: Vec<i64> = sqlx::query_scalar(
                        "SELECT DISTINCT p.user_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $1",
                    )
                    .bind(work)
                    .fetch_all(&mut *tx)
                    .await?;
                    if !users.contains(&user) {
                        return Err(StoreError::NotFound("creatorship"));
                    }
                    if users.len() < 2 {
                        return Err(StoreError::Conflict(
                            "you are this work's only creator; delete it instead".into(),
                        ));
                    }
                    sqlx::query(
                        "DELETE FROM creatorships WHERE work_id = $1 AND pseud_id IN \
                         (SELECT id FROM pseuds WHERE user_id = $2)",
                    )
                    .bind(work)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use co_creators;
