//! The [`Admin`] part of the store: what admins and moderators do, as AO3's admin pages do it
//! (hiding works, suspending and banning accounts, the abuse-report queue), each written in
//! one transaction with its line in the audit log. Every `Store` is also `Admin`.
//!
//! Times are Unix seconds, passed in by the caller (`now`) so that tests can move the clock.

use async_trait::async_trait;
use quire_core::{UserId, Work, WorkId};

use crate::{Page, Result};

/// Who takes an admin action: an account, or the operator at the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the command line.
    pub user: Option<UserId>,
    /// The account's login, or `command line`: kept in the log as it was then.
    pub name: String,
}

impl Actor {
    /// The operator running `quire` on the server.
    pub fn command_line() -> Actor {
        Actor {
            user: None,
            name: "command line".to_owned(),
        }
    }

    pub fn account(user: UserId, login: &str) -> Actor {
        Actor {
            user: Some(user),
            name: login.to_owned(),
        }
    }
}

/// An admin's change to one work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkModeration {
    /// Hidden from everyone but its creators and admins.
    Hide,
    Unhide,
    /// Shown only to signed-in readers.
    Restrict,
    Unrestrict,
}

impl WorkModeration {
    /// The action's name in the audit log.
    pub const fn action(self) -> &'static str {
        match self {
            WorkModeration::Hide => "hide_work",
            WorkModeration::Unhide => "unhide_work",
            WorkModeration::Restrict => "restrict_work",
            WorkModeration::Unrestrict => "unrestrict_work",
        }
    }
}

/// What keeps an account from posting, commenting, giving kudos and bookmarking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SanctionKind {
    /// Until this time (Unix seconds).
    Suspended { until: i64 },
    /// Until an admin lifts it; the account's sessions end when it is banned.
    Banned,
}

impl SanctionKind {
    /// The sanction a `user_sanctions` row stands for: a suspension has an end, a ban none.
    pub(crate) fn from_row(kind: &str, until: Option<i64>) -> SanctionKind {
        match (kind, until) {
            (SUSPENDED, Some(until)) => SanctionKind::Suspended { until },
            _ => SanctionKind::Banned,
        }
    }
}

/// `user_sanctions.kind` of a suspension (`banned` otherwise).
pub(crate) const SUSPENDED: &str = "suspended";

/// An account's standing sanction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    pub user: UserId,
    pub kind: SanctionKind,
    pub reason: String,
    pub created_at: i64,
}

/// A report to send to the admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAbuseReport {
    /// The page reported, a path on this archive (`/works/12`).
    pub url: String,
    pub summary: String,
    /// Sanitized HTML (the caller sanitizes).
    pub details: String,
    /// Where a guest can be answered.
    pub email: Option<String>,
    pub reporter: Option<UserId>,
    /// A keyed hash of the sender's address or account, for the rate limit.
    pub reporter_key: String,
    pub now: i64,
}

/// What happened to a report sent with [`Admin::file_report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// A new report, with its id.
    New(i64),
    /// The same sender sent the same report already (a double submit); its id.
    Again(i64),
    /// The sender has sent too many reports lately; nothing was stored.
    TooMany,
}

/// A report in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbuseReport {
    pub id: i64,
    pub url: String,
    pub summary: String,
    pub details: String,
    pub email: Option<String>,
    /// The reporter's login, when they were signed in (and their account still exists).
    pub reporter: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    /// `hide_work`, `suspend_user`, `resolve_report`, …
    pub action: String,
    /// `work`, `user` or `report`.
    pub target_kind: String,
    pub target_id: i64,
    /// The work's title, the user's login or the report's summary, as it was then.
    pub target: String,
    pub reason: String,
}

/// See the module docs.
#[async_trait]
pub trait Admin: Send + Sync {
    /// Hides, shows, restricts or unrestricts a work, with its outbox entry and log line. False
    /// (and nothing written) when the work was that way already; `NotFound` for no such work.
    async fn moderate_work(
        &self,
        by: &Actor,
        work: WorkId,
        change: WorkModeration,
        reason: &str,
        now: i64,
    ) -> Result<bool>;

    /// Suspends or bans an account (replacing a sanction it had), with its log line; a ban ends
    /// every session of the account in the same transaction. Appends a `user` change (nodes
    /// keeping sessions forget the account's). `NotFound` for no such user.
    async fn sanction_user(
        &self,
        by: &Actor,
        user: UserId,
        kind: SanctionKind,
        reason: &str,
        now: i64,
    ) -> Result<()>;

    /// Lifts an account's suspension or ban, with its log line and a `user` change; false when
    /// it had none.
    async fn lift_sanction(&self, by: &Actor, user: UserId, reason: &str, now: i64)
    -> Result<bool>;

    /// The account's sanction in force at `now` (a suspension past its date is none).
    async fn sanction_of(&self, user: UserId, now: i64) -> Result<Option<Sanction>>;

    /// The sanctions in force at `now`, with the logins, newest first.
    async fn sanctions(&self, now: i64) -> Result<Vec<(String, Sanction)>>;

    /// Stores a report, unless its sender sent `max` reports since `since` ([`Filed::TooMany`])
    /// or the same report while it is open ([`Filed::Again`]).
    async fn file_report(&self, report: &NewAbuseReport, since: i64, max: i64) -> Result<Filed>;

    /// Open (or resolved) reports, oldest open first (newest resolved first).
    async fn abuse_reports(&self, resolved: bool, page: Page) -> Result<Vec<AbuseReport>>;

    async fn abuse_report(&self, id: i64) -> Result<Option<AbuseReport>>;

    /// Resolves an open report with a note, with its log line; false when it was resolved
    /// already. `NotFound` for no such report.
    async fn resolve_report(&self, by: &Actor, id: i64, note: &str, now: i64) -> Result<bool>;

    /// Gives (or takes back) a role, with its log line; false when nothing changed.
    async fn set_role(
        &self,
        by: &Actor,
        user: UserId,
        role: quire_core::Role,
        granted: bool,
        now: i64,
    ) -> Result<bool>;

    /// Works hidden by an admin, most recently updated first: the admin area's list. Only staff
    /// see it; the caller checks.
    async fn hidden_works(&self, page: Page) -> Result<Vec<Work>>;

    /// The audit log, newest first.
    async fn audit_log(&self, page: Page) -> Result<Vec<AuditEntry>>;
}
