//! The [`CoCreators`] part of the store: AO3's co-creator requests. A creator invites other
//! users' pseuds onto a work; they are credited (a `creatorships` row) only once they accept,
//! and may later remove themselves. Every `Store` is also `CoCreators`.
//!
//! Who may invite (a creator of the work) is the caller's to check; the store refuses an
//! invitation to a user who blocked the inviter. Accepting and removing change the work's
//! creators, so they append a `work` outbox entry.

use async_trait::async_trait;
use quire_core::{PseudId, UserId, WorkId};

use crate::Result;

/// A pending co-creator request, as its invitee's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoCreatorRequest {
    pub id: i64,
    pub work_id: WorkId,
    pub work_title: String,
    /// The invitee's pseud that would be credited.
    pub pseud: String,
    /// The inviter's login.
    pub inviter: String,
}

#[async_trait]
pub trait CoCreators: Send + Sync {
    /// Invites pseuds onto a work, in one transaction. Pseuds already credited or invited
    /// are left as they are. `Conflict` (inviting nobody) when a pseud's user blocked the
    /// inviter; `NotFound` for an unknown work or pseud.
    async fn invite_co_creators(
        &self,
        work: WorkId,
        inviter: UserId,
        pseuds: &[PseudId],
    ) -> Result<()>;

    /// The requests waiting for the user's answer, newest first.
    async fn co_creator_requests(&self, user: UserId) -> Result<Vec<CoCreatorRequest>>;

    /// Accepts (the pseud becomes the work's last creator) or declines a request, which then
    /// goes; the work's id. `NotFound` unless the request is for one of the user's pseuds.
    async fn answer_co_creator_request(
        &self,
        user: UserId,
        request: i64,
        accept: bool,
    ) -> Result<WorkId>;

    /// Credits the user on a work under these of their pseuds instead of those credited now
    /// (the edit form's "Creator/Pseud(s)"), where their first pseud stood; the other users'
    /// pseuds stay as and where they are. `NotFound` when the user is not a creator of the
    /// work or a pseud is not theirs; `Invalid` for no pseud at all.
    async fn set_own_pseuds(&self, work: WorkId, user: UserId, pseuds: &[PseudId]) -> Result<()>;

    /// Takes the user's pseuds off a work's creators ("Remove me as co-creator").
    /// `NotFound` when the user is not a creator of it, `Conflict` when no other user is.
    async fn remove_co_creator(&self, work: WorkId, user: UserId) -> Result<()>;
}
