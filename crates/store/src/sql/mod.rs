//! The SQL both backends run, written once and grouped by topic.
//!
//! SQLite and PostgreSQL accept the same statements here (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`). What differs between them (pools, id reservation, the outbox lock) is the
//! small [`Backend`](crate::backend::Backend) trait that `sqlite.rs` and `postgres.rs`
//! implement; everything else lives in these files:
//!
//! | file | what it holds |
//! |---|---|
//! | `work_writes.rs` | inserting, replacing and importing works, and admin moderation |
//! | `tags.rs` | finding or creating tags by name, in bulk |
//! | `work_reads.rs` | works by id with their creators, tags, series and sources; chapters |
//! | `listings.rs` | recent works, tag pages, a user's works and series, tag counts, the unwrangled bin |
//! | `listable.rs` | the visibility rule's `WHERE` fragment, shared by every listing |
//! | `creators.rs` | accounts, pseuds, and the creators an import makes |
//! | `accounts.rs` | sessions, log-in throttles, resets, preferences, roles, invitations |
//! | `series.rs` | series |
//! | `sources.rs` | where imported works came from |
//! | `outbox.rs` | the `changes` outbox |
//! | `wrangling.rs` | wrangling changes: canonical, synonyms, parents, meta tags, renames |
//! | `wrangling_reads.rs` | one tag's wrangling, and the whole archive's |
//! | `mutes.rs` | a reader's muted tags and creators, and saved filters |
//! | `kudos.rs` | kudos, one per account and per guest per work |
//! | `comments.rs` | threaded comments, works' comment settings, users' blocks |
//! | `api_tokens.rs` | personal API tokens |
//! | `posting.rs` | creators' own works from the web: create, edit, chapters, post, delete |
//! | `admin.rs` | admins' actions (hiding works, sanctions, reports, roles) and their audit log |
//! | `invitations.rs` | the invitation queue, codes sent by admins and members, members' invitations |
//! | `subscriptions.rs`, `inbox.rs` | subscriptions and the inbox; the inbox entries posting makes |
//! | `readings.rs` | a reader's history and "marked for later" |
//! | `scheduling.rs` | chapters posted later: their times, and posting the due ones |
//! | `claims.rs` | claims of imported creators, and admins' decisions on them |
//! | `pseuds.rs` | a user's pseuds (create, rename, default, delete moving works) and profile |
//! | `co_creators.rs` | co-creator requests: invite, accept or decline, remove oneself |
//! | `gifts.rs` | gifts: who a work is for, refusals, the works a user was given |
//! | `series_edits.rs` | what series' creators do: add works, edit, reorder, remove, delete |
//!
//! Why macros: sqlx cannot run one query on "any driver" without a generic function restating,
//! for every value it binds and every row it reads, that the driver can encode and decode it
//! (`for<'q> i64: Encode<'q, DB> + Type<DB>`, `(i64, String): for<'r> FromRow<'r, DB::Row>`,
//! an `Executor` bound per connection kind, …); Rust does not let a trait bundle those bounds,
//! so each function would carry a different half-screen of them. Helpers that bind one or two
//! types are generic functions (`in_list`, `push_listable`); the queries are one short
//! macro per topic, expanded by [`expand!`] for each backend with its concrete types. Each
//! topic becomes a module of plain async functions (`listings::recent_works(store, …)`),
//! and [`expand!`] forwards every [`crate::Store`] method to one of them.

mod accounts;
mod admin;
mod api_tokens;
mod bookmarks;
mod claims;
mod co_creators;
mod comments;
mod creators;
mod gifts;
mod hits;
mod inbox;
mod invitations;
mod kudos;
mod listable;
mod listings;
mod mutes;
mod outbox;
mod posting;
mod pseuds;
mod readings;
mod scheduling;
mod series;
mod series_edits;
mod sources;
mod subscriptions;
mod tags;
mod work_reads;
mod work_writes;
mod wrangling;
mod wrangling_reads;

pub(crate) use accounts::accounts;
pub(crate) use admin::admin;
pub(crate) use api_tokens::api_tokens;
pub(crate) use bookmarks::bookmarks;
pub(crate) use claims::claims;
pub(crate) use co_creators::co_creators;
pub(crate) use comments::comments;
pub(crate) use creators::creators;
pub(crate) use gifts::gifts;
pub(crate) use hits::hits;
pub(crate) use inbox::inbox;
pub(crate) use invitations::invitations;
pub(crate) use kudos::kudos;
pub(crate) use listable::push_listable;
pub(crate) use listings::listings;
pub(crate) use mutes::mutes;
pub(crate) use outbox::outbox;
pub(crate) use posting::posting;
pub(crate) use pseuds::pseuds;
pub(crate) use readings::readings;
pub(crate) use scheduling::scheduling;
pub(crate) use series::series;
pub(crate) use series_edits::series_edits;
pub(crate) use sources::sources;
pub(crate) use subscriptions::subscriptions;
pub(crate) use tags::tags;
pub(crate) use work_reads::work_reads;
pub(crate) use work_writes::work_writes;
pub(crate) use wrangling::wrangling;
pub(crate) use wrangling_reads::wrangling_reads;

use quire_core::TagKind;
use quire_core::work::NewWork;
use sqlx::{Database, Encode, QueryBuilder, Type};

use crate::{Result, StoreError};

/// Rows per multi-row INSERT: 100 rows of the widest table (21 columns) stay far below both
/// databases' bound-parameter limits.
pub(crate) const ROWS_PER_STATEMENT: usize = 100;

/// Implements [`crate::Store`] for `$store`, a [`Backend`](crate::backend::Backend): expands
/// every topic's queries with the backend's concrete types (as modules next to this
/// invocation) and forwards each `Store` method to them.
macro_rules! expand {
    ($store:ty) => {
        use async_trait::async_trait;
        use quire_core::visibility::ListingScope;
        use quire_core::work::{ChapterHeading, NewWork};
        use quire_core::{
            Chapter, ChapterId, Pseud, Series, SeriesId, Tag, TagKind, User, UserId, Work, WorkId,
        };

        use crate::Result;
        use crate::backend::Backend;
        use crate::mutes::{Mutes, SavedFilter};
        use crate::store::{
            ArchiveCounts, Change, NewSeries, NewUser, Page, SeriesSummary, SourceRef, Store,
            WorkCriteria,
        };
        use crate::wrangling::{TagWrangling, Wrangle, Wrangled, Wrangling};

        /// The backend store these queries are expanded for.
        type S = $store;
        type Db = <S as Backend>::Db;
        type Tx = crate::commits::WriteTx<Db>;

        /// Opens a write transaction, whose outbox rows the store's listeners hear of when it
        /// commits.
        async fn begin_write(store: &S) -> Result<Tx> {
            let connection = store.write_lane().get().await?;
            crate::commits::WriteTx::begin(connection, store.commits().clone()).await
        }

        /// The write lane's connection, for one statement outside a transaction: it goes back
        /// to the lane when dropped, after the ping a connection dropped unfinished gets.
        async fn write_connection(store: &S) -> Result<crate::fast_lane::LaneConnection<Db>> {
            store.write_lane().get().await
        }

        /// Opens a transaction on a reader, for functions shared with writes; it appends
        /// nothing.
        async fn begin_read(store: &S) -> Result<Tx> {
            let connection = store.fast_lane().get().await?;
            crate::commits::WriteTx::begin(connection, store.commits().clone()).await
        }

        /// Runs a multi-row statement. Full chunks share one cached prepared statement; the
        /// shorter last chunk of a batch is prepared once and not cached, so that its many
        /// possible lengths do not push the common statements out of the cache. (Not generic:
        /// over an unknown driver the borrow of the builder cannot be shortened.)
        async fn run(
            mut qb: sqlx::QueryBuilder<'_, Db>,
            rows: usize,
            conn: &mut <Db as sqlx::Database>::Connection,
        ) -> Result<()> {
            qb.build()
                .persistent(rows == crate::sql::ROWS_PER_STATEMENT)
                .execute(conn)
                .await?;
            Ok(())
        }

        crate::sql::work_writes!();
        crate::sql::tags!();
        crate::sql::work_reads!();
        crate::sql::listings!();
        crate::sql::creators!();
        crate::sql::series!();
        crate::sql::sources!();
        crate::sql::outbox!();
        crate::sql::wrangling!();
        crate::sql::wrangling_reads!();
        crate::sql::mutes!();
        crate::sql::accounts!();
        crate::sql::kudos!();
        crate::sql::hits!();
        crate::sql::bookmarks!();
        crate::sql::comments!();
        crate::sql::api_tokens!();
        crate::sql::posting!();
        crate::sql::admin!();
        crate::sql::invitations!();
        crate::sql::inbox!();
        crate::sql::subscriptions!();
        crate::sql::readings!();
        crate::sql::scheduling!();
        crate::sql::claims!();
        crate::sql::pseuds!();
        crate::sql::co_creators!();
        crate::sql::gifts!();
        crate::sql::series_edits!();

        #[async_trait]
        impl Store for S {
            fn backend(&self) -> &'static str {
                <S as Backend>::NAME
            }

            fn pool_use(&self) -> Vec<crate::store::PoolUse> {
                <S as Backend>::pool_use(self)
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await?;
                Ok(())
            }

            async fn create_user(&self, user: &NewUser) -> Result<User> {
                creators::create_user(self, user).await
            }

            async fn user_by_login(&self, login: &str) -> Result<Option<User>> {
                creators::user_by_login(self, login).await
            }

            async fn pseuds_of(&self, user: UserId) -> Result<Vec<Pseud>> {
                creators::pseuds_of(self, user).await
            }

            async fn archive_creator(&self, archive: &str, name: &str) -> Result<Pseud> {
                creators::archive_creator(self, archive, name).await
            }

            async fn archive_creators(
                &self,
                archive: &str,
                names: &[String],
            ) -> Result<Vec<Pseud>> {
                creators::archive_creators(self, archive, names).await
            }

            async fn create_series(&self, new: &NewSeries) -> Result<SeriesId> {
                series::create_series(self, new).await
            }

            async fn series(&self, id: SeriesId) -> Result<Option<Series>> {
                series::series(self, id).await
            }

            async fn archive_series(&self, archive: &str, title: &str) -> Result<SeriesId> {
                series::archive_series(self, archive, title).await
            }

            async fn insert_work(&self, work: &NewWork) -> Result<WorkId> {
                work_writes::insert_work(self, work).await
            }

            async fn insert_works(&self, works: &[NewWork]) -> Result<Vec<WorkId>> {
                work_writes::insert_works(self, works).await
            }

            async fn replace_work(&self, id: WorkId, work: &NewWork) -> Result<()> {
                work_writes::replace_work(self, id, work).await
            }

            async fn import_works(
                &self,
                new: &[NewWork],
                replaced: &[(WorkId, NewWork)],
            ) -> Result<Vec<WorkId>> {
                work_writes::import_works(self, new, replaced).await
            }

            async fn set_hidden_by_admin(&self, id: WorkId, hidden: bool) -> Result<()> {
                work_writes::set_hidden_by_admin(self, id, hidden).await
            }

            async fn set_restricted(&self, id: WorkId, restricted: bool) -> Result<()> {
                work_writes::set_restricted(self, id, restricted).await
            }

            async fn work(&self, id: WorkId) -> Result<Option<Work>> {
                Ok(work_reads::works(self, &[id]).await?.pop())
            }

            async fn works(&self, ids: &[WorkId]) -> Result<Vec<Work>> {
                work_reads::works(self, ids).await
            }

            async fn chapter_index(&self, work: WorkId) -> Result<Vec<ChapterHeading>> {
                work_reads::chapter_index(self, work).await
            }

            async fn chapter(&self, work: WorkId, chapter: ChapterId) -> Result<Option<Chapter>> {
                work_reads::chapter(self, work, chapter).await
            }

            async fn chapters(&self, work: WorkId) -> Result<Vec<Chapter>> {
                work_reads::chapters(self, work).await
            }

            async fn recent_works(&self, scope: ListingScope, page: Page) -> Result<Vec<Work>> {
                listings::recent_works(self, scope, page).await
            }

            async fn works_tagged(
                &self,
                name: &str,
                scope: ListingScope,
                page: Page,
            ) -> Result<Option<(Tag, Vec<Work>, i64)>> {
                listings::works_tagged(self, name, scope, page).await
            }

            async fn works_by_user(
                &self,
                user: UserId,
                scope: ListingScope,
                page: Page,
            ) -> Result<(Vec<Work>, i64)> {
                listings::works_by_user(self, user, scope, page).await
            }

            async fn series_by_user(
                &self,
                user: UserId,
                scope: ListingScope,
            ) -> Result<Vec<SeriesSummary>> {
                listings::series_by_user(self, user, scope).await
            }

            async fn tag_counts(
                &self,
                kind: TagKind,
                scope: ListingScope,
            ) -> Result<Vec<(Tag, i64)>> {
                listings::tag_counts(self, kind, scope).await
            }

            async fn unwrangled_tags(
                &self,
                kind: TagKind,
                scope: ListingScope,
                page: Page,
            ) -> Result<Vec<(Tag, i64)>> {
                listings::unwrangled_tags(self, kind, scope, page).await
            }

            async fn find_work(&self, criteria: WorkCriteria) -> Result<Option<WorkId>> {
                work_reads::find_work(self, criteria).await
            }

            async fn source(&self, archive: &str, path: &str) -> Result<Option<SourceRef>> {
                sources::source(self, archive, path).await
            }

            async fn sources_of(
                &self,
                archive: &str,
                paths: &[String],
            ) -> Result<Vec<(String, SourceRef)>> {
                sources::sources_of(self, archive, paths).await
            }

            async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
                outbox::changes_after(self, seq, limit).await
            }

            async fn last_change_seq(&self) -> Result<i64> {
                outbox::last_change_seq(self).await
            }

            fn on_commit(&self, listener: crate::CommitListener) {
                self.commits().listen(listener);
            }

            async fn counts(&self) -> Result<ArchiveCounts> {
                work_reads::counts(self).await
            }

            async fn wrangle(&self, change: &Wrangle) -> Result<Wrangled> {
                wrangling::wrangle(self, change, true).await
            }

            async fn preview_wrangle(&self, change: &Wrangle) -> Result<Wrangled> {
                wrangling::wrangle(self, change, false).await
            }

            async fn tag_wrangling(&self, name: &str) -> Result<Option<TagWrangling>> {
                wrangling_reads::tag_wrangling(self, name).await
            }

            async fn wrangling(&self) -> Result<Wrangling> {
                wrangling_reads::wrangling(self).await
            }

            async fn mute_tag(&self, user: UserId, name: &str) -> Result<Tag> {
                mutes::mute_tag(self, user, name).await
            }

            async fn unmute_tag(&self, user: UserId, name: &str) -> Result<bool> {
                mutes::unmute_tag(self, user, name).await
            }

            async fn mute_creator(&self, user: UserId, creator: UserId) -> Result<()> {
                mutes::mute_creator(self, user, creator).await
            }

            async fn unmute_creator(&self, user: UserId, creator: UserId) -> Result<bool> {
                mutes::unmute_creator(self, user, creator).await
            }

            async fn mutes(&self, user: UserId) -> Result<Mutes> {
                mutes::mutes(self, user).await
            }

            async fn save_filter(
                &self,
                user: UserId,
                name: &str,
                query: &str,
            ) -> Result<SavedFilter> {
                mutes::save_filter(self, user, name, query).await
            }

            async fn saved_filters(&self, user: UserId) -> Result<Vec<SavedFilter>> {
                mutes::saved_filters(self, user).await
            }

            async fn delete_saved_filter(&self, user: UserId, name: &str) -> Result<bool> {
                mutes::delete_saved_filter(self, user, name).await
            }
        }
    };
}

pub(crate) use expand;

/// `head (id, id, …) tail`, with the ids bound.
pub(crate) fn in_list<'a, DB>(head: &str, ids: &'a [i64], tail: &str) -> QueryBuilder<'a, DB>
where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
{
    let mut qb = QueryBuilder::new(head);
    qb.push("(");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
    qb.push(tail);
    qb
}

/// A work the store can hold: at least one chapter and one creator.
pub(crate) fn check_insertable(work: &NewWork) -> Result<()> {
    if work.chapters.is_empty() {
        return Err(StoreError::Invalid(format!(
            "`{}` has no chapter",
            work.title
        )));
    }
    if work.creators.is_empty() {
        return Err(StoreError::Invalid(format!(
            "`{}` has no creator",
            work.title
        )));
    }
    Ok(())
}

/// A 1-based position from a 0-based index.
pub(crate) fn position(index: usize) -> i32 {
    i32::try_from(index + 1).unwrap_or(i32::MAX)
}

/// Every tag of a work, the fixed vocabularies first, as (kind, name).
pub(crate) fn all_tags(work: &NewWork) -> Vec<(TagKind, String)> {
    let mut tags =
        Vec::with_capacity(1 + work.warnings.len() + work.categories.len() + work.tags.len());
    tags.push((TagKind::Rating, work.rating.name().to_owned()));
    tags.extend(
        work.warnings
            .iter()
            .map(|w| (TagKind::ArchiveWarning, w.name().to_owned())),
    );
    tags.extend(
        work.categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_owned())),
    );
    tags.extend(
        work.tags
            .iter()
            .filter(|(_, name)| !name.trim().is_empty())
            .cloned(),
    );
    tags
}
