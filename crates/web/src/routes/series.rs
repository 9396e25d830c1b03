//! `/series/{id}`: a series and its works in order, with a Subscribe button for signed-in
//! readers.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::visibility::ListingScope;

use super::home::ListingPage;
use super::subscriptions::{SubscribeButton, Target};
use super::{parse_id, render};
use crate::auth::SignedIn;
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw_id, "series")?;
    let series = state
        .store
        .series(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Series))?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let works: Vec<WorkView> = state
        .store
        .works(&series.work_ids)
        .await?
        .iter()
        .filter(|w| scope.admits(w, &reader.viewer))
        .map(WorkView::new)
        .collect();
    // A series whose every work is hidden from this viewer does not exist for them.
    if works.is_empty() {
        return Err(AppError::not_found(Missing::Series));
    }
    let subscribe = SubscribeButton::for_reader(
        &state,
        signed_in.as_ref(),
        Target::Series(id),
        series.title.clone(),
    )
    .await?;
    let page = ListingPage {
        subscribe,
        heading: series.title,
        intro: Some(
            if series.complete {
                "Complete series."
            } else {
                "Series in progress."
            }
            .to_owned(),
        ),
        works,
        pagination: Pagination::open_ended("", 1, false),
        feed: Some(format!("/series/{id}/feed.atom")),
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}
