//! The [`Claims`] part of the store: a person claims an unclaimed imported creator (`users.archive`
//! set, `claimed` false) as themselves, as Open Doors lets them; an admin approves (the
//! creator's pseuds, with their imported names, and works move to the claimant's account) or
//! rejects the claim with a reason. Decisions are written in the audit log in their own
//! transaction. Every `Store` is also `Claims`.
//!
//! Times are Unix seconds, passed in by the caller.

use async_trait::async_trait;
use quire_core::{UserId, WorkId};

use crate::admin::Actor;
use crate::{Page, Result};

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    Open,
    Approved,
    Rejected,
}

impl ClaimStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Open => "open",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Rejected => "rejected",
        }
    }

    /// The stored name back; `None` for anything else.
    pub fn parse(name: &str) -> Option<ClaimStatus> {
        match name {
            "open" => Some(ClaimStatus::Open),
            "approved" => Some(ClaimStatus::Approved),
            "rejected" => Some(ClaimStatus::Rejected),
            _ => None,
        }
    }
}

/// A claim as the queue and the claimant's page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: i64,
    pub claimant: UserId,
    pub claimant_login: String,
    pub creator: UserId,
    pub creator_login: String,
    /// The archive the creator was imported from.
    pub archive: String,
    pub message: String,
    pub status: ClaimStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

/// A claim to file.
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub claimant: UserId,
    pub creator: UserId,
    pub message: &'a str,
    pub now: i64,
}

/// What filing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimFiled {
    /// A new open claim, with its id.
    Filed(i64),
    /// The claimant has an open claim on this creator already (a double send): its id.
    AlreadyOpen(i64),
    /// The creator is not an unclaimed imported creator (or is the claimant).
    NotClaimable,
}

/// What an approval did: the works that moved to the claimant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimApproved {
    pub claimant: UserId,
    pub works: Vec<WorkId>,
}

#[async_trait]
pub trait Claims: Send + Sync {
    /// Files a claim; one open claim per claimant per creator.
    async fn file_claim(&self, claim: &NewClaim<'_>) -> Result<ClaimFiled>;

    async fn claim(&self, id: i64) -> Result<Option<Claim>>;

    /// Claims in one status, oldest first (the queue) or, for decided ones, newest first.
    async fn claims(&self, status: ClaimStatus, page: Page) -> Result<Vec<Claim>>;

    /// A claimant's own claims, newest first.
    async fn claims_by(&self, claimant: UserId) -> Result<Vec<Claim>>;

    /// Approves an open claim: every pseud of the creator becomes the claimant's (keeping its
    /// imported name; merged into the claimant's pseud of the same name when there is one),
    /// the creator is marked claimed, other open claims on it are rejected, and each moved
    /// work gets an outbox entry. `None` when the claim is not open (decided already).
    /// `NotFound` for an unknown claim.
    async fn approve_claim(&self, by: &Actor, id: i64, now: i64) -> Result<Option<ClaimApproved>>;

    /// Rejects an open claim with a reason; false when it was not open.
    async fn reject_claim(&self, by: &Actor, id: i64, reason: &str, now: i64) -> Result<bool>;
}
