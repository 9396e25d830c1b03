//! Subscriptions and the inbox (the [`crate::subscriptions::Subscriptions`] trait): one
//! subscription per reader per work, creator or series; inbox entries are read, marked and
//! deleted here, and made by `inbox.rs` where posting happens.

/// Expands the `subscriptions` module, and the `Subscriptions` implementation, for the
/// backend of the enclosing [`super::expand!`].
macro_rules! subscriptions {
    () => {
        mod subscriptions {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use quire_core::{UserId, WorkId};
            use sqlx::QueryBuilder;

            use super::kudos::must_be_posted;
            use super::{Db, S, Tx};
            use crate::backend::Backend;
            use crate::subscriptions::{
                Following, InboxChapter, InboxEntry, InboxKind, Subscribable, Subscription,
                Subscriptions,
            };
            use crate::{Page, Result, StoreError};

            /// The column naming the target, and its id.
            fn column(target: Subscribable) -> (&'static str, i64) {
                match target {
                    Subscribable::Work(id) => ("work_id", id),
                    Subscribable::Creator(id) => ("creator_id", id),
                    Subscribable::Series(id) => ("series_id", id),
                }
            }

            /// `NotFound` unless the target exists (a work: and is posted).
            async fn must_exist(tx: &mut Tx, target: Subscribable) -> Result<()> {
                let (table, id, what) = match target {
                    Subscribable::Work(id) => return must_be_posted(tx, id).await,
                    Subscribable::Creator(id) => ("users", id, "user"),
                    Subscribable::Series(id) => ("series", id, "series"),
                };
                let found: Option<i64> =
                    sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut **tx)
                        .await?;
                found.map(|_| ()).ok_or(StoreError::NotFound(what))
            }

            type SubscriptionRow = (
                i64,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<String>,
                Option<String>,
                DateTime<Utc>,
            );

            fn subscription(row: SubscriptionRow) -> Option<Subscription> {
                let (id, work, creator, series, login, title, created_at) = row;
                let (target, name) = match (work, creator, series) {
                    (Some(work), _, _) => (Subscribable::Work(work), None),
                    (_, Some(creator), _) => (Subscribable::Creator(creator), login),
                    (_, _, Some(series)) => (Subscribable::Series(series), title),
                    _ => return None,
                };
                Some(Subscription {
                    id,
                    target,
                    name,
                    created_at,
                })
            }

            type InboxRow = (
                i64,
                String,
                i64,
                Option<i64>,
                Option<i32>,
                Option<bool>,
                Option<i64>,
                Option<String>,
                DateTime<Utc>,
                bool,
            );

            fn entry(row: InboxRow) -> InboxEntry {
                let (
                    id,
                    kind,
                    work_id,
                    chapter,
                    position,
                    posted,
                    series,
                    title,
                    created_at,
                    unread,
                ) = row;
                InboxEntry {
                    id,
                    kind: InboxKind::from_stored(&kind),
                    work_id,
                    chapter: chapter.map(|id| InboxChapter {
                        id,
                        work_id,
                        position: position.unwrap_or(0),
                        posted: posted.unwrap_or(false),
                    }),
                    series: series.zip(title),
                    created_at,
                    unread,
                }
            }

            /// `head` restricted to `user`'s entries among `ids`.
            fn of_user<'a>(head: &str, user: UserId, ids: &'a [i64]) -> QueryBuilder<'a, Db> {
                let mut qb = QueryBuilder::<Db>::new(head);
                qb.push(" WHERE user_id = ");
                qb.push_bind(user);
                qb.push(" AND id IN (");
                let mut list = qb.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                qb.push(")");
                qb
            }

            #[async_trait]
            impl Subscriptions for S {
                async fn subscribe(&self, user: UserId, target: Subscribable) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    must_exist(&mut tx, target).await?;
                    let (column, id) = column(target);
                    let done = sqlx::query(&format!(
                        "INSERT INTO subscriptions (user_id, {column}, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                    ))
                    .bind(user)
                    .bind(id)
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() == 1)
                }

                async fn unsubscribe(&self, user: UserId, target: Subscribable) -> Result<bool> {
                    let (column, id) = column(target);
                    let done = sqlx::query(&format!(
                        "DELETE FROM subscriptions WHERE user_id = $1 AND {column} = $2"
                    ))
                    .bind(user)
                    .bind(id)
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn is_subscribed(&self, user: UserId, target: Subscribable) -> Result<bool> {
                    let (column, id) = column(target);
                    let found: Option<i64> = sqlx::query_scalar(&format!(
                        "SELECT id FROM subscriptions WHERE user_id = $1 AND {column} = $2"
                    ))
                    .bind(user)
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(found.is_some())
                }

                async fn subscriptions(
                    &self,
                    user: UserId,
                    page: Page,
                ) -> Result<Vec<Subscription>> {
                    let rows: Vec<SubscriptionRow> = sqlx::query_as(
                        "SELECT s.id, s.work_id, s.creator_id, s.series_id, u.login, se.title, \
                         s.created_at FROM subscriptions s \
                         LEFT JOIN users u ON u.id = s.creator_id \
                         LEFT JOIN series se ON se.id = s.series_id \
                         WHERE s.user_id = $1 ORDER BY s.id DESC LIMIT $2 OFFSET $3",
                    )
                    .bind(user)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().filter_map(subscription).collect())
                }

                async fn following(&self, user: UserId, work: WorkId) -> Result<Following> {
                    let (subscribed, later): (bool, bool) = sqlx::query_as(
                        "SELECT EXISTS (SELECT 1 FROM subscriptions \
                                        WHERE user_id = $1 AND work_id = $2), \
                         COALESCE((SELECT later FROM readings \
                                   WHERE user_id = $1 AND work_id = $2), FALSE)",
                    )
                    .bind(user)
                    .bind(work)
                    .fetch_one(self.reader())
                    .await?;
                    Ok(Following {
                        subscribed,
                        marked_for_later: later,
                    })
                }

                async fn inbox(
                    &self,
                    user: UserId,
                    unread_only: bool,
                    page: Page,
                ) -> Result<Vec<InboxEntry>> {
                    let rows: Vec<InboxRow> = sqlx::query_as(
                        "SELECT i.id, i.kind, i.work_id, i.chapter_id, c.position, c.posted, \
                         i.series_id, se.title, i.created_at, i.unread FROM inbox i \
                         LEFT JOIN chapters c ON c.id = i.chapter_id \
                         LEFT JOIN series se ON se.id = i.series_id \
                         WHERE i.user_id = $1 AND (NOT $2 OR i.unread) \
                         ORDER BY i.id DESC LIMIT $3 OFFSET $4",
                    )
                    .bind(user)
                    .bind(unread_only)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(entry).collect())
                }

                async fn mark_inbox(&self, user: UserId, ids: &[i64], unread: bool) -> Result<u64> {
                    if ids.is_empty() {
                        return Ok(0);
                    }
                    let value = if unread { "TRUE" } else { "FALSE" };
                    let head = format!("UPDATE inbox SET unread = {value}");
                    let mut qb = of_user(&head, user, ids);
                    let done = qb
                        .build()
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn mark_inbox_all_read(&self, user: UserId) -> Result<u64> {
                    let done =
                        sqlx::query("UPDATE inbox SET unread = $1 WHERE user_id = $2 AND unread")
                            .bind(false)
                            .bind(user)
                            .execute(&mut *super::write_connection(self).await?)
                            .await?;
                    Ok(done.rows_affected())
                }

                async fn delete_inbox(&self, user: UserId, ids: &[i64]) -> Result<u64> {
                    if ids.is_empty() {
                        return Ok(0);
                    }
                    let mut qb = of_user("DELETE FROM inbox", user, ids);
                    let done = qb
                        .build()
                        .execute(&mut *super::write_connection(self).await?)
                        .await?;
                    Ok(done.rows_affected())
                }
            }
        }
    };
}

pub(crate) use subscriptions;
