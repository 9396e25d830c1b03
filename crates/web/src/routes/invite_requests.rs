//! `/invite_requests`: AO3's invitation queue, open while sign-up takes an invitation code. A
//! guest leaves an e-mail address and is sent a code in turn (an admin sends them); the
//! status page tells an address its place. Asking again keeps the first place.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use quire_store::QueueStatus;
use serde::Deserialize;

use super::render;
use super::signups::email_problem;
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, CsrfToken, Signups};
use crate::error::AppError;
use crate::invitations::day;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "invite_requests.html")]
struct QueuePage {
    csrf: String,
    waiting: i64,
    /// What was typed, kept after a form error.
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "invite_request_status.html")]
struct StatusPage {
    email: String,
    /// Where the address stands, when one was asked about.
    status: Option<String>,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

/// Whether the queue is open: only while sign-up takes a code. With open sign-up there is
/// nothing to wait for (on to the sign-up form); closed, there is nothing to wait in line for.
fn queue_open(state: &AppState) -> Result<Option<Response>, AppError> {
    match state.options.signups {
        Signups::InvitationOnly => Ok(None),
        Signups::Open => Ok(Some(Redirect::to("/users/new").into_response())),
        Signups::Closed => Err(AppError::SignupsClosed(
            "This archive is not taking new accounts at the moment, so it keeps no invitation queue.",
        )),
    }
}

/// `GET /invite_requests`: the form to join the queue.
pub async fn new(State(state): State<AppState>, csrf: CsrfToken) -> Result<Response, AppError> {
    if let Some(elsewhere) = queue_open(&state)? {
        return Ok(elsewhere);
    }
    queue_page(&state, &csrf, String::new(), None, None).await
}

/// `POST /invite_requests`: joins the queue (once per address).
pub async fn create(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<RequestForm>,
) -> Result<Response, AppError> {
    if let Some(elsewhere) = queue_open(&state)? {
        return Ok(elsewhere);
    }
    let email = form.email.trim().to_owned();
    if let Some(problem) = email_problem(&email) {
        return queue_page(&state, &csrf, email, Some(problem), None).await;
    }
    if state.store.credentials(&email).await?.is_some_and(|c| {
        c.email
            .is_some_and(|known| known.eq_ignore_ascii_case(&email))
    }) {
        let error = "That e-mail address already belongs to an account on this archive: log in, \
                     or reset your password if you have forgotten it."
            .to_owned();
        return queue_page(&state, &csrf, email, Some(error), None).await;
    }
    let notice = match state.store.queue_status(&email).await? {
        QueueStatus::Absent => {
            state.store.request_invitation(&email, now()).await?;
            let place = state.store.queue_status(&email).await?;
            format!(
                "You have been added to the invitation queue. {} We will send an invitation to \
                 {email} when your turn comes.",
                status_text(place)
            )
        }
        status => format!(
            "That address is in the queue already. {}",
            status_text(status)
        ),
    };
    queue_page(&state, &csrf, String::new(), None, Some(notice)).await
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusParams {
    #[serde(default)]
    email: String,
}

/// `GET /invite_requests/status?email=…`: where an address stands in the queue.
pub async fn status(
    State(state): State<AppState>,
    query: Result<Query<StatusParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    if let Some(elsewhere) = queue_open(&state)? {
        return Ok(elsewhere);
    }
    let Query(params) = query?;
    let email = params.email.trim().to_owned();
    let mut page = StatusPage {
        email: email.clone(),
        status: None,
        error: None,
        notice: None,
    };
    if email.is_empty() {
        return Ok(render(&page)?.into_response());
    }
    if let Some(problem) = email_problem(&email) {
        page.error = Some(problem);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    page.status = Some(match state.store.queue_status(&email).await? {
        QueueStatus::Absent => format!(
            "{email} is not in the invitation queue. You can join it on the invitation request page."
        ),
        status => status_text(status),
    });
    Ok(render(&page)?.into_response())
}

/// How a place in the queue reads.
fn status_text(status: QueueStatus) -> String {
    match status {
        QueueStatus::Absent => "That address is not in the queue.".to_owned(),
        QueueStatus::Waiting {
            position,
            requested_at,
        } => format!(
            "You are number {position} in the queue (you asked on {}).",
            day(requested_at)
        ),
        QueueStatus::Invited { at } => format!(
            "An invitation was sent on {}: check your e-mail, and its spam folder.",
            day(at)
        ),
    }
}

async fn queue_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: String,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = QueuePage {
        csrf: csrf.value().to_owned(),
        waiting: state.store.queue_length().await?,
        email,
        error,
        notice,
    };
    Ok((status, csrf.headers(), render(&page)?).into_response())
}
