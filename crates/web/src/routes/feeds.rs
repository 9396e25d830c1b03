//! Atom feeds of a tag's, a creator's and a series' latest works.
//!
//! A feed is what a guest sees in the matching listing, whoever asks: feed readers carry no
//! cookies, and one body for everyone lets shared caches keep it. So restricted works, drafts
//! and hidden works never appear, and adult works appear as their blurbs do (never their
//! text). A feed with nothing to show is a 404, as its page is.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LAST_MODIFIED};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use quire_core::Work;
use quire_core::tag::{escape_for_url, unescape_from_url, url_segment};
use quire_core::visibility::{ListingScope, Viewer};
use quire_export::atom::{FEED_LENGTH, Feed};
use quire_store::Page;

use super::{moved_to, parse_id};
use crate::error::{AppError, Missing};
use crate::http::http_date;
use crate::state::AppState;

/// Feeds are the guest's view (see the module docs).
const GUEST: Viewer = Viewer::GUEST;

/// `/tags/{name}/feed.atom`: the latest works with the tag.
pub async fn tag(
    State(state): State<AppState>,
    uri: Uri,
    Path(escaped): Path<String>,
) -> Result<Response, AppError> {
    let name = unescape_from_url(&escaped);
    let scope = ListingScope::for_viewer(&GUEST);
    let (tag, works, total) = state
        .store
        .works_tagged(&name, scope, first_page())
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Tag))?;
    if total == 0 {
        return Err(AppError::not_found(Missing::Tag));
    }
    let segment = url_segment(&tag.name);
    if escaped != escape_for_url(&tag.name) {
        return Ok(moved_to(&format!("/tags/{segment}/feed.atom"), uri.query()));
    }
    let title = format!("{}: works tagged {}", state.site_name, tag.name);
    let feed = Feed {
        base_url: &state.public_url,
        site_name: &state.site_name,
        title: &title,
        self_path: &format!("/tags/{segment}/feed.atom"),
        page_path: &format!("/tags/{segment}/works"),
    };
    Ok(respond(&feed, &listed(&works)))
}

/// `/users/{login}/works/feed.atom`: a creator's latest works.
pub async fn user(
    State(state): State<AppState>,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let user = state
        .store
        .user_by_login(&login)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::User))?;
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
