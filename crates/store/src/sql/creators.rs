//! Accounts and pseuds: creating users, looking them up, and the unclaimed creators an import
//! makes for each author name it meets in an archive.

/// Expands the `creators` module for the backend of the enclosing [`super::expand!`].
macro_rules! creators {
    () => {
        mod creators {
            use chrono::Utc;
            use quire_core::{Pseud, User, UserId};

            use super::{S, Tx};
            use crate::backend::Backend;
            use crate::claims::ClaimStatus;
            use crate::keys::name_key;
            use crate::rows::{PseudRow, UserRow};
            use crate::store::NewUser;
            use crate::{Result, StoreError};

            pub(crate) async fn create_user(store: &S, user: &NewUser) -> Result<User> {
                let mut tx = super::begin_write(store).await?;
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
                        .bind(&user.login)
                        .fetch_optional(&mut *tx)
                        .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "the login `{}` is taken",
                        user.login
                    )));
                }
                let created = insert_user_tx(&mut tx, user, None).await?;
                tx.commit().await?;
                Ok(created)
            }

            pub(crate) async fn user_by_login(store: &S, login: &str) -> Result<Option<User>> {
                let row: Option<UserRow> = sqlx::query_as(
                    "SELECT id, login, is_admin, claimed FROM users WHERE login = $1",
                )
                .bind(login)
                .fetch_optional(store.reader())
                .await?;
                Ok(row.map(User::from))
            }

            /// The user's pseuds, the default first.
            pub(crate) async fn pseuds_of(store: &S, user: UserId) -> Result<Vec<Pseud>> {
                let rows: Vec<PseudRow> = sqlx::query_as(
                    "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                     JOIN users u ON u.id = p.user_id WHERE p.user_id = $1 \
                     ORDER BY p.is_default DESC, p.name_key",
                )
                .bind(user)
                .fetch_all(store.reader())
                .await?;
                Ok(rows.into_iter().map(Pseud::from).collect())
            }

            pub(crate) async fn archive_creator(
                store: &S,
                archive: &str,
                name: &str,
            ) -> Result<Pseud> {
                let mut tx = super::begin_write(store).await?;
                let pseud = archive_creator_tx(&mut tx, archive, name).await?;
                tx.commit().await?;
                Ok(pseud)
            }

            pub(crate) async fn archive_creators(
                store: &S,
                archive: &str,
                names: &[String],
            ) -> Result<Vec<Pseud>> {
                let mut tx = super::begin_write(store).await?;
                let mut pseuds = Vec::with_capacity(names.len());
                for name in names {
                    pseuds.push(archive_creator_tx(&mut tx, archive, name).await?);
                }
                tx.commit().await?;
                Ok(pseuds)
            }

            /// The archive's creator of this name, made in the open transaction when new.
            async fn archive_creator_tx(
                tx: &mut Tx,
                archive: &str,
                name: &str,
            ) -> Result<Pseud> {
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
                if let Some(row) = claimed_creator(tx, archive, &key).await? {
                    return Ok(row.into());
                }
                let login = unique_login(tx, &quire_core::user::login_slug(name)).await?;
                let user = NewUser {
                    login,
                    pseuds: vec![name.trim().to_owned()],
                    ..NewUser::default()
                };
                insert_user_tx(tx, &user, Some(archive)).await?;
                let row: PseudRow = sqlx::query_as(find)
                    .bind(archive)
                    .bind(&key)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok(row.into())
            }

            /// The member's pseud that carries this archive's creator of this name since an
            /// admin approved their claim (the pseud moved to them, or merged into a pseud of
            /// theirs of the same name): a work of that name met in a later import is theirs,
            /// as Open Doors does. Only a pseud holding works imported from this archive counts,
            /// so a member's own pseud that only shares the name never gets a stranger's works.
            async fn claimed_creator(
                tx: &mut Tx,
                archive: &str,
                key: &str,
            ) -> Result<Option<PseudRow>> {
                let row = sqlx::query_as(
                    "SELECT p.id, p.user_id, p.name, u.login, p.is_default FROM pseuds p \
                     JOIN users u ON u.id = p.user_id \
                     WHERE p.name_key = $2 \
                     AND EXISTS (SELECT 1 FROM creator_claims c JOIN users o ON o.id = c.creator_id \
                                 WHERE c.claimant_id = p.user_id AND c.status = $3 AND o.archive = $1) \
                     AND EXISTS (SELECT 1 FROM creatorships w JOIN sources s ON s.work_id = w.work_id \
                                 WHERE w.pseud_id = p.id AND s.archive = $1) \
                     ORDER BY p.id LIMIT 1",
                )
                .bind(archive)
                .bind(key)
                .bind(ClaimStatus::Approved.as_str())
                .fetch_optional(&mut **tx)
                .await?;
                Ok(row)
            }

            /// `base`, or `base_2`, `base_3`, … : the first login nobody has.
            async fn unique_login(tx: &mut Tx, base: &str) -> Result<String> {
                for n in 1..10_000 {
                    let login = if n == 1 {
                        base.to_owned()
                    } else {
                        format!("{base}_{n}")
                    };
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

            /// The user row and its pseuds (the first is the default). `archive` is set for
            /// the unclaimed creators an import makes.
            pub(crate) async fn insert_user_tx(
                tx: &mut Tx,
                user: &NewUser,
                archive: Option<&str>,
            ) -> Result<User> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (login, email, password_hash, is_admin, claimed, archive, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
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
                        "INSERT INTO pseuds (user_id, name, name_key, is_default) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, name_key) DO NOTHING",
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
        }
    };
}

pub(crate) use creators;
