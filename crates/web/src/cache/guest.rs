//! Guest pages: answered from memory before routing when they can be, rendered and kept
//! otherwise.
//!
//! [`answer_early`] runs before anything else (routing, the session lookup, the limits): a
//! GET of a page (not the API's) that carries no session cookie, API token or body, whose page
//! is kept and still fresh, is answered there, compressed as the client asks ([`encoded`](super::encoded)), its
//! hit counted and the request measured as the layers it skips would have. Every other
//! request goes on to the router, where [`cached_pages`] answers the guests the early look
//! could not place (a query not yet in canonical form, a session cookie that turns out to
//! have ended) and keeps what it renders for guests.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{
    CONTENT_ENCODING, CONTENT_LENGTH, ETAG, SET_COOKIE, TRANSFER_ENCODING, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::{Equivalent, Weighter};

use super::encoded::{Coding, Encoded};
use super::freshness::Shows;
use crate::auth::ClientIp;
use crate::auth::SignedIn;
use crate::auth::session::{SESSION_COOKIE, cookie};
use crate::hits::WorkShown;
use crate::http::{add_security_headers, etag_for, is_fresh, not_modified};
use crate::metrics::CacheOutcome;
use crate::state::AppState;
use crate::viewer::Reader;

/// A page's entry: its path as the request spelled it (a spelling names one route; another
/// spelling of the same page, `/works/%35`, is an entry of its own), its query in canonical
/// form (`params` makes it so before [`cached_pages`] keeps the page) and the viewer's adult
/// consent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    path: String,
    query: String,
    adult_consent: bool,
}

/// A [`Key`] borrowed from a request, to look a page up without copying its address.
#[derive(Hash)]
struct KeyRef<'a> {
    path: &'a str,
    query: &'a str,
    adult_consent: bool,
}

impl<'a> KeyRef<'a> {
    fn of(uri: &'a Uri, adult_consent: bool) -> KeyRef<'a> {
        KeyRef {
            path: uri.path(),
            query: uri.query().unwrap_or_default(),
            adult_consent,
        }
    }

    fn to_owned(&self) -> Key {
        Key {
            path: self.path.to_owned(),
            query: self.query.to_owned(),
            adult_consent: self.adult_consent,
        }
    }
}

impl Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.path == key.path && self.query == key.query && self.adult_consent == key.adult_consent
    }
}

pub(super) struct CachedPage {
    /// Everything a response of it carries, the security headers included.
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
    encoded: Encoded,
    /// The [`Freshness`](super::Freshness) tick its rendering began at.
    started: u64,
    shows: Shows,
    /// The work whose text it shows, for the hit counter.
    shown: Option<WorkShown>,
    /// Its route's pattern, for the request metrics.
    route: String,
}

impl CachedPage {
    /// The page as an answer to a request with `request_headers`: a 304 when the client has
    /// it, else the page in the coding the client prefers.
    fn answer(&self, request_headers: &HeaderMap) -> Response {
        let mut response = if is_fresh(request_headers, &self.etag, &self.headers) {
            not_modified(self.headers.clone())
        } else {
            let wanted = Coding::wanted(request_headers);
            let (body, coding) = self.encoded.body(wanted, &self.headers, &self.body);
            let mut response = Response::new(Body::from(body));
            *response.headers_mut() = self.headers.clone();
            if let Some(coding) = coding {
                response.headers_mut().insert(CONTENT_ENCODING, coding);
            }
            response
        };
        if let Some(shown) = self.shown {
            response.extensions_mut().insert(shown);
        }
        response
    }
}

#[derive(Clone)]
pub(super) struct BodySize;

impl Weighter<Key, Arc<CachedPage>> for BodySize {
    fn weight(&self, key: &Key, page: &Arc<CachedPage>) -> u64 {
        // Half the page again for its compressed copies, made when first asked for.
        let body = page.body.len() + page.body.len() / 2;
        (key.path.len() + key.query.len() + body + 512) as u64
    }
}

/// The key of a guest's GET, or `None` for a request the cache never answers: signed-in
/// viewers (`signed_in`, found by `auth::session::resolve`), requests with an API token,
/// requests that give adult consent now (their response sets the cookie), and requests in
/// absolute form (`GET http://host/works/5`: the key has no place for their scheme and host,
/// so a page built from them must not be served to anyone else).
fn guest_key<'r>(
    state: &AppState,
    request: &'r Request,
    signed_in: Option<&SignedIn>,
) -> Option<KeyRef<'r>> {
    if signed_in.is_some() || crate::auth::api_token::presented(request.headers()) {
        return None;
    }
    let uri = request.uri();
    let reader = Reader::of(
        request.headers(),
        uri,
        state.options.secure_cookies,
        signed_in,
    );
    if reader.viewer.user.is_some() || reader.consent_given_now || is_absolute(uri) {
        return None;
    }
    Some(KeyRef::of(uri, reader.viewer.adult_consent))
}

/// Answers a guest's GET of a kept, fresh page before routing (see the module's comment).
pub async fn answer_early(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // The API's answers go through its own layers (its rate limit, CORS), cached or not.
    let early = request.method() == Method::GET
        && state.options.page_cache
        && !crate::routes::is_api(request.uri().path())
        && cookie(request.headers(), SESSION_COOKIE).is_none()
        && !request.headers().contains_key(CONTENT_LENGTH)
        && !request.headers().contains_key(TRANSFER_ENCODING);
    let page = early
        .then(|| guest_key(&state, &request, None))
        .flatten()
        .and_then(|key| state.pages.pages.get(&key))
        .filter(|page| state.pages.freshness.is_fresh(page.started, &page.shows));
    let Some(page) = page else {
        return next.run(request).await;
    };
    state.metrics.page_cache(CacheOutcome::Hit);
    let mut response = page.answer(request.headers());
    // A 304 carries only the validators; the layers skipped here would add the rest.
    add_security_headers(response.headers_mut(), &state.options);
    if let Some(shown) = page.shown {
        let ip = ClientIp::of(request.extensions()).0;
        crate::hits::count(&state, shown, None, false, ip).await;
    }
    let path = crate::metrics::access_logged().then(|| request.uri().path());
    state.metrics.answered(
        &page.route,
        &Method::GET,
        path,
        response.status(),
        started.elapsed(),
    );
    response
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
    let Some(key) = guest_key(&state, &request, request.extensions().get::<SignedIn>()) else {
        state.metrics.page_cache(CacheOutcome::Bypass);
        return next.run(request).await;
    };
    let freshness = &state.pages.freshness;
    if let Some(page) = state.pages.pages.get(&key) {
        if freshness.is_fresh(page.started, &page.shows) {
            state.metrics.page_cache(CacheOutcome::Hit);
            return page.answer(request.headers());
        }
        state.pages.pages.remove(&key);
    }
    let key = key.to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(String::new, |m| m.as_str().to_owned());

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
        let mut headers = parts.headers.clone();
        // Its copies differ in length: each answer's length comes from the body it sends.
        headers.remove(CONTENT_LENGTH);
        add_security_headers(&mut headers, &state.options);
        headers.append(VARY, HeaderValue::from_static("Accept-Encoding"));
        let page = Arc::new(CachedPage {
            headers,
            etag: etag.clone(),
            body: body.clone(),
            encoded: Encoded::default(),
            started,
            shows,
            shown,
            route,
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
fn is_absolute(uri: &Uri) -> bool {
    uri.scheme().is_some() || uri.authority().is_some()
}
