//! `/users/{login}`: a creator's profile, pseuds and works, with a Subscribe button for other
//! signed-in readers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::Role;
use quire_core::visibility::ListingScope;
use quire_store::Page;

use super::subscriptions::{SubscribeButton, Target};
use super::{PER_PAGE, PageParam, render};
use crate::auth::SignedIn;
use crate::error::{AppError, Missing};
use crate::routes::account;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView, pseud_url};
use quire_core::numbers::thousands;

struct SeriesLink {
    title: String,
    url: String,
    works: String,
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    login: String,
    claimed: bool,
    /// Each pseud's name and page.
    pseuds: Vec<(String, String)>,
    total: String,
    series: Vec<SeriesLink>,
    works: Vec<WorkView>,
    pagination: Pagination,
    /// The reader is this user: their own links (saved filters, mutes, settings) show.
    own: bool,
    /// Their own page, and they may wrangle tags: a link to the unwrangled bin shows.
    wrangler: bool,
    /// Another signed-in reader's Subscribe button.
    subscribe: Option<SubscribeButton>,
    /// Their own page, and they are an admin or moderator: a link to the admin area shows.
    staff: bool,
}

pub async fn show(
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
        .works_by_user(user.id, scope, Page::new(page, PER_PAGE))
        .await?;
    let series = state.store.series_by_user(user.id, scope).await?;
    let own = crate::auth::session::greeting().is_some_and(|g| g.login == user.login);
    let roles = if own {
        state.store.roles(user.id).await?
    } else {
        Vec::new()
    };
    let wrangler = own && (user.is_admin || roles.contains(&Role::Wrangler));
    let staff = own && (user.is_admin || roles.contains(&Role::Moderator));
    // A user with nothing this viewer may see (only drafts, restricted or hidden works, or no
    // works yet) does not exist for them, pseuds included; their own page always does.
    if total == 0 && series.is_empty() && !own {
        return Err(AppError::not_found(Missing::User));
    }
    let target = Target::Creator(user.id, user.login.clone());
    let subscribe =
        SubscribeButton::for_reader(&state, signed_in.as_ref(), target, user.login.clone()).await?;
    let pseuds = state.store.pseuds_of(user.id).await?;
    let series = series
        .into_iter()
        .map(|s| SeriesLink {
            url: format!("/series/{}", s.id),
            title: s.title,
            works: thousands(s.works),
        })
        .collect();
    let works: Vec<WorkView> = works
        .iter()
        .filter(|w| scope.admits(w, &reader.viewer))
        .map(WorkView::new)
        .collect();
    let body = UserPage {
        own,
        wrangler,
        subscribe,
        staff,
        pagination: Pagination::counted(&format!("/users/{}", user.login), page, PER_PAGE, total),
        login: user.login,
        claimed: user.claimed,
        pseuds: pseuds
            .into_iter()
            .map(|p| (pseud_url(&p.login, &p.name), p.name))
            .collect(),
        total: thousands(total),
        series,
        works,
    };
    Ok((reader.response_headers(), render(&body)?).into_response())
}
