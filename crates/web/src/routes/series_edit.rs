//! A series' creators manage it: `/series/{id}/edit` (title, summary, notes, complete; the
//! works' order; removing a work) and `/series/{id}/delete` (its works stay). Anyone else
//! gets 403. Every change clears the cached pages, as the `series` outbox entry does on every
//! node, since each of the series' works shows where it stands in it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::limits::{NOTES_MAX, SUMMARY_MAX, TITLE_MAX};
use quire_core::visibility::{Access, can_view};
use quire_core::{Series, SeriesId};
use quire_store::{SeriesEdit, StoreError};
use quire_text::TextFormat;

use super::forms::{answer_refused, done};
use super::posting::form::{Fields, Problems};
use super::posting::works::ConfirmDelete;
use super::{parse_id, render};
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;

/// The series' own fields as typed (its summary and notes are HTML).
#[derive(Debug, Clone, Default)]
struct SeriesFields {
    title: String,
    summary: String,
    notes: String,
    complete: bool,
}

/// A work in the order form; one the editor may not see shows no title.
struct WorkRow {
    id: i64,
    position: usize,
    label: String,
    url: Option<String>,
}

#[derive(Template)]
#[template(path = "series_form.html")]
struct SeriesForm {
    id: SeriesId,
    csrf: String,
    fields: SeriesFields,
    problems: Problems,
    works: Vec<WorkRow>,
}

/// The series of a path's id, when the signed-in user is one of its creators: 404 when
/// there is no such series, 403 when it is not theirs.
async fn own_series(
    state: &AppState,
    signed_in: &SignedIn,
    raw_id: &str,
) -> Result<Series, AppError> {
    let id = parse_id(raw_id, "series")?;
    let series = state
        .store
        .series(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Series))?;
    if state.store.is_series_creator(id, signed_in.user.id).await? {
        Ok(series)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn form(
    state: &AppState,
    reader: &Reader,
    series: &Series,
    csrf: &CsrfToken,
    fields: SeriesFields,
    problems: Problems,
) -> Result<Response, AppError> {
    let works = state.store.works(&series.work_ids).await?;
    let rows = works
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let seen = can_view(w, &reader.viewer) != Access::Hidden;
            WorkRow {
                id: w.id,
                position: i + 1,
                label: if seen {
                    w.title.clone()
                } else {
                    "A work you cannot see".to_owned()
                },
                url: seen.then(|| format!("/works/{}", w.id)),
            }
        })
        .collect();
    let page = SeriesForm {
        id: series.id,
        csrf: csrf.value().to_owned(),
        fields,
        problems,
        works: rows,
    };
    let refused = !page.problems.is_empty();
    answer_refused(&page, refused)
}

/// `GET /series/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    let fields = SeriesFields {
        title: series.title.clone(),
        summary: series.summary.clone().unwrap_or_default(),
        notes: series.notes.clone().unwrap_or_default(),
        complete: series.complete,
    };
    form(&state, &reader, &series, &csrf, fields, Problems::default()).await
}

/// `POST /series/{id}/edit`: saves the title, summary, notes and complete flag.
pub async fn update(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    let sent = Fields(raw);
    let fields = SeriesFields {
        title: sent.one("title"),
        summary: sent.one("summary"),
        notes: sent.one("notes"),
        complete: !sent.one("complete").is_empty(),
    };
    let problems = check(&fields);
    if !problems.is_empty() {
        return form(&state, &reader, &series, &csrf, fields, problems).await;
    }
    let html = |text: &str| {
        let html = TextFormat::Html.to_html(text);
        (!html.trim().is_empty()).then_some(html)
    };
    let edit = SeriesEdit {
        title: fields
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        summary: html(&fields.summary),
        notes: html(&fields.notes),
        complete: fields.complete,
    };
    state.store.edit_series(series.id, &edit).await?;
    Ok(done(&format!("/series/{}", series.id)))
}

/// AO3's limits on what was typed.
fn check(fields: &SeriesFields) -> Problems {
    let mut problems = Problems::default();
    let title = fields.title.trim().chars().count();
    if title == 0 {
        problems.add("title", "title_missing", "Give the series a title.");
    } else if title > TITLE_MAX {
        problems.add(
            "title",
            "title_too_long",
            format!("The title is {title} characters long; the limit is {TITLE_MAX}."),
        );
    }
    for (field, code, text, limit) in [
        ("summary", "summary_too_long", &fields.summary, SUMMARY_MAX),
        ("notes", "notes_too_long", &fields.notes, NOTES_MAX),
    ] {
        let n = text.chars().count();
        if n > limit {
            problems.add(
                field,
                code,
                format!("This is {n} characters long; the limit is {limit}."),
            );
        }
    }
    problems
}

/// `POST /series/{id}/order`: puts the works in the order of the positions typed.
pub async fn reorder(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    let sent = Fields(raw);
    let ids = sent.all("work");
    let positions = sent.all("position");
    if ids.len() != positions.len() {
        return Err(AppError::invalid("Each `work` needs one `position`."));
    }
    let mut order: Vec<(i64, usize, i64)> = Vec::with_capacity(ids.len());
    for (i, (id, place)) in ids.iter().zip(&positions).enumerate() {
        let id = parse_id(id, "work")?;
        let place: i64 = place.trim().parse().map_err(|_| {
            AppError::invalid(format!("`{place}` is not a position: give a number."))
        })?;
        order.push((place, i, id));
    }
    order.sort_unstable();
    let order: Vec<i64> = order.into_iter().map(|(_, _, id)| id).collect();
    match state.store.reorder_series(series.id, &order).await {
        Ok(()) => Ok(done(&format!("/series/{}/edit", series.id))),
        Err(StoreError::Invalid(message)) => Err(AppError::invalid(format!("{message}."))),
        Err(e) => Err(e.into()),
    }
}

/// `POST /series/{id}/remove`: takes one work out of the series (the work stays).
pub async fn remove(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    let work = parse_id(Fields(raw).one("work_id").trim(), "work")?;
    state.store.remove_from_series(series.id, work).await?;
    Ok(done(&format!("/series/{}/edit", series.id)))
}

/// `GET /series/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    let page = ConfirmDelete {
        heading: format!("Delete {}", series.title),
        question: format!(
            "Are you sure you want to delete the series \u{201c}{}\u{201d}? Its works stay \
             on the archive, outside any series. This cannot be undone.",
            series.title
        ),
        refusal: None,
        action: format!("/series/{}/delete", series.id),
        cancel_url: format!("/series/{}", series.id),
        csrf: csrf.value().to_owned(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /series/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let series = own_series(&state, &signed_in, &raw_id).await?;
    state.store.delete_series(series.id).await?;
    Ok(done(&format!("/users/{}/series", signed_in.user.login)))
}
