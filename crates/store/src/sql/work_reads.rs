//! Reading works by id (with their creators, tags, series, gifts and sources, in five
//! statements for any number of works), their chapters, example works, and the archive's
//! totals.

/// Expands the `work_reads` module for the backend of the enclosing [`super::expand!`].
macro_rules! work_reads {
    () => {
        mod work_reads {
            use std::collections::HashMap;

            use quire_core::work::ChapterHeading;
            use quire_core::{Chapter, ChapterId, Gift, Pseud, SeriesPart, Work, WorkId};
            use sqlx::QueryBuilder;

            use super::{Db, S};
            use crate::Result;
            use crate::backend::Backend;
            use crate::rows::{
                CHAPTER_COLUMNS, ChapterHeadingRow, ChapterRow, CreatorRow, SeriesPartRow,
                SourceRow, WORK_COLUMNS, WorkRow, WorkTagRow,
            };
            use crate::sql::in_list;
            use crate::store::{ArchiveCounts, WorkCriteria};

            /// The works with these ids, in the order given; unknown ids are left out.
            pub(crate) async fn works(store: &S, ids: &[WorkId]) -> Result<Vec<Work>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let head = format!("SELECT {WORK_COLUMNS} FROM works WHERE id IN ");
                let rows: Vec<WorkRow> = in_list::<Db>(&head, ids, "")
                    .build_query_as()
                    .fetch_all(store.reader())
                    .await?;
                let mut works: HashMap<i64, Work> = HashMap::with_capacity(rows.len());
                for row in rows {
                    works.insert(row.id, row.into_work()?);
                }
                let ids: Vec<i64> = ids
                    .iter()
                    .copied()
                    .filter(|id| works.contains_key(id))
                    .collect();
                // `IN ()` is a syntax error on PostgreSQL.
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                complete_works(store, &ids, &mut works).await?;
                Ok(ids.iter().filter_map(|id| works.remove(id)).collect())
            }

            /// Fills in creators, tags, series and sources of freshly read work rows.
            async fn complete_works(
                store: &S,
                ids: &[i64],
                works: &mut HashMap<i64, Work>,
            ) -> Result<()> {
                let creators: Vec<CreatorRow> = in_list::<Db>(
                    "SELECT c.work_id, p.id, p.user_id, p.name, u.login, p.is_default \
                     FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                     JOIN users u ON u.id = p.user_id WHERE c.work_id IN ",
                    ids,
                    " ORDER BY c.work_id, c.position",
                )
                .build_query_as()
                .fetch_all(store.reader())
                .await?;
                for row in creators {
                    if let Some(w) = works.get_mut(&row.work_id) {
                        w.creators.push(Pseud::from(row.pseud));
                    }
                }

                let tags: Vec<WorkTagRow> = in_list::<Db>(
                    "SELECT wt.work_id, t.id, t.kind, t.name, t.canonical \
                     FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id IN ",
                    ids,
                    " ORDER BY wt.work_id, wt.position",
                )
                .build_query_as()
                .fetch_all(store.reader())
                .await?;
                for row in tags {
                    let work_id = row.work_id;
                    let tag = row.into_tag()?;
                    if let Some(w) = works.get_mut(&work_id) {
                        w.tags.push(tag);
                    }
                }

                let parts: Vec<SeriesPartRow> = in_list::<Db>(
                    "SELECT sw.work_id, s.id, s.title, sw.position \
                     FROM serial_works sw JOIN series s ON s.id = sw.series_id WHERE sw.work_id IN ",
                    ids,
                    " ORDER BY sw.work_id, s.id",
                )
                .build_query_as()
                .fetch_all(store.reader())
                .await?;
                for row in parts {
                    if let Some(w) = works.get_mut(&row.work_id) {
                        w.series.push(SeriesPart {
                            id: row.id,
                            title: row.title,
                            position: row.position,
                        });
                    }
                }

                let gifts: Vec<(i64, String, Option<String>)> = in_list::<Db>(
                    "SELECT g.work_id, COALESCE(p.name, g.name), u.login FROM gifts g \
                     LEFT JOIN pseuds p ON p.id = g.pseud_id \
                     LEFT JOIN users u ON u.id = p.user_id \
                     WHERE NOT g.refused AND g.work_id IN ",
                    ids,
                    " ORDER BY g.work_id, g.position",
                )
                .build_query_as()
                .fetch_all(store.reader())
                .await?;
                for (work_id, name, login) in gifts {
                    if let Some(w) = works.get_mut(&work_id) {
                        w.gifts.push(Gift { name, login });
                    }
                }

                let sources: Vec<SourceRow> = in_list::<Db>(
                    "SELECT work_id, archive, path, original_id, content_hash, fields, \
                     original_rating, imported_at FROM sources WHERE work_id IN ",
                    ids,
                    "",
                )
                .build_query_as()
                .fetch_all(store.reader())
                .await?;
                for row in sources {
                    let work_id = row.work_id;
                    let source = row.into_source()?;
                    if let Some(w) = works.get_mut(&work_id) {
                        w.source = Some(source);
                    }
                }
                Ok(())
            }

            /// The work's chapters without their text, in order.
            pub(crate) async fn chapter_index(
                store: &S,
                work: WorkId,
            ) -> Result<Vec<ChapterHeading>> {
                let rows: Vec<ChapterHeadingRow> = sqlx::query_as(
                    "SELECT id, work_id, position, title, posted FROM chapters \
                     WHERE work_id = $1 ORDER BY position",
                )
                .bind(work)
                .fetch_all(store.reader())
                .await?;
                Ok(rows.into_iter().map(ChapterHeading::from).collect())
            }

            pub(crate) async fn chapter(
                store: &S,
                work: WorkId,
                chapter: ChapterId,
            ) -> Result<Option<Chapter>> {
                let row: Option<ChapterRow> = sqlx::query_as(&format!(
                    "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE work_id = $1 AND id = $2"
                ))
                .bind(work)
                .bind(chapter)
                .fetch_optional(store.reader())
                .await?;
                Ok(row.map(Chapter::from))
            }

            /// Every chapter of the work with its text, in order.
            pub(crate) async fn chapters(store: &S, work: WorkId) -> Result<Vec<Chapter>> {
                let rows: Vec<ChapterRow> = sqlx::query_as(&format!(
                    "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE work_id = $1 ORDER BY position"
                ))
                .bind(work)
                .fetch_all(store.reader())
                .await?;
                Ok(rows.into_iter().map(Chapter::from).collect())
            }

            /// The first work (lowest id) matching the criteria, for the demo's examples.
            pub(crate) async fn find_work(
                store: &S,
                criteria: WorkCriteria,
            ) -> Result<Option<WorkId>> {
                let mut qb = QueryBuilder::<Db>::new("SELECT id FROM works WHERE 1 = 1");
                if let Some(rating) = criteria.rating {
                    qb.push(" AND rating = ").push_bind(rating.name());
                }
                if let Some(posted) = criteria.posted {
                    qb.push(" AND posted = ").push_bind(posted);
                }
                if let Some(restricted) = criteria.restricted {
                    qb.push(" AND restricted = ").push_bind(restricted);
                }
                if let Some(imported) = criteria.imported {
                    qb.push(if imported { " AND " } else { " AND NOT " });
                    qb.push("EXISTS (SELECT 1 FROM sources s WHERE s.work_id = works.id)");
                }
                if let Some(multi) = criteria.multi_chapter {
                    qb.push(if multi {
                        " AND chapter_count > 1"
                    } else {
                        " AND chapter_count = 1"
                    });
                }
                qb.push(" AND NOT hidden_by_admin ORDER BY id LIMIT 1");
                Ok(qb
                    .build_query_scalar()
                    .fetch_optional(store.reader())
                    .await?)
            }

            pub(crate) async fn counts(store: &S) -> Result<ArchiveCounts> {
                let (works, chapters, users, tags, words): (i64, i64, i64, i64, i64) =
                    sqlx::query_as(
                        "SELECT (SELECT COUNT(*) FROM works), (SELECT COUNT(*) FROM chapters), \
                         (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM tags), \
                         (SELECT CAST(COALESCE(SUM(word_count), 0) AS BIGINT) FROM works)",
                    )
                    .fetch_one(store.reader())
                    .await?;
                Ok(ArchiveCounts {
                    works,
                    chapters,
                    users,
                    tags,
                    words,
                })
            }
        }
    };
}

pub(crate) use work_reads;
