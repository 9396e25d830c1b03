//! `POST /admin/works/hide` and `/admin/works/unhide`: an admin (or moderator) hides a work from
//! everyone but its creators and admins, with a reason, or shows it again. The forms are on
//! `/admin` and, for admins, on the work page itself.

use axum::extract::State;
use axum::response::Response;
use quire_store::WorkModeration;
use serde::Deserialize;

use super::{index_page, reason};
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, Duty, Staff};
use crate::error::AppError;
use crate::routes::forms::done;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Posted {
    #[serde(default)]
    work_id: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/works/hide`.
pub async fn hide(
    State(state): State<AppState>,
    staff: Staff,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    moderate(&state, &staff, &posted, WorkModeration::Hide).await
}

/// `POST /admin/works/unhide`.
pub async fn unhide(
    State(state): State<AppState>,
    staff: Staff,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    moderate(&state, &staff, &posted, WorkModeration::Unhide).await
}

async fn moderate(
    state: &AppState,
    staff: &Staff,
    posted: &Posted,
    change: WorkModeration,
) -> Result<Response, AppError> {
    staff.require(Duty::HideWorks)?;
    let id = match posted.work_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            let error = format!("“{}” is not a work id.", posted.work_id.trim());
            return refused(state, staff, posted, &error).await;
        }
    };
    let reason = match reason(&posted.reason, change == WorkModeration::Hide) {
        Ok(reason) => reason,
        Err(error) => return refused(state, staff, posted, &error).await,
    };
    match state
        .store
        .moderate_work(&staff.actor(), id, change, &reason, now())
        .await
    {
        Ok(_) => {}
        Err(quire_store::StoreError::NotFound(_)) => {
            return refused(state, staff, posted, &format!("There is no work {id}.")).await;
        }
        Err(e) => return Err(e.into()),
    }
    // Admins see hidden works; a moderator does not, and goes back to the admin area.
    if staff.signed_in.user.is_admin {
        Ok(done(&format!("/works/{id}")))
    } else {
        Ok(done("/admin"))
    }
}

/// The admin area again, its hide form keeping what was typed, with the form error.
async fn refused(
    state: &AppState,
    staff: &Staff,
    posted: &Posted,
    error: &str,
) -> Result<Response, AppError> {
    index_page(state, staff, &posted.work_id, &posted.reason, Some(error)).await
}
