//! `/api/v1/fandoms`: every fandom with the number of works this reader may see.

use axum::extract::State;
use axum::response::Response;
use quire_core::TagKind;
use quire_core::visibility::ListingScope;
use serde::{Deserialize, Serialize};

use super::ApiReader;
use super::tags::TagJson;
use crate::error::AppError;
use crate::state::AppState;

/// Every fandom with at least one work this reader may see, by name.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FandomList {
    pub fandoms: Vec<TagJson>,
}

/// Every fandom.
#[utoipa::path(
    get,
    path = "/api/v1/fandoms",
    tag = "tags",
    responses((status = 200, description = "The fandoms", body = FandomList))
)]
pub async fn index(State(state): State<AppState>, reader: ApiReader) -> Result<Response, AppError> {
    let scope = ListingScope::for_viewer(reader.viewer());
    let fandoms = state
        .store
        .tag_counts(TagKind::Fandom, scope)
        .await?
        .iter()
        .filter(|(_, works)| *works > 0)
        .map(|(tag, works)| TagJson::new(tag, *works))
        .collect();
    Ok(reader.json(&FandomList { fandoms }))
}
