//! Writing works: inserting (one or many), replacing in place, a bulk import's mix of both, and
//! an admin hiding a work. Each write is one transaction with its outbox entries.

/// Expands the `work_writes` module for the backend of the enclosing [`super::expand!`].
macro_rules! work_writes {
    () => {
        mod work_writes {
            use chrono::Utc;
            use quire_core::WorkId;
            use quire_core::work::{NewChapter, NewWork};
            use sqlx::QueryBuilder;

            use super::{Db, S, Tx, outbox, run, tags};
            use crate::backend::Backend;
            use crate::sql::{ROWS_PER_STATEMENT, all_tags, check_insertable, position};
            use crate::{Result, StoreError};

            pub(crate) async fn insert_work(store: &S, work: &NewWork) -> Result<WorkId> {
                let ids = insert_works(store, std::slice::from_ref(work)).await?;
                ids.first().copied().ok_or(StoreError::NotFound("work"))
            }

            pub(crate) async fn insert_works(store: &S, works: &[NewWork]) -> Result<Vec<WorkId>> {
                let mut tx = super::begin_write(store).await?;
                let ids = insert_works_tx(&mut tx, works, &mut tags::TagCache::new()).await?;
                tx.commit().await?;
                Ok(ids)
            }

            pub(crate) async fn replace_work(store: &S, id: WorkId, work: &NewWork) -> Result<()> {
                let mut tx = super::begin_write(store).await?;
                replace_work_tx(&mut tx, id, work, &mut tags::TagCache::new()).await?;
                tx.commit().await?;
                Ok(())
            }

            pub(crate) async fn import_works(
                store: &S,
                new: &[NewWork],
                replaced: &[(WorkId, NewWork)],
            ) -> Result<Vec<WorkId>> {
                let mut tx = super::begin_write(store).await?;
                let mut tags = tags::TagCache::new();
                for (id, work) in replaced {
                    replace_work_tx(&mut tx, *id, work, &mut tags).await?;
                }
                let ids = if new.is_empty() {
                    Vec::new()
                } else {
                    insert_works_tx(&mut tx, new, &mut tags).await?
                };
                tx.commit().await?;
                Ok(ids)
            }

            pub(crate) async fn set_hidden_by_admin(
                store: &S,
                id: WorkId,
                hidden: bool,
            ) -> Result<()> {
                set_flag(store, "UPDATE works SET hidden_by_admin = $1 WHERE id = $2", id, hidden)
                    .await
            }

            pub(crate) async fn set_restricted(
                store: &S,
                id: WorkId,
                restricted: bool,
            ) -> Result<()> {
                set_flag(store, "UPDATE works SET restricted = $1 WHERE id = $2", id, restricted)
                    .await
            }

            /// Runs `update` (which sets one of a work's flags to `$1`) with its outbox entry.
            async fn set_flag(store: &S, update: &'static str, id: WorkId, value: bool) -> Result<()> {
                let mut tx = super::begin_write(store).await?;
                let updated = sqlx::query(update)
                    .bind(value)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::NotFound("work"));
                }
                outbox::append_changes(&mut tx, "work", &[id], "update").await?;
                tx.commit().await?;
                Ok(())
            }

            /// Stores works and everything of them in the open transaction: the rows in
            /// multi-row statements (a bulk insert of 500 works takes a few dozen statements,
            /// not thousands), then one outbox entry each.
            pub(crate) async fn insert_works_tx(
                tx: &mut Tx,
                works: &[NewWork],
                tags: &mut tags::TagCache,
            ) -> Result<Vec<WorkId>> {
                for work in works {
                    check_insertable(work)?;
                }
                let ids = S::reserve_work_ids(&mut **tx, works.len()).await?;
                let now = Utc::now();
                let rows: Vec<(WorkId, &NewWork)> = ids.iter().copied().zip(works).collect();
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO works (id, title, rating, language, summary, notes, end_notes, \
                         word_count, chapter_count, expected_chapters, complete, published, \
                         updated, posted, restricted, hits, kudos, comments, bookmarks, \
                         created_at, revised_at) ",
                    );
                    qb.push_values(chunk, |mut b, (id, work)| {
                        b.push_bind(*id)
                            .push_bind(&work.title)
                            .push_bind(work.rating.name())
                            .push_bind(&work.language)
                            .push_bind(&work.summary)
                            .push_bind(&work.notes)
                            .push_bind(&work.end_notes)
                            .push_bind(work.word_count())
                            .push_bind(work.posted_chapters())
                            .push_bind(work.expected_chapters)
                            .push_bind(work.complete)
                            .push_bind(work.published)
                            .push_bind(work.updated)
                            .push_bind(work.posted)
                            .push_bind(work.restricted)
                            .push_bind(work.stats.hits)
                            .push_bind(work.stats.kudos)
                            .push_bind(work.stats.comments)
                            .push_bind(work.stats.bookmarks)
                            .push_bind(now)
                            .push_bind(now);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }
                insert_work_parts(tx, &rows, tags).await?;
                outbox::append_changes(tx, "work", &ids, "create").await?;
                Ok(ids)
            }

            /// Replaces a work's content in place in the open transaction, keeping its id,
            /// counters and moderation state.
            async fn replace_work_tx(
                tx: &mut Tx,
                id: WorkId,
                work: &NewWork,
                tags: &mut tags::TagCache,
            ) -> Result<()> {
                check_insertable(work)?;
                let updated = sqlx::query(
                    "UPDATE works SET title = $1, rating = $2, language = $3, summary = $4, \
                     notes = $5, end_notes = $6, word_count = $7, chapter_count = $8, \
                     expected_chapters = $9, complete = $10, published = $11, updated = $12, \
                     posted = $13, restricted = $14, revised_at = $15 WHERE id = $16",
                )
                .bind(&work.title)
                .bind(work.rating.name())
                .bind(&work.language)
                .bind(&work.summary)
                .bind(&work.notes)
                .bind(&work.end_notes)
                .bind(work.word_count())
                .bind(work.posted_chapters())
                .bind(work.expected_chapters)
                .bind(work.complete)
                .bind(work.published)
                .bind(work.updated)
                .bind(work.posted)
                .bind(work.restricted)
                .bind(Utc::now())
                .bind(id)
                .execute(&mut **tx)
                .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::NotFound("work"));
                }
                for table in [
                    "creatorships",
                    "chapters",
                    "work_tags",
                    "serial_works",
                    "sources",
                ] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE work_id = $1"))
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                }
                insert_work_parts(tx, &[(id, work)], tags).await?;
                outbox::append_changes(tx, "work", &[id], "update").await?;
                Ok(())
            }

            /// Everything of the works that lives outside their rows: creators, chapters,
            /// tags, series places and sources.
            async fn insert_work_parts(
                tx: &mut Tx,
                works: &[(WorkId, &NewWork)],
                cache: &mut tags::TagCache,
            ) -> Result<()> {
                let creators: Vec<(WorkId, i64, i32)> = works
                    .iter()
                    .flat_map(|(id, w)| {
                        w.creators
                            .iter()
                            .enumerate()
                            .map(move |(i, p)| (*id, *p, position(i)))
                    })
                    .collect();
                for chunk in creators.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO creatorships (work_id, pseud_id, position) ",
                    );
                    qb.push_values(chunk, |mut b, (work, pseud, place)| {
                        b.push_bind(*work).push_bind(*pseud).push_bind(*place);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }

                let chapters: Vec<(WorkId, i32, &NewChapter, Option<chrono::NaiveDate>)> = works
                    .iter()
                    .flat_map(|(id, w)| {
                        w.chapters.iter().enumerate().map(move |(i, c)| {
                            (*id, position(i), c, c.published.or(w.published))
                        })
                    })
                    .collect();
                for chunk in chapters.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO chapters (work_id, position, title, summary, notes, \
                         end_notes, content, word_count, posted, published) ",
                    );
                    qb.push_values(chunk, |mut b, (work, place, c, published)| {
                        b.push_bind(*work)
                            .push_bind(*place)
                            .push_bind(&c.title)
                            .push_bind(&c.summary)
                            .push_bind(&c.notes)
                            .push_bind(&c.end_notes)
                            .push_bind(&c.content)
                            .push_bind(c.word_count)
                            .push_bind(c.posted)
                            .push_bind(*published);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }

                let tag_names: Vec<_> = works.iter().map(|(_, work)| all_tags(work)).collect();
                let work_tags = tags::work_tags(tx, works, &tag_names, cache).await?;
                for chunk in work_tags.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO work_tags (work_id, tag_id, position) ",
                    );
                    qb.push_values(chunk, |mut b, (work, tag, place)| {
                        b.push_bind(*work).push_bind(*tag).push_bind(*place);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }

                let series: Vec<(i64, WorkId, i32)> = works
                    .iter()
                    .flat_map(|(id, w)| w.series.iter().map(move |(s, place)| (*s, *id, *place)))
                    .collect();
                for chunk in series.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO serial_works (series_id, work_id, position) ",
                    );
                    qb.push_values(chunk, |mut b, (series, work, place)| {
                        b.push_bind(*series).push_bind(*work).push_bind(*place);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }
                // A work joining a series changes the series navigation of the works on
                // either side of it, whose pages readers may have kept.
                let mut neighbours: Vec<WorkId> = Vec::new();
                for (series, work, place) in &series {
                    let beside: Vec<i64> = sqlx::query_scalar(
                        "SELECT work_id FROM serial_works WHERE series_id = $1 \
                         AND position IN ($2, $3) AND work_id <> $4",
                    )
                    .bind(series)
                    .bind(place - 1)
                    .bind(place + 1)
                    .bind(work)
                    .fetch_all(&mut **tx)
                    .await?;
                    for id in beside {
                        if !works.iter().any(|(new, _)| *new == id) && !neighbours.contains(&id) {
                            neighbours.push(id);
                        }
                    }
                }
                if !neighbours.is_empty() {
                    outbox::append_changes(tx, "work", &neighbours, "update").await?;
                }

                for (id, work) in works {
                    if let Some(source) = &work.source {
                        super::sources::insert_source(tx, *id, source).await?;
                    }
                }
                Ok(())
            }
        }
    };
}

pub(crate) use work_writes;
