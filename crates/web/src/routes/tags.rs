//! `/tags/{name}/works`: the works with one tag.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::tag::unescape_from_url;
use quire_core::visibility::ListingScope;
use quire_store::Page;

use super::home::ListingPage;
use super::{PER_PAGE, PageParam, render};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView, tag_url, thousands};

pub async fn works(
    State(state): State<AppState>,
    reader: Reader,
    Path(escaped): Path<String>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let page = param.number()?;
    let name = unescape_from_url(&escaped);
    let scope = ListingScope::for_viewer(&reader.viewer);
    let (tag, works, total) = state
        .store
        .works_tagged(&name, scope, Page::new(page, PER_PAGE))
        .await?
        .ok_or_else(|| AppError::not_found("The tag"))?;
    let works: Vec<WorkView> = works
        .iter()
        .filter(|w| scope.admits(w, &reader.viewer))
        .map(WorkView::new)
        .collect();
    let listing = ListingPage {
        heading: format!("{} Works in {}", thousands(total), tag.name),
        intro: None,
        works,
        pagination: Pagination::counted(&tag_url(&tag.name), page, PER_PAGE, total),
    };
    Ok((reader.response_headers(), render(&listing)?).into_response())
}
