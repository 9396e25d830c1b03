//! Which cached pages a change makes stale, decided when a page is read rather than by
//! searching the cache at each change.
//!
//! A page remembers the tick of the [`Freshness`] clock at which its rendering began, and what
//! it shows ([`Shows`]). A change moves the clock on and records the tick on what it touched:
//! one work, the listings, or everything. A page is fresh while nothing it shows changed after
//! its rendering began. So a stream of kudos drops only the pages of the works that got them
//! and the listings that show those works, never the whole cache.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use quire_core::WorkId;

/// What a page shows, declared by its handler as a response extension; a page that declares
/// nothing is [`Shows::Anything`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Shows {
    /// One work's pages: the work page, a chapter, the chapter index, the adult gate, a
    /// download. Their data is the work's own row and chapters.
    Work(WorkId),
    /// One work's pages that also link other works, its series neighbours, each shown or
    /// skipped by its visibility: stale when the work changes (its counts too), or when
    /// one of the others' content or visibility does (not their counts).
    WorkBeside { work: WorkId, others: Box<[WorkId]> },
    /// One work's text (its chapters), which its counts do not change: no page declares it,
    /// the chapters kept for signed-in readers do (`cache::works`).
    Text(WorkId),
    /// A list of works (the home page, `/works`, a tag's works, a feed): their blurbs, and
    /// which works are listed and in what order, which any work's edit may change.
    Listing {
        works: Box<[WorkId]>,
        /// Ordered by kudos, hits, comments or bookmarks, which a work's counts move.
        by_counts: bool,
    },
    /// Anything the archive holds.
    #[default]
    Anything,
}

/// What a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// A work's counts only (kudos, hits, comments, bookmarks): its pages and the blurbs of it
    /// change; which works a listing holds does not.
    Counts(WorkId),
    /// A work's content, visibility or tags: it may join or leave any listing.
    Work(WorkId),
    /// A user's profile or pseuds: only pages that did not say what they show (the user's
    /// pages) change; a work page showing a renamed pseud is touched as [`Touch::Work`].
    Profile(quire_core::UserId),
}

/// Past this many works remembered, the cache forgets them all and everything with them.
const MAX_WORKS_REMEMBERED: usize = 200_000;

/// The clock and the ticks of the last change to each thing a page may show.
#[derive(Debug, Default)]
pub struct Freshness {
    clock: AtomicU64,
    /// Every page older than this is stale.
    everything: AtomicU64,
    /// Any change at all, for pages that did not say what they show.
    anything: AtomicU64,
    /// Which works are listed (and counted in facets).
    listings: AtomicU64,
    /// The order of listings sorted by a count.
    counts_order: AtomicU64,
    works: RwLock<HashMap<WorkId, u64>>,
    /// The last change to each work's content (not only its counts).
    texts: RwLock<HashMap<WorkId, u64>>,
}

impl Freshness {
    /// The tick a page's rendering starts at.
    pub fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether a page rendered from `started` on, showing `shows`, is still true.
    pub fn is_fresh(&self, started: u64, shows: &Shows) -> bool {
        let at_most = |stamp: &AtomicU64| stamp.load(Ordering::SeqCst) <= started;
        if !at_most(&self.everything) {
            return false;
        }
        match shows {
            Shows::Anything => at_most(&self.anything),
            Shows::Work(id) => self.work_unchanged(std::slice::from_ref(id), started),
            Shows::WorkBeside { work, others } => {
                self.work_unchanged(std::slice::from_ref(work), started)
                    && self.text_unchanged(others, started)
            }
            Shows::Text(id) => self.text_unchanged(std::slice::from_ref(id), started),
            Shows::Listing { works, by_counts } => {
                at_most(&self.listings)
                    && (!by_counts || at_most(&self.counts_order))
                    && self.work_unchanged(works, started)
            }
        }
    }

    fn work_unchanged(&self, ids: &[WorkId], started: u64) -> bool {
        let Ok(works) = self.works.read() else {
            return false;
        };
        ids.iter()
            .all(|id| works.get(id).is_none_or(|&tick| tick <= started))
    }

    fn text_unchanged(&self, ids: &[WorkId], started: u64) -> bool {
        let Ok(texts) = self.texts.read() else {
            return false;
        };
        ids.iter()
            .all(|id| texts.get(id).is_none_or(|&tick| tick <= started))
    }

    /// Records changes the database has committed: the pages showing what they touched are
    /// stale from now on.
    pub fn touched(&self, touches: &[Touch]) {
        if touches.is_empty() {
            return;
        }
        let tick = self.tick();
        let (mut works, mut texts) = match (self.works.write(), self.texts.write()) {
            (Ok(works), Ok(texts)) => (works, texts),
            _ => return self.everything_changed(),
        };
        for touch in touches {
            match *touch {
                Touch::Counts(id) => {
                    works.insert(id, tick);
                }
                Touch::Work(id) => {
                    works.insert(id, tick);
                    texts.insert(id, tick);
                    self.listings.store(tick, Ordering::SeqCst);
                }
                Touch::Profile(_) => {}
            }
        }
        self.anything.store(tick, Ordering::SeqCst);
        if works.len() > MAX_WORKS_REMEMBERED {
            works.clear();
            texts.clear();
            drop((works, texts));
            self.everything_changed();
        }
    }

    /// Records that the search index caught up with changes: listings (which it orders and
    /// counts) may differ; with `content`, in the works they hold, else only in the order of
    /// those sorted by a count.
    pub fn index_changed(&self, content: bool) {
        let tick = self.tick();
        if content {
            self.listings.store(tick, Ordering::SeqCst);
        }
        self.counts_order.store(tick, Ordering::SeqCst);
        self.anything.store(tick, Ordering::SeqCst);
    }

    /// Every page is stale from now on.
    pub fn everything_changed(&self) {
        let tick = self.tick();
        self.everything.store(tick, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(works: &[WorkId], by_counts: bool) -> Shows {
        Shows::Listing {
            works: works.into(),
            by_counts,
        }
    }

    #[test]
    fn kudos_on_one_work_leave_other_works_and_listings_fresh() {
        let f = Freshness::default();
        let started = f.now();
        f.touched(&[Touch::Counts(7)]);
        assert!(!f.is_fresh(started, &Shows::Work(7)));
        assert!(f.is_fresh(started, &Shows::Work(8)));
        assert!(!f.is_fresh(started, &listing(&[1, 7], false)));
        assert!(f.is_fresh(started, &listing(&[1, 8], false)));
        assert!(f.is_fresh(started, &listing(&[1, 8], true)));
        assert!(!f.is_fresh(started, &Shows::Anything));
        // Once the index has the new count, listings sorted by it may reorder.
        f.index_changed(false);
        assert!(!f.is_fresh(started, &listing(&[1, 8], true)));
        assert!(f.is_fresh(started, &listing(&[1, 8], false)));
    }

    #[test]
    fn a_work_beside_its_neighbours_is_stale_when_one_of_them_changes_not_its_counts() {
        let f = Freshness::default();
        let started = f.now();
        let page = Shows::WorkBeside {
            work: 7,
            others: Box::new([6, 8]),
        };
        f.touched(&[Touch::Counts(8)]);
        assert!(f.is_fresh(started, &page));
        f.touched(&[Touch::Work(9)]);
        assert!(f.is_fresh(started, &page));
        f.touched(&[Touch::Work(6)]);
        assert!(!f.is_fresh(started, &page));
        let later = f.now();
        f.touched(&[Touch::Counts(7)]);
        assert!(!f.is_fresh(later, &page));
    }

    #[test]
    fn counts_leave_a_works_text_fresh_and_an_edit_does_not() {
        let f = Freshness::default();
        let started = f.now();
        f.touched(&[Touch::Counts(7)]);
        assert!(f.is_fresh(started, &Shows::Text(7)));
        f.touched(&[Touch::Work(7)]);
        assert!(!f.is_fresh(started, &Shows::Text(7)));
        assert!(f.is_fresh(started, &Shows::Text(8)));
        f.everything_changed();
        assert!(!f.is_fresh(started, &Shows::Text(8)));
    }

    #[test]
    fn a_profile_change_leaves_works_and_listings_fresh() {
        let f = Freshness::default();
        let started = f.now();
        f.touched(&[Touch::Profile(3)]);
        assert!(!f.is_fresh(started, &Shows::Anything));
        assert!(f.is_fresh(started, &Shows::Work(7)));
        assert!(f.is_fresh(started, &listing(&[7], false)));
    }

    #[test]
    fn an_edited_work_may_join_any_listing() {
        let f = Freshness::default();
        let started = f.now();
        f.touched(&[Touch::Work(7)]);
        assert!(!f.is_fresh(started, &listing(&[1, 2], false)));
        assert!(f.is_fresh(started, &Shows::Work(8)));
        let later = f.now();
        assert!(f.is_fresh(later, &listing(&[1, 7], false)));
        f.index_changed(true);
        assert!(!f.is_fresh(later, &listing(&[1, 2], false)));
        assert!(f.is_fresh(later, &Shows::Work(7)));
    }

    #[test]
    fn a_page_begun_before_a_change_is_stale_and_one_begun_after_is_not() {
        let f = Freshness::default();
        let before = f.now();
        f.touched(&[Touch::Counts(3)]);
        let after = f.now();
        assert!(!f.is_fresh(before, &Shows::Work(3)));
        assert!(f.is_fresh(after, &Shows::Work(3)));
        f.everything_changed();
        assert!(!f.is_fresh(after, &Shows::Work(9)));
        assert!(f.is_fresh(f.now(), &Shows::Anything));
    }

    #[test]
    fn remembering_too_many_works_forgets_everything() {
        let f = Freshness::default();
        let started = f.now();
        let touches: Vec<Touch> = (0..=MAX_WORKS_REMEMBERED as i64)
            .map(Touch::Counts)
            .collect();
        f.touched(&touches);
        assert!(f.works.read().unwrap().is_empty());
        assert!(!f.is_fresh(started, &Shows::Work(MAX_WORKS_REMEMBERED as i64 + 5)));
    }
}
