//! CSRF protection for every state-changing form.
//!
//! Signed in, a form carries a token derived from the session's own (secret, HttpOnly)
//! token. Signed out (log in, sign up, reset a password) it carries the value of the
//! `quire_csrf` cookie, a random nonce signed with the archive's key: the double-submit
//! pattern, signed so that a cookie planted by a neighbouring site does not pass. Handlers take
//! [`CheckedForm`], which refuses a missing or wrong token with 403 before they run.

use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};

use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::session::{SignedIn, cookie};
use super::tokens::{hex, random_token, same};
use crate::error::AppError;
use crate::state::AppState;

/// The form field every form's token travels in (AO3's and Rails' name).
pub const CSRF_FIELD: &str = "authenticity_token";
/// The signed-out double-submit cookie.
pub const CSRF_COOKIE: &str = "quire_csrf";

fn sign(secret: &[u8], nonce: &str) -> Result<String, AppError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .map_err(|e| AppError::Internal(format!("csrf key: {e}")))?;
    mac.update(nonce.as_bytes());
    Ok(hex(&mac.finalize().into_bytes()))
}

/// A signed-out token (`nonce.signature`) this archive made.
fn is_signed(secret: &[u8], value: &str) -> bool {
    value
        .split_once('.')
        .and_then(|(nonce, signature)| Some(same(&sign(secret, nonce).ok()?, signature)))
        .unwrap_or(false)
}

/// The token a page puts into its forms, and the cookie to set with it when the browser has
/// none yet (signed out).
#[derive(Debug, Clone)]
pub struct CsrfToken {
    value: String,
    set_cookie: Option<HeaderValue>,
}

impl CsrfToken {
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Headers for the response that shows the form.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(cookie) = &self.set_cookie {
            headers.insert(SET_COOKIE, cookie.clone());
        }
        headers
    }
}

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(signed_in) = parts.extensions.get::<SignedIn>() {
            return Ok(CsrfToken {
                value: signed_in.csrf_token().to_owned(),
                set_cookie: None,
            });
        }
        let secret = state.site_secret().await?;
        if let Some(value) = cookie(&parts.headers, CSRF_COOKIE).filter(|v| is_signed(secret, v)) {
            return Ok(CsrfToken {
                value: value.to_owned(),
                set_cookie: None,
            });
        }
        let nonce = random_token()?;
        let value = format!("{nonce}.{}", sign(secret, &nonce)?);
        let secure = if state.options.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let set_cookie = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"
        ))
        .map_err(|e| AppError::Internal(format!("csrf cookie: {e}")))?;
        Ok(CsrfToken {
            value,
            set_cookie: Some(set_cookie),
        })
    }
}

/// A urlencoded form whose CSRF token was checked; `T` is read from the same body (it can
/// ignore the `authenticity_token` field).
#[derive(Debug)]
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let (parts, body) = request.into_parts();
        let limit = crate::limits::body_limit(
            state.options.max_body_bytes,
            &parts.method,
            parts.uri.path(),
        );
        let bytes: Bytes = axum::body::to_bytes(body, limit)
            .await
            .map_err(|_| AppError::BodyTooLarge { limit })?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let valid = match parts.extensions.get::<SignedIn>() {
            Some(signed_in) => same(&sent, signed_in.csrf_token()),
            None => {
                let secret = state.site_secret().await?;
                cookie(&parts.headers, CSRF_COOKIE)
                    .is_some_and(|c| is_signed(secret, c) && same(c, &sent))
            }
        };
        if !valid {
            return Err(AppError::CsrfRejected);
        }
        let Form(value) =
            Form::<T>::from_request(Request::from_parts(parts, Body::from(bytes)), state)
                .await
                .map_err(|e| AppError::invalid(e.body_text()))?;
        Ok(CheckedForm(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_signed_with_the_key_pass() {
        let key = b"archive key";
        let good = format!("abc.{}", sign(key, "abc").unwrap());
        assert!(is_signed(key, &good));
        assert!(!is_signed(b"another key", &good));
        assert!(!is_signed(key, "abc.00"));
        assert!(!is_signed(key, "no dot"));
    }
}
