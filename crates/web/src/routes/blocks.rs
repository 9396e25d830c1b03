//! `/users/{login}/blocked`: the users a member blocked (AO3 "block": they cannot comment on
//! the member's works or reply to their comments), with the block and unblock forms. A
//! profile page's "Block" button posts here too.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "blocked.html")]
struct BlockedPage {
    csrf: String,
    login: String,
    blocked: Vec<String>,
    error: Option<String>,
    notice: Option<String>,
}

/// One user, by login.
#[derive(Debug, Default, Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    login: String,
}

/// `GET /users/{login}/blocked`: one's own list alone.
pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, None).await
}

/// `POST /users/{login}/blocked`: blocks the user named in the form.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<BlockForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let name = form.login.trim();
    match state.store.user_by_login(name).await? {
        Some(user) if user.id == signed_in.user.id => {
            page(
                &state,
                &signed_in,
                Some("You cannot block yourself.".into()),
            )
            .await
        }
        Some(user) => {
            state.store.block_user(signed_in.user.id, user.id).await?;
            Ok(done(&list_url(&signed_in)))
        }
        None => {
            let error = format!("There is no user called “{name}”.");
            page(&state, &signed_in, Some(error)).await
        }
    }
}

/// `POST /users/{login}/blocked/remove`: unblocks the user named in the form.
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<BlockForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    if let Some(user) = state.store.user_by_login(form.login.trim()).await? {
        state.store.unblock_user(signed_in.user.id, user.id).await?;
    }
    Ok(done(&list_url(&signed_in)))
}

fn list_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/blocked", signed_in.user.login)
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    error: Option<String>,
) -> Result<Response, AppError> {
    let blocked = state.store.blocked_users(signed_in.user.id).await?;
    let page = BlockedPage {
        csrf: signed_in.csrf_token().to_owned(),
        login: signed_in.user.login.clone(),
        blocked: blocked.into_iter().map(|u| u.login).collect(),
        notice: None,
        error,
    };
    answer(&page, page.error.as_deref())
}
