//! `/api/v1/works/{id}`: one work with its chapter list (the list is `work_list`); a write
//! token's owner `create`s works (posted or drafts), `update`s and `delete`s their own.
//!
//! Writes go through the posting forms' rules (`posting`) and the store's `Posting`, as the
//! web's forms do, and mark the work's cached pages stale before answering.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use quire_core::json::WorkJson;
use quire_core::visibility::{Access, can_view_chapter};
use quire_core::{Work, WorkId};
use quire_store::{FormKey, StoreError};
use serde::{Deserialize, Serialize};

use super::posting::{NewWorkBody, WorkChange, idempotency_key, named_pseud};
use super::{ApiJson, ApiPath, ApiReader, ApiWriter, work_json};
use crate::error::{AppError, ErrorBody, Missing};
use crate::routes::posting::{deletable_work, own_work, today};
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
    Ok(reader.json(&detail(&state, &reader, &work, access).await?))
}

/// The work and the chapters `reader` may open.
async fn detail(
    state: &AppState,
    reader: &ApiReader,
    work: &Work,
    access: Access,
) -> Result<WorkDetail, AppError> {
    let chapters = state
        .store
        .chapter_index(work.id)
        .await?
        .into_iter()
        .filter(|c| can_view_chapter(work, c, reader.viewer()) != Access::Hidden)
        .map(|c| ChapterEntry {
            url: format!("/api/v1/works/{}/chapters/{}", work.id, c.id),
            id: c.id,
            position: c.position,
            title: c.title,
        })
        .collect();
    Ok(WorkDetail {
        work: work_json(work, access),
        chapters,
    })
}

/// The work as its creator now sees it, after a write.
async fn written(state: &AppState, writer: &ApiWriter, id: WorkId) -> Result<WorkDetail, AppError> {
    let (work, access) = visible_work(state, &writer.reader.reader, &id.to_string()).await?;
    detail(state, &writer.reader, &work, access).await
}

/// Posts a new work with its chapters, or saves it as a draft. Refusals name each field that
/// cannot be taken (422). With an `Idempotency-Key`, a retried request answers the work the
/// first made (200) instead of making another.
#[utoipa::path(
    post,
    path = "/api/v1/works",
    tag = "works",
    params(
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255,
         pattern = "^[!-~]+$",
         description = "Any unique string (a UUID): a retry with the same key makes nothing new"),
    ),
    request_body = NewWorkBody,
    security(("api_token" = ["write"])),
    responses(
        (status = 201, description = "The work, made", body = WorkDetail,
         headers(("Location" = String, description = "The work's address at this API"))),
        (status = 200, description = "The work an earlier request with this `Idempotency-Key` made", body = WorkDetail),
        (status = 400, description = "A body that is not the JSON this takes, a malformed key, or a `pseud` that is not the poster's", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 413, description = "A body larger than the archive accepts", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (`title_too_long`, `rating_unknown`, …; see `problems`)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    writer: ApiWriter,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewWorkBody>,
) -> Result<Response, AppError> {
    let nonce = idempotency_key(&headers)?.map(|k| format!("api-work:{k}"));
    let pseuds = state.store.pseuds_of(writer.token.user.id).await?;
    // The default pseud comes first.
    let pseud = match &body.pseud {
        Some(name) => named_pseud(&pseuds, name)?,
        None => pseuds
            .first()
            .map(|p| p.id)
            .ok_or_else(|| AppError::Internal("an account without a pseud".into()))?,
    };
    let work = body.check(pseud, today())?;
    let key = nonce.as_deref().map(|nonce| FormKey {
        user: writer.token.user.id,
        nonce,
    });
    let created = state.store.create_work(&work, key).await?;
    let detail = written(&state, &writer, created.id).await?;
    if !created.new {
        return Ok(writer.json(StatusCode::OK, &detail));
    }
    let mut response = writer.json(StatusCode::CREATED, &detail);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/works/{}", created.id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// Changes a work of the token's owner: the fields sent replace the stored ones; `"post":
/// true` posts a draft.
#[utoipa::path(
    patch,
    path = "/api/v1/works/{id}",
    tag = "works",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    request_body = WorkChange,
    security(("api_token" = ["write"])),
    responses(
        (status = 200, description = "The work, changed", body = WorkDetail),
        (status = 400, description = "A malformed id, a body that is not the JSON this takes, or a `pseud` that is not the poster's", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token, or a work its owner did not create", body = ErrorBody),
        (status = 404, description = "No work the token's owner may see has this id", body = ErrorBody),
        (status = 413, description = "A body larger than the archive accepts", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (see `problems`)", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
    ApiJson(change): ApiJson<WorkChange>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &writer.reader.reader, &writer.token.user, &raw_id).await?;
    let meta = change.apply(&work)?;
    let pseud = match &change.pseud {
        Some(name) => {
            let pseuds = state.store.pseuds_of(writer.token.user.id).await?;
            Some(named_pseud(&pseuds, name)?)
        }
        None => None,
    };
    state.store.edit_work(work.id, &meta).await?;
    if let Some(pseud) = pseud {
        state
            .store
            .set_own_pseuds(work.id, writer.token.user.id, &[pseud])
            .await?;
    }
    if change.post == Some(true) {
        match state.store.post_work(work.id, today()).await {
            // Posted already: nothing to do.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let detail = written(&state, &writer, work.id).await?;
    Ok(writer.json(StatusCode::OK, &detail))
}

/// Deletes a work of the token's owner (an admin's token may delete any), with its chapters,
/// kudos and bookmarks.
#[utoipa::path(
    delete,
    path = "/api/v1/works/{id}",
    tag = "works",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    security(("api_token" = ["write"])),
    responses(
        (status = 204, description = "The work is deleted"),
        (status = 400, description = "A malformed id", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token, or a work its owner did not create", body = ErrorBody),
        (status = 404, description = "No work the token's owner may see has this id", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<Response, AppError> {
    let work = deletable_work(&state, &writer.reader.reader, &writer.token.user, &raw_id).await?;
    match state.store.delete_work(work.id).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => return Err(AppError::not_found(Missing::Work)),
        Err(e) => return Err(e.into()),
    }
    Ok(writer.no_content())
}
