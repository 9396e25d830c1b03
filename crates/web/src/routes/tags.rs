//! `/tags/{name}/works`: the works with one tag.

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use quire_core::tag::{escape_for_url, unescape_from_url, url_segment};
use quire_core::visibility::ListingScope;
use quire_store::Page;

use super::home::ListingPage;
use super::{PER_PAGE, PageParam, moved_to, render};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView, tag_url};
use quire_core::numbers::thousands;

pub async fn works(
    State(state): State<AppState>,
    reader: Reader,
    uri: Uri,
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
        .ok_or_else(|| AppError::not_found(Missing::Tag))?;
    // A tag whose every work is hidden from this viewer does not exist for them: its name
    // alone can say too much.
    if total == 0 {
        return Err(AppError::not_found(Missing::Tag));
    }
    // Another spelling of the tag's name (its case, say) leads to its one URL, so that
    // spellings cannot each cost a fresh listing. (Percent-encodings of one spelling share a
    // cache entry already.)
    if escaped != escape_for_url(&tag.name) {
        return Ok(moved_to(&tag_url(&tag.name), uri.query()));
    }
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
        feed: Some(format!("/tags/{}/feed.atom", url_segment(&tag.name))),
    };
    Ok((reader.response_headers(), render(&listing)?).into_response())
}
