//! `/users/{login}/tokens`: a reader's personal API tokens. A new token is shown once, on the
//! answer to the form that made it; the archive keeps only its hash. Each can be revoked.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::DateTime;
use quire_store::StoreError;
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use crate::auth::api_token::issue;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

/// The longest name a token may have.
const MAX_NAME: usize = 100;

struct TokenRow {
    id: i64,
    name: String,
    scope: &'static str,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "api_tokens.html")]
struct TokensPage {
    csrf: String,
    login: String,
    tokens: Vec<TokenRow>,
    /// The token just made, shown this once.
    made: Option<String>,
    /// What was typed, kept after a form error.
    name: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    /// `on` when the write box is ticked.
    write: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    id: i64,
}

pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, &csrf, Shown::default()).await
}

/// Makes a token and shows it, once.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<NewTokenForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let name = form.name.trim();
    let refuse = |error: String| Shown {
        name: form.name.clone(),
        error: Some(error),
        made: None,
    };
    if name.is_empty() || name.chars().count() > MAX_NAME {
        let error = format!("Give the token a name of 1 to {MAX_NAME} characters.");
        return page(&state, &signed_in, &csrf, refuse(error)).await;
    }
    let (token, record) = issue(signed_in.user.id, name, form.write.is_some())?;
    let made = state.store.create_api_token(&record).await;
    match made {
        Ok(_) => {
            let shown = Shown {
                made: Some(token),
                ..Shown::default()
            };
            page(&state, &signed_in, &csrf, shown).await
        }
        Err(StoreError::Conflict(message)) => {
            page(&state, &signed_in, &csrf, refuse(format!("{message}."))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<RevokeForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    if !state
        .store
        .revoke_api_token(signed_in.user.id, form.id)
        .await?
    {
        let shown = Shown {
            error: Some("You hold no such token: it may have been revoked already.".into()),
            ..Shown::default()
        };
        return page(&state, &signed_in, &csrf, shown).await;
    }
    Ok(done(&format!("/users/{}/tokens", signed_in.user.login)))
}

/// What the page shows besides the list.
#[derive(Default)]
struct Shown {
    made: Option<String>,
    name: String,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    shown: Shown,
) -> Result<Response, AppError> {
    let day = |secs: i64| {
        DateTime::from_timestamp(secs, 0)
            .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
    };
    let tokens = state
        .store
        .api_tokens(signed_in.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: if t.can_write {
                "read and write"
            } else {
                "read"
            },
            created: day(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "never".to_owned(), day),
        })
        .collect();
    let page = TokensPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        tokens,
        made: shown.made,
        name: shown.name,
        error: shown.error.clone(),
        notice: None,
    };
    answer(&page, shown.error.as_deref())
}
