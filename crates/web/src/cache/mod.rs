//! Rendered pages for guests, kept in memory until what they show changes.
//!
//! A page is cached under its path and (canonical, see `params`) query plus the viewer's adult
//! consent, and only for viewers who are not signed in, so every cached page is what
//! `can_view` gave that same kind of viewer. Its handler says what it shows ([`Shows`]); a
//! follower reads the `changes` outbox and marks what each change touched, and a page is
//! served only while nothing it shows has changed since it was rendered ([`freshness`]). So a
//! page outlives the data it shows by at most one poll interval, and by none on the node that
//! made the change, which marks it before answering. Hits and misses are counted for
//! `/metrics`.

mod follow;
pub mod freshness;
mod listings;
mod marked;
mod works;

pub use follow::{POLL_INTERVAL, follow_changes, stopped_within};
pub use freshness::{Shows, Touch};
pub use works::WorkData;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{ETAG, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use self::freshness::Freshness;
use crate::auth::SignedIn;
use crate::hits::WorkShown;
use crate::http::{etag_for, is_fresh, not_modified};
use crate::metrics::CacheOutcome;
use crate::state::AppState;
use crate::viewer::Reader;

/// What signed-in readers' pages share ([`works`], [`listings`]): a value read from the
/// database and the [`Freshness`] tick its reading began at.
struct Kept<T> {
    started: u64,
    value: Arc<T>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// The route's pattern (`/works/{id}`), so that no two routes share an entry.
    route: String,
    /// The path percent-decoded, as the route's parameters see it: the spellings `/works/5`
    /// and `/works/%35` are one page, and one entry.
    path: Vec<u8>,
    /// Canonical already (`params::canonical_query` runs first).
    query: String,
    adult_consent: bool,
}

struct CachedPage {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
    /// The [`Freshness`] tick its rendering began at.
    started: u64,
    shows: Shows,
    /// The work whose text it shows, for the hit counter.
    shown: Option<WorkShown>,
}

#[derive(Clone)]
struct BodySize;

impl Weighter<Key, Arc<CachedPage>> for BodySize {
    fn weight(&self, key: &Key, page: &Arc<CachedPage>) -> u64 {
        (key.route.len() + key.path.len() + key.query.len() + page.body.len() + 512) as u64
    }
}

/// The cache of rendered guest pages.
pub struct PageCache {
    pages: Cache<Key, Arc<CachedPage>, BodySize>,
    freshness: Freshness,
    /// What signed-in readers' work pages share ([`works`]).
    works: works::WorkCache,
    /// What listings rendered for one reader share ([`listings`]).
    listings: listings::ListingCache,
    /// The outbox rows this node marked as it committed them ([`marked`]).
    marked_here: marked::MarkedHere,
}

impl PageCache {
    /// A cache holding about `bytes` of pages.
    pub fn new(bytes: u64) -> PageCache {
        PageCache {
            pages: Cache::with_weighter(10_000, bytes, BodySize),
            freshness: Freshness::default(),
            works: works::WorkCache::default(),
            listings: listings::ListingCache::default(),
            marked_here: marked::MarkedHere::default(),
        }
    }

    /// Marks what this node's write committed (`Store::on_commit` calls it, before the write
    /// returns), so that its own node never shows the writer the page as it was; the follower
    /// then skips those outbox rows.
    pub fn committed_here(&self, changes: &[quire_store::Change]) {
        follow::mark(self, changes);
        self.marked_here.remember(changes);
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.freshness.everything_changed();
        self.pages.clear();
        self.works.clear();
        self.listings.clear();
    }

    /// Records committed changes: the pages that show what they touched are not served again.
    /// The follower does it for every node's changes, and [`PageCache::committed_here`] for
    /// this node's as they commit; a handler calls it for what the outbox does not carry.
    pub fn touched(&self, touches: &[Touch]) {
        self.freshness.touched(touches);
    }

    /// Records that the search index caught up with changes (see [`Freshness::index_changed`]).
    pub fn index_changed(&self, content: bool) {
        self.freshness.index_changed(content);
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// About how many bytes the guest pages and the chapters kept for signed-in readers hold.
    pub fn bytes(&self) -> u64 {
        self.pages.weight() + self.works.text_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Serves guest GETs from the cache, and fills it with the successful ones.
pub async fn cached_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    if !state.options.page_cache {
        state.metrics.page_cache(CacheOutcome::Bypass);
        return next.run(request).await;
    }
    let signed_in = request.extensions().get::<SignedIn>();
    let reader = Reader::of(
        request.headers(),
        request.uri(),
        state.options.secure_cookies,
        signed_in,
    );
    // Signed-in viewers (`auth::session::resolve` found their session), requests with an API
    // token, and responses that set the consent cookie are never cached,
    // nor are requests in absolute form (`GET http://host/works/5`): the key has no place for
    // their scheme and host, so a page built from them must not be served to anyone else.
    if signed_in.is_some()
        || crate::auth::api_token::presented(request.headers())
        || reader.viewer.user.is_some()
        || reader.consent_given_now
        || is_absolute(request.uri())
    {
        state.metrics.page_cache(CacheOutcome::Bypass);
        return next.run(request).await;
    }
    let key = Key {
        route: request
            .extensions()
            .get::<MatchedPath>()
            .map_or_else(String::new, |m| m.as_str().to_owned()),
        path: percent_encoding::percent_decode_str(request.uri().path()).collect(),
        query: request.uri().query().unwrap_or_default().to_owned(),
        adult_consent: reader.viewer.adult_consent,
    };
    let freshness = &state.pages.freshness;
    if let Some(page) = state.pages.pages.get(&key) {
        if freshness.is_fresh(page.started, &page.shows) {
            state.metrics.page_cache(CacheOutcome::Hit);
            let mut response = if is_fresh(request.headers(), &page.etag, &page.headers) {
                not_modified(page.headers.clone())
            } else {
                let mut response = Response::new(Body::from(page.body.clone()));
                *response.headers_mut() = page.headers.clone();
                response
            };
            if let Some(shown) = page.shown {
                response.extensions_mut().insert(shown);
            }
            return response;
        }
        state.pages.pages.remove(&key);
    }

    state.metrics.page_cache(CacheOutcome::Miss);
    let request_headers = request.headers().clone();
    let started = freshness.now();
    let response = next.run(request).await;
    // A private response (a session that ended while it was rendered, say) is never kept.
    let private = response
        .headers()
        .get(axum::http::header::CACHE_CONTROL)
        .is_some_and(|v| v.as_bytes().starts_with(b"private"));
    if response.status() != StatusCode::OK || response.headers().contains_key(SET_COOKIE) || private
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let shows = parts.extensions.get::<Shows>().cloned().unwrap_or_default();
    let shown = parts.extensions.get::<WorkShown>().copied();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = match parts.headers.get(ETAG) {
        Some(etag) => etag.clone(),
        None => {
            let etag = etag_for(&body);
            parts.headers.insert(ETAG, etag.clone());
            etag
        }
    };
    // A page whose data changed while it was rendered is served once, and not kept.
    if freshness.is_fresh(started, &shows) {
        let page = Arc::new(CachedPage {
            headers: parts.headers.clone(),
            etag: etag.clone(),
            body: body.clone(),
            started,
            shows,
            shown,
        });
        state.pages.pages.insert(key, page);
    }
    if is_fresh(&request_headers, &etag, &parts.headers) {
        let mut response = not_modified(parts.headers);
        if let Some(shown) = shown {
            response.extensions_mut().insert(shown);
        }
        return response;
    }
    Response::from_parts(parts, Body::from(body))
}

/// Whether the request line named a scheme or host. HTTP/1.1 clients send the origin form
/// (`/works/5`); only proxies' clients, and attackers, send more. (Under HTTP/2 every request
/// carries both; serving it would need this rule to compare the authority with our own.)
fn is_absolute(uri: &axum::http::Uri) -> bool {
    uri.scheme().is_some() || uri.authority().is_some()
}
