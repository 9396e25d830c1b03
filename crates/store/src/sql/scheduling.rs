//! Scheduled chapters (the [`crate::scheduling::Scheduling`] trait): setting a chapter's
//! `post_at`, listing a work's scheduled chapters, and posting the due ones. Posting one is
//! the same transaction a creator's "Post" makes (`posting::refresh`, the subscribers' inbox
//! entries, one `work` outbox entry), behind a conditional update so that a chapter two nodes
//! find due at once is posted, and announced, by one of them.

/// Expands the `scheduling` module, and the `Scheduling` implementation, for the backend of
/// the enclosing [`super::expand!`].
macro_rules! scheduling {
    () => {
        mod scheduling {
            use async_trait::async_trait;
            use chrono::DateTime;
            use quire_core::{ChapterId, WorkId};

            use super::{S, inbox, outbox, posting};
            use crate::backend::Backend;
            use crate::scheduling::{PostedChapter, ScheduledChapter, Scheduling};
            use crate::{Result, StoreError};

            /// The most due chapters one call posts; the next call posts the rest.
            const BATCH: i64 = 500;

            #[async_trait]
            impl Scheduling for S {
                async fn schedule_chapter(
                    &self,
                    work: WorkId,
                    chapter: ChapterId,
                    post_at: Option<i64>,
                ) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let found: Option<(bool, bool)> = sqlx::query_as(
                        "SELECT c.posted, w.posted FROM chapters c JOIN works w ON w.id = c.work_id \
                         WHERE c.id = $1 AND c.work_id = $2",
                    )
                    .bind(chapter)
                    .bind(work)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let (chapter_posted, work_posted) =
                        found.ok_or(StoreError::NotFound("chapter"))?;
                    if chapter_posted {
                        return Err(StoreError::Conflict("the chapter is posted already".into()));
                    }
                    if !work_posted && post_at.is_some() {
                        return Err(StoreError::Conflict(
                            "a draft's chapters are posted with the work".into(),
                        ));
                    }
                    sqlx::query("UPDATE chapters SET post_at = $1 WHERE id = $2 AND NOT posted")
                        .bind(post_at)
                        .bind(chapter)
                        .execute(&mut *tx)
                        .await?;
                    // The creators' pages show the schedule.
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn scheduled_chapters(&self, work: WorkId) -> Result<Vec<ScheduledChapter>> {
                    let rows: Vec<(i64, i32, Option<String>, i64)> = sqlx::query_as(
                        "SELECT id, position, title, post_at FROM chapters \
                         WHERE work_id = $1 AND NOT posted AND post_at IS NOT NULL \
                         ORDER BY position",
                    )
                    .bind(work)
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(chapter, position, title, post_at)| ScheduledChapter {
                            work,
                            chapter,
                            position,
                            title,
                            post_at,
                        })
                        .collect())
                }

                async fn post_due_chapters(&self, now: i64) -> Result<Vec<PostedChapter>> {
                    let day = DateTime::from_timestamp(now, 0)
                        .ok_or_else(|| StoreError::Invalid(format!("{now} is not a time")))?
                        .date_naive();
                    let due: Vec<(i64, i64)> = sqlx::query_as(
                        "SELECT c.work_id, c.id FROM chapters c JOIN works w ON w.id = c.work_id \
                         WHERE NOT c.posted AND c.post_at IS NOT NULL AND c.post_at <= $1 \
                         AND w.posted ORDER BY c.post_at, c.id LIMIT $2",
                    )
                    .bind(now)
                    .bind(BATCH)
                    .fetch_all(self.reader())
                    .await?;
                    let mut posted = Vec::with_capacity(due.len());
                    for (work, chapter) in due {
                        let mut tx = super::begin_write(self).await?;
                        // Another node may have posted it since the list was read: only the
                        // transaction that finds it still unposted goes on.
                        let won = sqlx::query(
                            "UPDATE chapters SET posted = $1, published = $2, post_at = NULL \
                             WHERE id = $3 AND NOT posted AND post_at IS NOT NULL \
                             AND post_at <= $4",
                        )
                        .bind(true)
                        .bind(day)
                        .bind(chapter)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        if won.rows_affected() != 1 {
                            continue;
                        }
                        posting::refresh(&mut tx, work, Some(day)).await?;
                        inbox::chapter_posted(&mut tx, work, chapter).await?;
                        outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                        tx.commit().await?;
                        posted.push(PostedChapter { work, chapter });
                    }
                    Ok(posted)
                }
            }
        }
    };
}

pub(crate) use scheduling;
