//! Listings and counts: recent works, a tag's works, a user's works and series, how many
//! works carry each tag, and the unwrangled tags (AO3's bin) by use. Each narrows its rows
//! with [`crate::sql::push_listable`], the one SQL form of the visibility rule.

/// Expands the `listings` module for the backend of the enclosing [`super::expand!`].
macro_rules! listings {
    () => {
        mod listings {
            use quire_core::visibility::ListingScope;
            use quire_core::{Tag, TagKind, UserId, Work};
            use sqlx::QueryBuilder;

            use super::{Db, S, work_reads};
            use crate::backend::Backend;
            use crate::keys::name_key;
            use crate::sql::push_listable;
            use crate::store::{Page, SeriesSummary};
            use crate::{Result, StoreError};

            /// Listable works, most recently updated first.
            pub(crate) async fn recent_works(
                store: &S,
                scope: ListingScope,
                page: Page,
            ) -> Result<Vec<Work>> {
                let mut qb = QueryBuilder::<Db>::new("SELECT w.id FROM works w WHERE ");
                push_listable(&mut qb, scope);
                let ids: Vec<i64> = paged(qb, page)
                    .build_query_scalar()
                    .fetch_all(store.reader())
                    .await?;
                work_reads::works(store, &ids).await
            }

            /// Listable works with the tag named `name` (any case), with the tag and their
            /// number; `None` when no tag has that name.
            pub(crate) async fn works_tagged(
                store: &S,
                name: &str,
                scope: ListingScope,
                page: Page,
            ) -> Result<Option<(Tag, Vec<Work>, i64)>> {
                let tag: Option<(i64, String, String, bool)> = sqlx::query_as(
                    "SELECT id, kind, name, canonical FROM tags WHERE name_key = $1",
                )
                .bind(name_key(name))
                .fetch_optional(store.reader())
                .await?;
                let Some((id, kind, name, canonical)) = tag else {
                    return Ok(None);
                };
                let kind = kind
                    .parse::<TagKind>()
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let listable = |select: &str| {
                    let mut qb = QueryBuilder::<Db>::new(select);
                    qb.push(
                        " FROM works w JOIN work_tags wt ON wt.work_id = w.id WHERE wt.tag_id = ",
                    );
                    qb.push_bind(id).push(" AND ");
                    push_listable(&mut qb, scope);
                    qb
                };
                let total: i64 = listable("SELECT COUNT(*)")
                    .build_query_scalar()
                    .fetch_one(store.reader())
                    .await?;
                let ids: Vec<i64> = paged(listable("SELECT w.id"), page)
                    .build_query_scalar()
                    .fetch_all(store.reader())
                    .await?;
                let tag = Tag {
                    id,
                    kind,
                    name,
                    canonical,
                };
                Ok(Some((tag, work_reads::works(store, &ids).await?, total)))
            }

            /// Listable works a user created, with their number.
            pub(crate) async fn works_by_user(
                store: &S,
                user: UserId,
                scope: ListingScope,
                page: Page,
            ) -> Result<(Vec<Work>, i64)> {
                let listable = |select: &str| {
                    let mut qb = QueryBuilder::<Db>::new(select);
                    qb.push(
                        " FROM works w WHERE w.id IN (SELECT c.work_id FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = ",
                    );
                    qb.push_bind(user).push(") AND ");
                    push_listable(&mut qb, scope);
                    qb
                };
                let total: i64 = listable("SELECT COUNT(*)")
                    .build_query_scalar()
                    .fetch_one(store.reader())
                    .await?;
                let ids: Vec<i64> = paged(listable("SELECT w.id"), page)
                    .build_query_scalar()
                    .fetch_all(store.reader())
                    .await?;
                Ok((work_reads::works(store, &ids).await?, total))
            }

            /// Series holding at least one listable work the user created, by title, each
            /// with the number of such works.
            pub(crate) async fn series_by_user(
                store: &S,
                user: UserId,
                scope: ListingScope,
            ) -> Result<Vec<SeriesSummary>> {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT s.id, s.title, COUNT(DISTINCT w.id) FROM series s \
                     JOIN serial_works sw ON sw.series_id = s.id JOIN works w ON w.id = sw.work_id \
                     JOIN creatorships c ON c.work_id = w.id JOIN pseuds p ON p.id = c.pseud_id \
                     WHERE p.user_id = ",
                );
                qb.push_bind(user).push(" AND ");
                push_listable(&mut qb, scope);
                qb.push(" GROUP BY s.id, s.title ORDER BY s.title, s.id");
                let rows: Vec<(i64, String, i64)> =
                    qb.build_query_as().fetch_all(store.reader()).await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, title, works)| SeriesSummary { id, title, works })
                    .collect())
            }

            /// Tags of one kind with the number of listable works carrying each, by name.
            pub(crate) async fn tag_counts(
                store: &S,
                kind: TagKind,
                scope: ListingScope,
            ) -> Result<Vec<(Tag, i64)>> {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT t.id, t.name, t.canonical, COUNT(*) FROM tags t \
                     JOIN work_tags wt ON wt.tag_id = t.id JOIN works w ON w.id = wt.work_id \
                     WHERE t.kind = ",
                );
                qb.push_bind(kind.as_str()).push(" AND ");
                push_listable(&mut qb, scope);
                qb.push(" GROUP BY t.id, t.name, t.canonical ORDER BY t.name");
                let rows: Vec<(i64, String, bool, i64)> =
                    qb.build_query_as().fetch_all(store.reader()).await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, canonical, count)| {
                        (
                            Tag {
                                id,
                                kind,
                                name,
                                canonical,
                            },
                            count,
                        )
                    })
                    .collect())
            }

            /// Tags of `kind` neither canonical nor a synonym, most used first (see
            /// [`crate::Store::unwrangled_tags`]).
            pub(crate) async fn unwrangled_tags(
                store: &S,
                kind: TagKind,
                scope: ListingScope,
                page: Page,
            ) -> Result<Vec<(Tag, i64)>> {
                // Every tagging of the kind's tags counts, but those of the (few) works not
                // listed for the scope: a join to `works` would read a wide row per tagging,
                // three times slower on SQLite. `+` keeps SQLite from driving the join by the
                // list.
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT t.id, t.name, COUNT(*) FROM tags t \
                     JOIN work_tags wt ON wt.tag_id = t.id \
                     WHERE NOT t.canonical AND t.merger_id IS NULL AND t.kind = ",
                );
                qb.push_bind(kind.as_str())
                    .push(" AND +wt.work_id NOT IN (SELECT w.id FROM works w WHERE NOT (");
                push_listable(&mut qb, scope);
                qb.push(
                    ")) GROUP BY t.id, t.name, t.name_key \
                     ORDER BY COUNT(*) DESC, t.name_key LIMIT ",
                )
                .push_bind(page.limit)
                .push(" OFFSET ")
                .push_bind(page.offset);
                let rows: Vec<(i64, String, i64)> =
                    qb.build_query_as().fetch_all(store.reader()).await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, works)| {
                        let tag = Tag {
                            id,
                            kind,
                            name,
                            canonical: false,
                        };
                        (tag, works)
                    })
                    .collect())
            }

            /// The listing's order (most recently updated first) and one page of it.
            pub(crate) fn paged(mut qb: QueryBuilder<'_, Db>, page: Page) -> QueryBuilder<'_, Db> {
                qb.push(" ORDER BY w.updated DESC NULLS LAST, w.id DESC LIMIT ")
                    .push_bind(page.limit)
                    .push(" OFFSET ")
                    .push_bind(page.offset);
                qb
            }
        }
    };
}

pub(crate) use listings;
