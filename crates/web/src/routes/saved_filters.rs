//! `/users/{login}/filters`: a reader's saved filters (named listing queries, opened as
//! `/works?…`), saved from the "Save these filters" form of any listing.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_search::SearchError;
use quire_store::StoreError;
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "saved_filters.html")]
struct FiltersPage {
    csrf: String,
    login: String,
    filters: Vec<FilterLink>,
    error: Option<String>,
    notice: Option<String>,
}

struct FilterLink {
    name: String,
    url: String,
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    name: String,
    /// The listing's query string, as its page wrote it.
    #[serde(default)]
    query: String,
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    name: String,
}

pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, &csrf, None).await
}

/// Saves the listing's filters under a name; a bad name or query is a form error that says
/// what is wrong, and nothing is saved.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<SaveForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let saved = quire_search::mutes::save_filter(
        state.store.as_ref(),
        signed_in.user.id,
        &form.name,
        &form.query,
    )
    .await;
    let error = match saved {
        Ok(_) => return Ok(done(&filters_url(&signed_in))),
        Err(SearchError::Query(e)) => format!("{e}."),
        Err(SearchError::Store(StoreError::Conflict(message))) => message,
        Err(e) => return Err(e.into()),
    };
    page(&state, &signed_in, &csrf, Some(&error)).await
}

pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<DeleteForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let name = form.name.trim();
    if !state
        .store
        .delete_saved_filter(signed_in.user.id, name)
        .await?
    {
        let error = format!("You have no saved filter called “{name}”.");
        return page(&state, &signed_in, &csrf, Some(&error)).await;
    }
    Ok(done(&filters_url(&signed_in)))
}

fn filters_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/filters", signed_in.user.login)
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let filters = state
        .store
        .saved_filters(signed_in.user.id)
        .await?
        .into_iter()
        .map(|f| FilterLink {
            url: if f.query.is_empty() {
                "/works".to_owned()
            } else {
                format!("/works?{}", f.query)
            },
            name: f.name,
        })
        .collect();
    let page = FiltersPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        filters,
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}
