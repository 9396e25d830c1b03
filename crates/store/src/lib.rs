//! Where the archive lives: the [`Store`] trait and its SQLite and PostgreSQL implementations.
//!
//! - `store.rs`: the [`Store`] trait, every read and write the rest of Quire makes.
//! - `sqlite.rs`, `postgres.rs`: connecting and migrating, and the small `Backend` trait
//!   (`backend.rs`) each implements: its pools, how it reserves work ids, its outbox lock.
//! - `sql/`: the SQL both run, written once and split by topic (work writes, work reads,
//!   listings, creators, series, sources, outbox, wrangling, mutes); see its module docs for
//!   how it is expanded.
//! - `wrangling.rs`, `mutes.rs`: the types of tag wrangling and of a reader's blacklist.
//! - `accounts.rs`, `interactions.rs`: the supertraits of [`Store`] for accounts and for what
//!   readers leave on works (kudos); `api_tokens.rs` for personal API tokens; `posting.rs`
//!   for what creators do to their works from the web; `admin.rs` for what admins do
//!   (hiding works, suspensions and bans, abuse reports) and its audit log;
//!   `subscriptions.rs` and `readings.rs` for what readers follow: subscriptions, the inbox,
//!   their history; `pseuds.rs` for a user's pseuds and profile, `co_creators.rs` for
//!   co-creator requests; `gifts.rs` for gifts and their refusal; `series_edits.rs` for what
//!   series' creators do to their series.
//! - `rows.rs`: database rows and their conversion into `quire_core` types.
//! - `copy/`, `backup.rs`: moving a whole archive between backends, and consistent backups.
//!
//! Both backends pass one story-test suite (`tests/stories.rs`). Every write that changes what
//! readers see appends to the `changes` outbox in the same transaction.

pub mod accounts;
pub mod admin;
pub mod api_tokens;
mod backend;
pub mod backup;
pub mod bookmarks;
pub mod claims;
pub mod co_creators;
pub mod comments;
mod commits;
pub mod copy;
mod error;
mod fast_lane;
pub mod gifts;
pub mod interactions;
pub mod invitations;
mod keys;
pub mod mutes;
pub mod postgres;
pub mod posting;
pub mod pseuds;
pub mod readings;
mod rows;
pub mod scheduling;
pub mod series_edits;
mod sql;
pub mod sqlite;
mod store;
pub mod subscriptions;
pub mod testing;
pub mod wrangling;

pub use accounts::{
    Accounts, Credentials, InvitationRequest, LoginLock, NewSession, ORPHAN_ACCOUNT,
    SessionAccount, ThrottlePolicy, WorksOnDeletion,
};
pub use admin::{
    AbuseReport, Actor, Admin, AuditEntry, Filed, NewAbuseReport, Sanction, SanctionKind,
    WorkModeration,
};
pub use api_tokens::{ApiTokenAccount, ApiTokenInfo, ApiTokens, NewApiToken};
pub use bookmarks::{Bookmark, BookmarkForm, Bookmarks};
pub use claims::{Claim, ClaimApproved, ClaimFiled, ClaimStatus, Claims, NewClaim};
pub use co_creators::{CoCreatorRequest, CoCreators};
pub use comments::{
    Comment, CommentId, CommentSettings, Commented, Commenter, Comments, Moderation, NewComment,
    Refusal, WhoCanComment,
};
pub use commits::CommitListener;
pub use error::StoreError;
pub use gifts::{GiftRefusal, Gifts, Recipient};
pub use interactions::{Hit, Interactions, KudosGiver, KudosList, KudosOutcome};
pub use invitations::{InvitationCode, Invitations, Invited, Inviter, QueueStatus, SentInvitation};
pub use keys::name_key;
pub use mutes::{Mutes, SavedFilter};
pub use posting::{Created, FormKey, Posting};
pub use pseuds::{Profile, PseudForm, PseudInfo, Pseuds};
pub use readings::{Reading, Readings, Visit};
pub use scheduling::{PostedChapter, ScheduledChapter, Scheduling};
pub use series_edits::{SeriesEdit, SeriesEditing};
pub use store::{
    ArchiveCounts, Change, NewSeries, NewUser, Page, PoolUse, SeriesSummary, SourceRef, Store,
    WorkCriteria,
};
pub use subscriptions::{
    Following, InboxChapter, InboxEntry, InboxKind, Subscribable, Subscription, Subscriptions,
};
pub use wrangling::{TagWrangling, Wrangle, Wrangled, Wrangling, WranglingError};

use std::path::Path;
use std::sync::Arc;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the database will be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Readers and writers, as `quire serve` has them.
    Shared,
    /// One process writing a lot and nobody reading (`quire seed`); SQLite skips its WAL.
    BulkLoad,
}

/// Opens the archive's database: PostgreSQL when `database_url` is a `postgres://` URL, else the
/// SQLite file `quire.db` in `data_dir` (created when missing). Runs pending migrations.
pub async fn open(
    database_url: Option<&str>,
    data_dir: &Path,
    usage: Usage,
) -> Result<Arc<dyn Store>> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(postgres::PgStore::connect(url).await?))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            Ok(Arc::new(sqlite::SqliteStore::open(Path::new(path)).await?))
        }
        Some(url) => Err(StoreError::Config(format!(
            "unsupported database URL `{}`: use postgres://… or sqlite:PATH",
            keys::redact_url(url)
        ))),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| {
                StoreError::Config(format!(
                    "cannot create the data directory {}: {e}",
                    data_dir.display()
                ))
            })?;
            open_sqlite(&data_dir.join("quire.db"), usage).await
        }
    }
}

async fn open_sqlite(path: &Path, usage: Usage) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(match usage {
        Usage::Shared => sqlite::SqliteStore::open(path).await?,
        Usage::BulkLoad => sqlite::SqliteStore::open_for_bulk_load(path).await?,
    }))
}
