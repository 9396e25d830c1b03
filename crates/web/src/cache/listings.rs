//! What listings rendered for one reader share, kept in memory: which works a query found
//! (with its total, facet counts and what mutes hid), and each listed work's row. Signed-in
//! readers never get the page cache; with this, a listing page they ask for again costs no
//! search and no database read, and a blurb any reader has seen costs no database read.
//!
//! A query's results are fresh under the marks of a cached listing page that shows the same
//! works ([`Shows::Listing`]), a work's row under those of its pages ([`Shows::Work`]), so
//! neither is ever older than a cached page would be.

use std::future::Future;
use std::sync::Arc;

use quick_cache::sync::Cache;
use quire_core::visibility::ListingScope;
use quire_core::{Work, WorkId};
use quire_search::{MutedSet, Results, WorkQuery};
use quire_store::{Store, StoreError};

use super::{Kept, PageCache, Shows};

/// Query results kept; an entry is a page of ids and the facet counts, a few KB.
const RESULTS_KEPT: usize = 10_000;
/// Work rows kept for blurbs; a row is a few KB.
const BLURBS_KEPT: usize = 50_000;

/// A query as one kind of viewer asks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Asked {
    query: WorkQuery,
    scope: ListingScope,
    muted: MutedSet,
}

pub struct ListingCache {
    results: Cache<Asked, Arc<Kept<(Results, Shows)>>>,
    blurbs: Cache<WorkId, Arc<Kept<Work>>>,
}

impl Default for ListingCache {
    fn default() -> Self {
        ListingCache {
            results: Cache::new(RESULTS_KEPT),
            blurbs: Cache::new(BLURBS_KEPT),
        }
    }
}

impl ListingCache {
    pub fn clear(&self) {
        self.results.clear();
        self.blurbs.clear();
    }
}

impl PageCache {
    /// What `query` finds for viewers of `scope` who muted `muted`: from memory while the
    /// works it found are listed as they were, else from `search`. `shows` says what a page of
    /// these results shows. Readers asking at once for results not in memory wait for the
    /// first one's search rather than each searching.
    pub async fn search_results<E, F>(
        &self,
        query: &WorkQuery,
        scope: ListingScope,
        muted: &MutedSet,
        shows: impl Fn(&Results) -> Shows,
        search: F,
    ) -> Result<Arc<(Results, Shows)>, E>
    where
        F: Future<Output = Result<Results, E>>,
    {
        let asked = Asked {
            query: query.clone(),
            scope,
            muted: muted.clone(),
        };
        let results = &self.listings.results;
        let fresh =
            |kept: &Kept<(Results, Shows)>| self.freshness.is_fresh(kept.started, &kept.value.1);
        let mut guard = None;
        for _ in 0..2 {
            match results.get_value_or_guard_async(&asked).await {
                Ok(kept) if fresh(&kept) => return Ok(Arc::clone(&kept.value)),
                // Out of date: dropped (unless someone has put newer results since), and asked
                // again, which makes this reader the one to search or waits for the one who is.
                Ok(stale) => {
                    results.remove_if(&asked, |kept| Arc::ptr_eq(kept, &stale));
                }
                Err(placeholder) => {
                    guard = Some(placeholder);
                    break;
                }
            }
        }
        let started = self.freshness.now();
        let found = search.await?;
        let shown = shows(&found);
        let value = Arc::new((found, shown));
        let kept = Arc::new(Kept {
            started,
            value: Arc::clone(&value),
        });
        if fresh(&kept) {
            match guard {
                Some(placeholder) => {
                    let _ = placeholder.insert(kept);
                }
                None => results.insert(asked, kept),
            }
        }
        Ok(value)
    }

    /// The rows of the works of `ids` there are, in no particular order: from memory while
    /// the work is unchanged, the others in one database call.
    pub async fn blurbs(&self, store: &dyn Store, ids: &[WorkId]) -> Result<Vec<Work>, StoreError> {
        let mut works = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for &id in ids {
            match self.listings.blurbs.get(&id) {
                Some(kept) if self.freshness.is_fresh(kept.started, &Shows::Work(id)) => {
                    works.push(Work::clone(&kept.value));
                }
                _ => missing.push(id),
            }
        }
        if missing.is_empty() {
            return Ok(works);
        }
        let started = self.freshness.now();
        for work in store.works(&missing).await? {
            if self.freshness.is_fresh(started, &Shows::Work(work.id)) {
                let kept = Kept {
                    started,
                    value: Arc::new(work.clone()),
                };
                self.listings.blurbs.insert(work.id, Arc::new(kept));
            }
            works.push(work);
        }
        Ok(works)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::cache::Touch;

    fn listing(ids: &[WorkId]) -> Shows {
        Shows::Listing {
            works: ids.into(),
            by_counts: false,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_asking_at_once_share_one_search() {
        let cache = Arc::new(PageCache::new(1 << 20));
        let searches = Arc::new(AtomicUsize::new(0));
        let ask = |cache: Arc<PageCache>, searches: Arc<AtomicUsize>| async move {
            let search = async {
                searches.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok::<_, ()>(Results {
                    ids: vec![7],
                    total: 1,
                    ..Results::default()
                })
            };
            let scope = ListingScope {
                include_restricted: false,
            };
            let found = cache
                .search_results(
                    &WorkQuery::default(),
                    scope,
                    &MutedSet::default(),
                    |r| listing(&r.ids),
                    search,
                )
                .await
                .unwrap();
            found.0.ids.clone()
        };
        let readers: Vec<_> = (0..8)
            .map(|_| tokio::spawn(ask(Arc::clone(&cache), Arc::clone(&searches))))
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap(), vec![7]);
        }
        assert_eq!(
            searches.load(Ordering::SeqCst),
            1,
            "one search for eight readers"
        );

        // Once a listed work changes, the next reader searches again, and only once.
        cache.touched(&[Touch::Work(7)]);
        let readers: Vec<_> = (0..4)
            .map(|_| tokio::spawn(ask(Arc::clone(&cache), Arc::clone(&searches))))
            .collect();
        for reader in readers {
            reader.await.unwrap();
        }
        assert_eq!(searches.load(Ordering::SeqCst), 2);
    }
}
