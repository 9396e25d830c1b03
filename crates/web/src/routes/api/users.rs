//! `/api/v1/users/{login}`: a creator, and their works.
//!
//! A creator with nothing this reader may see (only drafts, restricted or hidden works) does
//! not exist for them, as on their page.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use quire_core::User;
use quire_core::visibility::ListingScope;
use quire_store::{Page, SeriesSummary};
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader, ListParams, PER_PAGE, WorkList, listed, next_cursor, unstorable};
use crate::error::{AppError, ErrorBody, Missing};
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

/// A creator's works, most recently updated first.
#[utoipa::path(
    get,
    path = "/api/v1/users/{login}/works",
    tag = "users",
    params(("login" = String, Path, description = "The creator's login"), ListParams),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "No such creator, or none this reader may see", body = ErrorBody),
    )
)]
pub async fn works(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(login): ApiPath<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query?;
    let page = params.page()?;
    let user = creator(&state, &login).await?;
    let scope = ListingScope::for_viewer(reader.viewer());
    let (works, total) = state
        .store
        .works_by_user(user.id, scope, Page::new(page, PER_PAGE))
        .await?;
    if total == 0 {
        return Err(AppError::not_found(Missing::User));
    }
    let seen = i64::from(page - 1) * i64::from(PER_PAGE) + works.len() as i64;
    Ok(reader.json(&WorkList {
        works: listed(&works, reader.viewer()),
        next_cursor: next_cursor(page, seen < total),
    }))
}

async fn creator(state: &AppState, login: &str) -> Result<User, AppError> {
    if unstorable(login) {
        return Err(AppError::not_found(Missing::User));
    }
    state
        .store
        .user_by_login(login)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::User))
}
