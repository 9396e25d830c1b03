//! Bookmarks (the [`crate::bookmarks::Bookmarks`] trait): one per reader per work, the public
//! ones counted on the work and re-listed through the outbox.

/// Expands the `bookmarks` module, and the `Bookmarks` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! bookmarks {
    () => {
        mod bookmarks {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use quire_core::{UserId, WorkId};

            use super::{S, Tx, outbox};
            use crate::backend::Backend;
            use crate::bookmarks::{Bookmark, BookmarkForm, Bookmarks};
            use crate::{Change, Page, Result, StoreError};

            const COLUMNS: &str = "b.id, b.work_id, b.user_id, u.login, b.notes, b.tags, \
                                   b.private, b.rec, b.created_at, b.updated_at";

            #[derive(sqlx::FromRow)]
            struct Row {
                id: i64,
                work_id: i64,
                user_id: i64,
                login: String,
                notes: Option<String>,
                tags: String,
                private: bool,
                rec: bool,
                created_at: DateTime<Utc>,
                updated_at: DateTime<Utc>,
            }

            impl From<Row> for Bookmark {
                fn from(row: Row) -> Bookmark {
                    Bookmark {
                        id: row.id,
                        work_id: row.work_id,
                        user_id: row.user_id,
                        login: row.login,
                        notes: row.notes,
                        tags: row
                            .tags
                            .split(',')
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        private: row.private,
                        rec: row.rec,
                        created_at: row.created_at,
                        updated_at: row.updated_at,
                    }
                }
            }

            /// A work, its would-be bookmarker's login and their bookmark of it, if any.
            #[derive(sqlx::FromRow)]
            struct Found {
                posted: bool,
                login: String,
                id: Option<i64>,
                notes: Option<String>,
                tags: Option<String>,
                private: Option<bool>,
                rec: Option<bool>,
                created_at: Option<DateTime<Utc>>,
                updated_at: Option<DateTime<Utc>>,
            }

            impl Found {
                fn existing(&self, work_id: WorkId, user_id: UserId) -> Option<Row> {
                    Some(Row {
                        id: self.id?,
                        work_id,
                        user_id,
                        login: self.login.clone(),
                        notes: self.notes.clone(),
                        tags: self.tags.clone()?,
                        private: self.private?,
                        rec: self.rec?,
                        created_at: self.created_at?,
                        updated_at: self.updated_at?,
                    })
                }
            }

            impl Row {
                /// Whether saving `form` would leave this bookmark as it is.
                fn is_as(&self, form: &BookmarkForm) -> bool {
                    self.notes == form.notes
                        && self.tags == form.tags.join(",")
                        && self.private == form.private
                        && self.rec == form.rec
                }
            }

            /// Whether `user` has a bookmark of the work, and if so whether it is private.
            async fn privacy(tx: &mut Tx, user: UserId, work: WorkId) -> Result<Option<bool>> {
                Ok(sqlx::query_scalar(
                    "SELECT private FROM bookmarks WHERE user_id = $1 AND work_id = $2",
                )
                .bind(user)
                .bind(work)
                .fetch_optional(&mut **tx)
                .await?)
            }

            /// Moves the work's public count by `delta`, and re-lists it when a bookmark others
            /// see changed (`seen`): its count, and the list of its bookmarks, may differ.
            async fn count(tx: &mut Tx, work: WorkId, delta: i64, seen: bool) -> Result<()> {
                if delta != 0 {
                    sqlx::query("UPDATE works SET bookmarks = bookmarks + $1 WHERE id = $2")
                        .bind(delta)
                        .bind(work)
                        .execute(&mut **tx)
                        .await?;
                }
                if seen {
                    outbox::append_changes(tx, "work", &[work], Change::COUNTS).await?;
                }
                Ok(())
            }

            fn public(private: bool) -> i64 {
                i64::from(!private)
            }

            #[async_trait]
            impl Bookmarks for S {
                async fn save_bookmark(
                    &self,
                    user: UserId,
                    work: WorkId,
                    form: &BookmarkForm,
                ) -> Result<Bookmark> {
                    let mut tx = super::begin_write(self).await?;
                    let found: Option<Found> = sqlx::query_as(
                        "SELECT w.posted, u.login, b.id, b.notes, b.tags, b.private, b.rec, \
                         b.created_at, b.updated_at FROM works w \
                         JOIN users u ON u.id = $2 \
                         LEFT JOIN bookmarks b ON b.work_id = w.id AND b.user_id = u.id \
                         WHERE w.id = $1",
                    )
                    .bind(work)
                    .bind(user)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(found) = found.filter(|f| f.posted) else {
                        return Err(StoreError::NotFound("work"));
                    };
                    let existing = found.existing(work, user);
                    let login = found.login;
                    // Saved again as it is (a resent form): nothing changes, not even its
                    // date, as a Rails record saved unchanged is not touched.
                    if let Some(row) = existing.filter(|row| row.is_as(form)) {
                        tx.rollback().await?;
                        return Ok(row.into());
                    }
                    let mut before = found.private;
                    let now = Utc::now();
                    let tags = form.tags.join(",");
                    let mut saved: Option<(i64, DateTime<Utc>, DateTime<Utc>)> = None;
                    if before.is_none() {
                        saved = sqlx::query_as(
                            "INSERT INTO bookmarks (user_id, work_id, notes, tags, private, rec, \
                             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                             ON CONFLICT DO NOTHING RETURNING id, created_at, updated_at",
                        )
                        .bind(user)
                        .bind(work)
                        .bind(&form.notes)
                        .bind(&tags)
                        .bind(form.private)
                        .bind(form.rec)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if saved.is_some() {
                            count(&mut tx, work, public(form.private), !form.private).await?;
                        } else {
                            // The same reader's other request got there first.
                            before = privacy(&mut tx, user, work).await?;
                        }
                    }
                    if let Some(was_private) = before {
                        saved = Some(
                            sqlx::query_as(
                                "UPDATE bookmarks SET notes = $1, tags = $2, private = $3, \
                                 rec = $4, updated_at = $5 WHERE user_id = $6 AND work_id = $7 \
                                 RETURNING id, created_at, updated_at",
                            )
                            .bind(&form.notes)
                            .bind(&tags)
                            .bind(form.private)
                            .bind(form.rec)
                            .bind(now)
                            .bind(user)
                            .bind(work)
                            .fetch_one(&mut *tx)
                            .await?,
                        );
                        let delta = public(form.private) - public(was_private);
                        count(&mut tx, work, delta, !(form.private && was_private)).await?;
                    }
                    let Some((id, created_at, updated_at)) = saved else {
                        return Err(StoreError::NotFound("bookmark"));
                    };
                    tx.commit().await?;
                    Ok(Row {
                        id,
                        work_id: work,
                        user_id: user,
                        login,
                        notes: form.notes.clone(),
                        tags,
                        private: form.private,
                        rec: form.rec,
                        created_at,
                        updated_at,
                    }
                    .into())
                }

                async fn delete_bookmark(&self, user: UserId, work: WorkId) -> Result<bool> {
                    let mut tx = super::begin_write(self).await?;
                    let Some(was_private) = privacy(&mut tx, user, work).await? else {
                        return Ok(false);
                    };
                    sqlx::query("DELETE FROM bookmarks WHERE user_id = $1 AND work_id = $2")
                        .bind(user)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    count(&mut tx, work, -public(was_private), !was_private).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn bookmark(&self, user: UserId, work: WorkId) -> Result<Option<Bookmark>> {
                    let row: Option<Row> = sqlx::query_as(&format!(
                        "SELECT {COLUMNS} FROM bookmarks b JOIN users u ON u.id = b.user_id \
                         WHERE b.user_id = $1 AND b.work_id = $2"
                    ))
                    .bind(user)
                    .bind(work)
                    .fetch_optional(self.reader())
                    .await?;
                    Ok(row.map(Bookmark::from))
                }

                async fn bookmarks_by(
                    &self,
                    user: UserId,
                    with_private: bool,
                    page: Page,
                ) -> Result<Vec<Bookmark>> {
                    let rows: Vec<Row> = sqlx::query_as(&format!(
                        "SELECT {COLUMNS} FROM bookmarks b JOIN users u ON u.id = b.user_id \
                         WHERE b.user_id = $1 AND ($2 OR NOT b.private) \
                         ORDER BY b.id DESC LIMIT $3 OFFSET $4"
                    ))
                    .bind(user)
                    .bind(with_private)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(Bookmark::from).collect())
                }

                async fn bookmarks_of(&self, work: WorkId, page: Page) -> Result<Vec<Bookmark>> {
                    let rows: Vec<Row> = sqlx::query_as(&format!(
                        "SELECT {COLUMNS} FROM bookmarks b JOIN users u ON u.id = b.user_id \
                         WHERE b.work_id = $1 AND NOT b.private \
                         ORDER BY b.id DESC LIMIT $2 OFFSET $3"
                    ))
                    .bind(work)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(Bookmark::from).collect())
                }
            }
        }
    };
}

pub(crate) use bookmarks;
