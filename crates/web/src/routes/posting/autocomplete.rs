//! `/tags/autocomplete?kind=…&term=…`: the canonical tags a posting form's tag field may
//! suggest, as a JSON array of names. The forms work without it (tags are typed,
//! comma-separated); a script can use it to offer names as the creator types.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::TagKind;
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;

/// Names suggested at most.
const SUGGESTIONS: i64 = 20;

#[derive(Debug, Deserialize)]
pub struct AutocompleteParams {
    kind: String,
    #[serde(default)]
    term: String,
}

/// `GET /tags/autocomplete`.
pub async fn index(
    State(state): State<AppState>,
    params: Result<Query<AutocompleteParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let kind = params
        .kind
        .parse::<TagKind>()
        .ok()
        .filter(|k| k.is_free())
        .ok_or_else(|| {
            AppError::invalid(format!(
                "`kind` must be fandom, relationship, character or freeform, not `{}`.",
                params.kind
            ))
        })?;
    let term: String = params
        .term
        .chars()
        .take(quire_core::limits::TAG_NAME_MAX)
        .collect();
    let names = state
        .store
        .tag_suggestions(kind, &term, SUGGESTIONS)
        .await?;
    Ok(Json(names).into_response())
}
