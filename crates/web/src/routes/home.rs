//! The home page: the most recently updated works.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use quire_search::{MutedSet, WorkQuery};

use super::{PageParam, render};
use crate::error::AppError;
use crate::listing;
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
}

pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let query = WorkQuery {
        page: param.number()?,
        ..WorkQuery::new()
    };
    // Every work, most recently updated first, as `/works` lists them; the reader's mutes
    // apply there, where the page can say what they hid.
    let listing = listing::find(&state, &query, &reader.viewer, &MutedSet::default()).await?;
    let shows = Extension(listing.shows(&query));
    let (works, has_next) = (listing.works, listing.has_next);
    let page = query.page;
    let works: Vec<WorkView> = works.iter().map(WorkView::new).collect();
    let page = ListingPage {
        heading: "Recent works".to_owned(),
        intro: None,
        works,
        pagination: Pagination::open_ended("/", page, has_next),
        feed: None,
    };
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}
