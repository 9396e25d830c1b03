//! `/api/v1/works/{id}`: one work with its chapter list (the list is `work_list`).

use axum::extract::State;
use axum::response::Response;
use quire_core::json::WorkJson;
use quire_core::visibility::{Access, can_view_chapter};
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader, work_json};
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
