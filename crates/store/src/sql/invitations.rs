//! The invitation queue and invitation codes (the [`crate::invitations::Invitations`] trait).

/// Expands the `invitations` module, and the `Invitations` implementation, for the backend of
/// the enclosing [`super::expand!`].
macro_rules! invitations {
    () => {
        mod invitations {
            use async_trait::async_trait;
            use quire_core::UserId;

            use super::{S, Tx};
            use crate::admin::Actor;
            use crate::backend::Backend;
            use crate::invitations::{
                InvitationCode, Invitations, Invited, Inviter, QueueStatus, SentInvitation,
            };
            use crate::{Result, StoreError};

            /// Stores the code for `email` (lowercased) and answers its waiting request.
            async fn store_code(
                tx: &mut Tx,
                code_hash: &str,
                email: &str,
                created_by: Option<UserId>,
                now: i64,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO invitations (code_hash, email, created_by, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(code_hash)
                .bind(email)
                .bind(created_by)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                sqlx::query(
                    "UPDATE invitation_requests SET invited_at = $1 \
                     WHERE email = $2 AND invited_at IS NULL",
                )
                .bind(now)
                .bind(email)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// The line every staff invitation writes in the audit log.
            async fn log_invitation(
                tx: &mut Tx,
                by: &Actor,
                action: &str,
                email: &str,
                now: i64,
            ) -> Result<()> {
                super::admin::log(tx, by, action, "invitation", 0, email, "", now).await
            }

            #[async_trait]
            impl Invitations for S {
                async fn queue_status(&self, email: &str) -> Result<QueueStatus> {
                    let email = email.to_lowercase();
                    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
                        "SELECT requested_at, invited_at FROM invitation_requests \
                         WHERE email = $1",
                    )
                    .bind(&email)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(match row {
                        None => QueueStatus::Absent,
                        Some((_, Some(at))) => QueueStatus::Invited { at },
                        Some((requested_at, None)) => {
                            // The queue's order: oldest first, then by address.
                            let position: i64 = sqlx::query_scalar(
                                "SELECT COUNT(*) FROM invitation_requests \
                                 WHERE invited_at IS NULL AND (requested_at < $1 \
                                 OR (requested_at = $1 AND email <= $2))",
                            )
                            .bind(requested_at)
                            .bind(&email)
                            .fetch_one(self.reader())
                            .await?;
                            QueueStatus::Waiting {
                                position,
                                requested_at,
                            }
                        }
                    })
                }

                async fn queue_length(&self) -> Result<i64> {
                    Ok(sqlx::query_scalar(
                        "SELECT COUNT(*) FROM invitation_requests WHERE invited_at IS NULL",
                    )
                    .fetch_one(self.reader())
                    .await?)
                }

                async fn invite_from_queue(
                    &self,
                    by: &Actor,
                    email: &str,
                    code_hash: &str,
                    now: i64,
                ) -> Result<bool> {
                    let email = email.to_lowercase();
                    let mut tx = super::begin_write(self).await?;
                    // Claiming the request first makes a second admin (or a double submit)
                    // find it answered, whoever commits first.
                    let claimed = sqlx::query(
                        "UPDATE invitation_requests SET invited_at = $1 \
                         WHERE email = $2 AND invited_at IS NULL",
                    )
                    .bind(now)
                    .bind(&email)
                    .execute(&mut *tx)
                    .await?;
                    if claimed.rows_affected() == 0 {
                        return Ok(false);
                    }
                    store_code(&mut tx, code_hash, &email, None, now).await?;
                    log_invitation(&mut tx, by, "invite_from_queue", &email, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn invite_address(
                    &self,
                    by: &Inviter,
                    email: &str,
                    code_hash: &str,
                    now: i64,
                ) -> Result<Invited> {
                    let email = email.to_lowercase();
                    let mut tx = super::begin_write(self).await?;
                    let account: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM users WHERE lower(email) = $1",
                    )
                    .bind(&email)
                    .fetch_one(&mut *tx)
                    .await?;
                    if account > 0 {
                        return Ok(Invited::HasAccount);
                    }
                    let open: Option<i64> = sqlx::query_scalar(
                        "SELECT MAX(created_at) FROM invitations \
                         WHERE email = $1 AND used_at IS NULL",
                    )
                    .bind(&email)
                    .fetch_one(&mut *tx)
                    .await?;
                    if let Some(at) = open {
                        return Ok(Invited::AlreadyInvited { at });
                    }
                    let created_by = match by {
                        Inviter::Staff(actor) => {
                            log_invitation(&mut tx, actor, "invite_address", &email, now).await?;
                            None
                        }
                        Inviter::Member(user) => {
                            let spent = sqlx::query(
                                "UPDATE invitation_allowances \
                                 SET invitations_left = invitations_left - 1 \
                                 WHERE user_id = $1 AND invitations_left > 0",
                            )
                            .bind(*user)
                            .execute(&mut *tx)
                            .await?;
                            if spent.rows_affected() == 0 {
                                return Ok(Invited::NoneLeft);
                            }
                            Some(*user)
                        }
                    };
                    store_code(&mut tx, code_hash, &email, created_by, now).await?;
                    tx.commit().await?;
                    Ok(Invited::Sent)
                }

                async fn withdraw_invitation(&self, code_hash: &str) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                        "DELETE FROM invitations WHERE code_hash = $1 AND used_at IS NULL \
                         RETURNING email, created_by",
                    )
                    .bind(code_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((email, created_by)) = row else {
                        return Ok(());
                    };
                    if let Some(email) = email {
                        sqlx::query(
                            "UPDATE invitation_requests SET invited_at = NULL WHERE email = $1",
                        )
                        .bind(email)
                        .execute(&mut *tx)
                        .await?;
                    }
                    if let Some(user) = created_by {
                        sqlx::query(
                            "UPDATE invitation_allowances \
                             SET invitations_left = invitations_left + 1 WHERE user_id = $1",
                        )
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn invitations_left(&self, user: UserId) -> Result<i64> {
                    let left: Option<i64> = sqlx::query_scalar(
                        "SELECT invitations_left FROM invitation_allowances WHERE user_id = $1",
                    )
                    .bind(user)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(left.unwrap_or(0))
                }

                async fn set_invitations_left(
                    &self,
                    by: &Actor,
                    user: UserId,
                    count: i64,
                    now: i64,
                ) -> Result<i64> {
                    let mut tx = super::begin_write(self).await?;
                    let login: String =
                        sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                            .bind(user)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(StoreError::NotFound("user"))?;
                    let had: i64 = sqlx::query_scalar(
                        "SELECT invitations_left FROM invitation_allowances WHERE user_id = $1",
                    )
                    .bind(user)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or(0);
                    if had == count {
                        return Ok(had);
                    }
                    sqlx::query(
                        "INSERT INTO invitation_allowances (user_id, invitations_left) \
                         VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE \
                         SET invitations_left = excluded.invitations_left",
                    )
                    .bind(user)
                    .bind(count)
                    .execute(&mut *tx)
                    .await?;
                    let reason = format!("{count} left (had {had})");
                    super::admin::log(
                        &mut tx,
                        by,
                        "set_invitations",
                        "user",
                        user,
                        &login,
                        &reason,
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(had)
                }

                async fn invitations_sent_by(&self, user: UserId) -> Result<Vec<SentInvitation>> {
                    let rows: Vec<(Option<String>, i64, Option<String>, Option<i64>)> =
                        sqlx::query_as(
                            "SELECT i.email, i.created_at, u.login, i.used_at \
                             FROM invitations i LEFT JOIN users u ON u.id = i.used_by \
                             WHERE i.created_by = $1 \
                             ORDER BY i.created_at DESC, i.email",
                        )
                        .bind(user)
                        .fetch_all(self.reader())
                        .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(email, sent_at, used_by, used_at)| SentInvitation {
                            email: email.unwrap_or_default(),
                            sent_at,
                            used_by,
                            used_at,
                        })
                        .collect())
                }

                async fn invitation(&self, code_hash: &str) -> Result<Option<InvitationCode>> {
                    let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                        "SELECT email, used_at FROM invitations WHERE code_hash = $1",
                    )
                    .bind(code_hash)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(|(email, used_at)| InvitationCode {
                        email,
                        used: used_at.is_some(),
                    }))
                }
            }
        }
    };
}

pub(crate) use invitations;
