//! `/api/v1/works/{id}/chapters/{chapter_id}`: one chapter's text.

use axum::extract::State;
use axum::response::Response;
use quire_core::privacy::{mask_emails, mask_emails_opt};
use quire_core::visibility::{Access, can_view_chapter};
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader};
use crate::error::{AppError, ErrorBody, Missing};
use crate::routes::parse_id;
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
