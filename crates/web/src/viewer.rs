//! Who is asking: the [`Viewer`] of a request, from its cookies and `view_adult` parameter.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri};
use quire_core::Viewer;

/// The name of the adult-consent cookie and parameter (DESIGN.md).
pub const VIEW_ADULT: &str = "view_adult";

/// The viewer of this request, and whether the request itself gave adult consent.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub viewer: Viewer,
    /// `?view_adult=true` was given: the response sets the consent cookie.
    pub consent_given_now: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Reader::of(&parts.headers, &parts.uri))
    }
}

impl Reader {
    /// The reader of a request with these headers and URI.
    pub fn of(headers: &HeaderMap, uri: &Uri) -> Reader {
        let cookie = has_cookie(headers, VIEW_ADULT, "true");
        let now = uri
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair == "view_adult=true"));
        Reader {
            viewer: Viewer::GUEST.with_adult_consent(cookie || now),
            consent_given_now: now && !cookie,
        }
    }

    /// Headers every viewer-dependent response carries: `Vary: Cookie`, and the consent cookie
    /// when this request gave consent.
    pub fn response_headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Cookie"));
        if self.consent_given_now {
            headers.insert(
                SET_COOKIE,
                HeaderValue::from_static("view_adult=true; Path=/; SameSite=Lax; HttpOnly"),
            );
        }
        headers
    }
}

fn has_cookie(headers: &HeaderMap, name: &str, value: &str) -> bool {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(k, v)| k == name && v == value)
}
