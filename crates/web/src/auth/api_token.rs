//! Personal API tokens, sent as `Authorization: Bearer quire_<64 hex digits>`: the API reads
//! as the token's owner, and a write token may post. Only the API looks at them; pages go by
//! the session cookie alone. Responses to a token are never cached (see `cache`).
//!
//! The prefix lets secret scanners and people recognise a leaked token.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use quire_core::{Preferences, User, UserId, Viewer};
use quire_store::NewApiToken;

use super::session::account_viewer;
use super::tokens::{hash_token, now, random_token};
use crate::error::AppError;
use crate::state::AppState;

/// What every token starts with.
pub const PREFIX: &str = "quire_";

/// The account a request's token speaks for.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub user: User,
    pub preferences: Preferences,
    pub can_write: bool,
}

impl ApiToken {
    pub fn viewer(&self, adult_consent: bool) -> Viewer {
        account_viewer(&self.user, &self.preferences, adult_consent)
    }
}

/// A new token, to show its owner once: the store keeps [`hash_token`] of it.
pub fn new_token() -> Result<String, AppError> {
    Ok(format!("{PREFIX}{}", random_token()?))
}

/// A new token for `user` and the record the store keeps of it (its hash, made now): what the
/// tokens page and `quire user token` both hand to `ApiTokens::create_api_token`.
pub fn issue(user: UserId, name: &str, can_write: bool) -> Result<(String, NewApiToken), AppError> {
    let token = new_token()?;
    let record = NewApiToken {
        user,
        name: name.to_owned(),
        token_hash: hash_token(&token),
        can_write,
        now: now(),
    };
    Ok((token, record))
}

/// Whether the request carries an `Authorization` header at all.
pub fn presented(headers: &HeaderMap) -> bool {
    headers.contains_key(AUTHORIZATION)
}

/// The token of a request: `None` without an `Authorization` header; `TokenInvalid` for one
/// that is not a bearer token of this archive, or that it does not know.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<ApiToken>, AppError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| well_formed(t))
        .ok_or(AppError::TokenInvalid)?;
    let account = state
        .store
        .api_token_account(&hash_token(token), now())
        .await?
        .ok_or(AppError::TokenInvalid)?;
    Ok(Some(ApiToken {
        user: account.user,
        preferences: account.preferences,
        can_write: account.can_write,
    }))
}

fn well_formed(token: &str) -> bool {
    token
        .strip_prefix(PREFIX)
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_prefixed_tokens_of_the_right_length_are_looked_up() {
        let token = new_token().unwrap();
        assert!(well_formed(&token));
        assert!(!well_formed(token.trim_start_matches(PREFIX)));
        assert!(!well_formed(&format!("{token}0")));
        assert!(!well_formed("quire_zz"));
    }
}
