//! `/users/login` and `/users/logout`: logging in (throttled per account and per address)
//! and out.

use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::render;
use crate::auth::session::{self, clearing_cookie};
use crate::auth::throttle::{ACCOUNT_POLICY, ADDRESS_POLICY, account_key};
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, ClientIp, CsrfToken, SignedIn, password};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    login: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// The log-in form (signed-in readers go home).
pub async fn new(signed_in: Option<SignedIn>, csrf: CsrfToken) -> Result<Response, AppError> {
    if signed_in.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let page = LoginPage {
        csrf: csrf.value().to_owned(),
        login: String::new(),
        error: None,
        notice: None,
    };
    Ok((csrf.headers(), render(&page)?).into_response())
}

/// Checks the password; on success opens a new session (rotating any the browser had).
pub async fn create(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> Result<Response, AppError> {
    let account = account_key(&form.login);
    let keys = [account.clone(), ip.key()];
    let now = now();
    if let Some(until) = state.store.login_locked_until(&keys, now).await? {
        return Err(AppError::RateLimited {
            retry_after: u64::try_from(until - now).unwrap_or(1).max(1),
        });
    }
    let credentials = state.store.credentials(form.login.trim()).await?;
    let stored = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let matches = !form.password.is_empty() && password::verify(stored, &form.password).await;
    let Some(credentials) = credentials.filter(|_| matches) else {
        state
            .store
            .record_login_failure(&account, now, ACCOUNT_POLICY)
            .await?;
        state
            .store
            .record_login_failure(&ip.key(), now, ADDRESS_POLICY)
            .await?;
        let page = LoginPage {
            csrf: csrf.value().to_owned(),
            login: form.login,
            error: Some("The user name or password you entered doesn't match our records.".into()),
            notice: None,
        };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            csrf.headers(),
            render(&page)?,
        )
            .into_response());
    };
    state.store.clear_login_failures(&account).await?;
    let cookie = session::start(&state, credentials.user.id, &headers).await?;
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

/// Ends this session, here and in the database.
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: Option<SignedIn>,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<Response, AppError> {
    if let Some(signed_in) = signed_in {
        state.store.end_session(signed_in.token_hash()).await?;
    }
    let cookie = clearing_cookie(state.options.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

/// A form with nothing in it but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}
