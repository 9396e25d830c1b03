//! Administration (the [`crate::admin::Admin`] trait): work moderation, suspensions and bans,
//! abuse reports, roles, and the audit log each of them writes in its own transaction.

/// Expands the `admin` module, and the `Admin` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! admin {
    () => {
        mod admin {
            use async_trait::async_trait;
            use quire_core::{Role, UserId, Work, WorkId};

            use super::{S, Tx, outbox, work_reads};
            use crate::admin::{
                AbuseReport, Actor, Admin, AuditEntry, Filed, NewAbuseReport, Sanction,
                SUSPENDED, SanctionKind, WorkModeration,
            };
            use crate::backend::Backend;
            use crate::{Page, Result, StoreError};

            const BANNED: &str = "banned";

            /// One line of the audit log, in the action's transaction.
            #[allow(clippy::too_many_arguments)]
            pub(super) async fn log(
                tx: &mut Tx,
                by: &Actor,
                action: &str,
                target_kind: &str,
                target_id: i64,
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
                .bind(target_kind)
                .bind(target_id)
                .bind(target)
                .bind(reason)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn login_of(tx: &mut Tx, user: UserId) -> Result<String> {
                sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                    .bind(user)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(StoreError::NotFound("user"))
            }

            #[derive(sqlx::FromRow)]
            struct SanctionRow {
                user_id: i64,
                kind: String,
                until_at: Option<i64>,
                reason: String,
                created_at: i64,
            }

            impl From<SanctionRow> for Sanction {
                fn from(row: SanctionRow) -> Sanction {
                    Sanction {
                        user: row.user_id,
                        kind: SanctionKind::from_row(&row.kind, row.until_at),
                        reason: row.reason,
                        created_at: row.created_at,
                    }
                }
            }

            const SANCTION_COLUMNS: &str = "s.user_id, s.kind, s.until_at, s.reason, s.created_at";
            const IN_FORCE: &str = "(s.kind = 'banned' OR s.until_at > $1)";

            #[derive(sqlx::FromRow)]
            struct ReportRow {
                id: i64,
                url: String,
                summary: String,
                details: String,
                email: Option<String>,
                reporter: Option<String>,
                created_at: i64,
                resolved_at: Option<i64>,
                resolver: Option<String>,
                resolution: Option<String>,
            }

            impl From<ReportRow> for AbuseReport {
                fn from(row: ReportRow) -> AbuseReport {
                    AbuseReport {
                        id: row.id,
                        url: row.url,
                        summary: row.summary,
                        details: row.details,
                        email: row.email,
                        reporter: row.reporter,
                        created_at: row.created_at,
                        resolved_at: row.resolved_at,
                        resolved_by: row.resolver,
                        resolution: row.resolution,
                    }
                }
            }

            const REPORTS: &str = "SELECT r.id, r.url, r.summary, r.details, r.email, \
                                   u.login AS reporter, r.created_at, r.resolved_at, \
                                   v.login AS resolver, r.resolution FROM abuse_reports r \
                                   LEFT JOIN users u ON u.id = r.reporter_id \
                                   LEFT JOIN users v ON v.id = r.resolved_by";

            #[derive(sqlx::FromRow)]
            struct AuditRow {
                id: i64,
                at: i64,
                actor: String,
                action: String,
                target_kind: String,
                target_id: i64,
                target: String,
                reason: String,
            }

            #[async_trait]
            impl Admin for S {
                async fn moderate_work(
                    &self,
                    by: &Actor,
                    work: WorkId,
                    change: WorkModeration,
                    reason: &str,
                    now: i64,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let found: Option<(String, bool, bool)> = sqlx::query_as(
                        "SELECT title, hidden_by_admin, restricted FROM works WHERE id = $1",
                    )
                    .bind(work)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((title, hidden, restricted)) = found else {
                        return Err(StoreError::NotFound("work"));
                    };
                    let (update, value, now_value) = match change {
                        WorkModeration::Hide => ("hidden_by_admin", true, hidden),
                        WorkModeration::Unhide => ("hidden_by_admin", false, hidden),
                        WorkModeration::Restrict => ("restricted", true, restricted),
                        WorkModeration::Unrestrict => ("restricted", false, restricted),
                    };
                    if value == now_value {
                        return Ok(false);
                    }
                    sqlx::query(&format!("UPDATE works SET {update} = $1 WHERE id = $2"))
                        .bind(value)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    log(&mut tx, by, change.action(), "work", work, &title, reason, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn sanction_user(
                    &self,
                    by: &Actor,
                    user: UserId,
                    kind: SanctionKind,
                    reason: &str,
                    now: i64,
                ) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let login = login_of(&mut tx, user).await?;
                    let (name, until, action) = match kind {
                        SanctionKind::Suspended { until } => (SUSPENDED, Some(until), "suspend_user"),
                        SanctionKind::Banned => (BANNED, None, "ban_user"),
                    };
                    sqlx::query(
                        "INSERT INTO user_sanctions (user_id, kind, until_at, reason, created_by, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO \
                         UPDATE SET kind = excluded.kind, until_at = excluded.until_at, \
                         reason = excluded.reason, created_by = excluded.created_by, \
                         created_at = excluded.created_at",
                    )
                    .bind(user)
                    .bind(name)
                    .bind(until)
                    .bind(reason)
                    .bind(by.user)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if kind == SanctionKind::Banned {
                        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                            .bind(user)
                            .execute(&mut *tx)
                            .await?;
                    }
                    log(&mut tx, by, action, "user", user, &login, reason, now).await?;
                    // Nodes that keep sessions in memory forget this account's.
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn lift_sanction(
                    &self,
                    by: &Actor,
                    user: UserId,
                    reason: &str,
                    now: i64,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let login = login_of(&mut tx, user).await?;
                    let lifted = sqlx::query("DELETE FROM user_sanctions WHERE user_id = $1")
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    if lifted.rows_affected() == 0 {
                        return Ok(false);
                    }
                    log(&mut tx, by, "lift_sanction", "user", user, &login, reason, now).await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn sanction_of(&self, user: UserId, now: i64) -> Result<Option<Sanction>> {
                    let row: Option<SanctionRow> = sqlx::query_as(&format!(
                        "SELECT {SANCTION_COLUMNS} FROM user_sanctions s \
                         WHERE {IN_FORCE} AND s.user_id = $2"
                    ))
                    .bind(now)
                    .bind(user)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(Sanction::from))
                }

                async fn sanctions(&self, now: i64) -> Result<Vec<(String, Sanction)>> {
                    #[derive(sqlx::FromRow)]
                    struct Row {
                        login: String,
                        #[sqlx(flatten)]
                        sanction: SanctionRow,
                    }
                    let rows: Vec<Row> = sqlx::query_as(&format!(
                        "SELECT u.login, {SANCTION_COLUMNS} FROM user_sanctions s \
                         JOIN users u ON u.id = s.user_id WHERE {IN_FORCE} \
                         ORDER BY s.created_at DESC, s.user_id"
                    ))
                    .bind(now)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|r| (r.login, Sanction::from(r.sanction)))
                        .collect())
                }

                async fn file_report(
                    &self,
                    report: &NewAbuseReport,
                    since: i64,
                    max: i64,
                ) -> Result<Filed> {
                    let mut tx = super::begin_write(self).await?;
                    let same: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM abuse_reports WHERE reporter_key = $1 AND url = $2 \
                         AND summary = $3 AND details = $4 AND resolved_at IS NULL \
                         ORDER BY id LIMIT 1",
                    )
                    .bind(&report.reporter_key)
                    .bind(&report.url)
                    .bind(&report.summary)
                    .bind(&report.details)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(id) = same {
                        return Ok(Filed::Again(id));
                    }
                    let recent: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM abuse_reports \
                         WHERE reporter_key = $1 AND created_at >= $2",
                    )
                    .bind(&report.reporter_key)
                    .bind(since)
                    .fetch_one(&mut *tx)
                    .await?;
                    if recent >= max {
                        return Ok(Filed::TooMany);
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO abuse_reports (url, summary, details, email, reporter_id, \
                         reporter_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         RETURNING id",
                    )
                    .bind(&report.url)
                    .bind(&report.summary)
                    .bind(&report.details)
                    .bind(&report.email)
                    .bind(report.reporter)
                    .bind(&report.reporter_key)
                    .bind(report.now)
                    .fetch_one(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(Filed::New(id))
                }

                async fn abuse_reports(
                    &self,
                    resolved: bool,
                    page: Page,
                ) -> Result<Vec<AbuseReport>> {
                    let filter = if resolved {
                        "WHERE r.resolved_at IS NOT NULL ORDER BY r.resolved_at DESC, r.id DESC"
                    } else {
                        "WHERE r.resolved_at IS NULL ORDER BY r.id"
                    };
                    let rows: Vec<ReportRow> =
                        sqlx::query_as(&format!("{REPORTS} {filter} LIMIT $1 OFFSET $2"))
                            .bind(page.limit)
                            .bind(page.offset)
                            .fetch_all(self.reader())
                            .await?;
                    Ok(rows.into_iter().map(AbuseReport::from).collect())
                }

                async fn abuse_report(&self, id: i64) -> Result<Option<AbuseReport>> {
                    let row: Option<ReportRow> =
                        sqlx::query_as(&format!("{REPORTS} WHERE r.id = $1"))
                            .bind(id)
                            .fetch_optional(self.reader())
                            .await?;
                    Ok(row.map(AbuseReport::from))
                }

                async fn resolve_report(
                    &self,
                    by: &Actor,
                    id: i64,
                    note: &str,
                    now: i64,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let summary: Option<String> =
                        sqlx::query_scalar("SELECT summary FROM abuse_reports WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let Some(summary) = summary else {
                        return Err(StoreError::NotFound("report"));
                    };
                    let resolved = sqlx::query(
                        "UPDATE abuse_reports SET resolved_at = $1, resolved_by = $2, \
                         resolution = $3 WHERE id = $4 AND resolved_at IS NULL",
                    )
                    .bind(now)
                    .bind(by.user)
                    .bind(note)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    if resolved.rows_affected() == 0 {
                        return Ok(false);
                    }
                    log(&mut tx, by, "resolve_report", "report", id, &summary, note, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn set_role(
                    &self,
                    by: &Actor,
                    user: UserId,
                    role: Role,
                    granted: bool,
                    now: i64,
                ) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let login = login_of(&mut tx, user).await?;
                    let (statement, action) = if granted {
                        (
                            "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) \
                             ON CONFLICT (user_id, role) DO NOTHING",
                            "grant_role",
                        )
                    } else {
                        (
                            "DELETE FROM user_roles WHERE user_id = $1 AND role = $2",
                            "revoke_role",
                        )
                    };
                    let changed = sqlx::query(statement)
                        .bind(user)
                        .bind(role.name())
                        .execute(&mut *tx)
                        .await?;
                    if changed.rows_affected() == 0 {
                        return Ok(false);
                    }
                    log(&mut tx, by, action, "user", user, &login, role.name(), now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn hidden_works(&self, page: Page) -> Result<Vec<Work>> {
                    let ids: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM works WHERE hidden_by_admin \
                         ORDER BY updated DESC NULLS LAST, id DESC LIMIT $1 OFFSET $2",
                    )
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    work_reads::works(self, &ids).await
                }

                async fn audit_log(&self, page: Page) -> Result<Vec<AuditEntry>> {
                    let rows: Vec<AuditRow> = sqlx::query_as(
                        "SELECT id, at, actor, action, target_kind, target_id, target, reason \
                         FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2",
                    )
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|r| AuditEntry {
                            id: r.id,
                            at: r.at,
                            actor: r.actor,
                            action: r.action,
                            target_kind: r.target_kind,
                            target_id: r.target_id,
                            target: r.target,
                            reason: r.reason,
                        })
                        .collect())
                }
            }
        }
    };
}

pub(crate) use admin;
