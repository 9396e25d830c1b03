//! Atom feeds of the latest works of any listing (`/works/feed.atom?…`), of a tag's (through
//! the listing service, so synonyms and sub-tags count), a creator's and a series'.
//!
//! A feed is what a guest sees in the matching listing, whoever asks: feed readers carry no
//! cookies, and one body for everyone lets shared caches keep it. So restricted works, drafts
//! and hidden works never appear, and adult works appear as their blurbs do (never their
//! text). A tag's, creator's or series' feed with nothing to show is a 404, as its page is;
//! filters that match nothing give an empty feed, as they give an empty listing.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LAST_MODIFIED};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use quire_core::Work;
use quire_core::tag::{escape_for_url, unescape_from_url, url_segment};
use quire_core::visibility::{ListingScope, Viewer};
use quire_export::atom::{FEED_LENGTH, Feed};
use quire_search::{MutedSet, SortField, WorkQuery};
use quire_store::Page;

use super::tags::find_tag;
use super::{moved_to, parse_id};
use crate::error::{AppError, Missing};
use crate::http::http_date;
use crate::listing::find;
use crate::params::ListingParams;
use crate::routes::account;
use crate::state::AppState;

/// Feeds are the guest's view (see the module docs).
const GUEST: Viewer = Viewer::GUEST;

/// `/works/feed.atom?…`: the latest works of any `/works` listing (its filters as the query
/// string, e.g. `?fandom=Lanterns&rating=General+Audiences`). Filters that match nothing give an
/// empty feed, as they give an empty page.
pub async fn works(
    State(state): State<AppState>,
    Extension(params): Extension<ListingParams>,
) -> Result<Response, AppError> {
    only_filters(&params)?;
    let works = latest(&state, &params.query).await?;
    let query = feed_query(&params.query);
    let title = match named_tags(&params.query) {
        Some(tags) => format!("{}: works in {tags}", state.site_name),
        None => format!("{}: latest works", state.site_name),
    };
    let feed = Feed {
        base_url: &state.public_url,
        site_name: &state.site_name,
        title: &title,
        self_path: &with_query("/works/feed.atom", &query),
        page_path: &with_query("/works", &query),
    };
    Ok(respond(&feed, &listed(&works)))
}

/// `/tags/{name}/feed.atom`: the latest works with the tag, through its synonyms and sub-tags
/// as its listing is (and narrowed by the listing's filters, when the query string has some).
pub async fn tag(
    State(state): State<AppState>,
    uri: Uri,
    Path(escaped): Path<String>,
    Extension(params): Extension<ListingParams>,
) -> Result<Response, AppError> {
    only_filters(&params)?;
    let name = unescape_from_url(&escaped);
    let tag = find_tag(&state, &GUEST, &name).await?;
    let segment = url_segment(&tag.name);
    if escaped != escape_for_url(&tag.name) {
        return Ok(moved_to(&format!("/tags/{segment}/feed.atom"), uri.query()));
    }
    let mut query = params.query.clone();
    query.include.insert(0, (tag.kind, tag.name.clone()));
    let works = latest(&state, &query).await?;
    // A tag a guest sees no work of does not exist for them (its page is a 404 too).
    if works.is_empty() && params.query == WorkQuery::new() {
        return Err(AppError::not_found(Missing::Tag));
    }
    let filters = feed_query(&params.query);
    let title = format!("{}: works tagged {}", state.site_name, tag.name);
    let feed = Feed {
        base_url: &state.public_url,
        site_name: &state.site_name,
        title: &title,
        self_path: &with_query(&format!("/tags/{segment}/feed.atom"), &filters),
        page_path: &with_query(&format!("/tags/{segment}/works"), &filters),
    };
    Ok(respond(&feed, &listed(&works)))
}

/// The [`FEED_LENGTH`] most recently updated works of `query` a guest sees listed, from the
/// listing service (two of its pages). The query's own sort and page do not apply: a feed is
/// always the latest works.
async fn latest(state: &AppState, query: &WorkQuery) -> Result<Vec<Work>, AppError> {
    let mut query = WorkQuery {
        sort: Some(SortField::Updated),
        direction: None,
        page: 1,
        ..query.clone()
    };
    let mut works = Vec::with_capacity(FEED_LENGTH);
    loop {
        let listing = find(state, &query, &GUEST, &MutedSet::default()).await?;
        works.extend(listing.works);
        if works.len() >= FEED_LENGTH || !listing.has_next {
            break;
        }
        query.page += 1;
    }
    works.truncate(FEED_LENGTH);
    Ok(works)
}

/// A feed is the latest works of its filters, for everyone: a sort, a page or `show_muted`
/// would mean nothing, and each would make another URL of the same feed.
fn only_filters(params: &ListingParams) -> Result<(), AppError> {
    let q = &params.query;
    if q.sort.is_some() || q.direction.is_some() || q.page != 1 || params.show_muted {
        return Err(AppError::invalid(
            "A feed takes a listing's filters only: it is always the latest works, so `sort`, \
             `order`, `page` and `show_muted` mean nothing here.",
        ));
    }
    Ok(())
}

/// The feed's query string: the listing's filters, without its sort or page.
pub(crate) fn feed_query(query: &WorkQuery) -> String {
    quire_search::params::serialize(&WorkQuery {
        sort: None,
        direction: None,
        page: 1,
        ..query.clone()
    })
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// "Lanterns, Mira/Tomas": the tags a listing requires, for its feed's title.
fn named_tags(query: &WorkQuery) -> Option<String> {
    let names: Vec<&str> = query.include.iter().map(|(_, n)| n.as_str()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// `/users/{login}/works/feed.atom`: a creator's latest works.
pub async fn user(
    State(state): State<AppState>,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let user = account(&state, &login).await?;
    let scope = ListingScope::for_viewer(&GUEST);
    let (works, total) = state
        .store
        .works_by_user(user.id, scope, first_page())
        .await?;
    if total == 0 {
        return Err(AppError::not_found(Missing::User));
    }
    let title = format!("{}: works by {}", state.site_name, user.login);
    let feed = Feed {
        base_url: &state.public_url,
        site_name: &state.site_name,
        title: &title,
        self_path: &format!("/users/{}/works/feed.atom", user.login),
        page_path: &format!("/users/{}", user.login),
    };
    Ok(respond(&feed, &listed(&works)))
}

/// `/series/{id}/feed.atom`: a series' most recently updated works.
pub async fn series(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw_id, "series")?;
    let series = state
        .store
        .series(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Series))?;
    let works = state.store.works(&series.work_ids).await?;
    let mut works = listed(&works);
    if works.is_empty() {
        return Err(AppError::not_found(Missing::Series));
    }
    // Newest first; works of unknown date (None, the smallest) last.
    works.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
    let title = format!("{}: {}", state.site_name, series.title);
    let feed = Feed {
        base_url: &state.public_url,
        site_name: &state.site_name,
        title: &title,
        self_path: &format!("/series/{id}/feed.atom"),
        page_path: &format!("/series/{id}"),
    };
    Ok(respond(&feed, &works))
}

fn first_page() -> Page {
    Page::first(FEED_LENGTH as u32)
}

/// The works a guest's listing shows (the store narrowed them already; this is the check every
/// listing makes of what it shows).
fn listed(works: &[Work]) -> Vec<&Work> {
    let scope = ListingScope::for_viewer(&GUEST);
    works.iter().filter(|w| scope.admits(w, &GUEST)).collect()
}

/// The feed as a response. `Last-Modified` is when it was made: the page cache keeps it until
/// the archive changes, so a client's copy is current exactly while that date is repeated
/// (works carry dates without times, which could not tell two changes in a day apart).
fn respond(feed: &Feed<'_>, works: &[&Work]) -> Response {
    let body = quire_export::atom::write(feed, works);
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    headers.insert(LAST_MODIFIED, http_date(chrono::Utc::now()));
    // The same for every reader, so shared caches may keep it, briefly.
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    (headers, body).into_response()
}
