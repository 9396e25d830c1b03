//! The [`Scheduling`] part of the store: chapters a creator posts later. A scheduled chapter
//! is an unposted chapter of a posted work with a `post_at` time; until then the visibility
//! rule treats it as any unposted chapter (its creators only). The server's poster calls
//! [`Scheduling::post_due_chapters`] now and then; every `Store` is also `Scheduling`.
//!
//! Times are Unix seconds (UTC), passed in by the caller so that tests can move the clock.

use async_trait::async_trait;
use quire_core::{ChapterId, WorkId};

use crate::Result;

/// A chapter waiting for its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledChapter {
    pub work: WorkId,
    pub chapter: ChapterId,
    pub position: i32,
    pub title: Option<String>,
    /// When it posts, in Unix seconds.
    pub post_at: i64,
}

/// A chapter the poster posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostedChapter {
    pub work: WorkId,
    pub chapter: ChapterId,
}

#[async_trait]
pub trait Scheduling: Send + Sync {
    /// Schedules an unposted chapter of a posted work for `post_at` (Unix seconds), or, with
    /// `None`, takes it off the schedule (it stays unposted). `NotFound` for an unknown
    /// chapter; `Conflict` for a posted chapter or a draft's (which posts with its work).
    async fn schedule_chapter(
        &self,
        work: WorkId,
        chapter: ChapterId,
        post_at: Option<i64>,
    ) -> Result<()>;

    /// The work's scheduled chapters, in the work's order: what its creators see.
    async fn scheduled_chapters(&self, work: WorkId) -> Result<Vec<ScheduledChapter>>;

    /// Posts every scheduled chapter whose time is `now` or earlier, each in its own
    /// transaction as a creator's "Post" does (counts, `updated`, subscribers' inboxes, the
    /// outbox). A chapter is posted once however many nodes run this at the same moment:
    /// only the transaction whose conditional update found it unposted goes on. The chapters
    /// this call posted.
    async fn post_due_chapters(&self, now: i64) -> Result<Vec<PostedChapter>>;
}
