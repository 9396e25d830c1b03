//! Claims of imported creators (the [`crate::claims::Claims`] trait): filing one, the admins'
//! queue, the claimant's list, and approving (the creator's pseuds and works move to the
//! claimant, keeping their imported names) or rejecting, each decision with its audit line.

/// Expands the `claims` module, and the `Claims` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! claims {
    () => {
        mod claims {
            use async_trait::async_trait;
            use quire_core::UserId;

            use super::{S, Tx, outbox};
            use crate::admin::Actor;
            use crate::backend::Backend;
            use crate::claims::{Claim, ClaimApproved, ClaimFiled, ClaimStatus, Claims, NewClaim};
            use crate::{Page, Result, StoreError};

            const CLAIMS: &str = "SELECT c.id, c.claimant_id, a.login, c.creator_id, u.login, \
                                  COALESCE(u.archive, ''), c.message, c.status, c.created_at, \
                                  c.decided_at, d.login, c.reason \
                                  FROM creator_claims c \
                                  JOIN users a ON a.id = c.claimant_id \
                                  JOIN users u ON u.id = c.creator_id \
                                  LEFT JOIN users d ON d.id = c.decided_by";

            type ClaimRow = (
                i64,
                i64,
                String,
                i64,
                String,
                String,
                String,
                String,
                i64,
                Option<i64>,
                Option<String>,
                Option<String>,
            );

            fn claim_of(r: ClaimRow) -> Claim {
                Claim {
                    id: r.0,
                    claimant: r.1,
                    claimant_login: r.2,
                    creator: r.3,
                    creator_login: r.4,
                    archive: r.5,
                    message: r.6,
                    status: ClaimStatus::parse(&r.7).unwrap_or(ClaimStatus::Open),
                    created_at: r.8,
                    decided_at: r.9,
                    decided_by: r.10,
                    reason: r.11,
                }
            }

            /// The open claim's (claimant, creator, creator's login);
            /// `None` when it is decided already.
            async fn open_claim(tx: &mut Tx, id: i64) -> Result<Option<(i64, i64, String)>> {
                let found: Option<(i64, i64, String, String)> = sqlx::query_as(
                    "SELECT c.claimant_id, c.creator_id, u.login, c.status FROM creator_claims c \
                     JOIN users u ON u.id = c.creator_id WHERE c.id = $1",
                )
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
                let (claimant, creator, login, status) =
                    found.ok_or(StoreError::NotFound("claim"))?;
                Ok((status == ClaimStatus::Open.as_str()).then_some((claimant, creator, login)))
            }

            /// Closes an open claim; false when another decision got there first.
            async fn decide(
                tx: &mut Tx,
                id: i64,
                status: ClaimStatus,
                by: &Actor,
                reason: Option<&str>,
                now: i64,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE creator_claims SET status = $1, decided_at = $2, decided_by = $3, \
                     reason = $4 WHERE id = $5 AND status = $6",
                )
                .bind(status.as_str())
                .bind(now)
                .bind(by.user)
                .bind(reason)
                .bind(id)
                .bind(ClaimStatus::Open.as_str())
                .execute(&mut **tx)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            #[allow(clippy::too_many_arguments)]
            async fn log(
                tx: &mut Tx,
                by: &Actor,
                action: &str,
                id: i64,
                target: &str,
                reason: &str,
                now: i64,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor_id, actor, action, target_kind, target_id, \
                     target, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(now)
                .bind(by.user)
                .bind(&by.name)
                .bind(action)
                .bind("claim")
                .bind(id)
                .bind(target)
                .bind(reason)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Moves the creator's pseuds to the claimant: each keeps its imported name, or
            /// is merged into the claimant's pseud of the same name.
            async fn move_pseuds(tx: &mut Tx, creator: UserId, claimant: UserId) -> Result<()> {
                let pseuds: Vec<(i64, String)> =
                    sqlx::query_as("SELECT id, name_key FROM pseuds WHERE user_id = $1")
                        .bind(creator)
                        .fetch_all(&mut **tx)
                        .await?;
                for (pseud, key) in pseuds {
                    let same: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM pseuds WHERE user_id = $1 AND name_key = $2",
                    )
                    .bind(claimant)
                    .bind(&key)
                    .fetch_optional(&mut **tx)
                    .await?;
                    if let Some(same) = same {
                        sqlx::query(
                            "INSERT INTO creatorships (work_id, pseud_id, position) \
                             SELECT work_id, $1, position FROM creatorships WHERE pseud_id = $2 \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(same)
                        .bind(pseud)
                        .execute(&mut **tx)
                        .await?;
                        sqlx::query("DELETE FROM creatorships WHERE pseud_id = $1")
                            .bind(pseud)
                            .execute(&mut **tx)
                            .await?;
                        sqlx::query("DELETE FROM pseuds WHERE id = $1")
                            .bind(pseud)
                            .execute(&mut **tx)
                            .await?;
                    } else {
                        sqlx::query(
                            "UPDATE pseuds SET user_id = $1, is_default = $2 WHERE id = $3",
                        )
                        .bind(claimant)
                        .bind(false)
                        .bind(pseud)
                        .execute(&mut **tx)
                        .await?;
                    }
                }
                Ok(())
            }

            #[async_trait]
            impl Claims for S {
                async fn file_claim(&self, claim: &NewClaim<'_>) -> Result<ClaimFiled> {
                    let mut tx = super::begin_write(self).await?;
                    let claimable: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM users WHERE id = $1 AND archive IS NOT NULL \
                         AND NOT claimed AND id <> $2",
                    )
                    .bind(claim.creator)
                    .bind(claim.claimant)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if claimable.is_none() {
                        return Ok(ClaimFiled::NotClaimable);
                    }
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO creator_claims (claimant_id, creator_id, message, status, \
                         created_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (claimant_id, creator_id) WHERE status = 'open' DO NOTHING \
                         RETURNING id",
                    )
                    .bind(claim.claimant)
                    .bind(claim.creator)
                    .bind(claim.message)
                    .bind(ClaimStatus::Open.as_str())
                    .bind(claim.now)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(id) = id {
                        tx.commit().await?;
                        return Ok(ClaimFiled::Filed(id));
                    }
                    let open: i64 = sqlx::query_scalar(
                        "SELECT id FROM creator_claims WHERE claimant_id = $1 AND creator_id = $2 \
                         AND status = $3",
                    )
                    .bind(claim.claimant)
                    .bind(claim.creator)
                    .bind(ClaimStatus::Open.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                    Ok(ClaimFiled::AlreadyOpen(open))
                }

                async fn claim(&self, id: i64) -> Result<Option<Claim>> {
                    let row: Option<ClaimRow> =
                        sqlx::query_as(&format!("{CLAIMS} WHERE c.id = $1"))
                            .bind(id)
                            .fetch_optional(self.reader())
                            .await?;
                    Ok(row.map(claim_of))
                }

                async fn claims(&self, status: ClaimStatus, page: Page) -> Result<Vec<Claim>> {
                    let order = if status == ClaimStatus::Open { "ASC" } else { "DESC" };
                    let rows: Vec<ClaimRow> = sqlx::query_as(&format!(
                        "{CLAIMS} WHERE c.status = $1 ORDER BY c.id {order} LIMIT $2 OFFSET $3"
                    ))
                    .bind(status.as_str())
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(claim_of).collect())
                }

                async fn claims_by(&self, claimant: UserId) -> Result<Vec<Claim>> {
                    let rows: Vec<ClaimRow> = sqlx::query_as(&format!(
                        "{CLAIMS} WHERE c.claimant_id = $1 ORDER BY c.id DESC"
                    ))
                    .bind(claimant)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(claim_of).collect())
                }

                async fn approve_claim(
                    &self,
                    by: &Actor,
                    id: i64,
                    now: i64,
                ) -> Result<Option<ClaimApproved>> {
                    let mut tx = super::begin_write(self).await?;
                    let Some((claimant, creator, login)) = open_claim(&mut tx, id).await? else {
                        return Ok(None);
                    };
                    if !decide(&mut tx, id, ClaimStatus::Approved, by, None, now).await? {
                        return Ok(None);
                    }
                    let works: Vec<i64> = sqlx::query_scalar(
                        "SELECT DISTINCT c.work_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1 \
                         ORDER BY c.work_id",
                    )
                    .bind(creator)
                    .fetch_all(&mut *tx)
                    .await?;
                    move_pseuds(&mut tx, creator, claimant).await?;
                    sqlx::query("UPDATE users SET claimed = $1 WHERE id = $2")
                        .bind(true)
                        .bind(creator)
                        .execute(&mut *tx)
                        .await?;
                    // The creator is someone's now: nobody else's claim on it can succeed.
                    sqlx::query(
                        "UPDATE creator_claims SET status = $1, decided_at = $2, decided_by = $3, \
                         reason = $4 WHERE creator_id = $5 AND status = $6",
                    )
                    .bind(ClaimStatus::Rejected.as_str())
                    .bind(now)
                    .bind(by.user)
                    .bind("The creator was claimed by another account.")
                    .bind(creator)
                    .bind(ClaimStatus::Open.as_str())
                    .execute(&mut *tx)
                    .await?;
                    log(&mut tx, by, "approve_claim", id, &login, "", now).await?;
                    outbox::append_changes(&mut tx, "work", &works, "update").await?;
                    tx.commit().await?;
                    Ok(Some(ClaimApproved { claimant, works }))
                }

                async fn reject_claim(
                    &self,
                    by: &Actor,
                    id: i64,
                    reason: &str,
                    now: i64,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let Some((_, _, login)) = open_claim(&mut tx, id).await? else {
                        return Ok(false);
                    };
                    if !decide(&mut tx, id, ClaimStatus::Rejected, by, Some(reason), now).await? {
                        return Ok(false);
                    }
                    log(&mut tx, by, "reject_claim", id, &login, reason, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }
            }
        }
    };
}

pub(crate) use claims;
