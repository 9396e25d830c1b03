//! The [`Bookmarks`] part of the store: a reader's bookmarks of works, as AO3 keeps them.
//! Every `Store` is also `Bookmarks`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use quire_core::{UserId, WorkId};

use crate::{Page, Result};

/// What a reader writes into a bookmark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookmarkForm {
    /// Sanitized HTML (the caller sanitizes), or none.
    pub notes: Option<String>,
    /// The reader's own tags, in their order, without commas.
    pub tags: Vec<String>,
    /// Seen by its owner alone, and not counted on the work.
    pub private: bool,
    /// A recommendation.
    pub rec: bool,
}

/// A bookmark as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    pub id: i64,
    pub work_id: WorkId,
    pub user_id: UserId,
    /// The bookmarker's login.
    pub login: String,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
    pub rec: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait Bookmarks: Send + Sync {
    /// Bookmarks a posted work for `user`, or rewrites their bookmark of it. The work's public
    /// count moves with a public bookmark (one `stats` outbox entry when it does). `NotFound`
    /// for a work that does not exist or is a draft; whether the reader may see it is the
    /// caller's to check first. A bookmark saved again as it is stays as it was, date and all,
    /// and appends nothing.
    async fn save_bookmark(
        &self,
        user: UserId,
        work: WorkId,
        form: &BookmarkForm,
    ) -> Result<Bookmark>;

    /// Deletes `user`'s bookmark of the work; false when there was none.
    async fn delete_bookmark(&self, user: UserId, work: WorkId) -> Result<bool>;

    /// `user`'s bookmark of the work, if any.
    async fn bookmark(&self, user: UserId, work: WorkId) -> Result<Option<Bookmark>>;

    /// `user`'s bookmarks, newest first, private ones only with `with_private`. The works'
    /// visibility is the caller's to check.
    async fn bookmarks_by(
        &self,
        user: UserId,
        with_private: bool,
        page: Page,
    ) -> Result<Vec<Bookmark>>;

    /// The public bookmarks of a work, newest first.
    async fn bookmarks_of(&self, work: WorkId, page: Page) -> Result<Vec<Bookmark>>;
}
