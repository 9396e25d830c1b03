//! HTTP around the pages: security headers, ETags with 304s, compression.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::state::{AppState, ServeOptions};

/// No inline script, no framing, nothing from elsewhere. Images come from the archive only:
/// an image in a story would otherwise tell its host who reads what.
const CSP: &str = "default-src 'self'; img-src 'self'; style-src 'self'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// [`CSP`] for an archive whose operator allows images from other `https:` hosts
/// (`remote_images`). Never `data:`: nothing a story carries inline is worth the risk.
const CSP_REMOTE_IMAGES: &str = "default-src 'self'; img-src 'self' https:; style-src 'self'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

/// One year, as browsers' preload lists ask.
const HSTS: &str = "max-age=31536000";

/// Adds the security headers every response carries.
pub fn add_security_headers(headers: &mut HeaderMap, options: &ServeOptions) {
    let csp = if options.remote_images {
        CSP_REMOTE_IMAGES
    } else {
        CSP
    };
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if options.hsts {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}

pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    add_security_headers(response.headers_mut(), &state.options);
    response
}

/// A weak validator for a page body (weak: compressed variants share it).
pub fn etag_for(body: &[u8]) -> HeaderValue {
    let hash = xxhash_rust::xxh3::xxh3_128(body);
    HeaderValue::from_str(&format!("W/\"{hash:032x}\""))
        .unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// True when the request's `If-None-Match` names `etag` (or `*`).
pub fn matches_etag(request_headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let wanted = etag.as_bytes();
    request_headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || weak_eq(candidate.as_bytes(), wanted))
}

/// True when the client's copy is current: its `If-None-Match` names `etag`, or, when it sent
/// none, its `If-Modified-Since` is no earlier than the response's `Last-Modified` (RFC 9110,
/// 13.2.2: the entity tag decides when both are sent).
pub fn is_fresh(
    request_headers: &HeaderMap,
    etag: &HeaderValue,
    response_headers: &HeaderMap,
) -> bool {
    if request_headers.contains_key(IF_NONE_MATCH) {
        return matches_etag(request_headers, etag);
    }
    let date = |headers: &HeaderMap, name: axum::http::HeaderName| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .and_then(parse_http_date)
    };
    match (
        date(request_headers, IF_MODIFIED_SINCE),
        date(response_headers, LAST_MODIFIED),
    ) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), as `Last-Modified` carries it.
pub fn http_date(time: DateTime<Utc>) -> HeaderValue {
    HeaderValue::from_str(&time.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

/// Reads the IMF-fixdate form of an HTTP date; other forms are treated as absent.
fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%a, %d %b %Y %H:%M:%S GMT")
        .ok()
        .map(|t| t.and_utc())
}

fn weak_eq(a: &[u8], b: &[u8]) -> bool {
    let strip = |t: &[u8]| t.strip_prefix(b"W/").map_or(t.to_vec(), <[u8]>::to_vec);
    strip(a) == strip(b)
}

/// Answers a successful GET with an ETag, and with 304 when the client already has the page.
pub async fn conditional_get(request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let request_headers = request.headers().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(ETAG) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_for(&bytes);
    parts.headers.insert(ETAG, etag.clone());
    if !parts.headers.contains_key(CACHE_CONTROL) {
        parts
            .headers
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if is_fresh(&request_headers, &etag, &parts.headers) {
        return not_modified(parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A 304 keeping the validators and caching headers of the full response.
pub fn not_modified(headers: HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [ETAG, LAST_MODIFIED, CACHE_CONTROL, axum::http::header::VARY] {
        for value in headers.get_all(&name) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_weakly_and_in_lists() {
        let etag = etag_for(b"<p>page</p>");
        let mut headers = HeaderMap::new();
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!matches_etag(&headers, &etag));
        let list = format!("\"other\", {}", etag.to_str().unwrap());
        headers.insert(IF_NONE_MATCH, HeaderValue::from_str(&list).unwrap());
        assert!(matches_etag(&headers, &etag));
        let strong = etag.to_str().unwrap().trim_start_matches("W/").to_owned();
        headers.insert(IF_NONE_MATCH, HeaderValue::from_str(&strong).unwrap());
        assert!(matches_etag(&headers, &etag));
        assert_ne!(etag, etag_for(b"<p>other page</p>"));
    }

    #[test]
    fn if_modified_since_decides_only_without_an_etag_condition() {
        let etag = etag_for(b"feed");
        let modified = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut response = HeaderMap::new();
        response.insert(LAST_MODIFIED, http_date(modified));
        let mut request = HeaderMap::new();
        request.insert(IF_MODIFIED_SINCE, http_date(modified));
        assert!(is_fresh(&request, &etag, &response));
        let earlier = modified - chrono::Duration::seconds(1);
        request.insert(IF_MODIFIED_SINCE, http_date(earlier));
        assert!(!is_fresh(&request, &etag, &response));
        request.insert(IF_MODIFIED_SINCE, http_date(modified));
        request.insert(IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!is_fresh(&request, &etag, &response));
        request.insert(IF_MODIFIED_SINCE, HeaderValue::from_static("yesterday"));
        request.remove(IF_NONE_MATCH);
        assert!(!is_fresh(&request, &etag, &response));
    }
}
