//! `/series/{id}`: a series, its summary and notes, and its works in order, with a Subscribe
//! button for signed-in readers and an Edit link for its creators; `/users/{login}/series`:
//! the series a creator's visible works are in.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::numbers::thousands;
use quire_core::visibility::ListingScope;

use super::parse_id;
use super::render;
use super::subscriptions::{SubscribeButton, Target};
use crate::auth::SignedIn;
use crate::error::{AppError, Missing};
use crate::routes::account;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::WorkView;

#[derive(Template)]
#[template(path = "series.html")]
struct SeriesPage {
    id: i64,
    title: String,
    /// Sanitized HTML.
    summary: Option<String>,
    /// Sanitized HTML.
    notes: Option<String>,
    complete: bool,
    works: Vec<WorkView>,
    subscribe: Option<SubscribeButton>,
    /// The reader is one of the series' creators.
    editable: bool,
}

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
    // A series whose every work is hidden from this viewer does not exist for them (its
    // creators reach its edit page still, from their works' edit pages).
    if works.is_empty() {
        return Err(AppError::not_found(Missing::Series));
    }
    let editable = match &signed_in {
        Some(s) => state.store.is_series_creator(id, s.user.id).await?,
        None => false,
    };
    let subscribe = SubscribeButton::for_reader(
        &state,
        signed_in.as_ref(),
        Target::Series(id),
        series.title.clone(),
    )
    .await?;
    let page = SeriesPage {
        id,
        title: series.title,
        summary: series.summary,
        notes: series.notes,
        complete: series.complete,
        works,
        subscribe,
        editable,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

struct SeriesRow {
    title: String,
    url: String,
    works: String,
}

#[derive(Template)]
#[template(path = "user_series.html")]
struct UserSeriesPage {
    login: String,
    series: Vec<SeriesRow>,
}

/// `GET /users/{login}/series`: series holding at least one work of the user's that the
/// reader may see, by title.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let user = account(&state, &login).await?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let series = state
        .store
        .series_by_user(user.id, scope)
        .await?
        .into_iter()
        .map(|s| SeriesRow {
            url: format!("/series/{}", s.id),
            title: s.title,
            works: thousands(s.works),
        })
        .collect();
    let page = UserSeriesPage {
        login: user.login,
        series,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}
