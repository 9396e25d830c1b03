//! `/users/{login}/pseuds`: a user's pseuds with each one's work count, and one pseud's page
//! with its description and works (`index`, `show`); the owner's forms to add, edit, make
//! default and delete them are in `edit.rs`.
//!
//! What readers see goes through the visibility rule: the counts and the works are the
//! listable ones, and a user with nothing a reader may see does not exist for them, as on
//! `/users/{login}`.

pub(crate) mod edit;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::User;
use quire_core::numbers::thousands;
use quire_core::visibility::ListingScope;
use quire_store::{Page, PseudInfo};

use super::{PER_PAGE, PageParam, render};
use crate::auth::SignedIn;
use crate::error::{AppError, Missing};
use crate::routes::account;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView, pseud_url};

/// A pseud in a list.
pub(crate) struct PseudView {
    pub name: String,
    pub url: String,
    pub is_default: bool,
    pub works: String,
    /// Sanitized HTML.
    pub description: Option<String>,
}

impl PseudView {
    fn new(info: PseudInfo) -> PseudView {
        PseudView {
            url: pseud_url(&info.pseud.login, &info.pseud.name),
            name: info.pseud.name,
            is_default: info.pseud.is_default,
            works: thousands(info.works),
            description: info.description,
        }
    }
}

#[derive(Template)]
#[template(path = "pseuds.html")]
struct PseudsPage {
    login: String,
    pseuds: Vec<PseudView>,
    /// The owner's CSRF token: their edit, default and delete forms show.
    csrf: Option<String>,
}

#[derive(Template)]
#[template(path = "pseud.html")]
struct PseudPage {
    login: String,
    pseud: PseudView,
    works: Vec<WorkView>,
    pagination: Pagination,
    own: bool,
}

/// The user of a path's login, when the reader may know of them: they are the reader, or
/// they have a work the reader may see listed (else 404, as on `/users/{login}`).
pub(crate) async fn visible_user(
    state: &AppState,
    reader: &Reader,
    signed_in: Option<&SignedIn>,
    login: &str,
) -> Result<(User, bool), AppError> {
    let user = account(state, login).await?;
    let own = signed_in.is_some_and(|s| s.user.id == user.id);
    if !own {
        let scope = ListingScope::for_viewer(&reader.viewer);
        let (_, total) = state
            .store
            .works_by_user(user.id, scope, Page::first(1))
            .await?;
        if total == 0 {
            return Err(AppError::not_found(Missing::User));
        }
    }
    Ok((user, own))
}

/// `GET /users/{login}/pseuds`.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let (user, own) = visible_user(&state, &reader, signed_in.as_ref(), &login).await?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let pseuds = state.store.pseud_list(user.id, scope).await?;
    let page = PseudsPage {
        login: user.login,
        pseuds: pseuds.into_iter().map(PseudView::new).collect(),
        csrf: signed_in.filter(|_| own).map(|s| s.csrf_token().to_owned()),
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

/// `GET /users/{login}/pseuds/{name}`: the pseud's description and listable works.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path((login, name)): Path<(String, String)>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let number = param.number()?;
    let (user, own) = visible_user(&state, &reader, signed_in.as_ref(), &login).await?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let info = state
        .store
        .pseud_named(user.id, &name, scope)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Pseud))?;
    let (works, total) = state
        .store
        .works_by_pseud(info.pseud.id, scope, Page::new(number, PER_PAGE))
        .await?;
    let works = works
        .iter()
        .filter(|w| scope.admits(w, &reader.viewer))
        .map(WorkView::new)
        .collect();
    let pseud = PseudView::new(info);
    let page = PseudPage {
        login: user.login,
        pagination: Pagination::counted(&pseud.url, number, PER_PAGE, total),
        pseud,
        works,
        own,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}
