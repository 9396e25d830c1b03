//! Tags met while writing works: found by name (any case) or created, in a few statements per
//! batch of works rather than a few per tag.

/// Expands the `tags` module for the backend of the enclosing [`super::expand!`].
macro_rules! tags {
    () => {
        mod tags {
            use std::collections::HashMap;

            use quire_core::work::NewWork;
            use quire_core::{TagKind, WorkId};
            use sqlx::QueryBuilder;

            use super::{Db, Tx, run};
            use crate::Result;
            use crate::keys::name_key;
            use crate::sql::{ROWS_PER_STATEMENT, position};

            /// Tag ids already resolved in this transaction, by name key.
            pub(crate) type TagCache = HashMap<String, i64>;

            /// The `work_tags` rows of these works, (work, tag, position), with every tag
            /// created when new. A tag named twice in one work (in two kinds, or two cases)
            /// is kept once, at its first place.
            pub(crate) async fn work_tags(
                tx: &mut Tx,
                works: &[(WorkId, &NewWork)],
                names: &[Vec<(TagKind, String)>],
                cache: &mut TagCache,
            ) -> Result<Vec<(WorkId, i64, i32)>> {
                resolve_tags(tx, names.iter().flatten(), cache).await?;
                let mut rows = Vec::new();
                for ((id, _), names) in works.iter().zip(names) {
                    let mut seen: Vec<i64> = Vec::new();
                    for (kind, name) in names {
                        let tag = tag_id(tx, *kind, name, cache).await?;
                        if !seen.contains(&tag) {
                            seen.push(tag);
                            rows.push((*id, tag, position(seen.len() - 1)));
                        }
                    }
                }
                Ok(rows)
            }

            /// Puts the ids of all these tags in the cache, creating the new ones.
            async fn resolve_tags<'n>(
                tx: &mut Tx,
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
                    cache_tag_ids(tx, chunk, cache).await?;
                }
                let missing: Vec<(&String, &(TagKind, &str))> = wanted
                    .iter()
                    .filter(|(key, _)| !cache.contains_key(*key))
                    .collect();
                for chunk in missing.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO tags (kind, name, name_key, canonical) ",
                    );
                    qb.push_values(chunk, |mut b, (key, (kind, name))| {
                        b.push_bind(kind.as_str())
                            .push_bind(name.trim())
                            .push_bind(key.as_str())
                            .push_bind(is_canonical(*kind));
                    });
                    qb.push(" ON CONFLICT (name_key) DO NOTHING");
                    run(qb, chunk.len(), &mut **tx).await?;
                    let keys: Vec<&String> = chunk.iter().map(|(key, _)| *key).collect();
                    cache_tag_ids(tx, &keys, cache).await?;
                }
                Ok(())
            }

            /// Reads the ids of the tags with these name keys into the cache.
            async fn cache_tag_ids(
                tx: &mut Tx,
                keys: &[&String],
                cache: &mut TagCache,
            ) -> Result<()> {
                let mut qb =
                    QueryBuilder::<Db>::new("SELECT id, name_key FROM tags WHERE name_key IN (");
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
                tx: &mut Tx,
                kind: TagKind,
                name: &str,
                cache: &mut TagCache,
            ) -> Result<i64> {
                let key = name_key(name);
                if let Some(id) = cache.get(&key) {
                    return Ok(*id);
                }
                let find = "SELECT id FROM tags WHERE name_key = $1";
                let found: Option<i64> = sqlx::query_scalar(find)
                    .bind(&key)
                    .fetch_optional(&mut **tx)
                    .await?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        let inserted: Option<i64> = sqlx::query_scalar(
                            "INSERT INTO tags (kind, name, name_key, canonical) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (name_key) DO NOTHING RETURNING id",
                        )
                        .bind(kind.as_str())
                        .bind(name.trim())
                        .bind(&key)
                        .bind(is_canonical(kind))
                        .fetch_optional(&mut **tx)
                        .await?;
                        match inserted {
                            Some(id) => id,
                            None => {
                                sqlx::query_scalar(find)
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

            /// The fixed vocabularies are canonical from the start; free tags wait for a
            /// wrangler.
            fn is_canonical(kind: TagKind) -> bool {
                matches!(
                    kind,
                    TagKind::Rating | TagKind::ArchiveWarning | TagKind::Category
                )
            }
        }
    };
}

pub(crate) use tags;
