//! Gifts (the [`crate::gifts::Gifts`] trait): who a work is for, a recipient's refusal, and
//! the works a user was given, through the one listing rule.

/// Expands the `gifts` module, and the `Gifts` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! gifts {
    () => {
        mod gifts {
            use async_trait::async_trait;
            use chrono::Utc;
            use quire_core::visibility::ListingScope;
            use quire_core::{Pseud, UserId, Work, WorkId};
            use sqlx::QueryBuilder;

            use super::{Db, S, Tx, listings, outbox, work_reads};
            use crate::backend::Backend;
            use crate::gifts::{GiftRefusal, Gifts, Recipient};
            use crate::keys::name_key;
            use crate::rows::PseudRow;
            use crate::sql::push_listable;
            use crate::{Page, Result};

            const PSEUD_COLUMNS: &str = "SELECT p.id, p.user_id, p.name, u.login, p.is_default \
                 FROM pseuds p JOIN users u ON u.id = p.user_id";

            /// `Name (login)` split into its name and login.
            fn with_login(typed: &str) -> Option<(&str, &str)> {
                let inner = typed.strip_suffix(')')?;
                let (name, login) = inner.rsplit_once(" (")?;
                let (name, login) = (name.trim(), login.trim());
                (!name.is_empty() && !login.is_empty()).then_some((name, login))
            }

            async fn recipient(store: &S, typed: &str) -> Result<Recipient> {
                if let Some((name, login)) = with_login(typed) {
                    let found: Option<PseudRow> = sqlx::query_as(&format!(
                        "{PSEUD_COLUMNS} WHERE p.name_key = $1 AND LOWER(u.login) = LOWER($2)"
                    ))
                    .bind(name_key(name))
                    .bind(login)
                    .fetch_optional(store.reader())
                    .await?;
                    return Ok(found.map_or_else(
                        || Recipient::Name(typed.to_owned()),
                        |row| Recipient::Pseud(Pseud::from(row)),
                    ));
                }
                let mut found: Vec<PseudRow> = sqlx::query_as(&format!(
                    "{PSEUD_COLUMNS} WHERE p.name_key = $1 ORDER BY p.id LIMIT 2"
                ))
                .bind(name_key(typed))
                .fetch_all(store.reader())
                .await?;
                Ok(match found.len() {
                    0 => Recipient::Name(typed.to_owned()),
                    1 => Recipient::Pseud(Pseud::from(found.remove(0))),
                    _ => Recipient::Ambiguous(typed.to_owned()),
                })
            }

            /// Why each recipient may not be given `work` (when stored) by `creators`.
            async fn refusals(
                tx: &mut Tx,
                work: Option<WorkId>,
                creators: &[UserId],
                recipients: &[Recipient],
            ) -> Result<Vec<GiftRefusal>> {
                let mut out = Vec::new();
                for r in recipients {
                    let pseud = match r {
                        Recipient::Ambiguous(name) => {
                            out.push(GiftRefusal::Ambiguous(name.clone()));
                            continue;
                        }
                        Recipient::Name(_) => continue,
                        Recipient::Pseud(pseud) => pseud,
                    };
                    let mut blocked = false;
                    for creator in creators {
                        let n: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM blocks WHERE blocker_id = $1 AND blocked_id = $2",
                        )
                        .bind(pseud.user_id)
                        .bind(creator)
                        .fetch_one(&mut **tx)
                        .await?;
                        blocked |= n > 0;
                    }
                    if blocked {
                        out.push(GiftRefusal::Blocked(pseud.name.clone()));
                        continue;
                    }
                    let Some(work) = work else { continue };
                    let refused: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM gifts g JOIN pseuds p ON p.id = g.pseud_id \
                         WHERE g.work_id = $1 AND g.refused AND p.user_id = $2",
                    )
                    .bind(work)
                    .bind(pseud.user_id)
                    .fetch_one(&mut **tx)
                    .await?;
                    if refused > 0 {
                        out.push(GiftRefusal::Refused(pseud.name.clone()));
                    }
                }
                Ok(out)
            }

            #[async_trait]
            impl Gifts for S {
                async fn gift_recipients(&self, names: &[String]) -> Result<Vec<Recipient>> {
                    let mut out = Vec::with_capacity(names.len());
                    for name in names {
                        out.push(recipient(self, name.trim()).await?);
                    }
                    Ok(out)
                }

                async fn gift_refusals(
                    &self,
                    work: Option<WorkId>,
                    creators: &[UserId],
                    recipients: &[Recipient],
                ) -> Result<Vec<GiftRefusal>> {
                    let mut tx = super::begin_read(self).await?;
                    refusals(&mut tx, work, creators, recipients).await
                }

                async fn set_gifts(
                    &self,
                    work: WorkId,
                    recipients: &[Recipient],
                ) -> Result<Vec<GiftRefusal>> {
                    let mut tx = super::begin_write(self).await?;
                    let creators: Vec<i64> = sqlx::query_scalar(
                        "SELECT DISTINCT p.user_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $1",
                    )
                    .bind(work)
                    .fetch_all(&mut *tx)
                    .await?;
                    let refused = refusals(&mut tx, Some(work), &creators, recipients).await?;
                    if !refused.is_empty() {
                        return Ok(refused);
                    }
                    sqlx::query("DELETE FROM gifts WHERE work_id = $1 AND NOT refused")
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    let now = Utc::now();
                    for (position, r) in (1_i32..).zip(recipients) {
                        let pseud = match r {
                            Recipient::Pseud(p) => Some(p.id),
                            _ => None,
                        };
                        sqlx::query(
                            "INSERT INTO gifts (work_id, pseud_id, name, name_key, position, \
                             refused, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (work_id, name_key) DO NOTHING",
                        )
                        .bind(work)
                        .bind(pseud)
                        .bind(r.name())
                        .bind(name_key(r.name()))
                        .bind(position)
                        .bind(false)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(Vec::new())
                }

                async fn refuse_gift(&self, work: WorkId, user: UserId) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let done = sqlx::query(
                        "UPDATE gifts SET refused = $1 WHERE work_id = $2 AND NOT refused \
                         AND pseud_id IN (SELECT id FROM pseuds WHERE user_id = $3)",
                    )
                    .bind(true)
                    .bind(work)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Ok(false);
                    }
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn gifts_received(
                    &self,
                    user: UserId,
                    scope: ListingScope,
                    page: Page,
                ) -> Result<(Vec<Work>, i64)> {
                    let listable = |select: &str| {
                        let mut qb = QueryBuilder::<Db>::new(select);
                        qb.push(
                            " FROM works w WHERE w.id IN (SELECT g.work_id FROM gifts g \
                             JOIN pseuds p ON p.id = g.pseud_id WHERE NOT g.refused \
                             AND p.user_id = ",
                        );
                        qb.push_bind(user).push(") AND ");
                        push_listable(&mut qb, scope);
                        qb
                    };
                    let total: i64 = listable("SELECT COUNT(*)")
                        .build_query_scalar()
                        .fetch_one(self.reader())
                        .await?;
                    let ids: Vec<i64> = listings::paged(listable("SELECT w.id"), page)
                        .build_query_scalar()
                        .fetch_all(self.reader())
                        .await?;
                    Ok((work_reads::works(self, &ids).await?, total))
                }
            }
        }
    };
}

pub(crate) use gifts;
