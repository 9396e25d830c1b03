//! `/api/v1/works`: the latest works, and one work with its chapter list.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use quire_core::json::WorkJson;
use quire_core::visibility::{Access, ListingScope, can_view_chapter};
use quire_store::Page;
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader, ListParams, PER_PAGE, WorkList, listed, next_cursor, work_json};
use crate::error::{AppError, ErrorBody};
use crate::routes::works::visible_work;
use crate::state::AppState;

/// A work and the chapters its reader may open.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkDetail {
    pub work: WorkJson,
    pub chapters: Vec<ChapterEntry>,
}

/// A chapter in a work's chapter list.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChapterEntry {
    pub id: i64,
    /// 1 for the first chapter.
    pub position: i32,
    pub title: Option<String>,
    /// The chapter's text, at `/api/v1/works/{id}/chapters/{chapter_id}`.
    pub url: String,
}

/// The latest works, most recently updated first.
#[utoipa::path(
    get,
    path = "/api/v1/works",
    tag = "works",
    params(ListParams),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed or unknown parameter", body = ErrorBody),
    )
)]
pub async fn index(
    State(state): State<AppState>,
    reader: ApiReader,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query?;
    let page = params.page()?;
    let viewer = *reader.viewer();
    let mut works = state
        .store
        .recent_works(
            ListingScope::for_viewer(&viewer),
            Page::new(page, PER_PAGE).and_one_more(),
        )
        .await?;
    let has_more = works.len() > PER_PAGE as usize;
    works.truncate(PER_PAGE as usize);
    Ok(reader.json(&WorkList {
        works: listed(&works, &viewer),
        next_cursor: next_cursor(page, has_more),
    }))
}

/// One work: the work JSON and its chapter list.
#[utoipa::path(
    get,
    path = "/api/v1/works/{id}",
    tag = "works",
    params(
        ("id" = i64, Path, minimum = 1, description = "The work's id"),
        ("view_adult" = Option<String>, Query, pattern = "^true$",
         description = "`true` to see an adult work's notes"),
    ),
    responses(
        (status = 200, description = "The work", body = WorkDetail),
        (status = 400, description = "A malformed id or parameter", body = ErrorBody),
        (status = 404, description = "No such work, or not one this reader may see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<Response, AppError> {
    let (work, access) = visible_work(&state, &reader.reader, &raw_id).await?;
    let chapters = state
        .store
        .chapter_index(work.id)
        .await?
        .into_iter()
        .filter(|c| can_view_chapter(&work, c, reader.viewer()) != Access::Hidden)
        .map(|c| ChapterEntry {
            url: format!("/api/v1/works/{}/chapters/{}", work.id, c.id),
            id: c.id,
            position: c.position,
            title: c.title,
        })
        .collect();
    Ok(reader.json(&WorkDetail {
        work: work_json(&work, access),
        chapters,
    }))
}
