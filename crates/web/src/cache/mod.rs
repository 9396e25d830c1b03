//! Rendered pages for guests, kept in memory until what they show changes.
//!
//! A page is cached under its path and (canonical, see `params`) query plus the viewer's adult
//! consent, and only for viewers who are not signed in, so every cached page is what
//! `can_view` gave that same kind of viewer; a guest's request for a kept page is answered
//! before routing ([`guest`]). Its handler says what it shows ([`Shows`]); a
//! follower reads the `changes` outbox and marks what each change touched, and a page is
//! served only while nothing it shows has changed since it was rendered ([`freshness`]). So a
//! page outlives the data it shows by at most one poll interval, and by none on the node that
//! made the change, which marks it before answering. Hits and misses are counted for
//! `/metrics`.

mod encoded;
mod follow;
pub mod freshness;
mod guest;
mod listings;
mod marked;
mod works;

pub use follow::{POLL_INTERVAL, follow_changes, stopped_within};
pub use freshness::{Shows, Touch};
pub use guest::{answer_early, cached_pages};
pub use works::WorkData;

use std::sync::Arc;

use quick_cache::sync::Cache;

use self::freshness::Freshness;

/// What signed-in readers' pages share ([`works`], [`listings`]): a value read from the
/// database and the [`Freshness`] tick its reading began at.
struct Kept<T> {
    started: u64,
    value: Arc<T>,
}

/// The cache of rendered guest pages.
pub struct PageCache {
    pages: Cache<guest::Key, Arc<guest::CachedPage>, guest::BodySize>,
    freshness: Freshness,
    /// What signed-in readers' work pages share ([`works`]).
    works: works::WorkCache,
    /// What listings rendered for one reader share ([`listings`]).
    listings: listings::ListingCache,
    /// The outbox rows this node marked as it committed them ([`marked`]).
    marked_here: marked::MarkedHere,
}

impl PageCache {
    /// A cache holding about `bytes` of pages.
    pub fn new(bytes: u64) -> PageCache {
        PageCache {
            pages: Cache::with_weighter(10_000, bytes, guest::BodySize),
            freshness: Freshness::default(),
            works: works::WorkCache::default(),
            listings: listings::ListingCache::default(),
            marked_here: marked::MarkedHere::default(),
        }
    }

    /// Marks what this node's write committed (`Store::on_commit` calls it, before the write
    /// returns), so that its own node never shows the writer the page as it was; the follower
    /// then skips those outbox rows.
    pub fn committed_here(&self, changes: &[quire_store::Change]) {
        follow::mark(self, changes);
        self.marked_here.remember(changes);
    }

    /// Forgets every page.
    pub fn clear(&self) {
        self.freshness.everything_changed();
        self.pages.clear();
        self.works.clear();
        self.listings.clear();
    }

    /// Records committed changes: the pages that show what they touched are not served again.
    /// The follower does it for other nodes' changes, and [`PageCache::committed_here`] for
    /// this node's as they commit: handlers never need to.
    pub fn touched(&self, touches: &[Touch]) {
        self.freshness.touched(touches);
    }

    /// Records that the search index caught up with changes (see [`Freshness::index_changed`]).
    pub fn index_changed(&self, content: bool) {
        self.freshness.index_changed(content);
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// About how many bytes the guest pages and the chapters kept for signed-in readers hold.
    pub fn bytes(&self) -> u64 {
        self.pages.weight() + self.works.text_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}
