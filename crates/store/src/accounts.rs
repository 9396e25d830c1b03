//! The [`Accounts`] part of the store: sessions, log-in throttles, password resets,
//! preferences, roles, invitations and deleting accounts. Every `Store` is also `Accounts`.
//!
//! Times are Unix seconds, passed in by the caller (`now`) so that tests can move the clock.
//! Tokens (sessions, resets, invitation codes) are stored only as hashes chosen by the caller.

use async_trait::async_trait;
use quire_core::{Preferences, Role, User, UserId, WorkId};

use crate::Result;
use crate::admin::SanctionKind;
use crate::store::NewUser;
use crate::subscriptions::Following;

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// A hash of the cookie's token; the token itself is never stored.
    pub token_hash: String,
    pub user: UserId,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: Option<String>,
}

/// The account behind a live session: everything a request needs to know about its viewer,
/// read in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAccount {
    pub user: User,
    pub preferences: Preferences,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Unread entries in the account's inbox (of posted works not hidden by an admin): read
    /// with the session, so that the header shows it without a query of its own.
    pub unread: i64,
    /// The users whose comments this account muted (its muted creators), read with the
    /// session, so that a work page leaves their comments out without a query of its own.
    pub muted_creators: Vec<UserId>,
    /// The work the request reads, if it named one, and how this account follows it
    /// (Subscribe and Mark for Later): read with the session, so that a work page needs no
    /// query of its own.
    pub reading: Option<(WorkId, Following)>,
    /// The account's suspension or ban in force, if any: read with the session, so that a
    /// post needs no query of its own to be refused.
    pub sanction: Option<SanctionKind>,
}

/// What logging in and changing account settings check against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: User,
    pub email: Option<String>,
    /// An argon2id PHC string; `None` for accounts nobody can log in to (unclaimed creators).
    pub password_hash: Option<String>,
}

/// How failed log-ins lock a throttle key: `free_failures` are allowed within `window_secs`,
/// then each further failure locks the key for `base_lock_secs`, doubled per failure, at most
/// `max_lock_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_failures: i64,
    pub window_secs: i64,
    pub base_lock_secs: i64,
    pub max_lock_secs: i64,
}

impl ThrottlePolicy {
    /// When a key with `failures` failures (the latest at `now`) may try again.
    pub fn locked_until(&self, failures: i64, now: i64) -> i64 {
        let over = failures - self.free_failures;
        if over < 0 {
            return 0;
        }
        let doubling = u32::try_from(over.min(30)).unwrap_or(30);
        let lock = self
            .base_lock_secs
            .saturating_mul(1_i64 << doubling)
            .min(self.max_lock_secs);
        now + lock
    }
}

/// A throttle key after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLock {
    pub failures: i64,
    /// 0 when the key is not locked.
    pub locked_until: i64,
}

/// What happens to an account's works when it is deleted (AO3 asks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorksOnDeletion {
    /// Works only this account created are deleted; it is removed from shared ones.
    Delete,
    /// Works pass to the `orphan_account` user, as AO3's orphaning does.
    Orphan,
}

/// The login of the account orphaned works belong to.
pub const ORPHAN_ACCOUNT: &str = "orphan_account";

/// A request for an invitation in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRequest {
    pub email: String,
    pub requested_at: i64,
}

/// Accounts and what keeps them safe. See the module docs.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Creates an account, using up the invitation whose code hashes to `invitation` in the
    /// same transaction (a `Conflict` when it is unknown or used). E-mail addresses and logins
    /// are unique (e-mails case-insensitively).
    async fn create_account(
        &self,
        user: &NewUser,
        invitation: Option<&str>,
        now: i64,
    ) -> Result<User>;

    /// The account with this login, or this e-mail address (any case).
    async fn credentials(&self, login_or_email: &str) -> Result<Option<Credentials>>;

    async fn credentials_of(&self, user: UserId) -> Result<Option<Credentials>>;

    async fn create_session(&self, session: &NewSession) -> Result<()>;

    /// The account of an unexpired session, with how it follows the work `reading` (when the
    /// request reads one).
    async fn session(
        &self,
        token_hash: &str,
        now: i64,
        reading: Option<WorkId>,
    ) -> Result<Option<SessionAccount>>;

    /// Notes that the session was used, and extends it to `expires_at`.
    async fn touch_session(&self, token_hash: &str, now: i64, expires_at: i64) -> Result<()>;

    async fn end_session(&self, token_hash: &str) -> Result<()>;

    /// Ends every session of the user but `keep`; how many ended.
    async fn end_sessions_of(&self, user: UserId, keep: Option<&str>) -> Result<u64>;

    /// Sets the password and ends every session of the user; appends a `user` change, so that
    /// a node keeping sessions in memory forgets them.
    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()>;

    /// `Conflict` when another account has the address.
    async fn set_email(&self, user: UserId, email: &str) -> Result<()>;

    /// Counts a failed log-in against `key` and locks it as `policy` says.
    async fn record_login_failure(
        &self,
        key: &str,
        now: i64,
        policy: ThrottlePolicy,
    ) -> Result<LoginLock>;

    /// The latest time any of `keys` is locked until, if one is locked at `now`.
    async fn login_locked_until(&self, keys: &[String], now: i64) -> Result<Option<i64>>;

    async fn clear_login_failures(&self, key: &str) -> Result<()>;

    async fn create_password_reset(
        &self,
        user: UserId,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;

    /// The user an unused, unexpired reset token is for.
    async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<User>>;

    /// Uses the token (once) to set the password, ending every session of the user (with a
    /// `user` change); `None` when the token is unknown, used or expired.
    async fn reset_password(
        &self,
        token_hash: &str,
        now: i64,
        password_hash: &str,
    ) -> Result<Option<UserId>>;

    /// The user's preferences (the defaults until they save some).
    async fn preferences(&self, user: UserId) -> Result<Preferences>;

    async fn set_preferences(&self, user: UserId, preferences: &Preferences) -> Result<()>;

    async fn roles(&self, user: UserId) -> Result<Vec<Role>>;

    async fn grant_role(&self, user: UserId, role: Role) -> Result<()>;

    /// Deletes the account, its pseuds, sessions and settings; its works are deleted or
    /// orphaned as asked, with outbox entries.
    async fn delete_account(&self, user: UserId, works: WorksOnDeletion) -> Result<()>;

    /// The shared secret `name`, stored as `fresh` the first time it is asked for.
    async fn site_secret(&self, name: &str, fresh: &str) -> Result<String>;

    /// Puts an address in the invitation queue (again is a no-op).
    async fn request_invitation(&self, email: &str, now: i64) -> Result<()>;

    /// The oldest requests not yet sent an invitation.
    async fn invitation_queue(&self, limit: i64) -> Result<Vec<InvitationRequest>>;

    /// Stores an invitation code (its hash), for `email` when it answers a request.
    async fn create_invitation(
        &self,
        code_hash: &str,
        email: Option<&str>,
        created_by: Option<UserId>,
        now: i64,
    ) -> Result<()>;

    /// Whether the code is known and unused.
    async fn invitation_is_open(&self, code_hash: &str) -> Result<bool>;
}
