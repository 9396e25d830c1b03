//! Rendered pages for guests, kept in memory and dropped whenever the archive changes.
//!
//! A page is cached under its path and (canonical, see `params`) query plus the viewer's adult consent, and only for
//! viewers who are not signed in, so every cached page is what `can_view` gave that same kind
//! of viewer. A follower reads the `changes` outbox and empties the cache on any change, so a
//! page outlives the data it shows by at most one poll interval. Hits and misses are counted
//! for `/metrics`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{ETAG, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::auth::SignedIn;
use crate::http::{etag_for, is_fresh, not_modified};
use crate::metrics::CacheOutcome;
use crate::state::AppState;
use crate::viewer::Reader;

/// How often the follower looks at the outbox.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

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
    /// Bumped on every invalidation. A page rendered while it changed may show the old data
    /// and is not kept.
    generation: AtomicU64,
}

impl PageCache {
    /// A cache holding about `bytes` of pages.
    pub fn new(bytes: u64) -> PageCache {
        PageCache {
            pages: Cache::with_weighter(10_000, bytes, BodySize),
            generation: AtomicU64::new(0),
        }
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.pages.clear();
    }

    pub fn len(&self) -> usize {
        self.pages.len()
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
    if let Some(page) = state.pages.pages.get(&key) {
        state.metrics.page_cache(CacheOutcome::Hit);
        if is_fresh(request.headers(), &page.etag, &page.headers) {
            return not_modified(page.headers.clone());
        }
        let mut response = Response::new(Body::from(page.body.clone()));
        *response.headers_mut() = page.headers.clone();
        return response;
    }

    state.metrics.page_cache(CacheOutcome::Miss);
    let request_headers = request.headers().clone();
    let generation = state.pages.generation.load(Ordering::SeqCst);
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
    let page = Arc::new(CachedPage {
        headers: parts.headers.clone(),
        etag: etag.clone(),
        body: body.clone(),
    });
    if state.pages.generation.load(Ordering::SeqCst) == generation {
        state.pages.pages.insert(key, page);
    }
    if is_fresh(&request_headers, &etag, &parts.headers) {
        return not_modified(parts.headers);
    }
    Response::from_parts(parts, Body::from(body))
}

/// Whether the request line named a scheme or host. HTTP/1.1 clients send the origin form
/// (`/works/5`); only proxies' clients, and attackers, send more. (Under HTTP/2 every request
/// carries both; serving it would need this rule to compare the authority with our own.)
fn is_absolute(uri: &axum::http::Uri) -> bool {
    uri.scheme().is_some() || uri.authority().is_some()
}

/// Follows the outbox and empties the cache whenever something changed, until `stop` turns
/// true. Records its progress in `state.node.pages` for `/readyz` and `/metrics`.
pub async fn follow_changes(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let (store, pages, progress) = (&state.store, &state.pages, &state.node.pages);
    let mut last = loop {
        match store.last_change_seq().await {
            Ok(seq) => break seq,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the outbox; pages are not cached");
                if stopped_within(&mut stop, POLL_INTERVAL * 10).await {
                    return;
                }
            }
        }
    };
    // Pages rendered before `last` was read may predate it.
    pages.clear();
    progress.read_up_to(last);
    let mut interval = tokio::time::interval(POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        match store.changes_after(last, 10_000).await {
            Ok(changes) => {
                if let Some(change) = changes.last() {
                    last = change.seq;
                    pages.clear();
                    state.metrics.changes_followed(&changes);
                }
                progress.read_up_to(last);
            }
            Err(e) => {
                // Without the outbox, cached pages could go stale: stop serving them.
                tracing::warn!(error = %e, "cannot read the outbox");
                pages.clear();
            }
        }
    }
}

/// Waits `wait`, or less if `stop` turns true meanwhile; says whether it did.
pub(crate) async fn stopped_within(
    stop: &mut tokio::sync::watch::Receiver<bool>,
    wait: Duration,
) -> bool {
    tokio::time::timeout(wait, stop.wait_for(|stop| *stop))
        .await
        .is_ok()
}
