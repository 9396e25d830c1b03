//! Accounts: signing up, sessions, log-in throttles, password resets, preferences, roles,
//! invitations and deleting accounts (the [`crate::accounts::Accounts`] trait).

/// Expands the `accounts` module, and the `Accounts` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! accounts {
    () => {
        mod accounts {
            use async_trait::async_trait;
            use quire_core::{Preferences, Role, User, UserId, WorkId};

            use super::{S, Tx, creators, outbox};
            use crate::accounts::{
                Accounts, Credentials, InvitationRequest, LoginLock, NewSession,
                ORPHAN_ACCOUNT, SessionAccount, ThrottlePolicy, WorksOnDeletion,
            };
            use crate::admin::SanctionKind;
            use crate::backend::Backend;
            use crate::subscriptions::Following;
            use crate::rows::UserRow;
            use crate::store::NewUser;
            use crate::{Result, StoreError};

            type CredentialsRow = (i64, String, bool, bool, Option<String>, Option<String>);
            /// One row of [`Accounts::session`]: the account, with one creator it muted (or
            /// none).
            #[derive(sqlx::FromRow)]
            struct SessionRow {
                id: i64,
                login: String,
                is_admin: bool,
                claimed: bool,
                created_at: i64,
                last_seen_at: i64,
                expires_at: i64,
                skip_adult_gate: bool,
                hide_warnings: bool,
                hide_freeforms: bool,
                hide_creator_styles: bool,
                time_zone: String,
                history_enabled: bool,
                unread: i64,
                subscribed: bool,
                later: bool,
                sanction: Option<String>,
                sanction_until: Option<i64>,
                muted: Option<i64>,
            }

            type PreferencesRow = (bool, bool, bool, bool, String, bool);

            const CREDENTIALS: &str =
                "SELECT id, login, is_admin, claimed, email, password_hash FROM users";

            fn credentials(row: CredentialsRow) -> Credentials {
                let (id, login, is_admin, claimed, email, password_hash) = row;
                Credentials {
                    user: User {
                        id,
                        login,
                        is_admin,
                        claimed,
                    },
                    email,
                    password_hash,
                }
            }

            fn preferences(row: PreferencesRow) -> Preferences {
                let (
                    skip_adult_gate,
                    hide_warnings,
                    hide_freeforms,
                    hide_creator_styles,
                    tz,
                    history_enabled,
                ) = row;
                Preferences {
                    skip_adult_gate,
                    hide_warnings,
                    hide_freeforms,
                    hide_creator_styles,
                    time_zone: tz,
                    history_enabled,
                }
            }

            async fn email_taken(tx: &mut Tx, email: &str, other_than: UserId) -> Result<bool> {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM users WHERE lower(email) = lower($1) AND id <> $2",
                )
                .bind(email)
                .bind(other_than)
                .fetch_optional(&mut **tx)
                .await?;
                Ok(found.is_some())
            }

            /// The default pseud of `orphan_account`, made the first time it is needed.
            async fn orphan_pseud(tx: &mut Tx) -> Result<i64> {
                let find = "SELECT p.id FROM pseuds p JOIN users u ON u.id = p.user_id \
                            WHERE u.login = $1 ORDER BY p.is_default DESC, p.id LIMIT 1";
                let found: Option<i64> = sqlx::query_scalar(find)
                    .bind(ORPHAN_ACCOUNT)
                    .fetch_optional(&mut **tx)
                    .await?;
                if let Some(id) = found {
                    return Ok(id);
                }
                let orphan = NewUser {
                    login: ORPHAN_ACCOUNT.to_owned(),
                    ..NewUser::default()
                };
                creators::insert_user_tx(tx, &orphan, None).await?;
                Ok(sqlx::query_scalar(find)
                    .bind(ORPHAN_ACCOUNT)
                    .fetch_one(&mut **tx)
                    .await?)
            }

            #[async_trait]
            impl Accounts for S {
                async fn create_account(
                    &self,
                    user: &NewUser,
                    invitation: Option<&str>,
                    now: i64,
                ) -> Result<User> {
                    let mut tx = super::begin_write(self).await?;
                    let taken: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM users WHERE lower(login) = lower($1)")
                            .bind(&user.login)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if taken.is_some() {
                        return Err(StoreError::Conflict(format!(
                            "the login `{}` is taken",
                            user.login
                        )));
                    }
                    if let Some(email) = &user.email {
                        if email_taken(&mut tx, email, 0).await? {
                            return Err(StoreError::Conflict(format!(
                                "the e-mail address `{email}` belongs to another account"
                            )));
                        }
                    }
                    let created = creators::insert_user_tx(&mut tx, user, None).await?;
                    if let Some(code_hash) = invitation {
                        let used = sqlx::query(
                            "UPDATE invitations SET used_by = $1, used_at = $2 \
                             WHERE code_hash = $3 AND used_at IS NULL",
                        )
                        .bind(created.id)
                        .bind(now)
                        .bind(code_hash)
                        .execute(&mut *tx)
                        .await?;
                        if used.rows_affected() == 0 {
                            return Err(StoreError::Conflict(
                                "the invitation code is unknown or already used".to_owned(),
                            ));
                        }
                    }
                    tx.commit().await?;
                    Ok(created)
                }

                async fn credentials(&self, login_or_email: &str) -> Result<Option<Credentials>> {
                    let row: Option<CredentialsRow> = sqlx::query_as(&format!(
                        "{CREDENTIALS} WHERE lower(login) = lower($1) OR lower(email) = lower($1) \
                         ORDER BY CASE WHEN lower(login) = lower($1) THEN 0 ELSE 1 END LIMIT 1"
                    ))
                    .bind(login_or_email)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(credentials))
                }

                async fn credentials_of(&self, user: UserId) -> Result<Option<Credentials>> {
                    let row: Option<CredentialsRow> =
                        sqlx::query_as(&format!("{CREDENTIALS} WHERE id = $1"))
                            .bind(user)
                            .fetch_optional(self.reader())
                            .await?;
                    Ok(row.map(credentials))
                }

                async fn create_session(&self, s: &NewSession) -> Result<()> {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, \
                         expires_at, user_agent) VALUES ($1, $2, $3, $3, $4, $5)",
                    )
                    .bind(&s.token_hash)
                    .bind(s.user)
                    .bind(s.now)
                    .bind(s.expires_at)
                    .bind(&s.user_agent)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn session(
                    &self,
                    token_hash: &str,
                    now: i64,
                    reading: Option<WorkId>,
                ) -> Result<Option<SessionAccount>> {
                    // One round trip: the account, its preferences, unread count, sanction in
                    // force and how it follows the work it reads in one row (materialized, so
                    // that the count runs once), joined with whom it muted: one row per muted
                    // creator, or one with NULL. Every signed-in request asks: it runs on the
                    // fast lane.
                    let mut connection = self.fast_lane().get().await?;
                    let rows: Vec<SessionRow> = sqlx::query_as(
                        "WITH account AS MATERIALIZED (\
                         SELECT u.id AS id, u.login AS login, u.is_admin AS is_admin, \
                         u.claimed AS claimed, s.created_at AS created_at, \
                         s.last_seen_at AS last_seen_at, s.expires_at AS expires_at, \
                         COALESCE(p.skip_adult_gate, FALSE) AS skip_adult_gate, \
                         COALESCE(p.hide_warnings, FALSE) AS hide_warnings, \
                         COALESCE(p.hide_freeforms, FALSE) AS hide_freeforms, \
                         COALESCE(p.hide_creator_styles, FALSE) AS hide_creator_styles, \
                         COALESCE(p.time_zone, 'UTC') AS time_zone, \
                         COALESCE(p.history_enabled, TRUE) AS history_enabled, \
                         (SELECT COUNT(*) FROM inbox i JOIN works w ON w.id = i.work_id \
                          WHERE i.user_id = s.user_id AND i.unread AND w.posted \
                          AND NOT w.hidden_by_admin) AS unread, \
                         EXISTS (SELECT 1 FROM subscriptions \
                                 WHERE user_id = s.user_id AND work_id = $3) AS subscribed, \
                         COALESCE((SELECT later FROM readings \
                                   WHERE user_id = s.user_id AND work_id = $3), FALSE) AS later, \
                         x.kind AS sanction, x.until_at AS sanction_until \
                         FROM sessions s JOIN users u ON u.id = s.user_id \
                         LEFT JOIN preferences p ON p.user_id = s.user_id \
                         LEFT JOIN user_sanctions x ON x.user_id = s.user_id \
                         AND (x.kind = 'banned' OR x.until_at > $2) \
                         WHERE s.token_hash = $1 AND s.expires_at > $2) \
                         SELECT a.*, m.creator_id AS muted \
                         FROM account a LEFT JOIN muted_creators m ON m.user_id = a.id",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .bind(reading)
                    .fetch_all(&mut *connection)
                    .await?;
                    connection.finish();
                    let muted_creators = rows.iter().filter_map(|r| r.muted).collect();
                    Ok(rows.into_iter().next().map(|r| SessionAccount {
                        user: User {
                            id: r.id,
                            login: r.login,
                            is_admin: r.is_admin,
                            claimed: r.claimed,
                        },
                        created_at: r.created_at,
                        last_seen_at: r.last_seen_at,
                        expires_at: r.expires_at,
                        preferences: preferences((
                            r.skip_adult_gate,
                            r.hide_warnings,
                            r.hide_freeforms,
                            r.hide_creator_styles,
                            r.time_zone,
                            r.history_enabled,
                        )),
                        unread: r.unread,
                        reading: reading.map(|work| {
                            (
                                work,
                                Following {
                                    subscribed: r.subscribed,
                                    marked_for_later: r.later,
                                },
                            )
                        }),
                        sanction: r
                            .sanction
                            .as_deref()
                            .map(|kind| SanctionKind::from_row(kind, r.sanction_until)),
                        muted_creators,
                    }))
                }

                async fn touch_session(
                    &self,
                    token_hash: &str,
                    now: i64,
                    expires_at: i64,
                ) -> Result<()> {
                    sqlx::query(
                        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 \
                         WHERE token_hash = $3",
                    )
                    .bind(now)
                    .bind(expires_at)
                    .bind(token_hash)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn end_session(&self, token_hash: &str) -> Result<()> {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(())
                }

                async fn end_sessions_of(&self, user: UserId, keep: Option<&str>) -> Result<u64> {
                    let done = sqlx::query(
                        "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                    )
                    .bind(user)
                    .bind(keep.unwrap_or_default())
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(done.rows_affected())
                }

                async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let done = sqlx::query(
                        "UPDATE users SET password_hash = $1, claimed = TRUE WHERE id = $2",
                    )
                    .bind(password_hash)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("user"));
                    }
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    // Nodes that keep sessions in memory forget this account's.
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn set_email(&self, user: UserId, email: &str) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    if email_taken(&mut tx, email, user).await? {
                        return Err(StoreError::Conflict(format!(
                            "the e-mail address `{email}` belongs to another account"
                        )));
                    }
                    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
                        .bind(email)
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn record_login_failure(
                    &self,
                    key: &str,
                    now: i64,
                    policy: ThrottlePolicy,
                ) -> Result<LoginLock> {
                    let mut tx = super::begin_write(self).await?;
                    let failures: i64 = sqlx::query_scalar(
                        "INSERT INTO login_failures \
                         (throttle_key, failures, last_failure_at, locked_until) \
                         VALUES ($1, 1, $2, 0) ON CONFLICT (throttle_key) DO UPDATE SET \
                         failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 \
                         ELSE login_failures.failures + 1 END, last_failure_at = $2 \
                         RETURNING failures",
                    )
                    .bind(key)
                    .bind(now)
                    .bind(now - policy.window_secs)
                    .fetch_one(&mut *tx)
                    .await?;
                    let locked_until = policy.locked_until(failures, now);
                    sqlx::query(
                        "UPDATE login_failures SET locked_until = $1 WHERE throttle_key = $2",
                    )
                    .bind(locked_until)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(LoginLock {
                        failures,
                        locked_until,
                    })
                }

                async fn login_locked_until(
                    &self,
                    keys: &[String],
                    now: i64,
                ) -> Result<Option<i64>> {
                    let mut latest = None;
                    for key in keys {
                        let until: Option<i64> = sqlx::query_scalar(
                            "SELECT locked_until FROM login_failures \
                             WHERE throttle_key = $1 AND locked_until > $2",
                        )
                        .bind(key)
                        .bind(now)
                        .fetch_optional(self.reader())
                        .await?;
                        latest = latest.max(until);
                    }
                    Ok(latest)
                }

                async fn clear_login_failures(&self, key: &str) -> Result<()> {
                    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
                        .bind(key)
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(())
                }

                async fn create_password_reset(
                    &self,
                    user: UserId,
                    token_hash: &str,
                    now: i64,
                    expires_at: i64,
                ) -> Result<()> {
                    sqlx::query(
                        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(token_hash)
                    .bind(user)
                    .bind(now)
                    .bind(expires_at)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn password_reset_user(
                    &self,
                    token_hash: &str,
                    now: i64,
                ) -> Result<Option<User>> {
                    let row: Option<UserRow> = sqlx::query_as(
                        "SELECT u.id, u.login, u.is_admin, u.claimed FROM password_resets r \
                         JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1 \
                         AND r.used_at IS NULL AND r.expires_at > $2",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(User::from))
                }

                async fn reset_password(
                    &self,
                    token_hash: &str,
                    now: i64,
                    password_hash: &str,
                ) -> Result<Option<UserId>> {
                    let mut tx = super::begin_write(self).await?;
                    let user: Option<i64> = sqlx::query_scalar(
                        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 \
                         AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
                    )
                    .bind(now)
                    .bind(token_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(user) = user else {
                        return Ok(None);
                    };
                    sqlx::query(
                        "UPDATE users SET password_hash = $1, claimed = TRUE WHERE id = $2",
                    )
                    .bind(password_hash)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    // Every other reset link and every session of the account die with it.
                    sqlx::query(
                        "UPDATE password_resets SET used_at = $1 \
                         WHERE user_id = $2 AND used_at IS NULL",
                    )
                    .bind(now)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(Some(user))
                }

                async fn preferences(&self, user: UserId) -> Result<Preferences> {
                    let row: Option<PreferencesRow> = sqlx::query_as(
                        "SELECT skip_adult_gate, hide_warnings, hide_freeforms, \
                         hide_creator_styles, time_zone, history_enabled FROM preferences \
                         WHERE user_id = $1",
                    )
                    .bind(user)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(preferences).unwrap_or_default())
                }

                async fn set_preferences(&self, user: UserId, p: &Preferences) -> Result<()> {
                    sqlx::query(
                        "INSERT INTO preferences (user_id, skip_adult_gate, hide_warnings, \
                         hide_freeforms, hide_creator_styles, time_zone, history_enabled) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET \
                         skip_adult_gate = $2, hide_warnings = $3, hide_freeforms = $4, \
                         hide_creator_styles = $5, time_zone = $6, history_enabled = $7",
                    )
                    .bind(user)
                    .bind(p.skip_adult_gate)
                    .bind(p.hide_warnings)
                    .bind(p.hide_freeforms)
                    .bind(p.hide_creator_styles)
                    .bind(&p.time_zone)
                    .bind(p.history_enabled)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn roles(&self, user: UserId) -> Result<Vec<Role>> {
                    let names: Vec<String> = sqlx::query_scalar(
                        "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role",
                    )
                    .bind(user)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(names.iter().filter_map(|n| Role::from_name(n)).collect())
                }

                async fn grant_role(&self, user: UserId, role: Role) -> Result<()> {
                    sqlx::query(
                        "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) \
                         ON CONFLICT (user_id, role) DO NOTHING",
                    )
                    .bind(user)
                    .bind(role.name())
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn delete_account(&self, user: UserId, works: WorksOnDeletion) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let created: Vec<i64> = sqlx::query_scalar(
                        "SELECT DISTINCT c.work_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1 \
                         ORDER BY c.work_id",
                    )
                    .bind(user)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mine = "pseud_id IN (SELECT id FROM pseuds WHERE user_id = $1)";
                    match works {
                        WorksOnDeletion::Orphan => {
                            let orphan = orphan_pseud(&mut tx).await?;
                            // A work the orphan account already shares keeps one creatorship.
                            sqlx::query(&format!(
                                "DELETE FROM creatorships WHERE {mine} AND work_id IN \
                                 (SELECT work_id FROM creatorships WHERE pseud_id = $2)"
                            ))
                            .bind(user)
                            .bind(orphan)
                            .execute(&mut *tx)
                            .await?;
                            sqlx::query(&format!(
                                "UPDATE creatorships SET pseud_id = $2 WHERE {mine}"
                            ))
                            .bind(user)
                            .bind(orphan)
                            .execute(&mut *tx)
                            .await?;
                            outbox::append_changes(&mut tx, "work", &created, "update").await?;
                        }
                        WorksOnDeletion::Delete => {
                            sqlx::query(&format!("DELETE FROM creatorships WHERE {mine}"))
                                .bind(user)
                                .execute(&mut *tx)
                                .await?;
                            let mut deleted = Vec::new();
                            for work in &created {
                                let others: i64 = sqlx::query_scalar(
                                    "SELECT COUNT(*) FROM creatorships WHERE work_id = $1",
                                )
                                .bind(work)
                                .fetch_one(&mut *tx)
                                .await?;
                                if others == 0 {
                                    sqlx::query("DELETE FROM works WHERE id = $1")
                                        .bind(work)
                                        .execute(&mut *tx)
                                        .await?;
                                    deleted.push(*work);
                                }
                            }
                            let kept: Vec<i64> = created
                                .iter()
                                .copied()
                                .filter(|w| !deleted.contains(w))
                                .collect();
                            outbox::append_changes(&mut tx, "work", &deleted, "delete").await?;
                            outbox::append_changes(&mut tx, "work", &kept, "update").await?;
                        }
                    }
                    let done = sqlx::query("DELETE FROM users WHERE id = $1")
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("user"));
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn site_secret(&self, name: &str, fresh: &str) -> Result<String> {
                    let mut conn = super::write_connection(self).await?;
                    sqlx::query(
                        "INSERT INTO site_secrets (name, value) VALUES ($1, $2) \
                         ON CONFLICT (name) DO NOTHING",
                    )
                    .bind(name)
                    .bind(fresh)
                    .execute(&mut *conn)
                    .await?;
                    let value = sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = $1")
                        .bind(name)
                        .fetch_one(&mut *conn)
                        .await?;
                    conn.finish();
                    Ok(value)
                }

                async fn request_invitation(&self, email: &str, now: i64) -> Result<()> {
                    sqlx::query(
                        "INSERT INTO invitation_requests (email, requested_at) VALUES ($1, $2) \
                         ON CONFLICT (email) DO NOTHING",
                    )
                    .bind(email.to_lowercase())
                    .bind(now)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn invitation_queue(&self, limit: i64) -> Result<Vec<InvitationRequest>> {
                    let rows: Vec<(String, i64)> = sqlx::query_as(
                        "SELECT email, requested_at FROM invitation_requests \
                         WHERE invited_at IS NULL ORDER BY requested_at, email LIMIT $1",
                    )
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(email, requested_at)| InvitationRequest {
                            email,
                            requested_at,
                        })
                        .collect())
                }

                async fn create_invitation(
                    &self,
                    code_hash: &str,
                    email: Option<&str>,
                    created_by: Option<UserId>,
                    now: i64,
                ) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    sqlx::query(
                        "INSERT INTO invitations (code_hash, email, created_by, created_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(code_hash)
                    .bind(email.map(str::to_lowercase))
                    .bind(created_by)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if let Some(email) = email {
                        sqlx::query(
                            "UPDATE invitation_requests SET invited_at = $1 WHERE email = $2",
                        )
                        .bind(now)
                        .bind(email.to_lowercase())
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn invitation_is_open(&self, code_hash: &str) -> Result<bool> {
                    let open: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM invitations WHERE code_hash = $1 AND used_at IS NULL",
                    )
                    .bind(code_hash)
                    .fetch_one(self.reader())
                    .await?;
                    Ok(open > 0)
                }
            }
        }
    };
}

pub(crate) use accounts;
