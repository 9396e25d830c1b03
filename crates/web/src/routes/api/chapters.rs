//! `/api/v1/works/{id}/chapters/{chapter_id}`: one chapter's text; the work's creators
//! `create` chapters with a write token, `update` and `delete` them.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use quire_core::Chapter;
use quire_core::privacy::{mask_emails, mask_emails_opt};
use quire_core::visibility::{Access, can_view_chapter};
use quire_store::{FormKey, StoreError};
use serde::{Deserialize, Serialize};

use super::posting::{ChapterChange, NewChapterBody, idempotency_key};
use super::{ApiJson, ApiPath, ApiReader, ApiWriter};
use crate::error::{AppError, ErrorBody, Missing};
use crate::routes::parse_id;
use crate::routes::posting::chapters::own_chapter;
use crate::routes::posting::{own_work, today};
use crate::routes::works::visible_work;
use crate::state::AppState;

/// A chapter and its text (sanitized HTML). An imported work's e-mail addresses are masked.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChapterJson {
    pub id: i64,
    pub work_id: i64,
    pub position: i32,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    /// The chapter's text as HTML.
    pub content: String,
    pub word_count: i64,
    /// Null when the work's files gave no date.
    pub published: Option<chrono::NaiveDate>,
}

impl ChapterJson {
    /// A chapter as its creators see it (nothing masked: it is their own text).
    fn own(chapter: &Chapter) -> ChapterJson {
        ChapterJson {
            id: chapter.id,
            work_id: chapter.work_id,
            position: chapter.position,
            title: chapter.title.clone(),
            summary: chapter.summary.clone(),
            notes: chapter.notes.clone(),
            end_notes: chapter.end_notes.clone(),
            content: chapter.content.clone(),
            word_count: chapter.word_count,
            published: chapter.published,
        }
    }
}

/// A chapter's text: for an adult work (Mature, Explicit, Not Rated) only with
/// `view_adult=true`.
#[utoipa::path(
    get,
    path = "/api/v1/works/{id}/chapters/{chapter_id}",
    tag = "works",
    params(
        ("id" = i64, Path, minimum = 1, description = "The work's id"),
        ("chapter_id" = i64, Path, minimum = 1, description = "The chapter's own id"),
        ("view_adult" = Option<String>, Query, pattern = "^true$",
         description = "`true`: the reader consents to adult content"),
    ),
    responses(
        (status = 200, description = "The chapter", body = ChapterJson),
        (status = 400, description = "A malformed id or parameter", body = ErrorBody),
        (status = 403, description = "An adult work, asked for without `view_adult=true` \
          (`adult_consent_required`)", body = ErrorBody),
        (status = 404, description = "No such work or chapter, or not one this reader may \
          see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath((raw_id, raw_chapter)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &reader.reader, &raw_id).await?;
    let chapter_id = parse_id(&raw_chapter, "chapter")?;
    let chapter = state
        .store
        .chapter(work.id, chapter_id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Chapter))?;
    match can_view_chapter(&work, &chapter, reader.viewer()) {
        Access::Hidden => Err(AppError::not_found(Missing::Chapter)),
        Access::AdultGate => Err(AppError::AdultConsentRequired {
            rating: work.rating.name(),
        }),
        Access::Full => {
            let imported = work.source.is_some();
            let public = |text: &str| {
                if imported {
                    mask_emails(text)
                } else {
                    text.to_owned()
                }
            };
            let public_opt = |text: &Option<String>| {
                if imported {
                    mask_emails_opt(text.as_deref())
                } else {
                    text.clone()
                }
            };
            Ok(reader.json(&ChapterJson {
                id: chapter.id,
                work_id: work.id,
                position: chapter.position,
                title: public_opt(&chapter.title),
                summary: public_opt(&chapter.summary),
                notes: public_opt(&chapter.notes),
                end_notes: public_opt(&chapter.end_notes),
                content: public(&chapter.content),
                word_count: chapter.word_count,
                published: chapter.published,
            }))
        }
    }
}

/// The chapter as stored after a write.
async fn stored(state: &AppState, work: i64, chapter: i64) -> Result<ChapterJson, AppError> {
    let chapter = state
        .store
        .chapter(work, chapter)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Chapter))?;
    Ok(ChapterJson::own(&chapter))
}

/// Adds a chapter after the work's last: posted with `"post": true` (a draft's chapters post
/// with the work), else saved unposted. With an `Idempotency-Key`, a retry answers the
/// chapter the first request made (200).
#[utoipa::path(
    post,
    path = "/api/v1/works/{id}/chapters",
    tag = "works",
    params(
        ("id" = i64, Path, minimum = 1, description = "The work's id"),
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255,
         pattern = "^[!-~]+$",
         description = "Any unique string (a UUID): a retry with the same key makes nothing new"),
    ),
    request_body = NewChapterBody,
    security(("api_token" = ["write"])),
    responses(
        (status = 201, description = "The chapter, added", body = ChapterJson,
         headers(("Location" = String, description = "The chapter's address at this API"))),
        (status = 200, description = "The chapter an earlier request with this `Idempotency-Key` made", body = ChapterJson),
        (status = 400, description = "A malformed id or key, or a body that is not the JSON this takes", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token, or a work its owner did not create", body = ErrorBody),
        (status = 404, description = "No work the token's owner may see has this id", body = ErrorBody),
        (status = 413, description = "A body larger than the archive accepts", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (see `problems`)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewChapterBody>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &writer.reader.reader, &writer.token.user, &raw_id).await?;
    // A key names one chapter of one work: the same key on another work makes a chapter there.
    let nonce = idempotency_key(&headers)?.map(|k| format!("api-chapter:{}:{k}", work.id));
    let chapter = body.check(today())?;
    let key = nonce.as_deref().map(|nonce| FormKey {
        user: writer.token.user.id,
        nonce,
    });
    let created = state.store.add_chapter(work.id, &chapter, key).await?;
    let json = stored(&state, work.id, created.id).await?;
    if !created.new {
        return Ok(writer.json(StatusCode::OK, &json));
    }
    let mut response = writer.json(StatusCode::CREATED, &json);
    let location = format!("/api/v1/works/{}/chapters/{}", work.id, created.id);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(response)
}

/// Changes a chapter of a work of the token's owner: the fields sent replace the stored ones;
/// `"post": true` posts an unposted chapter of a posted work.
#[utoipa::path(
    patch,
    path = "/api/v1/works/{id}/chapters/{chapter_id}",
    tag = "works",
    params(
        ("id" = i64, Path, minimum = 1, description = "The work's id"),
        ("chapter_id" = i64, Path, minimum = 1, description = "The chapter's own id"),
    ),
    request_body = ChapterChange,
    security(("api_token" = ["write"])),
    responses(
        (status = 200, description = "The chapter, changed", body = ChapterJson),
        (status = 400, description = "A malformed id, or a body that is not the JSON this takes", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token, or a work its owner did not create", body = ErrorBody),
        (status = 404, description = "No such work or chapter the token's owner may see", body = ErrorBody),
        (status = 413, description = "A body larger than the archive accepts", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (see `problems`)", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath((raw_id, raw_chapter)): ApiPath<(String, String)>,
    ApiJson(change): ApiJson<ChapterChange>,
) -> Result<Response, AppError> {
    let user = &writer.token.user;
    let (work, chapter) =
        own_chapter(&state, &writer.reader.reader, user, &raw_id, &raw_chapter).await?;
    let edit = change.apply(&chapter, today())?;
    state.store.edit_chapter(work.id, chapter.id, &edit).await?;
    let json = stored(&state, work.id, chapter.id).await?;
    Ok(writer.json(StatusCode::OK, &json))
}

/// Deletes a chapter of a work of the token's owner. A work's only chapter cannot go on its
/// own (409 `chapter_only`): delete the work.
#[utoipa::path(
    delete,
    path = "/api/v1/works/{id}/chapters/{chapter_id}",
    tag = "works",
    params(
        ("id" = i64, Path, minimum = 1, description = "The work's id"),
        ("chapter_id" = i64, Path, minimum = 1, description = "The chapter's own id"),
    ),
    security(("api_token" = ["write"])),
    responses(
        (status = 204, description = "The chapter is deleted"),
        (status = 400, description = "A malformed id", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token, or a work its owner did not create", body = ErrorBody),
        (status = 404, description = "No such work or chapter the token's owner may see", body = ErrorBody),
        (status = 409, description = "The work's only chapter (`chapter_only`)", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath((raw_id, raw_chapter)): ApiPath<(String, String)>,
) -> Result<Response, AppError> {
    let user = &writer.token.user;
    let (work, chapter) =
        own_chapter(&state, &writer.reader.reader, user, &raw_id, &raw_chapter).await?;
    match state.store.delete_chapter(work.id, chapter.id).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::Conflict {
                code: "chapter_only",
                message: "This is the work's only chapter, so it cannot be deleted on its own. \
                          Delete the work instead."
                    .to_owned(),
            });
        }
        Err(e) => return Err(e.into()),
    }
    Ok(writer.no_content())
}
