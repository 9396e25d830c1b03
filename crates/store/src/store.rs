//! The `Store` trait: every read and write the rest of Quire makes.

use crate::Result;
use crate::accounts::Accounts;
use crate::admin::Admin;
use crate::api_tokens::ApiTokens;
use crate::bookmarks::Bookmarks;
use crate::claims::Claims;
use crate::co_creators::CoCreators;
use crate::comments::Comments;
use crate::gifts::Gifts;
use crate::interactions::Interactions;
use crate::invitations::Invitations;
use crate::mutes::{Mutes, SavedFilter};
use crate::posting::Posting;
use crate::pseuds::Pseuds;
use crate::readings::Readings;
use crate::scheduling::Scheduling;
use crate::series_edits::SeriesEditing;
use crate::subscriptions::Subscriptions;
use crate::wrangling::{TagWrangling, Wrangle, Wrangled, Wrangling};
use async_trait::async_trait;
use quire_core::visibility::ListingScope;
use quire_core::work::{ChapterHeading, NewWork};
use quire_core::{
    Chapter, ChapterId, Pseud, Rating, Series, SeriesId, Tag, TagKind, User, UserId, Work, WorkId,
};

/// An account to create.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub login: String,
    pub email: Option<String>,
    /// An argon2id PHC string; `None` for unclaimed creators.
    pub password_hash: Option<String>,
    pub is_admin: bool,
    /// The pseud names; the first is the default. Empty means one pseud named after the login.
    pub pseuds: Vec<String>,
}

/// A series to create.
#[derive(Debug, Clone, Default)]
pub struct NewSeries {
    pub title: String,
    pub summary: Option<String>,
    pub complete: bool,
}

/// One page of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    /// Page `number` (1-based) of `per_page` items.
    pub fn new(number: u32, per_page: u32) -> Page {
        Page {
            offset: i64::from(number.max(1) - 1) * i64::from(per_page),
            limit: i64::from(per_page),
        }
    }

    pub fn first(per_page: u32) -> Page {
        Page::new(1, per_page)
    }

    /// The same page with one more item, to learn whether a next page exists without counting.
    pub fn and_one_more(self) -> Page {
        Page {
            limit: self.limit + 1,
            ..self
        }
    }
}

/// An imported work's source identity and content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub work_id: WorkId,
    pub content_hash: String,
}

/// A series in a list: its title and how many of the listed works it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesSummary {
    pub id: SeriesId,
    pub title: String,
    pub works: i64,
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: i64,
    pub op: String,
}

impl Change {
    /// The `op` of a change to a work's counts only (kudos, hits): what the work shows
    /// changed, and its place in listings sorted by a count, but not which listings hold it.
    pub const COUNTS: &'static str = "stats";

    /// True for a change to a work's counts only.
    pub fn counts_only(&self) -> bool {
        self.entity == "work" && self.op == Self::COUNTS
    }
}

/// One connection pool's use: the connections open, the idle ones among them, and the most it
/// may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// `read` or `write` on SQLite; `shared` on PostgreSQL, whose readers and writers share one.
    pub name: &'static str,
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

impl PoolUse {
    pub(crate) fn of<Db: sqlx::Database>(name: &'static str, pool: &sqlx::Pool<Db>) -> PoolUse {
        PoolUse {
            name,
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        }
    }
}

/// How much the archive holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveCounts {
    pub works: i64,
    pub chapters: i64,
    pub users: i64,
    pub tags: i64,
    pub words: i64,
}

/// What to look for with [`Store::find_work`]; `None` matches anything.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkCriteria {
    pub rating: Option<Rating>,
    pub posted: Option<bool>,
    pub restricted: Option<bool>,
    pub imported: Option<bool>,
    pub multi_chapter: Option<bool>,
}

/// The archive's data. Implemented by [`crate::sqlite::SqliteStore`] and
/// [`crate::postgres::PgStore`]; both behave the same.
#[async_trait]
pub trait Store:
    Accounts
    + Admin
    + ApiTokens
    + Bookmarks
    + Claims
    + CoCreators
    + Comments
    + Gifts
    + Interactions
    + Invitations
    + Posting
    + Pseuds
    + Readings
    + Scheduling
    + SeriesEditing
    + Subscriptions
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Answers when the database does.
    async fn ping(&self) -> Result<()>;

    /// How the connection pools are used right now (for `/metrics`).
    fn pool_use(&self) -> Vec<PoolUse>;

    /// Creates an account with its pseuds.
    async fn create_user(&self, user: &NewUser) -> Result<User>;

    async fn user_by_login(&self, login: &str) -> Result<Option<User>>;

    async fn pseuds_of(&self, user: UserId) -> Result<Vec<Pseud>>;

    /// The pseud an archive's creator of this name publishes under, made (with an unclaimed
    /// user) the first time the name is met in that archive. Names compare case-insensitively.
    async fn archive_creator(&self, archive: &str, name: &str) -> Result<Pseud>;

    /// [`Store::archive_creator`] for many names at once, in one transaction; in order.
    async fn archive_creators(&self, archive: &str, names: &[String]) -> Result<Vec<Pseud>>;

    async fn create_series(&self, series: &NewSeries) -> Result<SeriesId>;

    async fn series(&self, id: SeriesId) -> Result<Option<Series>>;

    /// The series an archive's works name by this title, made the first time the title is met
    /// in that archive (a legacy import). Titles compare case-insensitively.
    async fn archive_series(&self, archive: &str, title: &str) -> Result<SeriesId>;

    /// Stores one work, its chapters, tags, creators, series places and source, in one
    /// transaction with its outbox entry.
    async fn insert_work(&self, work: &NewWork) -> Result<WorkId>;

    /// Stores many works in one transaction (seeding and bulk import).
    async fn insert_works(&self, works: &[NewWork]) -> Result<Vec<WorkId>>;

    /// Replaces a work's content in place, keeping its id and counters.
    async fn replace_work(&self, id: WorkId, work: &NewWork) -> Result<()>;

    /// Stores new works and replaces changed ones (keeping their ids) in one transaction (a
    /// bulk import): each work whole, with its source row and outbox entry; all of them or
    /// none. The ids of the new works, in order.
    async fn import_works(
        &self,
        new: &[NewWork],
        replaced: &[(WorkId, NewWork)],
    ) -> Result<Vec<WorkId>>;

    /// Hides a work from everyone but its creators and admins (`hidden = true`), or shows it
    /// again, keeping everything else of it.
    async fn set_hidden_by_admin(&self, id: WorkId, hidden: bool) -> Result<()>;

    /// Shows a work only to signed-in readers (`restricted = true`), or to everyone again.
    async fn set_restricted(&self, id: WorkId, restricted: bool) -> Result<()>;

    async fn work(&self, id: WorkId) -> Result<Option<Work>>;

    /// The works with these ids, in the order given; unknown ids are left out.
    async fn works(&self, ids: &[WorkId]) -> Result<Vec<Work>>;

    /// The work's chapters without their text, in order.
    async fn chapter_index(&self, work: WorkId) -> Result<Vec<ChapterHeading>>;

    async fn chapter(&self, work: WorkId, chapter: ChapterId) -> Result<Option<Chapter>>;

    /// Every chapter of the work with its text, in order.
    async fn chapters(&self, work: WorkId) -> Result<Vec<Chapter>>;

    /// Listable works, most recently updated first. "Listable" is the visibility rule's
    /// [`ListingScope`]: every listing and count below applies the same SQL fragment, generated
    /// from `quire_core::visibility::LISTING_CONDITIONS`.
    async fn recent_works(&self, scope: ListingScope, page: Page) -> Result<Vec<Work>>;

    /// Listable works with the tag named `name` (any case), most recently updated first, with
    /// the tag and the number of such works; `None` when no tag has that name.
    async fn works_tagged(
        &self,
        name: &str,
        scope: ListingScope,
        page: Page,
    ) -> Result<Option<(Tag, Vec<Work>, i64)>>;

    /// Listable works a user created, most recently updated first, with their number.
    async fn works_by_user(
        &self,
        user: UserId,
        scope: ListingScope,
        page: Page,
    ) -> Result<(Vec<Work>, i64)>;

    /// Series holding at least one listable work the user created, by title.
    async fn series_by_user(&self, user: UserId, scope: ListingScope)
    -> Result<Vec<SeriesSummary>>;

    /// Tags of one kind with the number of listable works carrying each, by name.
    async fn tag_counts(&self, kind: TagKind, scope: ListingScope) -> Result<Vec<(Tag, i64)>>;

    /// AO3's "unwrangled" bin: tags of `kind` that are neither canonical nor a synonym, with
    /// the number of works listed for `scope` carrying each, most used first (then by name).
    /// Tags on no such work are left out.
    async fn unwrangled_tags(
        &self,
        kind: TagKind,
        scope: ListingScope,
        page: Page,
    ) -> Result<Vec<(Tag, i64)>>;

    /// The first work (lowest id) matching the criteria.
    async fn find_work(&self, criteria: WorkCriteria) -> Result<Option<WorkId>>;

    /// An imported work by its source identity.
    async fn source(&self, archive: &str, path: &str) -> Result<Option<SourceRef>>;

    /// The imported works of these source paths in one archive, as (path, work); paths not
    /// imported yet are left out.
    async fn sources_of(&self, archive: &str, paths: &[String])
    -> Result<Vec<(String, SourceRef)>>;

    /// Outbox rows after `seq`, oldest first.
    async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>>;

    /// The newest outbox `seq` (0 when empty): where a new follower starts.
    async fn last_change_seq(&self) -> Result<i64>;

    /// Calls `listener` with the outbox rows of each write this store commits, right after
    /// the commit and before the write returns (never for other processes' writes: those
    /// are read from the outbox).
    fn on_commit(&self, listener: crate::CommitListener);

    async fn counts(&self) -> Result<ArchiveCounts>;

    /// Applies one wrangling change in one transaction with its outbox entries: one `tag`
    /// entry for the tag it is about, one `work` entry per work whose filing changes. A change
    /// that changes nothing (merging a synonym into its canonical tag again) appends nothing.
    /// Refusals are [`crate::StoreError::Wrangling`], and change nothing.
    async fn wrangle(&self, change: &Wrangle) -> Result<Wrangled>;

    /// What [`Store::wrangle`] would do (the same checks, the same count of works), changing
    /// nothing: `--dry-run`.
    async fn preview_wrangle(&self, change: &Wrangle) -> Result<Wrangled>;

    /// One tag's wrangling, for its tag page; `None` when no tag has that name (any case).
    async fn tag_wrangling(&self, name: &str) -> Result<Option<TagWrangling>>;

    /// The whole archive's wrangling, what the search index files works by.
    async fn wrangling(&self) -> Result<Wrangling>;

    /// Mutes a tag (named in any case) for a reader; muting it twice is muting it once.
    async fn mute_tag(&self, user: UserId, name: &str) -> Result<Tag>;

    /// Unmutes a tag; false when it was not muted.
    async fn unmute_tag(&self, user: UserId, name: &str) -> Result<bool>;

    /// Mutes every work a creator (a user) made, for a reader.
    async fn mute_creator(&self, user: UserId, creator: UserId) -> Result<()>;

    /// Unmutes a creator; false when they were not muted.
    async fn unmute_creator(&self, user: UserId, creator: UserId) -> Result<bool>;

    /// What a reader muted.
    async fn mutes(&self, user: UserId) -> Result<Mutes>;

    /// Saves a named filter for a reader, replacing one of the same name (any case). The query
    /// string is stored as given: `quire_search::saved::save_filter` validates it first.
    async fn save_filter(&self, user: UserId, name: &str, query: &str) -> Result<SavedFilter>;

    /// A reader's saved filters, by name.
    async fn saved_filters(&self, user: UserId) -> Result<Vec<SavedFilter>>;

    /// Deletes a saved filter by name; false when there was none.
    async fn delete_saved_filter(&self, user: UserId, name: &str) -> Result<bool>;
}
