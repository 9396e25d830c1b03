//! `/api/v1/tags/{name}`: a tag, and the works carrying it.
//!
//! The name is written as in the pages' URLs (AO3's escaping: `/` as `*s*`, `&` as `*a*`, `.`
//! as `*d*`, `?` as `*q*`, `#` as `*h*`), in any case. A tag that no work this reader may see
//! carries does not exist for them: its name alone can say too much.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use quire_core::tag::{unescape_from_url, url_segment};
use quire_core::visibility::ListingScope;
use quire_core::{Tag, Work};
use quire_store::Page;
use serde::{Deserialize, Serialize};

use super::{ApiPath, ApiReader, ListParams, PER_PAGE, WorkList, listed, next_cursor, unstorable};
use crate::error::{AppError, ErrorBody, Missing};
use crate::state::AppState;

/// A tag. Tag wrangling (synonyms, sub-tags) shows here as it comes to the archive; today a tag
/// says whether it is canonical.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TagJson {
    pub name: String,
    /// `rating`, `archive_warning`, `category`, `fandom`, `relationship`, `character` or
    /// `freeform`.
    pub kind: String,
    /// A canonical tag is the one its synonyms are filed under.
    pub canonical: bool,
    /// Works carrying the tag that this reader may see.
    pub works: i64,
    /// The tag's works, at this API.
    pub works_url: String,
    /// The tag's Atom feed.
    pub feed_url: String,
}

impl TagJson {
    pub fn new(tag: &Tag, works: i64) -> TagJson {
        let segment = url_segment(&tag.name);
        TagJson {
            name: tag.name.clone(),
            kind: tag.kind.as_str().to_owned(),
            canonical: tag.canonical,
            works,
            works_url: format!("/api/v1/tags/{segment}/works"),
            feed_url: format!("/tags/{segment}/feed.atom"),
        }
    }
}

/// A tag.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{name}",
    tag = "tags",
    params(("name" = String, Path, description = "The tag's name, escaped as in page URLs")),
    responses(
        (status = 200, description = "The tag", body = TagJson),
        (status = 404, description = "No such tag, or none of its works is one this reader \
          may see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(escaped): ApiPath<String>,
) -> Result<Response, AppError> {
    let (tag, _, total) = tagged(&state, &reader, &escaped, Page::first(1)).await?;
    Ok(reader.json(&TagJson::new(&tag, total)))
}

/// The works carrying a tag, most recently updated first.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{name}/works",
    tag = "tags",
    params(
        ("name" = String, Path, description = "The tag's name, escaped as in page URLs"),
        ListParams,
    ),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "No such tag, or none of its works is one this reader \
          may see", body = ErrorBody),
    )
)]
pub async fn works(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(escaped): ApiPath<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query?;
    let page = params.page()?;
    let (_, works, total) = tagged(&state, &reader, &escaped, Page::new(page, PER_PAGE)).await?;
    let seen = i64::from(page - 1) * i64::from(PER_PAGE) + works.len() as i64;
    Ok(reader.json(&WorkList {
        works: listed(&works, reader.viewer()),
        next_cursor: next_cursor(page, seen < total),
    }))
}

/// The tag, a page of its works and their number, or a 404.
async fn tagged(
    state: &AppState,
    reader: &ApiReader,
    escaped: &str,
    page: Page,
) -> Result<(Tag, Vec<Work>, i64), AppError> {
    let name = unescape_from_url(escaped);
    if unstorable(&name) {
        return Err(AppError::not_found(Missing::Tag));
    }
    let scope = ListingScope::for_viewer(reader.viewer());
    match state.store.works_tagged(&name, scope, page).await? {
        Some((tag, works, total)) if total > 0 => Ok((tag, works, total)),
        _ => Err(AppError::not_found(Missing::Tag)),
    }
}
