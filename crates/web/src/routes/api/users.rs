//! `/api/v1/users/{login}`: a creator, and their works (through the listing service, with every
//! filter of the works list).
//!
//! A creator with nothing this reader may see (only drafts, restricted or hidden works) does
//! not exist for them, as on their page.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use quire_core::User;
use quire_core::visibility::ListingScope;
use quire_search::WorkQuery;
use quire_store::{Page, SeriesSummary};
use serde::{Deserialize, Serialize};

use super::work_list::{WorkListParams, list_query};
use super::{ApiPath, ApiReader, ListParams, WorkList, listed, next_cursor, unstorable};
use crate::error::{AppError, ErrorBody, Missing};
use crate::listing;
use crate::routes::account;
use crate::state::AppState;

/// A creator.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserJson {
    pub login: String,
    /// False for a creator met in an import whose account nobody has claimed yet.
    pub claimed: bool,
    /// The names they publish under; the default first.
    pub pseuds: Vec<String>,
    /// Their works this reader may see.
    pub works: i64,
    pub series: Vec<SeriesLink>,
    /// Their works, at this API.
    pub works_url: String,
    /// Their Atom feed.
    pub feed_url: String,
}

/// A series with the number of the creator's works in it that this reader may see.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeriesLink {
    pub id: i64,
    pub title: String,
    pub works: i64,
    pub url: String,
}

impl From<SeriesSummary> for SeriesLink {
    fn from(s: SeriesSummary) -> Self {
        SeriesLink {
            url: format!("/api/v1/series/{}", s.id),
            id: s.id,
            title: s.title,
            works: s.works,
        }
    }
}

/// A creator.
#[utoipa::path(
    get,
    path = "/api/v1/users/{login}",
    tag = "users",
    params(("login" = String, Path, description = "The creator's login")),
    responses(
        (status = 200, description = "The creator", body = UserJson),
        (status = 404, description = "No such creator, or none this reader may see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(login): ApiPath<String>,
) -> Result<Response, AppError> {
    let user = creator(&state, &login).await?;
    let scope = ListingScope::for_viewer(reader.viewer());
    let (_, total) = state
        .store
        .works_by_user(user.id, scope, Page::first(1))
        .await?;
    let series = state.store.series_by_user(user.id, scope).await?;
    if total == 0 && series.is_empty() {
        return Err(AppError::not_found(Missing::User));
    }
    let pseuds = state.store.pseuds_of(user.id).await?;
    Ok(reader.json(&UserJson {
        works_url: format!("/api/v1/users/{}/works", user.login),
        feed_url: format!("/users/{}/works/feed.atom", user.login),
        login: user.login,
        claimed: user.claimed,
        pseuds: pseuds.into_iter().map(|p| p.name).collect(),
        works: total,
        series: series.into_iter().map(SeriesLink::from).collect(),
    }))
}

/// A creator's works, with every filter and sort of the works list (most recently updated
/// first by default).
#[utoipa::path(
    get,
    path = "/api/v1/users/{login}/works",
    tag = "users",
    params(
        ("login" = String, Path, description = "The creator's login"),
        WorkListParams,
        ListParams,
    ),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed, unknown or contradictory parameter", body = ErrorBody),
        (status = 404, description = "No such creator, or none this reader may see", body = ErrorBody),
        (status = 414, description = "A query string longer than the archive reads", body = ErrorBody),
    )
)]
pub async fn works(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(login): ApiPath<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    let (filters, page) = list_query(uri.query().unwrap_or_default())?;
    let user = creator(&state, &login).await?;
    let viewer = *reader.viewer();
    // A creator with no work this reader may see does not exist for them, whatever the filters.
    let scope = ListingScope::for_viewer(&viewer);
    let (_, total) = state
        .store
        .works_by_user(user.id, scope, Page::first(1))
        .await?;
    if total == 0 {
        return Err(AppError::not_found(Missing::User));
    }
    let query = WorkQuery {
        page,
        creator: Some(user.id),
        ..filters
    };
    let muted = listing::mutes_of(&state, &viewer).await?;
    let found = listing::find(&state, &query, &viewer, &muted).await?;
    Ok(reader.json(&WorkList {
        works: listed(&found.works, &viewer),
        next_cursor: next_cursor(page, found.has_next),
    }))
}

async fn creator(state: &AppState, login: &str) -> Result<User, AppError> {
    if unstorable(login) {
        return Err(AppError::not_found(Missing::User));
    }
    account(state, login).await
}
