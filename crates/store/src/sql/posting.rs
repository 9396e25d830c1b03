//! Creators' own works from the web (the [`crate::posting::Posting`] trait): creating a work
//! with its first chapter, editing it, its chapters and their order, posting a draft and
//! deleting. Each write is one transaction with one `work` outbox entry; posting a work or a
//! chapter also fills its subscribers' inboxes (`inbox.rs`) in that transaction.

/// Expands the `posting` module, and the `Posting` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! posting {
    () => {
        mod posting {
            use async_trait::async_trait;
            use chrono::{NaiveDate, Utc};
            use quire_core::work::{NewChapter, NewWork, WorkMeta};
            use quire_core::{ChapterId, TagKind, UserId, Work, WorkId};

            use super::{S, Tx, inbox, outbox, tags, work_reads, work_writes};
            use crate::backend::Backend;
use crate::keys::name_key;
            use crate::posting::{Created, FormKey, Posting};
            use crate::sql::{all_tags, check_insertable, position};
            use crate::{Result, StoreError};

            /// What a key already made: (work, chapter).
            async fn used_key(
                tx: &mut Tx,
                key: Option<FormKey<'_>>,
            ) -> Result<Option<(i64, Option<i64>)>> {
                let Some(key) = key else {
                    return Ok(None);
                };
                Ok(sqlx::query_as(
                    "SELECT work_id, chapter_id FROM posting_keys WHERE form_key = $1",
                )
                .bind(key.stored())
                .fetch_optional(&mut **tx)
                .await?)
            }

            /// Records what a key made; false when a concurrent send of the same form got
            /// there first (this transaction must then be dropped).
            async fn use_key(
                tx: &mut Tx,
                key: Option<FormKey<'_>>,
                work: WorkId,
                chapter: Option<ChapterId>,
            ) -> Result<bool> {
                let Some(key) = key else {
                    return Ok(true);
                };
                let done = sqlx::query(
                    "INSERT INTO posting_keys (form_key, user_id, work_id, chapter_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (form_key) DO NOTHING",
                )
                .bind(key.stored())
                .bind(key.user)
                .bind(work)
                .bind(chapter)
                .bind(Utc::now())
                .execute(&mut **tx)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            /// What the first send of a form made, after a concurrent send lost the race.
            async fn made_by(store: &S, key: FormKey<'_>) -> Result<(i64, Option<i64>)> {
                let mut tx = super::begin_write(store).await?;
                let made = used_key(&mut tx, Some(key))
                    .await?
                    .ok_or(StoreError::NotFound("form key"))?;
                tx.commit().await?;
                Ok(made)
            }

            /// Whether the work is posted; `NotFound` when there is no such work.
            async fn is_posted(tx: &mut Tx, work: WorkId) -> Result<bool> {
                sqlx::query_scalar("SELECT posted FROM works WHERE id = $1")
                    .bind(work)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(StoreError::NotFound("work"))
            }

            /// The work's chapter ids in order.
            async fn chapter_ids(tx: &mut Tx, work: WorkId) -> Result<Vec<ChapterId>> {
                Ok(sqlx::query_scalar(
                    "SELECT id FROM chapters WHERE work_id = $1 ORDER BY position",
                )
                .bind(work)
                .fetch_all(&mut **tx)
                .await?)
            }

            /// Numbers the work's chapters 1, 2, … in this order. Positions are unique per
            /// work at every statement, so they are moved out of the way (negated) first.
            async fn renumber(tx: &mut Tx, work: WorkId, order: &[ChapterId]) -> Result<()> {
                sqlx::query("UPDATE chapters SET position = -position WHERE work_id = $1")
                    .bind(work)
                    .execute(&mut **tx)
                    .await?;
                for (i, id) in order.iter().enumerate() {
                    sqlx::query("UPDATE chapters SET position = $1 WHERE id = $2 AND work_id = $3")
                        .bind(position(i))
                        .bind(*id)
                        .bind(work)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// Recounts the work's posted words and chapters, raises the expected number of
            /// chapters when more are posted, and says whether the work is complete (as many
            /// chapters posted as expected). `updated` moves the work's date when a chapter
            /// was posted.
            pub(crate) async fn refresh(
                tx: &mut Tx,
                work: WorkId,
                updated: Option<NaiveDate>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE works SET \
                     word_count = (SELECT COALESCE(SUM(word_count), 0) FROM chapters \
                                   WHERE work_id = $1 AND posted), \
                     chapter_count = (SELECT COUNT(*) FROM chapters WHERE work_id = $1 AND posted), \
                     revised_at = $2 WHERE id = $1",
                )
                .bind(work)
                .bind(Utc::now())
                .execute(&mut **tx)
                .await?;
                sqlx::query(
                    "UPDATE works SET expected_chapters = chapter_count \
                     WHERE id = $1 AND expected_chapters < chapter_count",
                )
                .bind(work)
                .execute(&mut **tx)
                .await?;
                sqlx::query(
                    "UPDATE works SET complete = (expected_chapters IS NOT NULL \
                     AND expected_chapters = chapter_count) WHERE id = $1",
                )
                .bind(work)
                .execute(&mut **tx)
                .await?;
                if let Some(day) = updated {
                    sqlx::query("UPDATE works SET updated = $1 WHERE id = $2 AND posted")
                        .bind(day)
                        .bind(work)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            fn today() -> NaiveDate {
                Utc::now().date_naive()
            }

            #[async_trait]
            impl Posting for S {
                async fn create_work(
                    &self,
                    work: &NewWork,
                    key: Option<FormKey<'_>>,
                ) -> Result<Created<WorkId>> {
                    check_insertable(work)?;
                    let mut work = work.clone();
                    if !work.posted {
                        for chapter in &mut work.chapters {
                            chapter.posted = false;
                        }
                    }
                    let mut tx = super::begin_write(self).await?;
                    if let Some((id, _)) = used_key(&mut tx, key).await? {
                        return Ok(Created { id, new: false });
                    }
                    let mut cache = tags::TagCache::new();
                    let ids =
                        work_writes::insert_works_tx(&mut tx, std::slice::from_ref(&work), &mut cache)
                            .await?;
                    let id = ids.first().copied().ok_or(StoreError::NotFound("work"))?;
                    if !use_key(&mut tx, key, id, None).await? {
                        drop(tx);
                        let (id, _) = made_by(self, key.ok_or(StoreError::NotFound("key"))?).await?;
                        return Ok(Created { id, new: false });
                    }
                    if work.posted {
                        inbox::work_posted(&mut tx, id).await?;
                    }
                    tx.commit().await?;
                    Ok(Created { id, new: true })
                }

                async fn edit_work(&self, work: WorkId, meta: &WorkMeta) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let updated = sqlx::query(
                        "UPDATE works SET title = $1, rating = $2, language = $3, summary = $4, \
                         notes = $5, end_notes = $6, expected_chapters = $7, restricted = $8 \
                         WHERE id = $9",
                    )
                    .bind(&meta.title)
                    .bind(meta.rating.name())
                    .bind(&meta.language)
                    .bind(&meta.summary)
                    .bind(&meta.notes)
                    .bind(&meta.end_notes)
                    .bind(meta.expected_chapters)
                    .bind(meta.restricted)
                    .bind(work)
                    .execute(&mut *tx)
                    .await?;
                    if updated.rows_affected() == 0 {
                        return Err(StoreError::NotFound("work"));
                    }
                    sqlx::query("DELETE FROM work_tags WHERE work_id = $1")
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    let tagged = NewWork {
                        rating: meta.rating,
                        warnings: meta.warnings.clone(),
                        categories: meta.categories.clone(),
                        tags: meta.tags.clone(),
                        ..NewWork::default()
                    };
                    let names = vec![all_tags(&tagged)];
                    let mut cache = tags::TagCache::new();
                    let rows = tags::work_tags(&mut tx, &[(work, &tagged)], &names, &mut cache)
                        .await?;
                    for (work, tag, place) in rows {
                        sqlx::query(
                            "INSERT INTO work_tags (work_id, tag_id, position) VALUES ($1, $2, $3)",
                        )
                        .bind(work)
                        .bind(tag)
                        .bind(place)
                        .execute(&mut *tx)
                        .await?;
                    }
                    refresh(&mut tx, work, None).await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn add_chapter(
                    &self,
                    work: WorkId,
                    chapter: &NewChapter,
                    key: Option<FormKey<'_>>,
                ) -> Result<Created<ChapterId>> {
                    let mut tx = super::begin_write(self).await?;
                    if let Some((_, Some(id))) = used_key(&mut tx, key).await? {
                        return Ok(Created { id, new: false });
                    }
                    let work_posted = is_posted(&mut tx, work).await?;
                    let last: i64 = sqlx::query_scalar(
                        "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM chapters \
                         WHERE work_id = $1",
                    )
                    .bind(work)
                    .fetch_one(&mut *tx)
                    .await?;
                    let posted = chapter.posted && work_posted;
                    let published = chapter.published.unwrap_or_else(today);
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO chapters (work_id, position, title, summary, notes, \
                         end_notes, content, word_count, posted, published) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(work)
                    .bind(i32::try_from(last + 1).unwrap_or(i32::MAX))
                    .bind(&chapter.title)
                    .bind(&chapter.summary)
                    .bind(&chapter.notes)
                    .bind(&chapter.end_notes)
                    .bind(&chapter.content)
                    .bind(chapter.word_count)
                    .bind(posted)
                    .bind(published)
                    .fetch_one(&mut *tx)
                    .await?;
                    if !use_key(&mut tx, key, work, Some(id)).await? {
                        drop(tx);
                        let made = made_by(self, key.ok_or(StoreError::NotFound("key"))?).await?;
                        let id = made.1.ok_or(StoreError::NotFound("chapter"))?;
                        return Ok(Created { id, new: false });
                    }
                    refresh(&mut tx, work, posted.then_some(published)).await?;
                    if posted {
                        inbox::chapter_posted(&mut tx, work, id).await?;
                    }
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(Created { id, new: true })
                }

                async fn edit_chapter(
                    &self,
                    work: WorkId,
                    chapter: ChapterId,
                    edit: &NewChapter,
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
                    let (was_posted, work_posted) = found.ok_or(StoreError::NotFound("chapter"))?;
                    sqlx::query(
                        "UPDATE chapters SET title = $1, summary = $2, notes = $3, end_notes = $4, \
                         content = $5, word_count = $6 WHERE id = $7",
                    )
                    .bind(&edit.title)
                    .bind(&edit.summary)
                    .bind(&edit.notes)
                    .bind(&edit.end_notes)
                    .bind(&edit.content)
                    .bind(edit.word_count)
                    .bind(chapter)
                    .execute(&mut *tx)
                    .await?;
                    let posting_now = edit.posted && !was_posted && work_posted;
                    let published = edit.published.unwrap_or_else(today);
                    if posting_now {
                        sqlx::query("UPDATE chapters SET posted = $1, published = $2, post_at = NULL WHERE id = $3")
                            .bind(true)
                            .bind(published)
                            .bind(chapter)
                            .execute(&mut *tx)
                            .await?;
                    }
                    refresh(&mut tx, work, posting_now.then_some(published)).await?;
                    if posting_now {
                        inbox::chapter_posted(&mut tx, work, chapter).await?;
                    }
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_chapter(&self, work: WorkId, chapter: ChapterId) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let mut order = chapter_ids(&mut tx, work).await?;
                    if !order.contains(&chapter) {
                        return Err(StoreError::NotFound("chapter"));
                    }
                    if order.len() == 1 {
                        return Err(StoreError::Conflict(
                            "a work keeps at least one chapter: delete the work instead".into(),
                        ));
                    }
                    // The chapter's comments go with it, and out of the work's count.
                    sqlx::query(&format!(
                        "UPDATE works SET comments = comments - (SELECT COUNT(*) \
                         FROM comments c WHERE c.chapter_id = $1 AND {}) WHERE id = $2",
                        crate::comments::COUNTED
                    ))
                    .bind(chapter)
                    .bind(work)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM chapters WHERE id = $1 AND work_id = $2")
                        .bind(chapter)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    order.retain(|id| *id != chapter);
                    renumber(&mut tx, work, &order).await?;
                    refresh(&mut tx, work, None).await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn reorder_chapters(&self, work: WorkId, order: &[ChapterId]) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    is_posted(&mut tx, work).await?;
                    let mut now = chapter_ids(&mut tx, work).await?;
                    let mut wanted = order.to_vec();
                    now.sort_unstable();
                    wanted.sort_unstable();
                    if now != wanted {
                        return Err(StoreError::Invalid(format!(
                            "the new order must name each of the work's {} chapters once",
                            now.len()
                        )));
                    }
                    renumber(&mut tx, work, order).await?;
                    refresh(&mut tx, work, None).await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn post_work(&self, work: WorkId, today: NaiveDate) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    if is_posted(&mut tx, work).await? {
                        return Err(StoreError::Conflict("the work is posted already".into()));
                    }
                    sqlx::query(
                        "UPDATE works SET posted = $1, published = $2, updated = $2 WHERE id = $3",
                    )
                    .bind(true)
                    .bind(today)
                    .bind(work)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE chapters SET posted = $1, published = $2, post_at = NULL \
                                  WHERE work_id = $3")
                        .bind(true)
                        .bind(today)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    refresh(&mut tx, work, None).await?;
                    inbox::work_posted(&mut tx, work).await?;
                    outbox::append_changes(&mut tx, "work", &[work], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_work(&self, work: WorkId) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    let done = sqlx::query("DELETE FROM works WHERE id = $1")
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("work"));
                    }
                    outbox::append_changes(&mut tx, "work", &[work], "delete").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn tag_suggestions(
                    &self,
                    kind: TagKind,
                    term: &str,
                    limit: i64,
                ) -> Result<Vec<String>> {
                    let key = name_key(term);
                    if key.is_empty() {
                        return Ok(Vec::new());
                    }
                    let pattern = format!(
                        "{}%",
                        key.replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_")
                    );
                    Ok(sqlx::query_scalar(
                        "SELECT name FROM tags WHERE kind = $1 AND canonical \
                         AND name_key LIKE $2 ESCAPE '\\' ORDER BY name_key LIMIT $3",
                    )
                    .bind(kind.as_str())
                    .bind(pattern)
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?)
                }

                async fn drafts_by_user(&self, user: UserId) -> Result<Vec<Work>> {
                    let ids: Vec<i64> = sqlx::query_scalar(
                        "SELECT w.id FROM works w WHERE NOT w.posted AND w.id IN \
                         (SELECT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                          WHERE p.user_id = $1) \
                         ORDER BY w.revised_at DESC, w.id DESC",
                    )
                    .bind(user)
                    .fetch_all(self.reader())
                    .await?;
                    work_reads::works(self, &ids).await
                }
            }
        }
    };
}

pub(crate) use posting;
