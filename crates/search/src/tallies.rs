//! The counts of a result set (how many works match, the facet counts, how many the reader's
//! mutes hide), kept for the index generation they were counted on.
//!
//! Counting is the one part of a search that visits every match: on a million works the
//! unfiltered listing's facets alone take tens of milliseconds, while its page of 20 takes a
//! few. The counts do not depend on the sort or the page, so paging through a listing,
//! re-sorting it, and every other reader asking for the same listing reuse them until the
//! index changes (a new searcher generation) or the wrangling does. The fandom directory is
//! kept the same way ([`Directories`]).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard, PoisonError};

use quire_core::TagKind;

use quire_core::UserId;
use quire_core::visibility::ListingScope;

use crate::facets::{FacetCount, Facets};
use crate::graph::tag_key;
use crate::params;
use crate::query::WorkQuery;
use crate::search::MutedSet;

/// Result sets whose counts are kept; the oldest is dropped first.
const CAPACITY: usize = 2_048;

/// What a result set counts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    pub total: u64,
    pub facets: Facets,
    pub hidden_by_mutes: u64,
}

/// A result set, whatever its order and page: the filters as a query string, the scope, and
/// the mutes (sorted, so that the same mutes in another order are the same set).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TallyKey {
    filters: String,
    include_restricted: bool,
    muted_tags: Vec<String>,
    muted_creators: Vec<UserId>,
}

impl TallyKey {
    pub fn new(query: &WorkQuery, scope: ListingScope, muted: &MutedSet) -> TallyKey {
        let filters = params::serialize(&WorkQuery {
            sort: None,
            direction: None,
            page: 1,
            ..query.clone()
        });
        let mut muted_tags: Vec<String> = muted.tags.iter().map(|t| tag_key(t)).collect();
        muted_tags.sort_unstable();
        muted_tags.dedup();
        let mut muted_creators = muted.creators.clone();
        muted_creators.sort_unstable();
        muted_creators.dedup();
        TallyKey {
            filters,
            include_restricted: scope.include_restricted,
            muted_tags,
            muted_creators,
        }
    }
}

/// Values computed on one searcher generation, dropped whole when a newer one comes.
pub(crate) struct Generational<K, V> {
    kept: Mutex<Kept<K, V>>,
    capacity: usize,
}

struct Kept<K, V> {
    /// The searcher generation the values were computed on.
    generation: u64,
    values: HashMap<K, V>,
    /// Keys, oldest first.
    order: VecDeque<K>,
}

impl<K, V> Kept<K, V> {
    fn empty(generation: u64) -> Kept<K, V> {
        Kept {
            generation,
            values: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

/// The tallies of one index.
pub(crate) type Tallies = Generational<TallyKey, Tally>;

/// Every tag of a kind with its count, per kind and scope (`include_restricted`).
pub(crate) type Directories = Generational<(TagKind, bool), Arc<Vec<FacetCount>>>;

impl<K: Clone + Eq + Hash, V: Clone> Default for Generational<K, V> {
    fn default() -> Self {
        Generational::with_capacity(CAPACITY)
    }
}

impl<K: Clone + Eq + Hash, V: Clone> Generational<K, V> {
    /// Keeps at most `capacity` values; the oldest goes first.
    pub fn with_capacity(capacity: usize) -> Self {
        Generational {
            kept: Mutex::new(Kept::empty(0)),
            capacity,
        }
    }

    /// The value of `key` computed on searcher `generation`, if kept.
    pub fn get(&self, generation: u64, key: &K) -> Option<V> {
        let kept = self.lock();
        if kept.generation != generation {
            return None;
        }
        kept.values.get(key).cloned()
    }

    /// Keeps a value computed on searcher `generation`; values of other generations go.
    pub fn keep(&self, generation: u64, key: K, value: V) {
        let mut kept = self.lock();
        if kept.generation != generation {
            // A searcher older than the kept values must not replace them.
            if generation < kept.generation {
                return;
            }
            *kept = Kept::empty(generation);
        }
        if kept.values.len() >= self.capacity
            && let Some(oldest) = kept.order.pop_front()
        {
            kept.values.remove(&oldest);
        }
        if kept.values.insert(key.clone(), value).is_none() {
            kept.order.push_back(key);
        }
    }

    /// Forgets every value (the wrangling changed: the same names now mean other tags).
    pub fn clear(&self) {
        let mut kept = self.lock();
        *kept = Kept::empty(kept.generation);
    }

    fn lock(&self) -> MutexGuard<'_, Kept<K, V>> {
        // Plain data, replaced whole: a panic elsewhere cannot leave it half-written.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::SortField;

    fn guest() -> ListingScope {
        ListingScope {
            include_restricted: false,
        }
    }

    fn tally(total: u64) -> Tally {
        Tally {
            total,
            facets: Facets::default(),
            hidden_by_mutes: 0,
        }
    }

    #[test]
    fn the_sort_and_page_do_not_change_the_key_but_filters_scope_and_mutes_do() {
        let plain = WorkQuery::new();
        let key = TallyKey::new(&plain, guest(), &MutedSet::default());
        let resorted = WorkQuery {
            sort: Some(SortField::Kudos),
            page: 7,
            ..plain.clone()
        };
        assert_eq!(TallyKey::new(&resorted, guest(), &MutedSet::default()), key);
        let complete = WorkQuery {
            complete: Some(true),
            ..plain.clone()
        };
        assert_ne!(TallyKey::new(&complete, guest(), &MutedSet::default()), key);
        let member = ListingScope {
            include_restricted: true,
        };
        assert_ne!(TallyKey::new(&plain, member, &MutedSet::default()), key);
        let muted = MutedSet {
            tags: vec!["Angst".into(), "fluff".into()],
            creators: vec![],
        };
        let reordered = MutedSet {
            tags: vec!["Fluff".into(), "angst".into()],
            creators: vec![],
        };
        assert_ne!(TallyKey::new(&plain, guest(), &muted), key);
        assert_eq!(
            TallyKey::new(&plain, guest(), &muted),
            TallyKey::new(&plain, guest(), &reordered)
        );
    }

    #[test]
    fn tallies_of_an_older_generation_are_never_returned() {
        let tallies = Tallies::default();
        let key = TallyKey::new(&WorkQuery::new(), guest(), &MutedSet::default());
        tallies.keep(1, key.clone(), tally(10));
        assert_eq!(tallies.get(1, &key), Some(tally(10)));
        assert_eq!(tallies.get(2, &key), None);
        tallies.keep(2, key.clone(), tally(11));
        // A slow search that began on generation 1 finishes late: it keeps nothing.
        tallies.keep(1, key.clone(), tally(10));
        assert_eq!(tallies.get(2, &key), Some(tally(11)));
        tallies.clear();
        assert_eq!(tallies.get(2, &key), None);
    }

    #[test]
    fn the_oldest_tally_goes_when_full() {
        let tallies = Tallies::default();
        let key = |n: u64| {
            let q = WorkQuery {
                words_from: Some(n),
                ..WorkQuery::new()
            };
            TallyKey::new(&q, guest(), &MutedSet::default())
        };
        for n in 0..=CAPACITY as u64 {
            tallies.keep(1, key(n), tally(n));
        }
        assert_eq!(tallies.get(1, &key(0)), None);
        assert_eq!(tallies.get(1, &key(1)), Some(tally(1)));
        assert_eq!(
            tallies.get(1, &key(CAPACITY as u64)),
            Some(tally(CAPACITY as u64))
        );
    }
}
