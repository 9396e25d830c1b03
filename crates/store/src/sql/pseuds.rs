//! A user's pseuds and profile (the [`crate::pseuds::Pseuds`] trait).

/// Expands the `pseuds` module, and the `Pseuds` implementation, for the backend of the
/// enclosing [`super::expand!`].
macro_rules! pseuds {
    () => {
        mod pseuds {
            use async_trait::async_trait;
            use quire_core::visibility::ListingScope;
            use quire_core::{Pseud, PseudId, UserId, Work};
            use sqlx::QueryBuilder;

            use super::{Db, S, Tx, listings, outbox, work_reads};
            use crate::backend::Backend;
            use crate::keys::name_key;
            use crate::pseuds::{Profile, PseudForm, PseudInfo, Pseuds};
            use crate::rows::PseudRow;
            use crate::sql::push_listable;
            use crate::{Page, Result, StoreError};

            #[derive(sqlx::FromRow)]
            struct InfoRow {
                #[sqlx(flatten)]
                pseud: PseudRow,
                description: Option<String>,
            }

            /// The user's pseuds, or the one named `key`, with the works `scope` lists.
            async fn infos(
                store: &S,
                user: UserId,
                key: Option<&str>,
                scope: ListingScope,
            ) -> Result<Vec<PseudInfo>> {
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT p.id, p.user_id, p.name, u.login, p.is_default, p.description \
                     FROM pseuds p JOIN users u ON u.id = p.user_id WHERE p.user_id = ",
                );
                qb.push_bind(user);
                if let Some(key) = key {
                    qb.push(" AND p.name_key = ").push_bind(key.to_owned());
                }
                qb.push(" ORDER BY p.is_default DESC, p.name_key");
                let rows: Vec<InfoRow> = qb.build_query_as().fetch_all(store.reader()).await?;
                let mut qb = QueryBuilder::<Db>::new(
                    "SELECT c.pseud_id, COUNT(*) FROM creatorships c \
                     JOIN pseuds p ON p.id = c.pseud_id JOIN works w ON w.id = c.work_id \
                     WHERE p.user_id = ",
                );
                qb.push_bind(user).push(" AND ");
                push_listable(&mut qb, scope);
                qb.push(" GROUP BY c.pseud_id");
                let counts: Vec<(i64, i64)> = qb.build_query_as().fetch_all(store.reader()).await?;
                Ok(rows
                    .into_iter()
                    .map(|row| {
                        let works = counts
                            .iter()
                            .find(|(id, _)| *id == row.pseud.id)
                            .map_or(0, |(_, n)| *n);
                        PseudInfo {
                            pseud: Pseud::from(row.pseud),
                            description: row.description,
                            works,
                        }
                    })
                    .collect())
            }

            /// The id of a pseud of the user of this name key, other than `except`.
            async fn named_in_tx(
                tx: &mut Tx,
                user: UserId,
                key: &str,
                except: Option<PseudId>,
            ) -> Result<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT id FROM pseuds WHERE user_id = $1 AND name_key = $2 AND id <> $3",
                )
                .bind(user)
                .bind(key)
                .bind(except.unwrap_or(0))
                .fetch_optional(&mut **tx)
                .await?)
            }

            /// Whether the pseud is the user's default; `NotFound` when it is not theirs.
            async fn owned_in_tx(tx: &mut Tx, user: UserId, id: PseudId) -> Result<bool> {
                let found: Option<bool> = sqlx::query_scalar(
                    "SELECT is_default FROM pseuds WHERE id = $1 AND user_id = $2",
                )
                .bind(id)
                .bind(user)
                .fetch_optional(&mut **tx)
                .await?;
                found.ok_or(StoreError::NotFound("pseud"))
            }

            fn taken(name: &str) -> StoreError {
                StoreError::Conflict(format!("you already have a pseud called `{name}`"))
            }

            async fn works_of_in_tx(tx: &mut Tx, id: PseudId) -> Result<Vec<i64>> {
                Ok(
                    sqlx::query_scalar("SELECT work_id FROM creatorships WHERE pseud_id = $1")
                        .bind(id)
                        .fetch_all(&mut **tx)
                        .await?,
                )
            }

            #[async_trait]
            impl Pseuds for S {
                async fn pseud_list(
                    &self,
                    user: UserId,
                    scope: ListingScope,
                ) -> Result<Vec<PseudInfo>> {
                    infos(self, user, None, scope).await
                }

                async fn pseud_named(
                    &self,
                    user: UserId,
                    name: &str,
                    scope: ListingScope,
                ) -> Result<Option<PseudInfo>> {
                    let key = name_key(name);
                    Ok(infos(self, user, Some(&key), scope).await?.pop())
                }

                async fn pseuds_called(&self, name: &str) -> Result<Vec<Pseud>> {
                    let rows: Vec<PseudRow> = sqlx::query_as(
                        "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                         JOIN users u ON u.id = p.user_id WHERE p.name_key = $1 \
                         ORDER BY u.login LIMIT 50",
                    )
                    .bind(name_key(name))
                    .fetch_all(self.reader())
                    .await?;
                    Ok(rows.into_iter().map(Pseud::from).collect())
                }

                async fn create_pseud(&self, user: UserId, pseud: &PseudForm) -> Result<Pseud> {
                    let key = name_key(&pseud.name);
                    let mut tx = super::begin_write(self).await?;
                    if named_in_tx(&mut tx, user, &key, None).await?.is_some() {
                        return Err(taken(&pseud.name));
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO pseuds (user_id, name, name_key, is_default, description) \
                         VALUES ($1, $2, $3, FALSE, $4) RETURNING id",
                    )
                    .bind(user)
                    .bind(pseud.name.trim())
                    .bind(&key)
                    .bind(&pseud.description)
                    .fetch_one(&mut *tx)
                    .await?;
                    let row: PseudRow = sqlx::query_as(
                        "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                         JOIN users u ON u.id = p.user_id WHERE p.id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(row.into())
                }

                async fn update_pseud(
                    &self,
                    user: UserId,
                    id: PseudId,
                    pseud: &PseudForm,
                ) -> Result<Vec<i64>> {
                    let key = name_key(&pseud.name);
                    let mut tx = super::begin_write(self).await?;
                    owned_in_tx(&mut tx, user, id).await?;
                    if named_in_tx(&mut tx, user, &key, Some(id)).await?.is_some() {
                        return Err(taken(&pseud.name));
                    }
                    sqlx::query(
                        "UPDATE pseuds SET name = $1, name_key = $2, description = $3 \
                         WHERE id = $4",
                    )
                    .bind(pseud.name.trim())
                    .bind(&key)
                    .bind(&pseud.description)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    // Work pages, blurbs and the search index show the pseud's name.
                    let works = works_of_in_tx(&mut tx, id).await?;
                    outbox::append_changes(&mut tx, "work", &works, "update").await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(works)
                }

                async fn set_default_pseud(&self, user: UserId, id: PseudId) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    owned_in_tx(&mut tx, user, id).await?;
                    sqlx::query("UPDATE pseuds SET is_default = (id = $1) WHERE user_id = $2")
                        .bind(id)
                        .bind(user)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_pseud(&self, user: UserId, id: PseudId) -> Result<Vec<i64>> {
                    let mut tx = super::begin_write(self).await?;
                    if owned_in_tx(&mut tx, user, id).await? {
                        return Err(StoreError::Conflict(
                            "the default pseud cannot be deleted; make another the default first"
                                .into(),
                        ));
                    }
                    let default: i64 = sqlx::query_scalar(
                        "SELECT id FROM pseuds WHERE user_id = $1 AND is_default",
                    )
                    .bind(user)
                    .fetch_one(&mut *tx)
                    .await?;
                    let works = works_of_in_tx(&mut tx, id).await?;
                    sqlx::query(
                        "DELETE FROM creatorships WHERE pseud_id = $1 AND work_id IN \
                         (SELECT work_id FROM creatorships WHERE pseud_id = $2)",
                    )
                    .bind(id)
                    .bind(default)
                    .execute(&mut *tx)
                    .await?;
                    for table in ["creatorships", "comments"] {
                        sqlx::query(&format!(
                            "UPDATE {table} SET pseud_id = $1 WHERE pseud_id = $2"
                        ))
                        .bind(default)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    sqlx::query("DELETE FROM pseuds WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    outbox::append_changes(&mut tx, "work", &works, "update").await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(works)
                }

                async fn works_by_pseud(
                    &self,
                    pseud: PseudId,
                    scope: ListingScope,
                    page: Page,
                ) -> Result<(Vec<Work>, i64)> {
                    let listable = |select: &str| {
                        let mut qb = QueryBuilder::<Db>::new(select);
                        qb.push(
                            " FROM works w WHERE w.id IN (SELECT c.work_id FROM creatorships c \
                             WHERE c.pseud_id = ",
                        );
                        qb.push_bind(pseud).push(") AND ");
                        push_listable(&mut qb, scope);
                        qb
                    };
                    let total: i64 = listable("SELECT COUNT(*)")
                        .build_query_scalar()
                        .fetch_one(self.reader())
                        .await?;
                    let ids: Vec<i64> = listings::paged(listable("SELECT w.id"), page)
                        .build_query_scalar()
                        .fetch_all(self.reader())
                        .await?;
                    Ok((work_reads::works(self, &ids).await?, total))
                }

                async fn profile(&self, user: UserId) -> Result<Profile> {
                    let row: Option<(Option<String>, Option<String>)> =
                        sqlx::query_as("SELECT title, about FROM profiles WHERE user_id = $1")
                            .bind(user)
                            .fetch_optional(self.reader())
                            .await?;
                    Ok(
                        row.map_or_else(Profile::default, |(title, about)| Profile {
                            title,
                            about,
                        }),
                    )
                }

                async fn set_profile(&self, user: UserId, profile: &Profile) -> Result<()> {
                    let mut tx = super::begin_write(self).await?;
                    sqlx::query(
                        "INSERT INTO profiles (user_id, title, about) VALUES ($1, $2, $3) \
                         ON CONFLICT (user_id) DO UPDATE SET title = excluded.title, \
                         about = excluded.about",
                    )
                    .bind(user)
                    .bind(&profile.title)
                    .bind(&profile.about)
                    .execute(&mut *tx)
                    .await?;
                    outbox::append_changes(&mut tx, "user", &[user], "update").await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use pseuds;
