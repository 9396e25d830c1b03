//! The SQL both backends run, written once.
//!
//! SQLite and PostgreSQL accept the same statements here (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`); only connecting, migrating and the outbox lock differ, and those live in
//! `sqlite.rs` and `postgres.rs`. sqlx has no practical way to write this generically over
//! both drivers, so the implementation is a macro expanded once per backend, each time with
//! concrete types.

/// Implements [`crate::Store`] for `$store` (a struct with `writer` and `reader` pools of
/// database `$db`, and an `async fn lock_outbox(&mut Connection)`).
macro_rules! impl_store {
    ($store:ty, $db:ty, $backend:literal) => {
        use std::collections::HashMap;

        use async_trait::async_trait;
        use chrono::Utc;
        use quire_core::visibility::ListingScope;
        use quire_core::work::{ChapterHeading, NewChapter, NewWork};
        use quire_core::{
            Chapter, ChapterId, Pseud, Series, SeriesId, Tag, TagKind, User, UserId, Work, WorkId,
        };
        use sqlx::QueryBuilder;

        use crate::keys::name_key;
        use crate::rows::{
            ChapterHeadingRow, ChapterRow, CreatorRow, PseudRow, SeriesPartRow, SourceRow,
            UserRow, WorkRow, WorkTagRow, CHAPTER_COLUMNS, WORK_COLUMNS,
        };
        use crate::store::{
            ArchiveCounts, Change, NewSeries, NewUser, Page, SeriesSummary, SourceRef, Store,
            WorkCriteria,
        };
        use crate::sql::{ROWS_PER_STATEMENT, all_tags, check_insertable, position, posted_chapters};
        use crate::{Result, StoreError};

        type Tx<'a> = sqlx::Transaction<'a, $db>;

        /// Tag ids already resolved in this transaction, by name key.
        type TagCache = HashMap<String, i64>;

        impl $store {
            /// Stores works and everything of them in the open transaction: the rows in
            /// multi-row statements (a bulk insert of 500 works takes a few dozen statements,
            /// not thousands), then one outbox entry each.
            async fn insert_works_tx(
                tx: &mut Tx<'_>,
                works: &[NewWork],
                tags: &mut TagCache,
            ) -> Result<Vec<WorkId>> {
                for work in works {
                    check_insertable(work)?;
                }
                let ids = Self::reserve_work_ids(&mut **tx, works.len()).await?;
                let now = Utc::now();
                let rows: Vec<(WorkId, &NewWork)> = ids.iter().copied().zip(works).collect();
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<$db>::new(
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
                            .push_bind(posted_chapters(work))
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
                Self::insert_work_parts(tx, &rows, tags).await?;
                Self::append_changes(tx, "work", &ids, "create").await?;
                Ok(ids)
            }

            /// Replaces a work's content in place in the open transaction, keeping its id and
            /// counters.
            async fn replace_work_tx(
                tx: &mut Tx<'_>,
                id: WorkId,
                work: &NewWork,
                tags: &mut TagCache,
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
                .bind(posted_chapters(work))
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
                for table in ["creatorships", "chapters", "work_tags", "serial_works", "sources"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE work_id = $1"))
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                }
                Self::insert_work_parts(tx, &[(id, work)], tags).await?;
                Self::append_change(tx, "work", id, "update").await?;
                Ok(())
            }

            /// The archive's creator of this name, made in the open transaction when new.
            async fn archive_creator_tx(tx: &mut Tx<'_>, archive: &str, name: &str) -> Result<Pseud> {
                let key = name_key(name);
                let find = "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                            JOIN users u ON u.id = p.user_id \
                            WHERE u.archive = $1 AND p.name_key = $2 ORDER BY p.id LIMIT 1";
                let found: Option<PseudRow> = sqlx::query_as(find)
                    .bind(archive)
                    .bind(&key)
                    .fetch_optional(&mut **tx)
                    .await?;
                if let Some(row) = found {
                    return Ok(row.into());
                }
                let login = Self::unique_login(tx, &quire_core::user::login_slug(name)).await?;
                let user = NewUser {
                    login,
                    pseuds: vec![name.trim().to_owned()],
                    ..NewUser::default()
                };
                Self::insert_user_tx(tx, &user, Some(archive)).await?;
                let row: PseudRow = sqlx::query_as(find)
                    .bind(archive)
                    .bind(&key)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok(row.into())
            }

            /// Everything of the works that lives outside their rows.
            async fn insert_work_parts(
                tx: &mut Tx<'_>,
                works: &[(WorkId, &NewWork)],
                tags: &mut TagCache,
            ) -> Result<()> {
                let creators: Vec<(WorkId, i64, i32)> = works
                    .iter()
                    .flat_map(|(id, w)| {
                        w.creators.iter().enumerate().map(move |(i, p)| (*id, *p, position(i)))
                    })
                    .collect();
                for chunk in creators.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "INSERT INTO creatorships (work_id, pseud_id, position) ",
                    );
                    qb.push_values(chunk, |mut b, (work, pseud, place)| {
                        b.push_bind(*work).push_bind(*pseud).push_bind(*place);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }

                let chapters: Vec<(WorkId, i32, &NewChapter, chrono::NaiveDate)> = works
                    .iter()
                    .flat_map(|(id, w)| {
                        w.chapters
                            .iter()
                            .enumerate()
                            .map(move |(i, c)| (*id, position(i), c, c.published.unwrap_or(w.published)))
                    })
                    .collect();
                for chunk in chapters.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<$db>::new(
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

                let work_tag_names: Vec<Vec<(TagKind, String)>> =
                    works.iter().map(|(_, work)| all_tags(work)).collect();
                Self::resolve_tags(tx, work_tag_names.iter().flatten(), tags).await?;
                let mut work_tags: Vec<(WorkId, i64, i32)> = Vec::new();
                for ((id, _), names) in works.iter().zip(&work_tag_names) {
                    let mut seen: Vec<i64> = Vec::new();
                    for (kind, name) in names {
                        let tag = Self::tag_id(tx, *kind, name, tags).await?;
                        if !seen.contains(&tag) {
                            seen.push(tag);
                            work_tags.push((*id, tag, position(seen.len() - 1)));
                        }
                    }
                }
                for chunk in work_tags.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<$db>::new(
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
                    let mut qb = QueryBuilder::<$db>::new(
                        "INSERT INTO serial_works (series_id, work_id, position) ",
                    );
                    qb.push_values(chunk, |mut b, (series, work, place)| {
                        b.push_bind(*series).push_bind(*work).push_bind(*place);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }

                for (id, work) in works {
                    let Some(source) = &work.source else {
                        continue;
                    };
                    let fields = serde_json::to_string(&source.fields)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                    sqlx::query(
                        "INSERT INTO sources (work_id, archive, path, original_id, content_hash, \
                         fields, original_rating, imported_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(&source.archive)
                    .bind(&source.path)
                    .bind(&source.original_id)
                    .bind(&source.content_hash)
                    .bind(fields)
                    .bind(&source.original_rating)
                    .bind(Utc::now())
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            /// Puts the ids of all these tags in the cache, creating the new ones, in a few
            /// statements for the whole batch rather than a few per tag.
            async fn resolve_tags<'n>(
                tx: &mut Tx<'_>,
                names: impl Iterator<Item = &'n (TagKind, String)>,
                cache: &mut TagCache,
            ) -> Result<()> {
                let mut wanted: HashMap<String, (TagKind, &'n str)> = HashMap::new();
                for (kind, name) in names {
                    let key = name_key(name);
                    if !cache.contains_key(&key) {
                        wanted.entry(key).or_insert((*kind, name.as_str()));
                    }
                }
                let keys: Vec<&String> = wanted.keys().collect();
                for chunk in keys.chunks(ROWS_PER_STATEMENT) {
                    Self::cache_tag_ids(tx, chunk, cache).await?;
                }
                let missing: Vec<(&String, &(TagKind, &str))> =
                    wanted.iter().filter(|(key, _)| !cache.contains_key(*key)).collect();
                for chunk in missing.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "INSERT INTO tags (kind, name, name_key, canonical) ",
                    );
                    qb.push_values(chunk, |mut b, (key, (kind, name))| {
                        let canonical = matches!(
                            kind,
                            TagKind::Rating | TagKind::ArchiveWarning | TagKind::Category
                        );
                        b.push_bind(kind.as_str())
                            .push_bind(name.trim())
                            .push_bind(key.as_str())
                            .push_bind(canonical);
                    });
                    qb.push(" ON CONFLICT (name_key) DO NOTHING");
                    run(qb, chunk.len(), &mut **tx).await?;
                    let keys: Vec<&String> = chunk.iter().map(|(key, _)| *key).collect();
                    Self::cache_tag_ids(tx, &keys, cache).await?;
                }
                Ok(())
            }

            /// Reads the ids of the tags with these name keys into the cache.
            async fn cache_tag_ids(
                tx: &mut Tx<'_>,
                keys: &[&String],
                cache: &mut TagCache,
            ) -> Result<()> {
                let mut qb = QueryBuilder::<$db>::new("SELECT id, name_key FROM tags WHERE name_key IN (");
                let mut list = qb.separated(", ");
                for key in keys {
                    list.push_bind(key.as_str());
                }
                qb.push(")");
                let rows: Vec<(i64, String)> = qb
                    .build_query_as()
                    .persistent(keys.len() == ROWS_PER_STATEMENT)
                    .fetch_all(&mut **tx)
                    .await?;
                cache.extend(rows.into_iter().map(|(id, key)| (key, id)));
                Ok(())
            }

            /// The id of the tag with this name, created when new. Names are unique across
            /// kinds, case-insensitively, as on AO3: an existing tag keeps its kind.
            async fn tag_id(
                tx: &mut Tx<'_>,
                kind: TagKind,
                name: &str,
                cache: &mut TagCache,
            ) -> Result<i64> {
                let key = name_key(name);
                if let Some(id) = cache.get(&key) {
                    return Ok(*id);
                }
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM tags WHERE name_key = $1")
                        .bind(&key)
                        .fetch_optional(&mut **tx)
                        .await?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        let canonical = matches!(
                            kind,
                            TagKind::Rating | TagKind::ArchiveWarning | TagKind::Category
                        );
                        let inserted: Option<i64> = sqlx::query_scalar(
                            "INSERT INTO tags (kind, name, name_key, canonical) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (name_key) DO NOTHING RETURNING id",
                        )
                        .bind(kind.as_str())
                        .bind(name.trim())
                        .bind(&key)
                        .bind(canonical)
                        .fetch_optional(&mut **tx)
                        .await?;
                        match inserted {
                            Some(id) => id,
                            None => {
                                sqlx::query_scalar("SELECT id FROM tags WHERE name_key = $1")
                                    .bind(&key)
                                    .fetch_one(&mut **tx)
                                    .await?
                            }
                        }
                    }
                };
                cache.insert(key, id);
                Ok(id)
            }

            async fn append_change(
                tx: &mut Tx<'_>,
                entity: &str,
                entity_id: i64,
                op: &str,
            ) -> Result<()> {
                Self::append_changes(tx, entity, &[entity_id], op).await
            }

            /// Appends one outbox row per id, under the backend's outbox lock.
            async fn append_changes(
                tx: &mut Tx<'_>,
                entity: &str,
                ids: &[i64],
                op: &str,
            ) -> Result<()> {
                Self::lock_outbox(&mut **tx).await?;
                let now = Utc::now();
                for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                    let mut qb =
                        QueryBuilder::<$db>::new("INSERT INTO changes (entity, entity_id, op, at) ");
                    qb.push_values(chunk, |mut b, id| {
                        b.push_bind(entity).push_bind(*id).push_bind(op).push_bind(now);
                    });
                    run(qb, chunk.len(), &mut **tx).await?;
                }
                Ok(())
            }

            async fn unique_login(tx: &mut Tx<'_>, base: &str) -> Result<String> {
                for n in 1..10_000 {
                    let login = if n == 1 { base.to_owned() } else { format!("{base}_{n}") };
                    let taken: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
                            .bind(&login)
                            .fetch_optional(&mut **tx)
                            .await?;
                    if taken.is_none() {
                        return Ok(login);
                    }
                }
                Err(StoreError::Conflict(format!("no free login near `{base}`")))
            }

            async fn insert_user_tx(
                tx: &mut Tx<'_>,
                user: &NewUser,
                archive: Option<&str>,
            ) -> Result<User> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (login, email, password_hash, is_admin, claimed, archive, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&user.login)
                .bind(&user.email)
                .bind(&user.password_hash)
                .bind(user.is_admin)
                .bind(user.password_hash.is_some())
                .bind(archive)
                .bind(Utc::now())
                .fetch_one(&mut **tx)
                .await?;
                let names: Vec<&str> = if user.pseuds.is_empty() {
                    vec![user.login.as_str()]
                } else {
                    user.pseuds.iter().map(String::as_str).collect()
                };
                for (i, name) in names.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO pseuds (user_id, name, name_key, is_default) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (user_id, name_key) DO NOTHING",
                    )
                    .bind(id)
                    .bind(name.trim())
                    .bind(name_key(name))
                    .bind(i == 0)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(User {
                    id,
                    login: user.login.clone(),
                    is_admin: user.is_admin,
                    claimed: user.password_hash.is_some(),
                })
            }

            /// Fills in creators, tags, series and sources of freshly read work rows.
            async fn complete_works(&self, rows: Vec<WorkRow>) -> Result<Vec<Work>> {
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                let mut works: HashMap<i64, Work> = HashMap::with_capacity(rows.len());
                for row in rows {
                    works.insert(row.id, row.into_work()?);
                }

                let creators: Vec<CreatorRow> = in_list(
                    "SELECT c.work_id, p.id, p.user_id, p.name, u.login, p.is_default \
                     FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                     JOIN users u ON u.id = p.user_id WHERE c.work_id IN ",
                    &ids,
                    " ORDER BY c.work_id, c.position",
                )
                .build_query_as()
                .fetch_all(&self.reader)
                .await?;
                for row in creators {
                    if let Some(w) = works.get_mut(&row.work_id) {
                        w.creators.push(Pseud::from(row.pseud));
                    }
                }

                let tags: Vec<WorkTagRow> = in_list(
                    "SELECT wt.work_id, t.id, t.kind, t.name, t.canonical \
                     FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id IN ",
                    &ids,
                    " ORDER BY wt.work_id, wt.position",
                )
                .build_query_as()
                .fetch_all(&self.reader)
                .await?;
                for row in tags {
                    let work_id = row.work_id;
                    let tag = row.into_tag()?;
                    if let Some(w) = works.get_mut(&work_id) {
                        w.tags.push(tag);
                    }
                }

                let parts: Vec<SeriesPartRow> = in_list(
                    "SELECT sw.work_id, s.id, s.title, sw.position \
                     FROM serial_works sw JOIN series s ON s.id = sw.series_id WHERE sw.work_id IN ",
                    &ids,
                    " ORDER BY sw.work_id, s.id",
                )
                .build_query_as()
                .fetch_all(&self.reader)
                .await?;
                for row in parts {
                    if let Some(w) = works.get_mut(&row.work_id) {
                        w.series.push(quire_core::SeriesPart {
                            id: row.id,
                            title: row.title,
                            position: row.position,
                        });
                    }
                }

                let sources: Vec<SourceRow> = in_list(
                    "SELECT work_id, archive, path, original_id, content_hash, fields, \
                     original_rating, imported_at FROM sources WHERE work_id IN ",
                    &ids,
                    "",
                )
                .build_query_as()
                .fetch_all(&self.reader)
                .await?;
                for row in sources {
                    let work_id = row.work_id;
                    let source = row.into_source()?;
                    if let Some(w) = works.get_mut(&work_id) {
                        w.source = Some(source);
                    }
                }

                Ok(ids.iter().filter_map(|id| works.remove(id)).collect())
            }
        }

        /// Runs a multi-row statement. Full chunks share one cached prepared statement; the
        /// shorter last chunk of a batch is prepared once and not cached, so that its many
        /// possible lengths do not push the common statements out of the cache.
        async fn run(
            mut qb: QueryBuilder<'_, $db>,
            rows: usize,
            conn: &mut <$db as sqlx::Database>::Connection,
        ) -> Result<()> {
            qb.build()
                .persistent(rows == ROWS_PER_STATEMENT)
                .execute(conn)
                .await?;
            Ok(())
        }

        /// `head (id, id, …) tail`, with the ids bound.
        fn in_list<'a>(head: &str, ids: &'a [i64], tail: &str) -> QueryBuilder<'a, $db> {
            let mut qb = QueryBuilder::<$db>::new(head);
            qb.push("(");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            qb.push(")");
            qb.push(tail);
            qb
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.reader).await?;
                Ok(())
            }

            async fn create_user(&self, user: &NewUser) -> Result<User> {
                let mut tx = self.writer.begin().await?;
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
                    .bind(&user.login)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "the login `{}` is taken",
                        user.login
                    )));
                }
                let created = Self::insert_user_tx(&mut tx, user, None).await?;
                tx.commit().await?;
                Ok(created)
            }

            async fn user_by_login(&self, login: &str) -> Result<Option<User>> {
                let row: Option<UserRow> = sqlx::query_as(
                    "SELECT id, login, is_admin, claimed FROM users WHERE login = $1",
                )
                .bind(login)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.map(User::from))
            }

            async fn pseuds_of(&self, user: UserId) -> Result<Vec<Pseud>> {
                let rows: Vec<PseudRow> = sqlx::query_as(
                    "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                     JOIN users u ON u.id = p.user_id WHERE p.user_id = $1 \
                     ORDER BY p.is_default DESC, p.name_key",
                )
                .bind(user)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(Pseud::from).collect())
            }

            async fn archive_creator(&self, archive: &str, name: &str) -> Result<Pseud> {
                let mut tx = self.writer.begin().await?;
                let pseud = Self::archive_creator_tx(&mut tx, archive, name).await?;
                tx.commit().await?;
                Ok(pseud)
            }

            async fn archive_creators(&self, archive: &str, names: &[String]) -> Result<Vec<Pseud>> {
                let mut tx = self.writer.begin().await?;
                let mut pseuds = Vec::with_capacity(names.len());
                for name in names {
                    pseuds.push(Self::archive_creator_tx(&mut tx, archive, name).await?);
                }
                tx.commit().await?;
                Ok(pseuds)
            }

            async fn create_series(&self, series: &NewSeries) -> Result<SeriesId> {
                let mut tx = self.writer.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO series (title, summary, complete, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&series.title)
                .bind(&series.summary)
                .bind(series.complete)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?;
                Self::append_change(&mut tx, "series", id, "create").await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn series(&self, id: SeriesId) -> Result<Option<Series>> {
                let row: Option<(i64, String, Option<String>, bool)> = sqlx::query_as(
                    "SELECT id, title, summary, complete FROM series WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let Some((id, title, summary, complete)) = row else {
                    return Ok(None);
                };
                let work_ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT work_id FROM serial_works WHERE series_id = $1 ORDER BY position, work_id",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                Ok(Some(Series {
                    id,
                    title,
                    summary,
                    complete,
                    work_ids,
                }))
            }

            async fn archive_series(&self, archive: &str, title: &str) -> Result<SeriesId> {
                let key = name_key(title);
                let find = "SELECT id FROM series WHERE archive = $1 AND title_key = $2 \
                            ORDER BY id LIMIT 1";
                let mut tx = self.writer.begin().await?;
                let found: Option<i64> = sqlx::query_scalar(find)
                    .bind(archive)
                    .bind(&key)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(id) = found {
                    return Ok(id);
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO series (title, summary, complete, created_at, archive, title_key) \
                     VALUES ($1, NULL, FALSE, $2, $3, $4) RETURNING id",
                )
                .bind(title.trim())
                .bind(Utc::now())
                .bind(archive)
                .bind(&key)
                .fetch_one(&mut *tx)
                .await?;
                Self::append_change(&mut tx, "series", id, "create").await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn insert_work(&self, work: &NewWork) -> Result<WorkId> {
                let ids = self.insert_works(std::slice::from_ref(work)).await?;
                ids.first().copied().ok_or(StoreError::NotFound("work"))
            }

            async fn insert_works(&self, works: &[NewWork]) -> Result<Vec<WorkId>> {
                let mut tx = self.writer.begin().await?;
                let ids = Self::insert_works_tx(&mut tx, works, &mut TagCache::new()).await?;
                tx.commit().await?;
                Ok(ids)
            }

            async fn replace_work(&self, id: WorkId, work: &NewWork) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                Self::replace_work_tx(&mut tx, id, work, &mut TagCache::new()).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn import_works(
                &self,
                new: &[NewWork],
                replaced: &[(WorkId, NewWork)],
            ) -> Result<Vec<WorkId>> {
                let mut tx = self.writer.begin().await?;
                let mut tags = TagCache::new();
                for (id, work) in replaced {
                    Self::replace_work_tx(&mut tx, *id, work, &mut tags).await?;
                }
                let ids = if new.is_empty() {
                    Vec::new()
                } else {
                    Self::insert_works_tx(&mut tx, new, &mut tags).await?
                };
                tx.commit().await?;
                Ok(ids)
            }

            async fn sources_of(
                &self,
                archive: &str,
                paths: &[String],
            ) -> Result<Vec<(String, SourceRef)>> {
                let mut found = Vec::new();
                for chunk in paths.chunks(500) {
                    let mut qb = QueryBuilder::<$db>::new(
                        "SELECT path, work_id, content_hash FROM sources WHERE archive = ",
                    );
                    qb.push_bind(archive);
                    qb.push(" AND path IN (");
                    let mut list = qb.separated(", ");
                    for path in chunk {
                        list.push_bind(path);
                    }
                    qb.push(")");
                    let rows: Vec<(String, i64, String)> =
                        qb.build_query_as().fetch_all(&self.reader).await?;
                    found.extend(rows.into_iter().map(|(path, work_id, content_hash)| {
                        (path, SourceRef { work_id, content_hash })
                    }));
                }
                Ok(found)
            }

            async fn work(&self, id: WorkId) -> Result<Option<Work>> {
                Ok(self.works(&[id]).await?.pop())
            }

            async fn works(&self, ids: &[WorkId]) -> Result<Vec<Work>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let rows: Vec<WorkRow> =
                    in_list(&format!("SELECT {WORK_COLUMNS} FROM works WHERE id IN "), ids, "")
                        .build_query_as()
                        .fetch_all(&self.reader)
                        .await?;
                let mut by_id: HashMap<i64, WorkRow> = rows.into_iter().map(|r| (r.id, r)).collect();
                let ordered = ids.iter().filter_map(|id| by_id.remove(id)).collect();
                self.complete_works(ordered).await
            }

            async fn chapter_index(&self, work: WorkId) -> Result<Vec<ChapterHeading>> {
                let rows: Vec<ChapterHeadingRow> = sqlx::query_as(
                    "SELECT id, work_id, position, title, posted FROM chapters WHERE work_id = $1 ORDER BY position",
                )
                .bind(work)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(ChapterHeading::from).collect())
            }

            async fn chapter(&self, work: WorkId, chapter: ChapterId) -> Result<Option<Chapter>> {
                let row: Option<ChapterRow> = sqlx::query_as(&format!(
                    "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE work_id = $1 AND id = $2"
                ))
                .bind(work)
                .bind(chapter)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.map(Chapter::from))
            }

            async fn chapters(&self, work: WorkId) -> Result<Vec<Chapter>> {
                let rows: Vec<ChapterRow> = sqlx::query_as(&format!(
                    "SELECT {CHAPTER_COLUMNS} FROM chapters WHERE work_id = $1 ORDER BY position"
                ))
                .bind(work)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(Chapter::from).collect())
            }

            async fn recent_works(&self, scope: ListingScope, page: Page) -> Result<Vec<Work>> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM works WHERE posted AND NOT hidden_by_admin \
                     AND (NOT restricted OR $1) ORDER BY updated DESC, id DESC LIMIT $2 OFFSET $3",
                )
                .bind(scope.include_restricted)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(&self.reader)
                .await?;
                self.works(&ids).await
            }

            async fn works_tagged(
                &self,
                name: &str,
                scope: ListingScope,
                page: Page,
            ) -> Result<Option<(Tag, Vec<Work>, i64)>> {
                let tag: Option<(i64, String, String, bool)> = sqlx::query_as(
                    "SELECT id, kind, name, canonical FROM tags WHERE name_key = $1",
                )
                .bind(name_key(name))
                .fetch_optional(&self.reader)
                .await?;
                let Some((id, kind, name, canonical)) = tag else {
                    return Ok(None);
                };
                let kind = kind
                    .parse::<TagKind>()
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                const LISTABLE: &str = "FROM works w JOIN work_tags wt ON wt.work_id = w.id \
                     WHERE wt.tag_id = $1 AND w.posted AND NOT w.hidden_by_admin \
                     AND (NOT w.restricted OR $2)";
                let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {LISTABLE}"))
                    .bind(id)
                    .bind(scope.include_restricted)
                    .fetch_one(&self.reader)
                    .await?;
                let ids: Vec<i64> = sqlx::query_scalar(&format!(
                    "SELECT w.id {LISTABLE} ORDER BY w.updated DESC, w.id DESC LIMIT $3 OFFSET $4"
                ))
                .bind(id)
                .bind(scope.include_restricted)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(&self.reader)
                .await?;
                let tag = Tag { id, kind, name, canonical };
                Ok(Some((tag, self.works(&ids).await?, total)))
            }

            async fn works_by_user(
                &self,
                user: UserId,
                scope: ListingScope,
                page: Page,
            ) -> Result<(Vec<Work>, i64)> {
                const LISTABLE: &str = "FROM works w WHERE w.id IN (SELECT c.work_id \
                     FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1) \
                     AND w.posted AND NOT w.hidden_by_admin AND (NOT w.restricted OR $2)";
                let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {LISTABLE}"))
                    .bind(user)
                    .bind(scope.include_restricted)
                    .fetch_one(&self.reader)
                    .await?;
                let ids: Vec<i64> = sqlx::query_scalar(&format!(
                    "SELECT w.id {LISTABLE} ORDER BY w.updated DESC, w.id DESC LIMIT $3 OFFSET $4"
                ))
                .bind(user)
                .bind(scope.include_restricted)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(&self.reader)
                .await?;
                Ok((self.works(&ids).await?, total))
            }

            async fn series_by_user(
                &self,
                user: UserId,
                scope: ListingScope,
            ) -> Result<Vec<SeriesSummary>> {
                let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT s.id, s.title, COUNT(DISTINCT w.id) FROM series s \
                     JOIN serial_works sw ON sw.series_id = s.id JOIN works w ON w.id = sw.work_id \
                     JOIN creatorships c ON c.work_id = w.id JOIN pseuds p ON p.id = c.pseud_id \
                     WHERE p.user_id = $1 AND w.posted AND NOT w.hidden_by_admin \
                     AND (NOT w.restricted OR $2) GROUP BY s.id, s.title ORDER BY s.title, s.id",
                )
                .bind(user)
                .bind(scope.include_restricted)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, title, works)| SeriesSummary { id, title, works })
                    .collect())
            }

            async fn tag_counts(
                &self,
                kind: TagKind,
                scope: ListingScope,
            ) -> Result<Vec<(Tag, i64)>> {
                let rows: Vec<(i64, String, bool, i64)> = sqlx::query_as(
                    "SELECT t.id, t.name, t.canonical, COUNT(*) FROM tags t \
                     JOIN work_tags wt ON wt.tag_id = t.id JOIN works w ON w.id = wt.work_id \
                     WHERE t.kind = $1 AND w.posted AND NOT w.hidden_by_admin \
                     AND (NOT w.restricted OR $2) \
                     GROUP BY t.id, t.name, t.canonical ORDER BY t.name",
                )
                .bind(kind.as_str())
                .bind(scope.include_restricted)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, canonical, count)| {
                        (Tag { id, kind, name, canonical }, count)
                    })
                    .collect())
            }

            async fn find_work(&self, criteria: WorkCriteria) -> Result<Option<WorkId>> {
                let mut qb = QueryBuilder::<$db>::new("SELECT id FROM works WHERE 1 = 1");
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
                    qb.push(if multi { " AND chapter_count > 1" } else { " AND chapter_count = 1" });
                }
                qb.push(" AND NOT hidden_by_admin ORDER BY id LIMIT 1");
                Ok(qb.build_query_scalar().fetch_optional(&self.reader).await?)
            }

            async fn source(&self, archive: &str, path: &str) -> Result<Option<SourceRef>> {
                let row: Option<(i64, String)> = sqlx::query_as(
                    "SELECT work_id, content_hash FROM sources WHERE archive = $1 AND path = $2",
                )
                .bind(archive)
                .bind(path)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.map(|(work_id, content_hash)| SourceRef {
                    work_id,
                    content_hash,
                }))
            }

            async fn last_change_seq(&self) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
                    .fetch_one(&self.reader)
                    .await?)
            }

            async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
                let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
                    "SELECT seq, entity, entity_id, op FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(seq)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, entity, entity_id, op)| Change {
                        seq,
                        entity,
                        entity_id,
                        op,
                    })
                    .collect())
            }

            async fn counts(&self) -> Result<ArchiveCounts> {
                let (works, chapters, users, tags, words): (i64, i64, i64, i64, i64) =
                    sqlx::query_as(
                        "SELECT (SELECT COUNT(*) FROM works), (SELECT COUNT(*) FROM chapters), \
                         (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM tags), \
                         (SELECT CAST(COALESCE(SUM(word_count), 0) AS BIGINT) FROM works)",
                    )
                    .fetch_one(&self.reader)
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

pub(crate) use impl_store;

use crate::{Result, StoreError};
use quire_core::TagKind;
use quire_core::work::NewWork;

/// Rows per multi-row INSERT: 100 rows of the widest table (21 columns) stay far below both
/// databases' bound-parameter limits.
pub(crate) const ROWS_PER_STATEMENT: usize = 100;

/// A work the store can hold: at least one chapter and one creator.
pub(crate) fn check_insertable(work: &NewWork) -> Result<()> {
    if work.chapters.is_empty() {
        return Err(StoreError::Invalid(format!(
            "`{}` has no chapter",
            work.title
        )));
    }
    if work.creators.is_empty() {
        return Err(StoreError::Invalid(format!(
            "`{}` has no creator",
            work.title
        )));
    }
    Ok(())
}

pub(crate) fn posted_chapters(work: &NewWork) -> i32 {
    i32::try_from(work.chapters.iter().filter(|c| c.posted).count()).unwrap_or(i32::MAX)
}

/// A 1-based position from a 0-based index.
pub(crate) fn position(index: usize) -> i32 {
    i32::try_from(index + 1).unwrap_or(i32::MAX)
}

/// Every tag of a work, the fixed vocabularies first, as (kind, name).
pub(crate) fn all_tags(work: &NewWork) -> Vec<(TagKind, String)> {
    let mut tags =
        Vec::with_capacity(1 + work.warnings.len() + work.categories.len() + work.tags.len());
    tags.push((TagKind::Rating, work.rating.name().to_owned()));
    tags.extend(
        work.warnings
            .iter()
            .map(|w| (TagKind::ArchiveWarning, w.name().to_owned())),
    );
    tags.extend(
        work.categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_owned())),
    );
    tags.extend(
        work.tags
            .iter()
            .filter(|(_, name)| !name.trim().is_empty())
            .cloned(),
    );
    tags
}
