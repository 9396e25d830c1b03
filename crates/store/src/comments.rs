//! The [`Comments`] part of the store: threaded comments on works' chapters, who may leave
//! them on a work, and users' blocks, as AO3 has them. Every `Store` is also `Comments`.
//!
//! What a comment may be refused for (comments off, guests not allowed, a frozen thread, a
//! block) is decided here, in the transaction that adds it. Who may edit, delete, freeze,
//! hide or approve one, and whether the viewer may see its work at all, is the caller's to
//! check first (through the visibility rule).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use quire_core::work::WorkStats;
use quire_core::{ChapterId, PseudId, User, UserId, WorkId};

use crate::Result;
use crate::interactions::KudosList;

pub type CommentId = i64;

/// Replies nest this deep at most; a reply to a comment this deep is shown beside it (AO3
/// stops indenting a thread past a few levels, too).
pub const MAX_DEPTH: i64 = 5;

/// The SQL condition (on `comments c`) of the comments everyone can see, which the work's
/// `comments` count counts.
pub(crate) const COUNTED: &str = "NOT c.unreviewed AND NOT c.hidden AND NOT c.deleted";

/// AO3's "Who can comment on this work".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhoCanComment {
    /// Signed-in users only.
    Registered,
    /// Guests too (with a name and e-mail), where the archive allows guest comments.
    #[default]
    Everyone,
    /// Comments are off; the ones left before stay.
    Nobody,
}

impl WhoCanComment {
    pub const ALL: [WhoCanComment; 3] = [
        WhoCanComment::Registered,
        WhoCanComment::Everyone,
        WhoCanComment::Nobody,
    ];

    /// The stored (and form) name.
    pub const fn name(self) -> &'static str {
        match self {
            WhoCanComment::Registered => "registered",
            WhoCanComment::Everyone => "everyone",
            WhoCanComment::Nobody => "nobody",
        }
    }

    pub fn from_name(name: &str) -> Option<WhoCanComment> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// What readers left on a work ([`Comments::responses`]).
#[derive(Debug, Clone)]
pub struct Responses {
    pub stats: WorkStats,
    pub kudos: KudosList,
    /// Every comment, in thread order.
    pub comments: Vec<Comment>,
    pub comment_settings: CommentSettings,
}

/// A work's comment settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommentSettings {
    pub who: WhoCanComment,
    /// New comments wait unreviewed until a creator approves them (the creators' own don't).
    pub moderated: bool,
}

/// Who leaves a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commenter {
    /// A signed-in user, as one of their pseuds.
    Pseud { user: UserId, pseud: PseudId },
    /// A signed-in user, as their default pseud.
    Account { user: UserId },
    /// A guest, with the name and e-mail address they gave.
    Guest { name: String, email: String },
}

/// A comment to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub work: WorkId,
    pub chapter: ChapterId,
    /// The comment this replies to, on the same work.
    pub parent: Option<CommentId>,
    pub by: Commenter,
    /// Sanitized HTML (the caller sanitizes).
    pub content: String,
    /// Guests may comment on works whose setting allows it (the archive's setting).
    pub guests_allowed: bool,
}

/// Why a comment was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The work's creators turned comments off.
    CommentsOff,
    /// Only signed-in users may comment here.
    GuestsNotAllowed,
    /// The thread is frozen.
    Frozen,
    /// A creator of the work, or the author of the comment replied to, blocked the commenter.
    Blocked,
    /// The comment replied to was deleted, or is not one the commenter can see.
    ParentGone,
}

/// What adding a comment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commented {
    /// A new comment; `unreviewed` when it waits for the creator's review.
    Added {
        id: CommentId,
        unreviewed: bool,
    },
    /// The same comment, by the same commenter at the same place, was left before (a double
    /// submit): nothing changed.
    Duplicate(CommentId),
    Refused(Refusal),
}

/// A comment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub work_id: WorkId,
    pub chapter_id: ChapterId,
    pub parent_id: Option<CommentId>,
    pub thread_id: CommentId,
    /// 0 for a thread's first comment.
    pub depth: i64,
    /// The commenter's account; `None` for guests and deleted accounts.
    pub user_id: Option<UserId>,
    /// The pseud's name and its user's login; `None` for guests and deleted accounts.
    pub pseud: Option<(String, String)>,
    /// A guest's name (none for accounts).
    pub guest_name: Option<String>,
    /// A guest's e-mail address (shown to nobody).
    pub guest_email: Option<String>,
    /// Sanitized HTML; empty once deleted.
    pub content: String,
    pub unreviewed: bool,
    pub hidden: bool,
    pub frozen: bool,
    /// A deleted comment kept because it has replies.
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
    /// When its author last changed it (AO3's "Last Edited").
    pub edited_at: Option<DateTime<Utc>>,
}

impl Comment {
    /// Whether everyone who sees the work sees this comment.
    pub fn is_public(&self) -> bool {
        !self.unreviewed && !self.hidden
    }
}

/// A moderation step a creator takes on a comment of their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// Freezes (or unfreezes) the comment and its replies: no replies, no edits.
    Freeze(bool),
    /// Hides (or shows) the comment and its replies from everyone but the creators and
    /// each comment's author.
    Hide(bool),
    /// Approves an unreviewed comment.
    Approve,
}

#[async_trait]
pub trait Comments: Send + Sync {
    /// Adds a comment to a posted chapter of a posted work, unless refused (see
    /// [`Refusal`]). A counted comment raises the work's `comments` with one `stats` outbox
    /// entry. `NotFound` for an unknown or unposted work or chapter, or a parent on
    /// another work.
    async fn add_comment(&self, comment: &NewComment) -> Result<Commented>;

    /// Replaces a comment's text and marks it edited. `Conflict` for a frozen or deleted one.
    async fn edit_comment(&self, id: CommentId, content: &str) -> Result<()>;

    /// Deletes a comment: a placeholder stays while it has replies. The count follows.
    async fn delete_comment(&self, id: CommentId) -> Result<()>;

    /// Freezes, hides or approves; the count follows.
    async fn moderate_comment(&self, id: CommentId, step: Moderation) -> Result<()>;

    async fn comment(&self, id: CommentId) -> Result<Option<Comment>>;

    /// Every comment of the work (hidden, unreviewed and deleted ones too: the caller shows
    /// each viewer theirs), threads in order, each reply after the comment it answers.
    async fn comments_of(&self, work: WorkId) -> Result<Vec<Comment>>;

    /// A user's comments, newest first. Which the viewer may see is the caller's to check.
    async fn comments_by(&self, user: UserId, limit: i64) -> Result<Vec<Comment>>;

    /// The work's comment settings (the defaults when never set).
    async fn comment_settings(&self, work: WorkId) -> Result<CommentSettings>;

    /// What readers left on the work (its counts, kudos, every comment as
    /// [`Comments::comments_of`] gives them, and its comment settings), read on one connection
    /// in three statements: what a change to its counts alone makes a page read again.
    /// `None` when there is no such work.
    async fn responses(&self, work: WorkId) -> Result<Option<Responses>>;

    async fn set_comment_settings(&self, work: WorkId, settings: CommentSettings) -> Result<()>;

    /// Blocks a user for `blocker`; blocking twice is blocking once. Users cannot block
    /// themselves (`Invalid`).
    async fn block_user(&self, blocker: UserId, blocked: UserId) -> Result<()>;

    /// Unblocks; false when they were not blocked.
    async fn unblock_user(&self, blocker: UserId, blocked: UserId) -> Result<bool>;

    /// The users `blocker` blocked, by login.
    async fn blocked_users(&self, blocker: UserId) -> Result<Vec<User>>;
}

/// Puts comments (in id order) in reading order: threads oldest first, each reply after the
/// comment it answers and that comment's earlier replies.
pub fn in_thread_order(mut comments: Vec<Comment>) -> Vec<Comment> {
    use std::collections::{HashMap, HashSet};
    comments.sort_by_key(|c| c.id);
    let ids: HashSet<CommentId> = comments.iter().map(|c| c.id).collect();
    // Replies by parent, in id order; a reply whose parent is missing is a root.
    let mut replies: HashMap<Option<CommentId>, Vec<usize>> = HashMap::new();
    for (i, c) in comments.iter().enumerate() {
        let parent = c.parent_id.filter(|p| ids.contains(p));
        replies.entry(parent).or_default().push(i);
    }
    let mut order = Vec::with_capacity(comments.len());
    let mut stack: Vec<usize> = replies
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .copied()
        .collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(children) = replies.get(&Some(comments[i].id)) {
            stack.extend(children.iter().rev());
        }
    }
    let mut slots: Vec<Option<Comment>> = comments.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
