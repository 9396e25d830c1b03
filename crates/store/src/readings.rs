//! The [`Readings`] part of the store: a reader's history of works, one row per work with
//! its first and last visit and how many visits, and AO3's "marked for later". Visits are
//! counted in memory by the web layer and recorded here in batches. Every `Store` is also
//! `Readings`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use quire_core::{UserId, WorkId};

use crate::{Page, Result};

/// Visits of one reader to one work since the last batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub user: UserId,
    pub work: WorkId,
    /// The last of the visits.
    pub at: DateTime<Utc>,
    pub visits: i64,
}

/// One work in a reader's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub work_id: WorkId,
    pub first_visited_at: DateTime<Utc>,
    pub last_visited_at: DateTime<Utc>,
    pub visits: i64,
    pub later: bool,
}

#[async_trait]
pub trait Readings: Send + Sync {
    /// Adds a batch of visits to the readers' histories, in one transaction: a new row per
    /// (reader, work), or the visits added to it. Visits to works or by readers that are gone
    /// are dropped, and so are those of readers who turned their history off.
    async fn record_visits(&self, visits: &[Visit]) -> Result<()>;

    /// `user`'s history, last visited first; only works marked for later with `later_only`.
    /// The works' visibility is the caller's to check.
    async fn readings(&self, user: UserId, later_only: bool, page: Page) -> Result<Vec<Reading>>;

    /// Marks the work for later (`later`), making it part of the history if it was not, or
    /// marks it read (`!later`). `NotFound` for a work that does not exist or is a draft.
    async fn mark_for_later(&self, user: UserId, work: WorkId, later: bool) -> Result<()>;

    /// Removes one work from `user`'s history; false when it was not there.
    async fn delete_reading(&self, user: UserId, work: WorkId) -> Result<bool>;

    /// Clears `user`'s history; how many works went.
    async fn clear_readings(&self, user: UserId) -> Result<u64>;
}
