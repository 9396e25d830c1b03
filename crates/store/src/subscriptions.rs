//! The [`Subscriptions`] part of the store: a reader's subscriptions to works, creators and
//! series, and the inbox of updates they bring, as AO3 keeps them. Every `Store` is also
//! `Subscriptions`.
//!
//! Inbox entries are made where posting happens (`sql/posting.rs`, through `sql/inbox.rs`),
//! one insert-select per event, in the posting transaction. They name the work (and chapter or
//! series) only: what an entry says, and whether its reader may still see it, is decided when
//! it is shown, through the visibility rule.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use quire_core::{ChapterId, SeriesId, UserId, WorkId};

use crate::{Page, Result};

/// What a reader can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscribable {
    /// New chapters of a work.
    Work(WorkId),
    /// New works by a creator (a user, whatever pseud they post under).
    Creator(UserId),
    /// New works in a series.
    Series(SeriesId),
}

/// A subscription as listed to its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub target: Subscribable,
    /// The creator's login or the series' title; for a work, its title is the caller's to show
    /// (after the visibility rule), so it is not here.
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What an inbox entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    /// A new chapter of a subscribed work.
    Chapter,
    /// A new work by a subscribed creator.
    Work,
    /// A new work in a subscribed series.
    Series,
}

impl InboxKind {
    /// The kind as `inbox.kind` stores it (`chapter`, `work`, `series`).
    pub(crate) fn from_stored(raw: &str) -> InboxKind {
        match raw {
            "chapter" => InboxKind::Chapter,
            "series" => InboxKind::Series,
            _ => InboxKind::Work,
        }
    }
}

/// One update in a reader's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    pub id: i64,
    pub kind: InboxKind,
    pub work_id: WorkId,
    /// The new chapter, for [`InboxKind::Chapter`]: its id, place and whether it is posted.
    pub chapter: Option<InboxChapter>,
    /// The series, for [`InboxKind::Series`]: its id and title.
    pub series: Option<(SeriesId, String)>,
    pub created_at: DateTime<Utc>,
    pub unread: bool,
}

/// The chapter an inbox entry names, as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxChapter {
    pub id: ChapterId,
    pub work_id: WorkId,
    pub position: i32,
    pub posted: bool,
}

impl quire_core::work::ChapterPlace for InboxChapter {
    fn work_id(&self) -> WorkId {
        self.work_id
    }

    fn posted(&self) -> bool {
        self.posted
    }
}

/// A reader's relation to one work, for its page's buttons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Following {
    pub subscribed: bool,
    pub marked_for_later: bool,
}

#[async_trait]
pub trait Subscriptions: Send + Sync {
    /// Subscribes `user`; subscribing twice is subscribing once (false then). `NotFound` for
    /// a target that does not exist; whether the reader may see it is the caller's to check.
    async fn subscribe(&self, user: UserId, target: Subscribable) -> Result<bool>;

    /// Unsubscribes; false when there was no such subscription.
    async fn unsubscribe(&self, user: UserId, target: Subscribable) -> Result<bool>;

    /// Whether `user` is subscribed to the target.
    async fn is_subscribed(&self, user: UserId, target: Subscribable) -> Result<bool>;

    /// `user`'s subscriptions, newest first.
    async fn subscriptions(&self, user: UserId, page: Page) -> Result<Vec<Subscription>>;

    /// Whether `user` is subscribed to the work and has it marked for later, in one query.
    async fn following(&self, user: UserId, work: WorkId) -> Result<Following>;

    /// `user`'s inbox, newest first (unread ones only with `unread_only`). The works'
    /// visibility is the caller's to check.
    async fn inbox(&self, user: UserId, unread_only: bool, page: Page) -> Result<Vec<InboxEntry>>;

    /// Marks some of `user`'s inbox entries read (`unread = false`) or unread; entries of
    /// other users are left alone. How many changed.
    async fn mark_inbox(&self, user: UserId, ids: &[i64], unread: bool) -> Result<u64>;

    /// Marks every entry of `user`'s inbox read; how many changed.
    async fn mark_inbox_all_read(&self, user: UserId) -> Result<u64>;

    /// Deletes some of `user`'s inbox entries; how many went.
    async fn delete_inbox(&self, user: UserId, ids: &[i64]) -> Result<u64>;
}
