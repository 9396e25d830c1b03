//! `/users/{login}/gifts`: the works given to a user (AO3's Gifts page), listed through the
//! visibility rule like any listing; on their own page a recipient may refuse a gift, which
//! takes it from the work and leaves the work as it is.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::visibility::ListingScope;
use quire_store::Page;
use serde::Deserialize;

use super::forms::done;
use super::settings::own;
use super::{PER_PAGE, PageParam, parse_id, render};
use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::routes::account;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

#[derive(Template)]
#[template(path = "gifts.html")]
struct GiftsPage {
    login: String,
    works: Vec<WorkView>,
    pagination: Pagination,
    /// The recipient's CSRF token on their own page: each gift gets a Refuse button.
    refuse_csrf: Option<String>,
}

/// `GET /users/{login}/gifts`.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(login): Path<String>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let page = param.number()?;
    let user = account(&state, &login).await?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let (works, total) = state
        .store
        .gifts_received(user.id, scope, Page::new(page, PER_PAGE))
        .await?;
    let refuse_csrf = signed_in
        .as_ref()
        .filter(|s| s.user.id == user.id)
        .map(|s| s.csrf_token().to_owned());
    let works = works
        .iter()
        .filter(|w| scope.admits(w, &reader.viewer))
        .map(WorkView::new)
        .collect();
    let body = GiftsPage {
        pagination: Pagination::counted(
            &format!("/users/{}/gifts", user.login),
            page,
            PER_PAGE,
            total,
        ),
        login: user.login,
        works,
        refuse_csrf,
    };
    Ok((reader.response_headers(), render(&body)?).into_response())
}

/// The gift to refuse, by its work.
#[derive(Debug, Default, Deserialize)]
pub struct RefuseForm {
    #[serde(default)]
    work_id: String,
}

/// `POST /users/{login}/gifts/refuse`: the recipient refuses a gift (their own page only).
pub async fn refuse(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<RefuseForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let work = parse_id(form.work_id.trim(), "work")?;
    state.store.refuse_gift(work, signed_in.user.id).await?;
    Ok(done(&format!("/users/{}/gifts", signed_in.user.login)))
}
