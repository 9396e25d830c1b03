//! The [`Posting`] part of the store: what creators do to their own works from the web
//! (create a draft or post at once, edit, add, edit, delete and reorder chapters, post a
//! draft, delete). Every `Store` is also `Posting`.
//!
//! Each write is one transaction with one `work` outbox entry, so that the page cache and
//! the search index follow. Whether the asker may change the work (is one of its creators) is
//! the caller's to check first, through the visibility rule.

use async_trait::async_trait;
use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewWork, WorkMeta};
use quire_core::{ChapterId, TagKind, UserId, Work, WorkId};

use crate::Result;

/// A create form's one-time key: the same key sent twice names the same work (or chapter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormKey<'a> {
    /// Who sent the form; keys of different users never meet.
    pub user: UserId,
    /// The nonce the form carried.
    pub nonce: &'a str,
}

impl FormKey<'_> {
    /// How the key is stored.
    pub(crate) fn stored(&self) -> String {
        format!("{}:{}", self.user, self.nonce)
    }
}

/// What a create did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created<T> {
    pub id: T,
    /// False when the form's key had been used: `id` is what the first send made.
    pub new: bool,
}

#[async_trait]
pub trait Posting: Send + Sync {
    /// Stores a work a person wrote with its first chapter (a draft when `work.posted` is
    /// false: its chapters are then unposted too, and post with it). A key already used
    /// answers the work it made, changing nothing.
    async fn create_work(
        &self,
        work: &NewWork,
        key: Option<FormKey<'_>>,
    ) -> Result<Created<WorkId>>;

    /// Replaces a work's metadata (title, rating, tags, texts, restricted, …), keeping its
    /// chapters, counters and dates. `NotFound` for an unknown work.
    async fn edit_work(&self, work: WorkId, meta: &WorkMeta) -> Result<()>;

    /// Adds a chapter after the last one. A draft's chapters stay unposted until the work
    /// is; a posted chapter makes its date the work's `updated`. A key already used answers
    /// the chapter it made.
    async fn add_chapter(
        &self,
        work: WorkId,
        chapter: &NewChapter,
        key: Option<FormKey<'_>>,
    ) -> Result<Created<ChapterId>>;

    /// Replaces a chapter's title, notes and text. `chapter.posted` posts an unposted
    /// chapter of a posted work (dated `chapter.published`); a posted chapter stays posted.
    async fn edit_chapter(&self, work: WorkId, chapter: ChapterId, edit: &NewChapter)
    -> Result<()>;

    /// Deletes a chapter and closes the gap in the order. A work's last chapter cannot go
    /// (`Conflict`): delete the work instead.
    async fn delete_chapter(&self, work: WorkId, chapter: ChapterId) -> Result<()>;

    /// Puts the work's chapters in this order, which must name each of them once
    /// (`Invalid` otherwise, changing nothing).
    async fn reorder_chapters(&self, work: WorkId, order: &[ChapterId]) -> Result<()>;

    /// Posts a draft with all its chapters, published `today`. `Conflict` when it is
    /// posted already.
    async fn post_work(&self, work: WorkId, today: NaiveDate) -> Result<()>;

    /// Deletes a work with its chapters, tags, kudos and places in series.
    async fn delete_work(&self, work: WorkId) -> Result<()>;

    /// The user's drafts, most recently changed first: their creators' own list (no listing
    /// shows drafts).
    async fn drafts_by_user(&self, user: UserId) -> Result<Vec<Work>>;

    /// Canonical tags of `kind` whose names start with `term` (any case), by name, at most
    /// `limit`: what the posting form's tag fields suggest. Only canonical tags, which
    /// wranglers made public, never a name only a draft or a restricted work carries.
    async fn tag_suggestions(&self, kind: TagKind, term: &str, limit: i64) -> Result<Vec<String>>;
}
