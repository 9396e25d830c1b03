//! The [`Invitations`] part of the store: AO3's invitation queue and the codes that let people
//! sign up when the archive is invitation-only. Admins send codes to the oldest requests in the
//! queue or to one address (each with its line in the audit log); members send the
//! invitations an admin granted them. Every `Store` is also `Invitations`.
//!
//! Codes are stored only as hashes chosen by the caller; times are Unix seconds passed in by
//! the caller. Joining the queue and reading it are in [`crate::Accounts`].

use async_trait::async_trait;
use quire_core::UserId;

use crate::Result;
use crate::admin::Actor;

/// Where an address stands in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueStatus {
    /// Not in the queue.
    Absent,
    /// Waiting: `position` 1 is the next to be invited.
    Waiting { position: i64, requested_at: i64 },
    /// An invitation was sent at this time.
    Invited { at: i64 },
}

/// Who sends an invitation to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inviter {
    /// An admin, or the operator at the command line: logged in the audit log.
    Staff(Actor),
    /// A member, using up one of the invitations they were granted.
    Member(UserId),
}

/// What [`Invitations::invite_address`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    /// The code was stored for the address.
    Sent,
    /// The address belongs to an account already; nothing was stored.
    HasAccount,
    /// An unused invitation to the address was sent at this time; nothing was stored (a
    /// double submit, or someone else invited them first).
    AlreadyInvited { at: i64 },
    /// The member has no invitations left; nothing was stored.
    NoneLeft,
}

/// An invitation a member (or an admin, to one address) sent, as their list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInvitation {
    pub email: String,
    pub sent_at: i64,
    /// The login of the account that signed up with it (while that account exists).
    pub used_by: Option<String>,
    pub used_at: Option<i64>,
}

/// An invitation code as the sign-up page reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationCode {
    /// The address it was sent to.
    pub email: Option<String>,
    pub used: bool,
}

/// See the module docs.
#[async_trait]
pub trait Invitations: Send + Sync {
    /// Where `email` (any case) stands in the queue.
    async fn queue_status(&self, email: &str) -> Result<QueueStatus>;

    /// How many requests wait for an invitation.
    async fn queue_length(&self) -> Result<i64>;

    /// Sends the waiting request of `email` the code hashing to `code_hash`, with its log line;
    /// false (and nothing stored) when the address is not waiting (already invited: a double
    /// submit, or another admin was quicker).
    async fn invite_from_queue(
        &self,
        by: &Actor,
        email: &str,
        code_hash: &str,
        now: i64,
    ) -> Result<bool>;

    /// Sends one address a code, from staff (logged) or from a member (using up one of their
    /// invitations); a waiting request of the address counts as answered.
    async fn invite_address(
        &self,
        by: &Inviter,
        email: &str,
        code_hash: &str,
        now: i64,
    ) -> Result<Invited>;

    /// Takes back an unused invitation whose mail could not be sent: its request waits again
    /// and a member gets the invitation back.
    async fn withdraw_invitation(&self, code_hash: &str) -> Result<()>;

    /// How many invitations the member may still send.
    async fn invitations_left(&self, user: UserId) -> Result<i64>;

    /// Sets how many invitations the member may still send (so that a form sent twice grants
    /// once), with its log line; the count they had. `NotFound` for no such user.
    async fn set_invitations_left(
        &self,
        by: &Actor,
        user: UserId,
        count: i64,
        now: i64,
    ) -> Result<i64>;

    /// The invitations the member sent, newest first.
    async fn invitations_sent_by(&self, user: UserId) -> Result<Vec<SentInvitation>>;

    /// The invitation whose code hashes to `code_hash`.
    async fn invitation(&self, code_hash: &str) -> Result<Option<InvitationCode>>;
}
