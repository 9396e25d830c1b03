//! `/users/{login}/readings`: a reader's history (AO3's "History"), the works they read, last
//! visited first, with how many visits, only to its owner; "Marked for Later" filters it to
//! the works they put aside with the work page's button. Works they can no longer see drop
//! out, through the visibility rule. Visits are recorded in batches (`crate::history`); the
//! batch waiting is written before the page is read, so that it is never behind.
//!
//! Nothing a guest's cached page shows changes here, so these writes touch no cached page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::WorkId;
use quire_core::visibility::{Access, can_view};
use quire_store::{Page, StoreError};
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use super::works::visible_work;
use super::{PER_PAGE, PageParam, parse_id};
use crate::auth::{CheckedForm, SignedIn};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

/// One work in the history.
struct ReadingView {
    work: WorkView,
    last_visited: String,
    visits: i64,
    later: bool,
}

#[derive(Template)]
#[template(path = "readings.html")]
struct ReadingsPage {
    login: String,
    later_only: bool,
    history_enabled: bool,
    readings: Vec<ReadingView>,
    pagination: Pagination,
}

#[derive(Debug, Deserialize)]
pub struct ReadingsParams {
    show: Option<String>,
    page: Option<String>,
}

/// A history form as posted: the work it is about, if any.
#[derive(Debug, Default, Deserialize)]
pub struct ReadingForm {
    #[serde(default)]
    work_id: String,
    /// `readings` when sent from the history, which it then returns to.
    #[serde(default)]
    from: String,
}

/// `GET /users/{login}/readings[?show=to-read]`.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(login): Path<String>,
    query: Result<Query<ReadingsParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let Query(params) = query?;
    let later_only = match params.show.as_deref() {
        None | Some("") => false,
        Some("to-read") => true,
        Some(other) => {
            return Err(AppError::invalid(format!(
                "`show` must be `to-read`, not `{other}`."
            )));
        }
    };
    let number = PageParam { page: params.page }.number()?;
    crate::history::record(&state).await?;
    let mut readings = state
        .store
        .readings(
            signed_in.user.id,
            later_only,
            Page::new(number, PER_PAGE).and_one_more(),
        )
        .await?;
    let has_next = readings.len() > PER_PAGE as usize;
    readings.truncate(PER_PAGE as usize);
    let ids: Vec<WorkId> = readings.iter().map(|r| r.work_id).collect();
    let works = state.store.works(&ids).await?;
    let views = readings
        .into_iter()
        .filter_map(|r| {
            let work = works.iter().find(|w| w.id == r.work_id)?;
            if can_view(work, &reader.viewer) == Access::Hidden {
                return None;
            }
            Some(ReadingView {
                work: WorkView::new(work),
                last_visited: r.last_visited_at.format("%d %b %Y").to_string(),
                visits: r.visits,
                later: r.later,
            })
        })
        .collect();
    let base = if later_only {
        format!("{}?show=to-read&", history_url(&signed_in))
    } else {
        format!("{}?", history_url(&signed_in))
    };
    let pagination = Pagination {
        current: number,
        last: None,
        prev: (number > 1).then(|| format!("{base}page={}", number - 1)),
        next: has_next.then(|| format!("{base}page={}", number + 1)),
    };
    let page = ReadingsPage {
        login: signed_in.user.login.clone(),
        later_only,
        history_enabled: signed_in.preferences.history_enabled,
        readings: views,
        pagination,
    };
    answer(&page, None)
}

/// `POST /users/{login}/readings/delete`: removes one work from the history.
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<ReadingForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let work = parse_id(&form.work_id, "work")?;
    // A visit still waiting in memory would bring the work back.
    crate::history::record(&state).await?;
    state.store.delete_reading(signed_in.user.id, work).await?;
    Ok(done(&history_url(&signed_in)))
}

/// `POST /users/{login}/readings/clear`: clears the whole history.
pub async fn clear(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(_): CheckedForm<ReadingForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    crate::history::record(&state).await?;
    state.store.clear_readings(signed_in.user.id).await?;
    Ok(done(&history_url(&signed_in)))
}

/// `POST /works/{id}/mark_for_later`: puts a work the reader may see aside for later.
pub async fn mark_for_later(
    state: State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    path: Path<String>,
    CheckedForm(form): CheckedForm<ReadingForm>,
) -> Result<Response, AppError> {
    mark(state, reader, signed_in, path, &form, true).await
}

/// `POST /works/{id}/mark_as_read`: takes it off the "Marked for Later" list.
pub async fn mark_as_read(
    state: State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    path: Path<String>,
    CheckedForm(form): CheckedForm<ReadingForm>,
) -> Result<Response, AppError> {
    mark(state, reader, signed_in, path, &form, false).await
}

async fn mark(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    form: &ReadingForm,
    later: bool,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &reader, &raw_id).await?;
    match state
        .store
        .mark_for_later(signed_in.user.id, work.id, later)
        .await
    {
        Ok(()) if form.from == "readings" => Ok(done(&history_url(&signed_in))),
        Ok(()) => Ok(done(&format!("/works/{}", work.id))),
        Err(StoreError::NotFound(_)) => Err(AppError::not_found(Missing::Work)),
        Err(e) => Err(e.into()),
    }
}

fn history_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/readings", signed_in.user.login)
}
