//! Forgotten passwords: `/users/password/new` asks for a reset link by mail;
//! `/users/password/edit?reset_password_token=…` sets a new password with it (once, within
//! a day), which logs the account out everywhere.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::render;
use crate::auth::mailer::deliver;
use crate::auth::tokens::{hash_token, now, random_token};
use crate::auth::{CheckedForm, CsrfToken, Mail, password};
use crate::error::AppError;
use crate::state::AppState;

/// How long a reset link works.
const RESET_SECS: i64 = 86_400;

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    csrf: String,
    login: String,
    token: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub(crate) struct NoticePage {
    pub heading: &'static str,
    pub message: String,
    pub next_url: String,
    pub next_label: &'static str,
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    login: String,
}

#[derive(Debug, Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    reset_password_token: String,
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    reset_password_token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

pub async fn new(csrf: CsrfToken) -> Result<Response, AppError> {
    let page = ForgotPage {
        csrf: csrf.value().to_owned(),
        error: None,
        notice: None,
    };
    Ok((csrf.headers(), render(&page)?).into_response())
}

/// Sends a reset link when the account exists and has an address; says the same either
/// way, so that the form does not tell who has an account.
pub async fn create(
    State(state): State<AppState>,
    CheckedForm(form): CheckedForm<ForgotForm>,
) -> Result<Response, AppError> {
    let found = state.store.credentials(form.login.trim()).await?;
    if let Some((user, email)) = found.and_then(|c| Some((c.user, c.email?))) {
        let token = random_token()?;
        let now = now();
        state
            .store
            .create_password_reset(user.id, &hash_token(&token), now, now + RESET_SECS)
            .await?;
        let link = format!(
            "{}/users/password/edit?reset_password_token={token}",
            state.auth.base_url
        );
        let mail = Mail {
            to: email,
            subject: "Reset your password".to_owned(),
            body: format!(
                "Someone asked to reset the password of the account {} on this archive.\r\n\r\n\
                 To choose a new password, open this link within 24 hours:\r\n{link}\r\n\r\n\
                 If it was not you, ignore this message; your password stays as it is.",
                user.login
            ),
        };
        if let Err(e) = deliver(&state.auth.mailer, mail).await {
            tracing::error!(error = %e, "password reset mail not sent");
        }
    }
    let page = NoticePage {
        heading: "Check your e-mail",
        message: "If that account exists and has an e-mail address, a link to reset its \
                  password is on its way. It works once, for 24 hours."
            .to_owned(),
        next_url: "/users/login".to_owned(),
        next_label: "Back to log in",
    };
    Ok(render(&page)?.into_response())
}

fn expired() -> Result<Response, AppError> {
    let page = NoticePage {
        heading: "Link expired",
        message: "This password reset link is unknown, used or expired. Ask for a new one."
            .to_owned(),
        next_url: "/users/password/new".to_owned(),
        next_label: "Ask for a new link",
    };
    Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
}

/// The new-password form for a valid link.
pub async fn edit(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(param): Query<TokenParam>,
) -> Result<Response, AppError> {
    let token = param.reset_password_token;
    let Some(user) = state
        .store
        .password_reset_user(&hash_token(&token), now())
        .await?
    else {
        return expired();
    };
    let page = ResetPage {
        csrf: csrf.value().to_owned(),
        login: user.login,
        token,
        error: None,
        notice: None,
    };
    Ok((csrf.headers(), render(&page)?).into_response())
}

/// Sets the new password and uses the link up.
pub async fn update(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<ResetForm>,
) -> Result<Response, AppError> {
    let token_hash = hash_token(&form.reset_password_token);
    let Some(user) = state.store.password_reset_user(&token_hash, now()).await? else {
        return expired();
    };
    let problem = password::weakness(&form.password, &user.login).or_else(|| {
        (form.password != form.password_confirmation)
            .then(|| "The passwords do not match.".to_owned())
    });
    if let Some(problem) = problem {
        let page = ResetPage {
            csrf: csrf.value().to_owned(),
            login: user.login,
            token: form.reset_password_token,
            error: Some(problem),
            notice: None,
        };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            csrf.headers(),
            render(&page)?,
        )
            .into_response());
    }
    let hash = password::hash(&form.password).await?;
    if state
        .store
        .reset_password(&token_hash, now(), &hash)
        .await?
        .is_none()
    {
        return expired();
    }
    let page = NoticePage {
        heading: "Password changed",
        message: "Your password has been changed, and every session of your account has \
                  been logged out. You can log in with the new password now."
            .to_owned(),
        next_url: "/users/login".to_owned(),
        next_label: "Log in",
    };
    Ok(render(&page)?.into_response())
}
