//! `POST /api/v1/works/{id}/kudos`: kudos from the owner of a write token, once per work, as
//! the work page's button leaves them.

use axum::extract::State;
use axum::response::Response;
use quire_store::{KudosGiver, KudosOutcome};
use serde::Serialize;

use super::{ApiPath, ApiWriter};
use crate::error::{AppError, ErrorBody, Missing};
use crate::routes::works::visible_work;
use crate::state::AppState;

/// What leaving kudos did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KudosResult {
    /// `given`, `already_given` (nothing changed) or `own_work` (creators cannot leave kudos
    /// on their own work; nothing changed).
    #[schema(pattern = "^(given|already_given|own_work)$")]
    pub outcome: &'static str,
    /// The work's kudos now.
    pub kudos: i64,
}

#[utoipa::path(
    post,
    path = "/api/v1/works/{id}/kudos",
    tag = "works",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    security(("api_token" = ["write"])),
    responses(
        (status = 200, description = "Kudos left, or left before", body = KudosResult),
        (status = 400, description = "A malformed id", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No work the token's owner may see has this id", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    )
)]
pub async fn give(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<Response, AppError> {
    let (token, reader) = (&writer.token, &writer.reader);
    let (work, _) = visible_work(&state, &reader.reader, &raw_id).await?;
    let outcome = state
        .store
        .give_kudos(work.id, &KudosGiver::User(token.user.id))
        .await?;
    // (The work's cached pages, which show its kudos, were dropped as the kudos committed.)
    let kudos = state
        .store
        .work(work.id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Work))?
        .stats
        .kudos;
    let outcome = match outcome {
        KudosOutcome::Given => "given",
        KudosOutcome::AlreadyGiven => "already_given",
        KudosOutcome::OwnWork => "own_work",
    };
    Ok(reader.json(&KudosResult { outcome, kudos }))
}
