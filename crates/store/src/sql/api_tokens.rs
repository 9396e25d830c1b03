//! Personal API tokens (the [`crate::api_tokens::ApiTokens`] trait).

/// Expands the `api_tokens` module, and the `ApiTokens` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! api_tokens {
    () => {
        mod api_tokens {
            use async_trait::async_trait;
            use quire_core::{Preferences, User, UserId};

            use super::S;
            use crate::api_tokens::{
                ApiTokenAccount, ApiTokenInfo, ApiTokens, MAX_TOKENS_PER_USER, NewApiToken,
            };
            use crate::backend::Backend;
            use crate::{Result, StoreError};

            /// A use older than this is recorded again.
            const TOUCH_EVERY_SECS: i64 = 3_600;

            type InfoRow = (i64, String, bool, i64, Option<i64>);
            type AccountRow = (
                i64,
                i64,
                String,
                bool,
                bool,
                bool,
                Option<i64>,
                bool,
                bool,
                bool,
                bool,
                String,
                bool,
            );

            const INFO: &str = "SELECT id, name, can_write, created_at, last_used_at FROM api_tokens";

            fn info(row: InfoRow) -> ApiTokenInfo {
                let (id, name, can_write, created_at, last_used_at) = row;
                ApiTokenInfo {
                    id,
                    name,
                    can_write,
                    created_at,
                    last_used_at,
                }
            }

            #[async_trait]
            impl ApiTokens for S {
                async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiTokenInfo> {
                    let mut tx = super::begin_write(self).await?;
                    let held: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1")
                            .bind(token.user)
                            .fetch_one(&mut *tx)
                            .await?;
                    if held >= MAX_TOKENS_PER_USER {
                        return Err(StoreError::Conflict(format!(
                            "you hold {MAX_TOKENS_PER_USER} tokens already: revoke one first"
                        )));
                    }
                    let row: InfoRow = sqlx::query_as(
                        "INSERT INTO api_tokens (user_id, name, token_hash, can_write, created_at) \
                         VALUES ($1, $2, $3, $4, $5) \
                         RETURNING id, name, can_write, created_at, last_used_at",
                    )
                    .bind(token.user)
                    .bind(&token.name)
                    .bind(&token.token_hash)
                    .bind(token.can_write)
                    .bind(token.now)
                    .fetch_one(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(info(row))
                }

                async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>> {
                    let rows: Vec<InfoRow> =
                        sqlx::query_as(&format!("{INFO} WHERE user_id = $1 ORDER BY id DESC"))
                            .bind(user)
                            .fetch_all(self.reader())
                            .await?;
                    Ok(rows.into_iter().map(info).collect())
                }

                async fn revoke_api_token(&self, user: UserId, id: i64) -> Result<bool> {
                    let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                        .bind(id)
                        .bind(user)
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn api_token_account(
                    &self,
                    token_hash: &str,
                    now: i64,
                ) -> Result<Option<ApiTokenAccount>> {
                    let row: Option<AccountRow> = sqlx::query_as(
                        "SELECT t.id, u.id, u.login, u.is_admin, u.claimed, t.can_write, \
                         t.last_used_at, \
                         COALESCE(p.skip_adult_gate, FALSE), COALESCE(p.hide_warnings, FALSE), \
                         COALESCE(p.hide_freeforms, FALSE), \
                         COALESCE(p.hide_creator_styles, FALSE), COALESCE(p.time_zone, 'UTC'), \
                         COALESCE(p.history_enabled, TRUE) \
                         FROM api_tokens t JOIN users u ON u.id = t.user_id \
                         LEFT JOIN preferences p ON p.user_id = t.user_id \
                         WHERE t.token_hash = $1",
                    )
                    .bind(token_hash)
                    .fetch_optional(self.reader())
                    .await?;
                    let Some(r) = row else { return Ok(None) };
                    if r.6.is_none_or(|used| now - used >= TOUCH_EVERY_SECS) {
                        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                            .bind(now)
                            .bind(r.0)
                            .execute(&mut *super::write_connection(self).await?)
                            .await?;
                    }
                    Ok(Some(ApiTokenAccount {
                        token_id: r.0,
                        user: User {
                            id: r.1,
                            login: r.2,
                            is_admin: r.3,
                            claimed: r.4,
                        },
                        can_write: r.5,
                        preferences: Preferences {
                            skip_adult_gate: r.7,
                            hide_warnings: r.8,
                            hide_freeforms: r.9,
                            hide_creator_styles: r.10,
                            time_zone: r.11,
                            history_enabled: r.12,
                        },
                    }))
                }
            }
        }
    };
}

pub(crate) use api_tokens;
