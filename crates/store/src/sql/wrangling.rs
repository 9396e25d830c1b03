//! Wrangling changes: each checked, applied and announced in the outbox (the tag, and every work
//! whose filing it changes) in one transaction; a preview runs the same transaction and rolls
//! it back, so it refuses and counts exactly as the change would.

/// Expands the `wrangling` module for the backend of the enclosing [`super::expand!`].
macro_rules! wrangling {
    () => {
        mod wrangling {
            use std::collections::{BTreeSet, HashMap, HashSet};

            use quire_core::{Tag, TagKind};

            use super::{Db, S, Tx, outbox};
            use crate::keys::name_key;
            use crate::rows::TagRow;
            use crate::sql::{ROWS_PER_STATEMENT, in_list};
            use crate::wrangling::{
                Wrangle, Wrangled, WranglingError, is_fixed_vocabulary, may_parent,
            };
            use crate::{Result, StoreError};

            /// Applies `change` (or, without `commit`, only says what it would do).
            pub(crate) async fn wrangle(
                store: &S,
                change: &Wrangle,
                commit: bool,
            ) -> Result<Wrangled> {
                let mut tx = super::begin_write(store).await?;
                if let Wrangle::CreateCanonical { tag, kind } = change {
                    create(&mut tx, tag, *kind).await?;
                }
                let subject = find(&mut tx, change.subject()).await?;
                wranglable(&subject.tag)?;
                // The works filed under the subject before the change: exactly those whose
                // filing it changes. Parent links file nothing.
                let files = !matches!(
                    change,
                    Wrangle::AddParent { .. } | Wrangle::RemoveParent { .. }
                );
                let mut works = if files {
                    works_under(&mut tx, subject.tag.id).await?
                } else {
                    Vec::new()
                };
                let changed = apply(&mut tx, change, &subject).await?;
                if !changed {
                    works.clear();
                } else {
                    outbox::append_changes(&mut tx, "tag", &[subject.tag.id], "update").await?;
                    outbox::append_changes(&mut tx, "work", &works, "update").await?;
                }
                let tag = by_id(&mut tx, subject.tag.id).await?.tag;
                if commit {
                    tx.commit().await?;
                } else {
                    tx.rollback().await?;
                }
                Ok(Wrangled {
                    tag,
                    changed,
                    works: i64::try_from(works.len()).unwrap_or(i64::MAX),
                })
            }

            /// Creates a tag (not yet canonical) unless one has that name.
            async fn create(tx: &mut Tx, name: &str, kind: TagKind) -> Result<()> {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                if name.is_empty() {
                    return Err(WranglingError::EmptyName.into());
                }
                sqlx::query(
                    "INSERT INTO tags (kind, name, name_key, canonical) VALUES ($1, $2, $3, FALSE) \
                     ON CONFLICT (name_key) DO NOTHING",
                )
                .bind(kind.as_str())
                .bind(&name)
                .bind(name_key(&name))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// A tag with the canonical tag it is a synonym of.
            pub(crate) struct Found {
                pub(crate) tag: Tag,
                pub(crate) merger: Option<i64>,
            }

            impl TryFrom<TagRow> for Found {
                type Error = StoreError;
                fn try_from(row: TagRow) -> Result<Found> {
                    let merger = row.merger_id;
                    Ok(Found {
                        tag: row.into_tag()?,
                        merger,
                    })
                }
            }

            /// The tag named `name` (any case), or `tag_unknown`.
            pub(crate) async fn find(tx: &mut Tx, name: &str) -> Result<Found> {
                let row: Option<TagRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM tags t WHERE t.name_key = $1",
                    TagRow::COLUMNS
                ))
                .bind(name_key(name))
                .fetch_optional(&mut **tx)
                .await?;
                match row {
                    Some(row) => row.try_into(),
                    None => Err(WranglingError::UnknownTag(name.trim().to_owned()).into()),
                }
            }

            async fn by_id(tx: &mut Tx, id: i64) -> Result<Found> {
                let row: TagRow = sqlx::query_as(&format!(
                    "SELECT {} FROM tags t WHERE t.id = $1",
                    TagRow::COLUMNS
                ))
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
                row.try_into()
            }

            fn wranglable(tag: &Tag) -> Result<()> {
                if is_fixed_vocabulary(tag.kind) {
                    return Err(WranglingError::FixedVocabulary(tag.name.clone()).into());
                }
                Ok(())
            }

            fn canonical(tag: &Tag) -> Result<()> {
                if !tag.canonical {
                    return Err(WranglingError::NotCanonical(tag.name.clone()).into());
                }
                Ok(())
            }

            fn same_kind(a: &Tag, b: &Tag) -> Result<()> {
                if a.kind != b.kind {
                    return Err(WranglingError::KindMismatch {
                        tag: a.name.clone(),
                        kind: a.kind,
                        other: b.name.clone(),
                        other_kind: b.kind,
                    }
                    .into());
                }
                Ok(())
            }

            /// The other tag a change names, checked like the subject.
            async fn other(tx: &mut Tx, name: &str) -> Result<Found> {
                let found = find(tx, name).await?;
                wranglable(&found.tag)?;
                Ok(found)
            }

            /// Makes the change; false when there was nothing to change.
            async fn apply(tx: &mut Tx, change: &Wrangle, subject: &Found) -> Result<bool> {
                let s = &subject.tag;
                match change {
                    Wrangle::MakeCanonical { .. } => {
                        if s.canonical && subject.merger.is_none() {
                            return Ok(false);
                        }
                        sqlx::query(
                            "UPDATE tags SET canonical = TRUE, merger_id = NULL WHERE id = $1",
                        )
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(true)
                    }
                    Wrangle::CreateCanonical { kind, .. } => {
                        if s.kind != *kind {
                            return Err(WranglingError::NotOfKind {
                                tag: s.name.clone(),
                                kind: s.kind,
                                wanted: *kind,
                            }
                            .into());
                        }
                        if s.canonical && subject.merger.is_none() {
                            return Ok(false);
                        }
                        sqlx::query(
                            "UPDATE tags SET canonical = TRUE, merger_id = NULL WHERE id = $1",
                        )
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(true)
                    }
                    Wrangle::Merge { canonical: c, .. } => {
                        let c = other(tx, c).await?.tag;
                        if c.id == s.id {
                            return Err(WranglingError::MergeIntoItself(s.name.clone()).into());
                        }
                        canonical(&c)?;
                        same_kind(s, &c)?;
                        if subject.merger == Some(c.id) {
                            return Ok(false);
                        }
                        merge(tx, s, &c).await?;
                        Ok(true)
                    }
                    Wrangle::AddParent { parent, .. } => {
                        let p = other(tx, parent).await?.tag;
                        canonical(s)?;
                        canonical(&p)?;
                        if !may_parent(p.kind, s.kind) {
                            return Err(WranglingError::ParentKind {
                                parent: p.kind,
                                child: s.kind,
                            }
                            .into());
                        }
                        let done = sqlx::query(
                            "INSERT INTO tag_parents (parent_id, child_id) VALUES ($1, $2) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(p.id)
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(done.rows_affected() > 0)
                    }
                    Wrangle::RemoveParent { parent, .. } => {
                        let p = other(tx, parent).await?.tag;
                        let done = sqlx::query(
                            "DELETE FROM tag_parents WHERE parent_id = $1 AND child_id = $2",
                        )
                        .bind(p.id)
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(done.rows_affected() > 0)
                    }
                    Wrangle::AddMeta { meta, .. } => {
                        let m = other(tx, meta).await?.tag;
                        canonical(s)?;
                        canonical(&m)?;
                        same_kind(s, &m)?;
                        let cycle = || WranglingError::MetaCycle {
                            meta: m.name.clone(),
                            sub: s.name.clone(),
                        };
                        if m.id == s.id {
                            return Err(cycle().into());
                        }
                        let done = sqlx::query(
                            "INSERT INTO meta_taggings (meta_id, sub_id) VALUES ($1, $2) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(m.id)
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        if has_meta_cycle(tx).await? {
                            return Err(cycle().into());
                        }
                        Ok(done.rows_affected() > 0)
                    }
                    Wrangle::RemoveMeta { meta, .. } => {
                        let m = other(tx, meta).await?.tag;
                        let done = sqlx::query(
                            "DELETE FROM meta_taggings WHERE meta_id = $1 AND sub_id = $2",
                        )
                        .bind(m.id)
                        .bind(s.id)
                        .execute(&mut **tx)
                        .await?;
                        Ok(done.rows_affected() > 0)
                    }
                    Wrangle::Rename { to, .. } => {
                        let to = to.split_whitespace().collect::<Vec<_>>().join(" ");
                        if to.is_empty() {
                            return Err(WranglingError::EmptyName.into());
                        }
                        if to == s.name {
                            return Ok(false);
                        }
                        let key = name_key(&to);
                        let taken: Option<i64> =
                            sqlx::query_scalar("SELECT id FROM tags WHERE name_key = $1")
                                .bind(&key)
                                .fetch_optional(&mut **tx)
                                .await?;
                        if taken.is_some_and(|id| id != s.id) {
                            return Err(WranglingError::NameTaken(to).into());
                        }
                        sqlx::query("UPDATE tags SET name = $1, name_key = $2 WHERE id = $3")
                            .bind(&to)
                            .bind(&key)
                            .bind(s.id)
                            .execute(&mut **tx)
                            .await?;
                        Ok(true)
                    }
                }
            }

            /// Makes `s` a synonym of `c`; what hung on `s` (its synonyms, meta and sub-tags,
            /// parents and children) moves to `c`, as on AO3.
            async fn merge(tx: &mut Tx, s: &Tag, c: &Tag) -> Result<()> {
                let statements = [
                    "UPDATE tags SET canonical = FALSE, merger_id = $2 WHERE id = $1",
                    "UPDATE tags SET merger_id = $2 WHERE merger_id = $1",
                    "INSERT INTO meta_taggings (meta_id, sub_id) SELECT meta_id, $2 \
                     FROM meta_taggings WHERE sub_id = $1 AND meta_id <> $2 ON CONFLICT DO NOTHING",
                    "INSERT INTO meta_taggings (meta_id, sub_id) SELECT $2, sub_id \
                     FROM meta_taggings WHERE meta_id = $1 AND sub_id <> $2 ON CONFLICT DO NOTHING",
                    "DELETE FROM meta_taggings WHERE meta_id = $1 OR sub_id = $1",
                    "INSERT INTO tag_parents (parent_id, child_id) SELECT parent_id, $2 \
                     FROM tag_parents WHERE child_id = $1 AND parent_id <> $2 ON CONFLICT DO NOTHING",
                    "INSERT INTO tag_parents (parent_id, child_id) SELECT $2, child_id \
                     FROM tag_parents WHERE parent_id = $1 AND child_id <> $2 ON CONFLICT DO NOTHING",
                    "DELETE FROM tag_parents WHERE parent_id = $1 OR child_id = $1",
                ];
                for sql in statements {
                    sqlx::query(sql)
                        .bind(s.id)
                        .bind(c.id)
                        .execute(&mut **tx)
                        .await?;
                }
                if has_meta_cycle(tx).await? {
                    return Err(WranglingError::MetaCycle {
                        meta: c.name.clone(),
                        sub: s.name.clone(),
                    }
                    .into());
                }
                Ok(())
            }

            /// Whether the meta links hold a cycle (Kahn's algorithm over all of them: the
            /// table holds wranglers' work, small beside the works).
            async fn has_meta_cycle(tx: &mut Tx) -> Result<bool> {
                let edges: Vec<(i64, i64)> =
                    sqlx::query_as("SELECT meta_id, sub_id FROM meta_taggings")
                        .fetch_all(&mut **tx)
                        .await?;
                let mut incoming: HashMap<i64, usize> = HashMap::new();
                let mut subs: HashMap<i64, Vec<i64>> = HashMap::new();
                for (meta, sub) in &edges {
                    incoming.entry(*meta).or_default();
                    *incoming.entry(*sub).or_default() += 1;
                    subs.entry(*meta).or_default().push(*sub);
                }
                let mut ready: Vec<i64> = incoming
                    .iter()
                    .filter(|(_, n)| **n == 0)
                    .map(|(id, _)| *id)
                    .collect();
                let mut removed = 0;
                while let Some(id) = ready.pop() {
                    removed += 1;
                    for sub in subs.get(&id).into_iter().flatten() {
                        if let Some(n) = incoming.get_mut(sub) {
                            *n -= 1;
                            if *n == 0 {
                                ready.push(*sub);
                            }
                        }
                    }
                }
                Ok(removed < incoming.len())
            }

            /// The works carrying `tag` or anything wrangled under it (its synonyms, sub-tags
            /// and theirs, transitively), by id.
            pub(crate) async fn works_under(tx: &mut Tx, tag: i64) -> Result<Vec<i64>> {
                let mut seen: HashSet<i64> = HashSet::from([tag]);
                let mut frontier = vec![tag];
                let mut all = vec![tag];
                while !frontier.is_empty() {
                    let mut next = Vec::new();
                    for chunk in frontier.chunks(ROWS_PER_STATEMENT) {
                        let synonyms: Vec<i64> =
                            in_list::<Db>("SELECT id FROM tags WHERE merger_id IN ", chunk, "")
                                .build_query_scalar()
                                .fetch_all(&mut **tx)
                                .await?;
                        let subs: Vec<i64> = in_list::<Db>(
                            "SELECT sub_id FROM meta_taggings WHERE meta_id IN ",
                            chunk,
                            "",
                        )
                        .build_query_scalar()
                        .fetch_all(&mut **tx)
                        .await?;
                        next.extend(synonyms.into_iter().chain(subs).filter(|t| seen.insert(*t)));
                    }
                    all.extend(&next);
                    frontier = next;
                }
                let mut works = BTreeSet::new();
                for chunk in all.chunks(ROWS_PER_STATEMENT) {
                    let ids: Vec<i64> = in_list::<Db>(
                        "SELECT DISTINCT work_id FROM work_tags WHERE tag_id IN ",
                        chunk,
                        "",
                    )
                    .build_query_scalar()
                    .fetch_all(&mut **tx)
                    .await?;
                    works.extend(ids);
                }
                Ok(works.into_iter().collect())
            }
        }
    };
}

pub(crate) use wrangling;
