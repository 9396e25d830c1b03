//! Account tasks an operator runs from the command line (`quire user add`, `quire user
//! passwd`), with the same rules as the sign-up form.

use quire_core::{Role, User};
use quire_store::{NewUser, Store, StoreError};

use super::{password, tokens};
use crate::routes::signups::{email_problem, login_problem};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("no account has the login `{0}`")]
    UnknownLogin(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<crate::error::AppError> for AccountError {
    fn from(e: crate::error::AppError) -> Self {
        AccountError::Internal(e.to_string())
    }
}

/// An account to add.
#[derive(Debug, Clone)]
pub struct UserToAdd {
    pub login: String,
    pub email: String,
    pub password: String,
    pub admin: bool,
    pub roles: Vec<Role>,
}

/// A password to hand out: 20 characters from a random token.
pub fn generated_password() -> Result<String, AccountError> {
    Ok(tokens::random_token()?.chars().take(20).collect())
}

/// Creates a claimed account with a password, as admin and with roles if asked.
pub async fn add_user(store: &dyn Store, to_add: &UserToAdd) -> Result<User, AccountError> {
    let problem = login_problem(&to_add.login)
        .or_else(|| email_problem(&to_add.email))
        .or_else(|| password::weakness(&to_add.password, &to_add.login));
    if let Some(problem) = problem {
        return Err(AccountError::Invalid(problem));
    }
    let user = NewUser {
        login: to_add.login.clone(),
        email: Some(to_add.email.clone()),
        password_hash: Some(password::hash(&to_add.password).await?),
        is_admin: to_add.admin,
        pseuds: vec![],
    };
    let created = store
        .create_account(&user, None, tokens::now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(what) => AccountError::Invalid(what),
            other => AccountError::Store(other),
        })?;
    for role in &to_add.roles {
        store.grant_role(created.id, *role).await?;
    }
    Ok(created)
}

/// Sets an account's password (ending its sessions).
pub async fn set_password(store: &dyn Store, login: &str, new: &str) -> Result<(), AccountError> {
    let Some(found) = store.credentials(login).await? else {
        return Err(AccountError::UnknownLogin(login.to_owned()));
    };
    if !found.user.login.eq_ignore_ascii_case(login) {
        return Err(AccountError::UnknownLogin(login.to_owned()));
    }
    if let Some(problem) = password::weakness(new, &found.user.login) {
        return Err(AccountError::Invalid(problem));
    }
    store
        .set_password(found.user.id, &password::hash(new).await?)
        .await?;
    Ok(())
}
