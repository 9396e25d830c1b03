//! `/api/v1/series/{id}`: a series and its works in order.

use axum::extract::State;
use axum::response::Response;
use quire_core::json::WorkJson;
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader, listed};
use crate::error::{AppError, ErrorBody, Missing};
use crate::routes::parse_id;
use crate::state::AppState;

/// A series: its works this reader may see, in the series' order.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeriesDetail {
    pub id: i64,
    pub title: String,
    /// Sanitized HTML.
    pub summary: Option<String>,
    pub complete: bool,
    pub works: Vec<WorkJson>,
    /// The series' Atom feed.
    pub feed_url: String,
}

/// A series.
#[utoipa::path(
    get,
    path = "/api/v1/series/{id}",
    tag = "series",
    params(
        ("id" = i64, Path, minimum = 1, description = "The series' id"),
        ("view_adult" = Option<String>, Query, pattern = "^true$",
         description = "`true` to see adult works' notes"),
    ),
    responses(
        (status = 200, description = "The series", body = SeriesDetail),
        (status = 400, description = "A malformed id or parameter", body = ErrorBody),
        (status = 404, description = "No such series, or none of its works is one this \
          reader may see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw_id, "series")?;
    let series = state
        .store
        .series(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Series))?;
    let works = listed(&state.store.works(&series.work_ids).await?, reader.viewer());
    if works.is_empty() {
        return Err(AppError::not_found(Missing::Series));
    }
    Ok(reader.json(&SeriesDetail {
        id: series.id,
        title: series.title,
        summary: series.summary,
        complete: series.complete,
        works,
        feed_url: format!("/series/{id}/feed.atom"),
    }))
}
