//! The home page: the most recently updated works.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::visibility::ListingScope;
use quire_store::Page;

use super::{PER_PAGE, PageParam, render};
use crate::cache::Shows;
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

#[derive(Template)]
#[template(path = "listing.html")]
pub(crate) struct ListingPage {
    pub heading: String,
    pub intro: Option<String>,
    pub works: Vec<WorkView>,
    pub pagination: Pagination,
    /// The listing's Atom feed, for `<link rel="alternate">`.
    pub feed: Option<String>,
    /// A signed-in reader's Subscribe button (a series).
    pub subscribe: Option<super::subscriptions::SubscribeButton>,
}

pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let page = param.number()?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let mut works = state
        .store
        .recent_works(scope, Page::new(page, PER_PAGE).and_one_more())
        .await?;
    let has_next = works.len() > PER_PAGE as usize;
    works.truncate(PER_PAGE as usize);
    works.retain(|w| scope.admits(w, &reader.viewer));
    let shows = Extension(Shows::Listing {
        works: works.iter().map(|w| w.id).collect(),
        by_counts: false,
    });
    let works: Vec<WorkView> = works.iter().map(WorkView::new).collect();
    let page = ListingPage {
        heading: "Recent works".to_owned(),
        intro: None,
        works,
        pagination: Pagination::open_ended("/", page, has_next),
        feed: None,
        subscribe: None,
    };
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}
