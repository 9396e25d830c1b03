//! A reader's muted tags and creators, and saved filters. They change nothing other readers
//! see, so they append nothing to the outbox.

/// Expands the `mutes` module for the backend of the enclosing [`super::expand!`].
macro_rules! mutes {
    () => {
        mod mutes {
            use chrono::Utc;
            use quire_core::{Tag, User, UserId};

            use super::S;
            use crate::backend::Backend;
            use crate::keys::name_key;
            use crate::mutes::{Mutes, SavedFilter};
            use crate::rows::{TagRow, UserRow};
            use crate::wrangling::WranglingError;
            use crate::{Result, StoreError};

            /// The tag named `name`, or `tag_unknown`.
            async fn tag(store: &S, name: &str) -> Result<Tag> {
                let row: Option<TagRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM tags t WHERE t.name_key = $1",
                    TagRow::COLUMNS
                ))
                .bind(name_key(name))
                .fetch_optional(store.reader())
                .await?;
                match row {
                    Some(row) => row.into_tag(),
                    None => Err(WranglingError::UnknownTag(name.trim().to_owned()).into()),
                }
            }

            pub(crate) async fn mute_tag(store: &S, user: UserId, name: &str) -> Result<Tag> {
                let tag = tag(store, name).await?;
                sqlx::query(
                    "INSERT INTO muted_tags (user_id, tag_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(user)
                .bind(tag.id)
                .execute(&mut *super::write_connection(store).await?)
                .await?;
                Ok(tag)
            }

            pub(crate) async fn unmute_tag(store: &S, user: UserId, name: &str) -> Result<bool> {
                let tag = tag(store, name).await?;
                let done = sqlx::query("DELETE FROM muted_tags WHERE user_id = $1 AND tag_id = $2")
                    .bind(user)
                    .bind(tag.id)
                    .execute(&mut *super::write_connection(store).await?)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            pub(crate) async fn mute_creator(
                store: &S,
                user: UserId,
                creator: UserId,
            ) -> Result<()> {
                if user == creator {
                    return Err(StoreError::Conflict("you cannot mute yourself".into()));
                }
                let done = sqlx::query(
                    "INSERT INTO muted_creators (user_id, creator_id) \
                     SELECT $1, id FROM users WHERE id = $2 ON CONFLICT DO NOTHING",
                )
                .bind(user)
                .bind(creator)
                .execute(&mut *super::write_connection(store).await?)
                .await?;
                if done.rows_affected() == 0 {
                    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                        .bind(creator)
                        .fetch_optional(store.reader())
                        .await?;
                    if known.is_none() {
                        return Err(StoreError::NotFound("creator"));
                    }
                }
                Ok(())
            }

            pub(crate) async fn unmute_creator(
                store: &S,
                user: UserId,
                creator: UserId,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "DELETE FROM muted_creators WHERE user_id = $1 AND creator_id = $2",
                )
                .bind(user)
                .bind(creator)
                .execute(&mut *super::write_connection(store).await?)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            pub(crate) async fn mutes(store: &S, user: UserId) -> Result<Mutes> {
                let tags: Vec<TagRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM muted_tags m JOIN tags t ON t.id = m.tag_id \
                     WHERE m.user_id = $1 ORDER BY t.name_key",
                    TagRow::COLUMNS
                ))
                .bind(user)
                .fetch_all(store.reader())
                .await?;
                let creators: Vec<UserRow> = sqlx::query_as(
                    "SELECT u.id, u.login, u.is_admin, u.claimed FROM muted_creators m \
                     JOIN users u ON u.id = m.creator_id WHERE m.user_id = $1 ORDER BY u.login",
                )
                .bind(user)
                .fetch_all(store.reader())
                .await?;
                Ok(Mutes {
                    tags: tags
                        .into_iter()
                        .map(TagRow::into_tag)
                        .collect::<Result<_>>()?,
                    creators: creators.into_iter().map(User::from).collect(),
                })
            }

            /// Saves (or replaces, by name in any case) a named filter.
            pub(crate) async fn save_filter(
                store: &S,
                user: UserId,
                name: &str,
                query: &str,
            ) -> Result<SavedFilter> {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO saved_filters (user_id, name, name_key, query, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, name_key) \
                     DO UPDATE SET name = excluded.name, query = excluded.query RETURNING id",
                )
                .bind(user)
                .bind(&name)
                .bind(name_key(&name))
                .bind(query)
                .bind(Utc::now())
                .fetch_one(&mut *super::write_connection(store).await?)
                .await?;
                Ok(SavedFilter {
                    id,
                    name,
                    query: query.to_owned(),
                })
            }

            /// The user's saved filters, by name.
            pub(crate) async fn saved_filters(store: &S, user: UserId) -> Result<Vec<SavedFilter>> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(
                    "SELECT id, name, query FROM saved_filters WHERE user_id = $1 \
                     ORDER BY name_key",
                )
                .bind(user)
                .fetch_all(store.reader())
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, query)| SavedFilter { id, name, query })
                    .collect())
            }

            pub(crate) async fn delete_saved_filter(
                store: &S,
                user: UserId,
                name: &str,
            ) -> Result<bool> {
                let done =
                    sqlx::query("DELETE FROM saved_filters WHERE user_id = $1 AND name_key = $2")
                        .bind(user)
                        .bind(name_key(name))
                        .execute(&mut *super::write_connection(store).await?)
                        .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(crate) use mutes;
