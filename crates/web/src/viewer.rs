//! Who is asking: the [`Viewer`] of a request, from its session (see `auth::session`), its
//! cookies and its `view_adult` parameter.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri};
use quire_core::Viewer;

use crate::auth::SignedIn;
use crate::state::AppState;

/// The name of the adult-consent cookie and parameter (DESIGN.md).
pub const VIEW_ADULT: &str = "view_adult";

const CONSENT_COOKIE: &str = "view_adult=true; Path=/; SameSite=Lax; HttpOnly";
const SECURE_CONSENT_COOKIE: &str = "view_adult=true; Path=/; SameSite=Lax; HttpOnly; Secure";

/// The viewer of this request, and whether the request itself gave adult consent.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub viewer: Viewer,
    /// The reader consented on this very request, by their own navigation: the response sets
    /// the consent cookie.
    pub consent_given_now: bool,
    /// The cookie carries `Secure` (the archive is served over HTTPS).
    secure_cookie: bool,
    /// A signed-in reader who reads works in the archive's style (their preference).
    pub hide_creator_styles: bool,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Reader::of(
            &parts.headers,
            &parts.uri,
            state.options.secure_cookies,
            parts.extensions.get::<SignedIn>(),
        ))
    }
}

impl Reader {
    /// The reader of a request with these headers and URI.
    ///
    /// `?view_adult=true` shows the text of this one response to anyone (API clients rely on
    /// it), but only the reader's own top-level navigation to it remembers the consent in a
    /// cookie: an image, frame or script pointed at that URL (from a story's HTML, say) must
    /// not consent for them.
    pub fn of(
        headers: &HeaderMap,
        uri: &Uri,
        secure_cookie: bool,
        signed_in: Option<&SignedIn>,
    ) -> Reader {
        let cookie = has_cookie(headers, VIEW_ADULT, "true");
        let asked = uri
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair == "view_adult=true"));
        let viewer = match signed_in {
            Some(account) => account.viewer(cookie || asked),
            None => Viewer::GUEST.with_adult_consent(cookie || asked),
        };
        Reader {
            consent_given_now: asked
                && !viewer_consented_before(signed_in, cookie)
                && is_own_navigation(headers),
            viewer,
            secure_cookie,
            hide_creator_styles: signed_in.is_some_and(|s| s.preferences.hide_creator_styles),
        }
    }

    /// The same reader as if they had consented to adult content (to ask what they would see).
    pub fn consenting(self) -> Reader {
        Reader {
            viewer: self.viewer.with_adult_consent(true),
            ..self
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
                HeaderValue::from_static(if self.secure_cookie {
                    SECURE_CONSENT_COOKIE
                } else {
                    CONSENT_COOKIE
                }),
            );
        }
        headers
    }
}

/// Whether the reader's consent was already remembered: by the cookie, or by a signed-in
/// reader's preference to skip the gate.
fn viewer_consented_before(signed_in: Option<&SignedIn>, cookie: bool) -> bool {
    cookie || signed_in.is_some_and(|s| s.preferences.skip_adult_gate)
}

/// A document the reader navigates to at the top level, from this archive or typed in
/// (`Sec-Fetch-Site: none`): the Fetch Metadata every current browser sends. A request without
/// them (an old browser, a script) is not one; it still gets the text it asked for.
fn is_own_navigation(headers: &HeaderMap) -> bool {
    let is = |name: &str, wanted: &[&str]| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| wanted.contains(&v))
    };
    is("sec-fetch-mode", &["navigate"])
        && is("sec-fetch-dest", &["document"])
        && is("sec-fetch-site", &["same-origin", "none"])
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
