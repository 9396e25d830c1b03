//! `/downloads/{id}/{file}.{epub|html|txt}`: a work as a file, for whoever may read it.
//!
//! The same rule as the work page decides: unknown and invisible works are 404, a reader who
//! has not consented to adult content gets the interstitial instead of the file, and only the
//! chapters `can_view_chapter` lets through are written. Files are made on demand; the page
//! cache keeps them for guests (keyed by consent) until the work changes, and ETags answer
//! repeated downloads with 304.

use axum::extract::{OriginalUri, Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::Response;
use quire_core::Chapter;
use quire_core::visibility::{Access, can_view_chapter};
use quire_export::{Book, Format};

use super::works::{gate, text_shown, visible_work};
use crate::cache::Shows;
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;

/// The work's file in the format its extension names. Any file name is accepted (links keep
/// working when a title changes); the download is always named after the current title.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    OriginalUri(uri): OriginalUri,
    Path((raw_id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = file
        .rsplit_once('.')
        .and_then(|(_, extension)| Format::from_extension(extension))
        .ok_or_else(|| AppError::not_found(Missing::Route))?;
    let (work, access) = visible_work(&state, &reader, &raw_id).await?;
    if access == Access::AdultGate {
        return gate(&reader, &work, &uri);
    }
    let chapters: Vec<Chapter> = state
        .store
        .chapters(work.id)
        .await?
        .into_iter()
        .filter(|c| can_view_chapter(&work, c, &reader.viewer) == Access::Full)
        .collect();
    let book = Book::new(&work, &chapters, &state.site_name);
    if book.chapters().is_empty() {
        return Err(AppError::not_found(Missing::Work));
    }
    let bytes = quire_export::render(format, &book)
        .map_err(|e| AppError::Internal(format!("export of work {}: {e}", work.id)))?;
    let mut headers = reader.response_headers();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    // AO3-style names are ASCII letters, digits, `_` and `-` only: safe to quote as they are.
    let disposition = format!(
        "attachment; filename=\"{}\"",
        quire_export::file_name(&work, format)
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    // A download counts as a hit, as on AO3.
    Ok(text_shown(
        &reader,
        &work,
        Shows::Work(work.id),
        (headers, bytes),
    ))
}

/// The file name (without extension) download links use, for templates.
pub(crate) fn file_stem(title: &str, id: &i64) -> String {
    quire_export::file_stem(title, *id)
}
