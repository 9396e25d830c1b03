//! Reading wrangling: one tag's (for its tag page) and the whole archive's (for the search
//! index's tag graph, in three statements).

/// Expands the `wrangling_reads` module for the backend of the enclosing [`super::expand!`].
macro_rules! wrangling_reads {
    () => {
        mod wrangling_reads {
            use quire_core::Tag;

            use super::S;
            use crate::{Result, StoreError};
            use crate::backend::Backend;
            use crate::keys::name_key;
            use crate::rows::TagRow;
            use crate::wrangling::{TagWrangling, Wrangling};

            /// One tag's wrangling; `None` when no tag has that name.
            pub(crate) async fn tag_wrangling(
                store: &S,
                name: &str,
            ) -> Result<Option<TagWrangling>> {
                let row: Option<TagRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM tags t WHERE t.name_key = $1",
                    TagRow::COLUMNS
                ))
                .bind(name_key(name))
                .fetch_optional(store.reader())
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let merger_id = row.merger_id;
                let tag = row.into_tag()?;
                let merger = match merger_id {
                    Some(id) => tags(store, "WHERE t.id = $1", id).await?.pop(),
                    None => None,
                };
                Ok(Some(TagWrangling {
                    synonyms: tags(store, "WHERE t.merger_id = $1", tag.id).await?,
                    parents: tags(
                        store,
                        "JOIN tag_parents l ON l.parent_id = t.id WHERE l.child_id = $1",
                        tag.id,
                    )
                    .await?,
                    children: tags(
                        store,
                        "JOIN tag_parents l ON l.child_id = t.id WHERE l.parent_id = $1",
                        tag.id,
                    )
                    .await?,
                    metas: tags(
                        store,
                        "JOIN meta_taggings l ON l.meta_id = t.id WHERE l.sub_id = $1",
                        tag.id,
                    )
                    .await?,
                    subs: tags(
                        store,
                        "JOIN meta_taggings l ON l.sub_id = t.id WHERE l.meta_id = $1",
                        tag.id,
                    )
                    .await?,
                    tag,
                    merger,
                }))
            }

            /// Tags joined as `tail` says (binding `id` as `$1`), by name.
            async fn tags(store: &S, tail: &str, id: i64) -> Result<Vec<Tag>> {
                let rows: Vec<TagRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM tags t {tail} ORDER BY t.name_key",
                    TagRow::COLUMNS
                ))
                .bind(id)
                .fetch_all(store.reader())
                .await?;
                rows.into_iter().map(TagRow::into_tag).collect()
            }

            /// Every synonym, meta and parent link, by name.
            pub(crate) async fn wrangling(store: &S) -> Result<Wrangling> {
                let pairs = |sql: &'static str| async move {
                    let rows: Vec<(String, String)> =
                        sqlx::query_as(sql).fetch_all(store.reader()).await?;
                    Ok::<_, StoreError>(rows)
                };
                Ok(Wrangling {
                    synonyms: pairs(
                        "SELECT s.name, c.name FROM tags s JOIN tags c ON c.id = s.merger_id \
                         ORDER BY s.id",
                    )
                    .await?,
                    metas: pairs(
                        "SELECT m.name, s.name FROM meta_taggings l \
                         JOIN tags m ON m.id = l.meta_id JOIN tags s ON s.id = l.sub_id \
                         ORDER BY l.meta_id, l.sub_id",
                    )
                    .await?,
                    parents: pairs(
                        "SELECT p.name, c.name FROM tag_parents l \
                         JOIN tags p ON p.id = l.parent_id JOIN tags c ON c.id = l.child_id \
                         ORDER BY l.parent_id, l.child_id",
                    )
                    .await?,
                })
            }
        }
    };
}

pub(crate) use wrangling_reads;
