//! `GET /api/v1/works`: any listing of the archive, as the `/works` page and its filters give
//! it (`WorkQuery`, through the one listing service: the visibility rule, the reader's mutes
//! when a token speaks for them), a page at a time by cursor.
//!
//! The filters are read by the page's own parser; the API is stricter about spelling only
//! where a program gains from it: no blank values, no spaces around a value, `cursor` instead
//! of `page`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use quire_search::WorkQuery;

use super::{ApiReader, ListParams, WorkList, listed, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::listing;
use crate::state::AppState;
use crate::viewer::VIEW_ADULT;

/// The list's parameters as the OpenAPI document describes them. Tags and the fixed
/// vocabularies (ratings, warnings, categories) take their names in any case; see the `/works`
/// page's search form for every value.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Read from the raw query string; here for the document.
pub struct WorkListParams {
    /// Words to find in titles, summaries, notes, tags and creator names.
    q: Option<String>,
    /// `true`: look in the chapters' text too.
    body: Option<String>,
    /// Works with this rating (repeat for more: every one must match).
    rating: Option<Vec<String>>,
    /// Works with this archive warning.
    warning: Option<Vec<String>>,
    /// Works in this category (F/F, F/M, Gen, M/M, Multi, Other).
    category: Option<Vec<String>>,
    /// Works in this fandom (its synonyms and sub-tags count).
    fandom: Option<Vec<String>>,
    relationship: Option<Vec<String>>,
    character: Option<Vec<String>>,
    /// Works with this additional tag.
    freeform: Option<Vec<String>>,
    /// Leave out works with this rating (repeatable); likewise `not_warning`, … below.
    not_rating: Option<Vec<String>>,
    not_warning: Option<Vec<String>>,
    not_category: Option<Vec<String>>,
    not_fandom: Option<Vec<String>>,
    not_relationship: Option<Vec<String>>,
    not_character: Option<Vec<String>>,
    not_freeform: Option<Vec<String>>,
    /// `include` (default), `exclude` or `only`: works in more than one fandom.
    crossover: Option<String>,
    /// `true`: complete works only; `false`: works in progress only.
    complete: Option<String>,
    /// Word count at least this.
    #[param(minimum = 0)]
    words_from: Option<u64>,
    /// Word count at most this.
    #[param(minimum = 0)]
    words_to: Option<u64>,
    /// Posted on or after this day (`YYYY-MM-DD`).
    posted_from: Option<String>,
    posted_to: Option<String>,
    /// Updated on or after this day (`YYYY-MM-DD`).
    updated_from: Option<String>,
    updated_to: Option<String>,
    /// Language code, e.g. `en`.
    language: Option<String>,
    /// The archive imported works came from.
    archive: Option<String>,
    /// `best` (with `q`), `author`, `title`, `posted`, `updated` (default), `words`, `hits`,
    /// `kudos`, `comments` or `bookmarks`.
    sort: Option<String>,
    /// `asc` or `desc` (default: A–Z for author and title, else highest or newest first).
    order: Option<String>,
}

/// Works matching the filters, in the asked order, 20 a page.
#[utoipa::path(
    get,
    path = "/api/v1/works",
    tag = "works",
    params(WorkListParams, ListParams),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed, unknown or contradictory parameter", body = ErrorBody),
        (status = 414, description = "A query string longer than the archive reads", body = ErrorBody),
    )
)]
pub async fn index(
    State(state): State<AppState>,
    reader: ApiReader,
    uri: Uri,
) -> Result<Response, AppError> {
    let (filters, page) = list_query(uri.query().unwrap_or_default())?;
    let query = WorkQuery { page, ..filters };
    let viewer = *reader.viewer();
    let muted = listing::mutes_of(&state, &viewer).await?;
    let found = listing::find(&state, &query, &viewer, &muted).await?;
    Ok(reader.json(&WorkList {
        works: listed(&found.works, &viewer),
        next_cursor: next_cursor(page, found.has_next),
    }))
}

/// The filters and sort of a list's query string (read as the `/works` page reads them), and
/// the page its cursor points at.
pub(super) fn list_query(raw: &str) -> Result<(WorkQuery, u32), AppError> {
    let mut cursor: Option<String> = None;
    let mut filters: Vec<&str> = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = form_urlencoded::parse(pair.as_bytes())
            .next()
            .unwrap_or_default();
        if value.is_empty() || value.trim() != value {
            return Err(AppError::invalid(format!(
                "`{name}` needs a value without spaces around it, not `{value}`."
            )));
        }
        match &*name {
            "cursor" if cursor.is_some() => {
                return Err(AppError::invalid("`cursor` is given twice."));
            }
            "cursor" => cursor = Some(value.into_owned()),
            VIEW_ADULT if value != "true" => {
                return Err(AppError::invalid(format!(
                    "`{VIEW_ADULT}` can only be `true`, not `{value}`."
                )));
            }
            VIEW_ADULT => {}
            "page" => {
                return Err(AppError::invalid(
                    "Lists go on with `cursor` (the `next_cursor` of the page before), not `page`.",
                ));
            }
            _ => filters.push(pair),
        }
    }
    let page = ListParams::with_cursor(cursor).page()?;
    let query = quire_search::params::parse(&filters.join("&"))?;
    Ok((query, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_reads_the_pages_filters_and_its_own_cursor() {
        let (query, page) = list_query("fandom=Lanterns&sort=kudos&cursor=p3").unwrap();
        assert_eq!(page, 3);
        assert_eq!(query.include.len(), 1);
        assert_eq!(
            quire_search::params::serialize(&query),
            "fandom=Lanterns&sort=kudos"
        );
        for bad in [
            "page=2",
            "sort=",
            "sort=%20kudos",
            "cursor=p2&cursor=p3",
            "view_adult=yes",
            "nope=1",
        ] {
            assert!(list_query(bad).is_err(), "{bad}");
        }
    }
}
