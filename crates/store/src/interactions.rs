//! The [`Interactions`] part of the store: what readers leave on works (kudos and hits for
//! now). Every `Store` is also `Interactions`.

use async_trait::async_trait;
use quire_core::{UserId, WorkId};

use crate::Result;

/// Who leaves kudos: an account, or a guest known by a keyed hash of their address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KudosGiver {
    User(UserId),
    Guest { key: String },
}

/// What leaving kudos did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KudosOutcome {
    /// Counted: the work's kudos went up by one.
    Given,
    /// This giver had left kudos on the work before; nothing changed.
    AlreadyGiven,
    /// The giver is one of the work's creators; nothing changed.
    OwnWork,
}

/// The kudos a work's page lists (AO3: "alice, bob as well as 12 guests left kudos on this
/// work!").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KudosList {
    /// Logins of the accounts that left kudos, newest first.
    pub users: Vec<String>,
    /// Every other kudos: guests', deleted accounts', and those a work was imported with.
    pub guests: i64,
}

/// A visitor's view of a work's text on one day, as AO3 counts hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hit {
    pub work: WorkId,
    /// Days since 1970-01-01, in UTC.
    pub day: i32,
    /// A keyed hash of the visitor's account or address; never the address itself.
    pub visitor: i64,
}

#[async_trait]
pub trait Interactions: Send + Sync {
    /// Leaves kudos on a posted work, once per giver, and re-lists the work (one `work` outbox
    /// entry) when counted. `NotFound` for a work that does not exist or is a draft; whether
    /// the giver may see it is the caller's to check first.
    async fn give_kudos(&self, work: WorkId, giver: &KudosGiver) -> Result<KudosOutcome>;

    /// Counts hits, each (work, day, visitor) once however often and by however many nodes it
    /// is recorded: adds the new ones to the works' `hits`, with one `stats` outbox entry per
    /// work that gained, and forgets the visitors of days before the batch's. Hits on works
    /// that no longer exist are not counted. Returns how many were counted.
    async fn record_hits(&self, hits: &[Hit]) -> Result<u64>;

    /// Who left kudos on a work (empty for an unknown work).
    async fn kudos(&self, work: WorkId) -> Result<KudosList>;

    /// Whether this giver has left kudos on the work.
    async fn has_given_kudos(&self, work: WorkId, giver: &KudosGiver) -> Result<bool>;
}
