//! Comments (the [`crate::comments::Comments`] trait): threaded comments on chapters, the
//! works' comment settings and users' blocks. Every write appends one `stats` outbox entry
//! for the work, so that every node's cached pages of it follow, and moves the work's count
//! by what it changed among the comments everyone can see.

/// Expands the `comments` module, and the `Comments` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! comments {
    () => {
        mod comments {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use quire_core::work::WorkStats;
            use quire_core::{User, UserId, WorkId};
            use sha2::{Digest, Sha256};

            use super::{S, Tx, outbox};
            use crate::backend::Backend;
            use crate::comments::{
                COUNTED, Comment, CommentId, CommentSettings, Commented, Commenter, Comments,
                MAX_DEPTH, Moderation, NewComment, Refusal, Responses, WhoCanComment,
                in_thread_order,
            };
            use crate::rows::UserRow;
            use crate::{Change, Result, StoreError};

            /// A new comment's insert, which takes the comment's id itself (built once per
            /// backend: it names the backend's next-id query).
            static INSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
                format!(
                    "WITH next (id) AS ({}) \
                     INSERT INTO comments (id, work_id, chapter_id, parent_id, thread_id, \
                     depth, user_id, pseud_id, guest_name, guest_email, content, unreviewed, \
                     hidden, frozen, deleted, dedupe_key, created_at) \
                     SELECT next.id, $1, $2, $3, COALESCE($4, next.id), $5, $6, $7, $8, $9, \
                     $10, $11, FALSE, FALSE, FALSE, $12, $13 FROM next WHERE TRUE \
                     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                    S::NEXT_COMMENT_ID
                )
            });

            const SELECT: &str = "SELECT c.id, c.work_id, c.chapter_id, c.parent_id, \
                 c.thread_id, c.depth, c.user_id, p.name AS pseud_name, u.login AS login, \
                 c.guest_name, c.guest_email, c.content, c.unreviewed, c.hidden, c.frozen, \
                 c.deleted, c.created_at, c.edited_at FROM comments c \
                 LEFT JOIN pseuds p ON p.id = c.pseud_id LEFT JOIN users u ON u.id = p.user_id";

            #[derive(sqlx::FromRow)]
            struct Row {
                id: i64,
                work_id: i64,
                chapter_id: i64,
                parent_id: Option<i64>,
                thread_id: i64,
                depth: i64,
                user_id: Option<i64>,
                pseud_name: Option<String>,
                login: Option<String>,
                guest_name: Option<String>,
                guest_email: Option<String>,
                content: String,
                unreviewed: bool,
                hidden: bool,
                frozen: bool,
                deleted: bool,
                created_at: DateTime<Utc>,
                edited_at: Option<DateTime<Utc>>,
            }

            impl From<Row> for Comment {
                fn from(r: Row) -> Comment {
                    Comment {
                        id: r.id,
                        work_id: r.work_id,
                        chapter_id: r.chapter_id,
                        parent_id: r.parent_id,
                        thread_id: r.thread_id,
                        depth: r.depth,
                        user_id: r.user_id,
                        pseud: r.pseud_name.zip(r.login),
                        guest_name: r.guest_name,
                        guest_email: r.guest_email,
                        content: r.content,
                        unreviewed: r.unreviewed,
                        hidden: r.hidden,
                        frozen: r.frozen,
                        deleted: r.deleted,
                        created_at: r.created_at,
                        edited_at: r.edited_at,
                    }
                }
            }

            /// The comment replied to, as adding a reply needs it.
            #[derive(sqlx::FromRow)]
            struct Parent {
                work_id: i64,
                thread_id: i64,
                depth: i64,
                unreviewed: bool,
                hidden: bool,
                frozen: bool,
                deleted: bool,
            }

            /// How many of the work's comments everyone can see.
            async fn counted(tx: &mut Tx, work: WorkId) -> Result<i64> {
                Ok(sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM comments c WHERE c.work_id = $1 AND {COUNTED}"
                ))
                .bind(work)
                .fetch_one(&mut **tx)
                .await?)
            }

            /// Moves the work's count by what changed since `before` was counted, and tells
            /// the outbox that the work's comments changed.
            async fn settle(tx: &mut Tx, work: WorkId, before: i64) -> Result<()> {
                let delta = counted(tx, work).await? - before;
                if delta != 0 {
                    sqlx::query(
                        "UPDATE works SET comments = CASE WHEN comments + $1 < 0 THEN 0 \
                         ELSE comments + $1 END WHERE id = $2",
                    )
                    .bind(delta)
                    .bind(work)
                    .execute(&mut **tx)
                    .await?;
                }
                outbox::append_changes(tx, "work", &[work], Change::COUNTS).await
            }

            /// The work a comment is on; `NotFound` for an unknown comment.
            async fn work_of(tx: &mut Tx, id: CommentId) -> Result<WorkId> {
                sqlx::query_scalar("SELECT work_id FROM comments WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(StoreError::NotFound("comment"))
            }

            async fn settings_in(tx: &mut Tx, work: WorkId) -> Result<CommentSettings> {
                let row: Option<(String, bool)> = sqlx::query_as(
                    "SELECT who, moderated FROM comment_settings WHERE work_id = $1",
                )
                .bind(work)
                .fetch_optional(&mut **tx)
                .await?;
                Ok(settings(row))
            }

            /// A `comment_settings` row's `who` and `moderated` as settings (the defaults
            /// when there is no row).
            fn settings(row: Option<(String, bool)>) -> CommentSettings {
                row.map_or_else(CommentSettings::default, |(who, moderated)| {
                    CommentSettings {
                        who: WhoCanComment::from_name(&who).unwrap_or_default(),
                        moderated,
                    }
                })
            }

            /// Every comment of the work, threads in order.
            async fn comments_on(
                conn: &mut <super::Db as sqlx::Database>::Connection,
                work: WorkId,
            ) -> Result<Vec<Comment>> {
                let rows: Vec<Row> =
                    sqlx::query_as(&format!("{SELECT} WHERE c.work_id = $1 ORDER BY c.id"))
                        .bind(work)
                        .fetch_all(&mut *conn)
                        .await?;
                Ok(in_thread_order(rows.into_iter().map(Comment::from).collect()))
            }

            /// The same comment by the same commenter at the same place hashes the same.
            fn dedupe_key(new: &NewComment) -> String {
                let by = match &new.by {
                    Commenter::Pseud { pseud, .. } => format!("p{pseud}"),
                    Commenter::Account { user } => format!("u{user}"),
                    Commenter::Guest { name, email } => {
                        format!("g{}\0{}", email.to_lowercase(), name)
                    }
                };
                let mut hasher = Sha256::new();
                hasher.update(
                    format!(
                        "{}\0{}\0{}\0{by}\0",
                        new.work,
                        new.chapter,
                        new.parent.unwrap_or(0)
                    )
                    .as_bytes(),
                );
                hasher.update(new.content.as_bytes());
                hasher
                    .finalize()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            }

            async fn existing(tx: &mut Tx, key: &str) -> Result<Option<i64>> {
                Ok(
                    sqlx::query_scalar("SELECT id FROM comments WHERE dedupe_key = $1")
                        .bind(key)
                        .fetch_optional(&mut **tx)
                        .await?,
                )
            }

            /// What adding a comment checks, read in one statement (see [`context`]).
            #[derive(sqlx::FromRow)]
            struct Context {
                /// `None` when the chapter is not one of the work's.
                chapter_posted: Option<bool>,
                /// The pseud named, if it is the commenter's; else their default pseud.
                pseud: Option<i64>,
                by_creator: bool,
                who: Option<String>,
                moderated: Option<bool>,
                /// Blocked by one of the work's creators or by the author of the parent.
                blocked: bool,
                /// The comment this form already added.
                duplicate: Option<i64>,
            }

            /// Reads what adding `new` checks; `NotFound` when the work is missing or a draft.
            async fn context(tx: &mut Tx, new: &NewComment, key: &str) -> Result<Context> {
                let (user, pseud) = match new.by {
                    Commenter::Pseud { user, pseud } => (Some(user), Some(pseud)),
                    Commenter::Account { user } => (Some(user), None),
                    Commenter::Guest { .. } => (None, None),
                };
                sqlx::query_as(
                    "SELECT (SELECT ch.posted FROM chapters ch \
                             WHERE ch.id = $2 AND ch.work_id = w.id) AS chapter_posted, \
                     (SELECT p.id FROM pseuds p WHERE p.user_id = $4 \
                      AND (p.id = $3 OR $3 IS NULL) \
                      ORDER BY p.is_default DESC, p.name_key LIMIT 1) AS pseud, \
                     EXISTS (SELECT 1 FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                             WHERE c.work_id = w.id AND p.user_id = $4) AS by_creator, \
                     cs.who, cs.moderated, \
                     EXISTS (SELECT 1 FROM blocks b WHERE b.blocked_id = $4 AND \
                             (b.blocker_id = (SELECT r.user_id FROM comments r WHERE r.id = $5) \
                              OR b.blocker_id IN (SELECT p.user_id FROM creatorships c \
                                 JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = w.id))) \
                         AS blocked, \
                     (SELECT d.id FROM comments d WHERE d.dedupe_key = $6) AS duplicate \
                     FROM works w LEFT JOIN comment_settings cs ON cs.work_id = w.id \
                     WHERE w.id = $1 AND w.posted",
                )
                .bind(new.work)
                .bind(new.chapter)
                .bind(pseud)
                .bind(user)
                .bind(new.parent)
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or(StoreError::NotFound("work"))
            }

            /// What the comment may be refused for; `None` when it may be added.
            fn refusal(
                new: &NewComment,
                settings: CommentSettings,
                parent: Option<&Parent>,
                context: &Context,
            ) -> Option<Refusal> {
                if settings.who == WhoCanComment::Nobody && !context.by_creator {
                    return Some(Refusal::CommentsOff);
                }
                if let Commenter::Guest { .. } = new.by
                    && (settings.who == WhoCanComment::Registered || !new.guests_allowed)
                {
                    return Some(Refusal::GuestsNotAllowed);
                }
                if let Some(parent) = parent {
                    if parent.deleted || parent.unreviewed || (parent.hidden && !context.by_creator)
                    {
                        return Some(Refusal::ParentGone);
                    }
                    if parent.frozen {
                        return Some(Refusal::Frozen);
                    }
                }
                context.blocked.then_some(Refusal::Blocked)
            }

            #[async_trait]
            impl Comments for S {
                async fn add_comment(&self, new: &NewComment) -> Result<Commented> {
                    let key = dedupe_key(new);
                    let mut tx = super::begin_write(self).await?;
                    let context = context(&mut tx, new, &key).await?;
                    if context.chapter_posted != Some(true) {
                        return Err(StoreError::NotFound("chapter"));
                    }
                    let parent: Option<Parent> = match new.parent {
                        None => None,
                        Some(id) => {
                            let parent: Parent = sqlx::query_as(
                                "SELECT work_id, thread_id, depth, unreviewed, hidden, frozen, \
                                 deleted FROM comments WHERE id = $1",
                            )
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .filter(|p: &Parent| p.work_id == new.work)
                            .ok_or(StoreError::NotFound("comment"))?;
                            Some(parent)
                        }
                    };
                    let user = match new.by {
                        Commenter::Pseud { user, .. } | Commenter::Account { user } => {
                            context.pseud.ok_or(StoreError::NotFound("pseud"))?;
                            Some(user)
                        }
                        Commenter::Guest { .. } => None,
                    };
                    let settings = settings(context.who.clone().zip(context.moderated));
                    if let Some(refused) = refusal(new, settings, parent.as_ref(), &context) {
                        return Ok(Commented::Refused(refused));
                    }
                    if let Some(id) = context.duplicate {
                        return Ok(Commented::Duplicate(id));
                    }
                    let unreviewed = settings.moderated && !context.by_creator;
                    let (pseud, guest_name, guest_email) = match &new.by {
                        Commenter::Pseud { .. } | Commenter::Account { .. } => {
                            (context.pseud, None, None)
                        }
                        Commenter::Guest { name, email } => {
                            (None, Some(name.as_str()), Some(email.as_str()))
                        }
                    };
                    let depth = parent.as_ref().map_or(0, |p| (p.depth + 1).min(MAX_DEPTH));
                    // A reply is in its parent's thread; a new comment starts its own, named
                    // by its own id, which the insert takes before it writes the row.
                    let id: Option<i64> = sqlx::query_scalar(INSERT.as_str())
                    .bind(new.work)
                    .bind(new.chapter)
                    .bind(new.parent)
                    .bind(parent.as_ref().map(|p| p.thread_id))
                    .bind(depth)
                    .bind(user)
                    .bind(pseud)
                    .bind(guest_name)
                    .bind(guest_email)
                    .bind(&new.content)
                    .bind(unreviewed)
                    .bind(&key)
                    .bind(Utc::now())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(id) = id else {
                        // The same form's other send got there first.
                        drop(tx);
                        let mut tx = super::begin_write(self).await?;
                        let id = existing(&mut tx, &key)
                            .await?
                            .ok_or(StoreError::NotFound("comment"))?;
                        return Ok(Commented::Duplicate(id));
                    };
                    if !unreviewed {
                        // A new comment waiting for review is not counted yet.
                        sqlx::query("UPDATE works SET comments = comments + 1 WHERE id = $1")
                            .bind(new.work)
                            .execute(&mut *tx)
                            .await?;
                    }
                    outbox::append_changes(&mut tx, "work", &[new.work], Change::COUNTS).await?;
                    tx.commit().await?;
                    Ok(Commented::Added { id, unreviewed })
                }

                async fn edit_comment(&self, id: CommentId, content: &str) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let (work, frozen, deleted): (i64, bool, bool) = sqlx::query_as(
                        "SELECT work_id, frozen, deleted FROM comments WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound("comment"))?;
                    if frozen || deleted {
                        return Err(StoreError::Conflict(
                            "a frozen or deleted comment cannot be edited".into(),
                        ));
                    }
                    sqlx::query(
                        "UPDATE comments SET content = $1, edited_at = $2, dedupe_key = NULL \
                         WHERE id = $3",
                    )
                    .bind(content)
                    .bind(Utc::now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "work", &[work], Change::COUNTS).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_comment(&self, id: CommentId) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let work = work_of(&mut tx, id).await?;
                    let before = counted(&mut tx, work).await?;
                    let mut next = Some(id);
                    let mut first = true;
                    // The comment goes, or stays as a placeholder while it has replies; a
                    // placeholder whose last reply goes goes with it.
                    while let Some(id) = next.take() {
                        let (parent, deleted): (Option<i64>, bool) = sqlx::query_as(
                            "SELECT parent_id, deleted FROM comments WHERE id = $1",
                        )
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if !first && !deleted {
                            break;
                        }
                        first = false;
                        let replies: i64 =
                            sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE parent_id = $1")
                                .bind(id)
                                .fetch_one(&mut *tx)
                                .await?;
                        if replies > 0 {
                            sqlx::query(
                                "UPDATE comments SET deleted = TRUE, content = '', \
                                 dedupe_key = NULL WHERE id = $1",
                            )
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        } else {
                            sqlx::query("DELETE FROM comments WHERE id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            next = parent;
                        }
                    }
                    settle(&mut tx, work, before).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn moderate_comment(&self, id: CommentId, step: Moderation) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let work = work_of(&mut tx, id).await?;
                    let before = counted(&mut tx, work).await?;
                    let thread = |column: &str| {
                        format!(
                            "WITH RECURSIVE sub(id) AS (SELECT id FROM comments WHERE id = $1 \
                             UNION ALL SELECT c.id FROM comments c JOIN sub ON c.parent_id = sub.id) \
                             UPDATE comments SET {column} = $2 WHERE id IN (SELECT id FROM sub)"
                        )
                    };
                    let (sql, on) = match step {
                        Moderation::Freeze(on) => (thread("frozen"), on),
                        Moderation::Hide(on) => (thread("hidden"), on),
                        Moderation::Approve => (
                            "UPDATE comments SET unreviewed = $2 WHERE id = $1".to_owned(),
                            false,
                        ),
                    };
                    sqlx::query(&sql).bind(id).bind(on).execute(&mut *tx).await?;
                    settle(&mut tx, work, before).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn comment(&self, id: CommentId) -> Result<Option<Comment>> {
                    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await?;
                    Ok(row.map(Comment::from))
                }

                async fn comments_of(&self, work: WorkId) -> Result<Vec<Comment>> {
                    let mut conn = self.reader().acquire().await?;
                    comments_on(&mut conn, work).await
                }

                async fn comments_by(&self, user: UserId, limit: i64) -> Result<Vec<Comment>> {
                    let rows: Vec<Row> = sqlx::query_as(&format!(
                        "{SELECT} WHERE c.user_id = $1 AND NOT c.deleted ORDER BY c.id DESC LIMIT $2"
                    ))
                    .bind(user)
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(Comment::from).collect())
                }

                async fn comment_settings(&self, work: WorkId) -> Result<CommentSettings> {
                    let mut tx = super::begin_read(self).await?;
                    let settings = settings_in(&mut tx, work).await?;
                    tx.commit().await?;
                    Ok(settings)
                }

                async fn responses(&self, work: WorkId) -> Result<Option<Responses>> {
                    // Read again after each kudos, comment or bookmark on the work: on the
                    // fast lane, without the pool's ping.
                    let mut conn = self.fast_lane().get().await?;
                    let counts: Option<(i64, i64, i64, i64, Option<String>, Option<bool>)> =
                        sqlx::query_as(
                            "SELECT w.hits, w.kudos, w.comments, w.bookmarks, s.who, s.moderated \
                             FROM works w LEFT JOIN comment_settings s ON s.work_id = w.id \
                             WHERE w.id = $1",
                        )
                        .bind(work)
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some((hits, kudos, comments, bookmarks, who, moderated)) = counts else {
                        conn.finish();
                        return Ok(None);
                    };
                    let responses = Responses {
                        stats: WorkStats {
                            hits,
                            kudos,
                            comments,
                            bookmarks,
                        },
                        kudos: super::kudos::kudos_list(&mut conn, work, kudos).await?,
                        comments: comments_on(&mut conn, work).await?,
                        comment_settings: settings(who.zip(moderated)),
                    };
                    conn.finish();
                    Ok(Some(responses))
                }

                async fn set_comment_settings(
                    &self,
                    work: WorkId,
                    settings: CommentSettings,
                ) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    sqlx::query(
                        "INSERT INTO comment_settings (work_id, who, moderated) VALUES ($1, $2, $3) \
                         ON CONFLICT (work_id) DO UPDATE SET who = excluded.who, \
                         moderated = excluded.moderated",
                    )
                    .bind(work)
                    .bind(settings.who.name())
                    .bind(settings.moderated)
                    .execute(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "work", &[work], Change::COUNTS).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn block_user(&self, blocker: UserId, blocked: UserId) -> Result<()> {
                    if blocker == blocked {
                        return Err(StoreError::Invalid("you cannot block yourself".into()));
                    }
                    sqlx::query(
                        "INSERT INTO blocks (blocker_id, blocked_id, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(blocker)
                    .bind(blocked)
                    .bind(Utc::now())
                    .execute(&mut *super::write_connection(self).await?)
                    .await?;
                    Ok(())
                }

                async fn unblock_user(&self, blocker: UserId, blocked: UserId) -> Result<bool> {
                    let done =
                        sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
                            .bind(blocker)
                            .bind(blocked)
                            .execute(&mut *super::write_connection(self).await?)
                            .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn blocked_users(&self, blocker: UserId) -> Result<Vec<User>> {
                    let rows: Vec<UserRow> = sqlx::query_as(
                        "SELECT u.id, u.login, u.is_admin, u.claimed FROM blocks b \
                         JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = $1 \
                         ORDER BY u.login",
                    )
                    .bind(blocker)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(User::from).collect())
                }
            }
        }
    };
}

pub(crate) use comments;
