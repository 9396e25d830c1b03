//! `quire user add`, `quire user passwd`, `quire user grant` and `quire user token`: accounts
//! made by the operator (the first admin, wranglers), with the password read from stdin, or
//! generated and printed; roles given to accounts that exist (a member who signed up becomes a
//! wrangler); personal API tokens for scripts.

use std::io::{BufRead, IsTerminal};

use quire_core::Role;
use quire_web::auth::operator::{self, UserToAdd};

use crate::config::Config;
use crate::{Failure, open_store};

/// The password piped on stdin (its first line), or a generated one when stdin is a
/// terminal: typing it there would show it on the screen.
fn password_from_stdin() -> Result<(String, bool), Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let generated = operator::generated_password().map_err(Failure::runtime)?;
        return Ok((generated, true));
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the password from stdin: {e}")))?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

pub async fn add(
    config: &Config,
    login: String,
    email: String,
    admin: bool,
    roles: &[String],
) -> Result<(), Failure> {
    let roles = parse_roles(roles)?;
    let (password, generated) = password_from_stdin()?;
    let store = open_store(config, quire_store::Usage::Shared).await?;
    let to_add = UserToAdd {
        login,
        email,
        password: password.clone(),
        admin,
        roles,
    };
    let user = operator::add_user(&*store, &to_add)
        .await
        .map_err(Failure::usage)?;
    let what = if user.is_admin { "admin" } else { "user" };
    println!("added {what} {} (id {})", user.login, user.id);
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

/// The roles named on the command line; an unknown name is a usage error.
fn parse_roles(names: &[String]) -> Result<Vec<Role>, Failure> {
    names
        .iter()
        .map(|name| {
            Role::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                Failure::usage(format!(
                    "unknown role `{name}`; roles are {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// Gives an existing account these roles (having one already is fine).
pub async fn grant(config: &Config, login: String, roles: &[String]) -> Result<(), Failure> {
    let roles = parse_roles(roles)?;
    let store = open_store(config, quire_store::Usage::Shared).await?;
    let user = store
        .user_by_login(&login)
        .await?
        .ok_or_else(|| Failure::usage(format!("no account has the login `{login}`")))?;
    for role in &roles {
        store.grant_role(user.id, *role).await?;
    }
    let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
    println!("{} has the role {}", user.login, names.join(", "));
    Ok(())
}

pub async fn passwd(config: &Config, login: String) -> Result<(), Failure> {
    let (password, generated) = password_from_stdin()?;
    let store = open_store(config, quire_store::Usage::Shared).await?;
    operator::set_password(&*store, &login, &password)
        .await
        .map_err(Failure::usage)?;
    println!("password of {login} changed; its sessions were logged out");
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

/// Makes a personal API token for `login` and prints it.
pub async fn token(
    config: &Config,
    login: String,
    name: String,
    write: bool,
) -> Result<(), Failure> {
    let store = open_store(config, quire_store::Usage::Shared).await?;
    let user = store
        .user_by_login(&login)
        .await?
        .ok_or_else(|| Failure::usage(format!("no account has the login `{login}`")))?;
    let (token, record) =
        quire_web::auth::api_token::issue(user.id, &name, write).map_err(Failure::runtime)?;
    store.create_api_token(&record).await.map_err(|e| match e {
        quire_store::StoreError::Conflict(message) => Failure::usage(message),
        other => Failure::from(other),
    })?;
    let scope = if write { "read and write" } else { "read" };
    eprintln!(
        "API token for {} ({scope}); it is shown only this once:",
        user.login
    );
    println!("{token}");
    Ok(())
}
