//! The [`ApiTokens`] part of the store: personal API tokens, made and revoked by their owner,
//! kept only as hashes. Every `Store` is also `ApiTokens`.
//!
//! Times are Unix seconds, passed in by the caller, as in [`crate::accounts`].

use async_trait::async_trait;
use quire_core::{Preferences, User, UserId};

use crate::Result;

/// Tokens one account may hold at once.
pub const MAX_TOKENS_PER_USER: i64 = 20;

/// A token to record.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user: UserId,
    /// The owner's label ("my e-reader script").
    pub name: String,
    /// A hash of the token; the token itself is shown once and never stored.
    pub token_hash: String,
    /// May post (kudos, …), not only read.
    pub can_write: bool,
    pub now: i64,
}

/// A token as its owner's settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub can_write: bool,
    pub created_at: i64,
    /// Within an hour (uses are recorded at most hourly).
    pub last_used_at: Option<i64>,
}

/// The account a presented token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenAccount {
    pub token_id: i64,
    pub user: User,
    pub preferences: Preferences,
    pub can_write: bool,
}

#[async_trait]
pub trait ApiTokens: Send + Sync {
    /// Records a token; a `Conflict` when the account holds [`MAX_TOKENS_PER_USER`] already.
    async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiTokenInfo>;

    /// An account's tokens, newest first.
    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>>;

    /// Revokes one of `user`'s tokens; false when they hold none with that id.
    async fn revoke_api_token(&self, user: UserId, id: i64) -> Result<bool>;

    /// The account of the token whose hash is `token_hash`, noting its use (at most hourly).
    async fn api_token_account(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<ApiTokenAccount>>;
}
