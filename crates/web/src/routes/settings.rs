//! `/users/{login}/edit`: an account's own settings (password, e-mail) and deleting it.
//! Every action asks for the current password, and only the account itself may reach them:
//! another login in the URL is a 403.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use quire_store::{StoreError, WorksOnDeletion};
use serde::Deserialize;

use super::passwords::NoticePage;
use super::render;
use super::signups::email_problem;
use crate::auth::session::{self, clearing_cookie};
use crate::auth::{CheckedForm, CsrfToken, SignedIn, password};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    csrf: String,
    login: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

#[derive(Debug, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    email: String,
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    works: String,
}

/// The signed-in account, when `login` in the URL is theirs; else 403.
pub(crate) fn own(signed_in: &SignedIn, login: &str) -> Result<(), AppError> {
    if signed_in.user.login.eq_ignore_ascii_case(login) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let email = state
        .store
        .credentials_of(signed_in.user.id)
        .await?
        .and_then(|c| c.email)
        .unwrap_or_default();
    let page = SettingsPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        email,
        error,
        notice,
    };
    Ok((status, render(&page)?).into_response())
}

/// Whether `current` is the account's password.
async fn confirms(state: &AppState, signed_in: &SignedIn, current: &str) -> Result<bool, AppError> {
    let stored = state
        .store
        .credentials_of(signed_in.user.id)
        .await?
        .and_then(|c| c.password_hash);
    Ok(!current.is_empty() && password::verify(stored, current).await)
}

const WRONG_PASSWORD: &str = "Your current password was not right.";

pub async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, &csrf, StatusCode::OK, None, None).await
}

/// Changes the password, logs out every other session and rotates this one.
pub async fn update_password(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    headers: HeaderMap,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let problem = if confirms(&state, &signed_in, &form.current_password).await? {
        password::weakness(&form.password, &signed_in.user.login).or_else(|| {
            (form.password != form.password_confirmation)
                .then(|| "The new passwords do not match.".to_owned())
        })
    } else {
        Some(WRONG_PASSWORD.to_owned())
    };
    if let Some(problem) = problem {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(&state, &signed_in, &csrf, status, Some(problem), None).await;
    }
    let hash = password::hash(&form.password).await?;
    // Ends every session of the account, this one included; then this browser gets a new one.
    state.store.set_password(signed_in.user.id, &hash).await?;
    let cookie = session::start(&state, signed_in.user.id, &headers).await?;
    let back = format!("/users/{}/edit", signed_in.user.login);
    Ok(([(SET_COOKIE, cookie)], Redirect::to(&back)).into_response())
}

pub async fn update_email(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<EmailForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let email = form.email.trim();
    let problem = if confirms(&state, &signed_in, &form.current_password).await? {
        email_problem(email)
    } else {
        Some(WRONG_PASSWORD.to_owned())
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if let Some(problem) = problem {
        return page(
            &state,
            &signed_in,
            &csrf,
            unprocessable,
            Some(problem),
            None,
        )
        .await;
    }
    match state.store.set_email(signed_in.user.id, email).await {
        Ok(()) => {
            let notice = Some("Your e-mail address has been changed.".to_owned());
            page(&state, &signed_in, &csrf, StatusCode::OK, None, notice).await
        }
        Err(StoreError::Conflict(_)) => {
            let error = Some("That e-mail address cannot be used.".to_owned());
            page(&state, &signed_in, &csrf, unprocessable, error, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes the account, orphaning or deleting its works as chosen.
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<DeleteForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let works = match form.works.as_str() {
        "orphan" => WorksOnDeletion::Orphan,
        "delete" => WorksOnDeletion::Delete,
        other => {
            return Err(AppError::invalid(format!(
                "`works` must be `orphan` or `delete`, not `{other}`."
            )));
        }
    };
    if !confirms(&state, &signed_in, &form.current_password).await? {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let error = Some(WRONG_PASSWORD.to_owned());
        return page(&state, &signed_in, &csrf, status, error, None).await;
    }
    state.store.delete_account(signed_in.user.id, works).await?;
    let notice = NoticePage {
        heading: "Account deleted",
        message: format!("The account {} has been deleted.", signed_in.user.login),
        next_url: "/".to_owned(),
        next_label: "Go to the home page",
    };
    let cookie = clearing_cookie(state.options.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], render(&notice)?).into_response())
}
