//! AO3's "Co-Creator Requests": `/users/{login}/creatorships` lists the works others invited
//! the user to co-create, with Accept and Decline; a work's edit page has "Remove Me As
//! Co-Creator".
//!
//! Only the invitee answers a request: another user naming its id gets 404, as does anyone
//! on someone else's list (403). Accepting credits the pseud, so the work shows them, lists on
//! their page, and they may edit it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_store::StoreError;

use super::forms::{answer, done};
use super::posting::own_work;
use super::settings::own;
use crate::auth::{CheckedForm, SignedIn};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;

struct RequestView {
    id: i64,
    work_title: String,
    work_url: String,
    pseud: String,
    inviter: String,
}

#[derive(Template)]
#[template(path = "co_creator_requests.html")]
struct RequestsPage {
    csrf: String,
    login: String,
    requests: Vec<RequestView>,
    error: Option<String>,
    notice: Option<String>,
}

/// `GET /users/{login}/creatorships`: one's own requests alone.
pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let requests = state.store.co_creator_requests(signed_in.user.id).await?;
    let page = RequestsPage {
        csrf: signed_in.csrf_token().to_owned(),
        login: signed_in.user.login.clone(),
        requests: requests
            .into_iter()
            .map(|r| RequestView {
                id: r.id,
                work_url: format!("/works/{}", r.work_id),
                work_title: r.work_title,
                pseud: r.pseud,
                inviter: r.inviter,
            })
            .collect(),
        error: None,
        notice: None,
    };
    answer(&page, None)
}

/// `POST /users/{login}/creatorships/{id}/accept`.
pub async fn accept(
    state: State<AppState>,
    signed_in: SignedIn,
    path: Path<(String, String)>,
    _form: CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    respond(state, signed_in, path, true).await
}

/// `POST /users/{login}/creatorships/{id}/decline`.
pub async fn decline(
    state: State<AppState>,
    signed_in: SignedIn,
    path: Path<(String, String)>,
    _form: CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    respond(state, signed_in, path, false).await
}

async fn respond(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((login, raw_id)): Path<(String, String)>,
    accept: bool,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let id: i64 = raw_id
        .parse()
        .map_err(|_| AppError::not_found(Missing::CoCreatorRequest))?;
    let work = state
        .store
        .answer_co_creator_request(signed_in.user.id, id, accept)
        .await?;
    if accept {
        Ok(done(&format!("/works/{work}")))
    } else {
        Ok(done(&format!(
            "/users/{}/creatorships",
            signed_in.user.login
        )))
    }
}

/// `POST /works/{id}/creatorships/remove`: "Remove Me As Co-Creator". The work's only
/// creator cannot leave it (409): they may delete it instead.
pub async fn remove_me(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    match state
        .store
        .remove_co_creator(work.id, signed_in.user.id)
        .await
    {
        Ok(()) => Ok(done(&format!("/users/{}", signed_in.user.login))),
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict {
            code: "only_creator",
            message: "You are this work's only creator: delete it instead.".into(),
        }),
        Err(e) => Err(e.into()),
    }
}
