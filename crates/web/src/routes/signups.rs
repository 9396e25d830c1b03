//! `/users/new` and `POST /users`: signing up, open or with an invitation code as the
//! archive's configuration says.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use quire_store::{NewUser, StoreError};
use serde::Deserialize;

use super::render;
use crate::auth::tokens::{hash_token, now};
use crate::auth::{CheckedForm, CsrfToken, SignedIn, Signups, password, session};
use crate::error::AppError;
use crate::state::AppState;

/// Paths under `/users/` that are not accounts, so no one may take them as a login.
const RESERVED_LOGINS: &[&str] = &[
    "new",
    "login",
    "logout",
    "password",
    "edit",
    "admin",
    "orphan_account",
    "settings",
];

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    csrf: String,
    invitation_only: bool,
    invitation: String,
    login: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
    #[serde(default)]
    invitation: String,
}

fn open_for_signups(state: &AppState) -> Result<bool, AppError> {
    match state.options.signups {
        Signups::Open => Ok(false),
        Signups::InvitationOnly => Ok(true),
        Signups::Closed => Err(AppError::SignupsClosed(
            "This archive is not taking new accounts at the moment.",
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupParams {
    /// The code of the link in an invitation mail: it fills in the form.
    #[serde(default)]
    invitation: String,
}

/// The sign-up form; the link of an invitation mail fills in its code and address, and a
/// used or unknown code is refused here already.
pub async fn new(
    State(state): State<AppState>,
    signed_in: Option<SignedIn>,
    csrf: CsrfToken,
    query: Result<Query<SignupParams>, QueryRejection>,
) -> Result<Response, AppError> {
    if signed_in.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let invitation_only = open_for_signups(&state)?;
    let Query(params) = query?;
    let code = params.invitation.trim();
    let mut page = SignupPage {
        csrf: csrf.value().to_owned(),
        invitation_only,
        invitation: String::new(),
        login: String::new(),
        email: String::new(),
        error: None,
        notice: None,
    };
    let mut status = StatusCode::OK;
    if invitation_only && !code.is_empty() {
        page.invitation = code.to_owned();
        match state.store.invitation(&hash_token(code)).await? {
            Some(invitation) if !invitation.used => {
                page.email = invitation.email.unwrap_or_default();
            }
            found => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                page.error = Some(code_refused(found.is_some()).to_owned());
            }
        }
    }
    Ok((status, csrf.headers(), render(&page)?).into_response())
}

/// Why a code does not sign up.
fn code_refused(used: bool) -> &'static str {
    if used {
        "This invitation has been used already: each code makes one account. If you have an \
         account, log in; otherwise ask for a new invitation."
    } else {
        "That invitation code is not one this archive sent. Check it against your invitation \
         e-mail, or ask for an invitation."
    }
}

/// What is wrong with a sign-up, as the form shows it.
pub fn login_problem(login: &str) -> Option<String> {
    let chars = login.chars().count();
    if !(3..=40).contains(&chars) {
        return Some("The user name must be 3 to 40 characters long.".into());
    }
    if !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Some("The user name may hold only letters, digits and underscores.".into());
    }
    if RESERVED_LOGINS.contains(&login.to_lowercase().as_str()) {
        return Some(format!("The user name `{login}` is reserved."));
    }
    None
}

/// A plausible e-mail address (the mail it gets is the real check).
pub fn email_problem(email: &str) -> Option<String> {
    let plausible = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    (!plausible).then(|| "Please give a valid e-mail address.".to_owned())
}

/// Creates the account and signs it in.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<SignupForm>,
) -> Result<Response, AppError> {
    let invitation_only = open_for_signups(&state)?;
    let login = form.login.trim().to_owned();
    let email = form.email.trim().to_owned();
    let problem = login_problem(&login)
        .or_else(|| email_problem(&email))
        .or_else(|| password::weakness(&form.password, &login))
        .or_else(|| {
            (form.password != form.password_confirmation)
                .then(|| "The passwords do not match.".to_owned())
        })
        .or_else(|| {
            (invitation_only && form.invitation.trim().is_empty())
                .then(|| "An invitation code is needed to sign up.".to_owned())
        });
    let again = |error: String| -> Result<Response, AppError> {
        let page = SignupPage {
            csrf: csrf.value().to_owned(),
            invitation_only,
            invitation: form.invitation.clone(),
            login: login.clone(),
            email: email.clone(),
            error: Some(error),
            notice: None,
        };
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            csrf.headers(),
            render(&page)?,
        )
            .into_response())
    };
    if let Some(problem) = problem {
        return again(problem);
    }
    let invitation = invitation_only.then(|| hash_token(form.invitation.trim()));
    let user = NewUser {
        login: login.clone(),
        email: Some(email.clone()),
        password_hash: Some(password::hash(&form.password).await?),
        is_admin: false,
        pseuds: vec![],
    };
    let created = match state
        .store
        .create_account(&user, invitation.as_deref(), now())
        .await
    {
        Ok(created) => created,
        Err(StoreError::Conflict(what)) if what.contains("invitation") => {
            let used = match &invitation {
                Some(code_hash) => state.store.invitation(code_hash).await?.is_some(),
                None => false,
            };
            return again(code_refused(used).to_owned());
        }
        Err(StoreError::Conflict(what)) => return again(conflict_message(&what)),
        Err(e) => return Err(e.into()),
    };
    let cookie = session::start(&state, created.id, &headers).await?;
    let home = format!("/users/{}", created.login);
    Ok(([(SET_COOKIE, cookie)], Redirect::to(&home)).into_response())
}

/// The store's conflict, as the form says it (without telling which address has an account
/// beyond what the person typed).
fn conflict_message(what: &str) -> String {
    if what.contains("login") {
        "That user name is taken; please choose another.".into()
    } else if what.contains("invitation") {
        "That invitation code is unknown or has been used.".into()
    } else {
        "That e-mail address cannot be used for a new account.".into()
    }
}
