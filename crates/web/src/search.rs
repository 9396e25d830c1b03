//! The node's own search index as the server uses it: opened at start (a missing, corrupt or
//! old-schema index is re-created empty and rebuilt in the background), kept in step with the
//! `changes` outbox, and asked on blocking threads so that tantivy never holds up the async
//! workers. Until its first rebuild is done the index is not *ready*, and listings are answered
//! from the database where they can be (see `listing`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use quire_search::follow::{Counts, follow_with};
use quire_search::{Opened, SearchError, SearchIndex};

use crate::cache::{POLL_INTERVAL, stopped_within};
use crate::error::AppError;
use crate::state::AppState;

/// How long the follower waits after a failure before trying again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(2);
/// The shortest time between two warmings ([`Warmer`]), so that an archive changing all the
/// time does not spend its CPU counting listings nobody opened.
const WARM_EVERY: Duration = Duration::from_secs(5);

/// The index, or none (a server started without a data dir, as some tests do: every listing
/// then comes from the database).
#[derive(Clone, Default)]
pub struct Search {
    index: Option<Arc<SearchIndex>>,
    /// The outbox position the follower has applied *and* dropped cached pages for; -1
    /// before its first pass.
    served: Arc<AtomicI64>,
}

impl Search {
    /// No index: listings come from the database.
    pub fn none() -> Search {
        Search::default()
    }

    /// Opens (or creates) the index in `dir`. A new index is empty until the follower has
    /// rebuilt it; `SearchIndex::open` logs why it had to be created.
    pub fn open(dir: &Path) -> Result<Search, SearchError> {
        let (index, opened) = SearchIndex::open(dir)?;
        if let Opened::Created { .. } = opened {
            tracing::warn!(
                "search index at {} will be rebuilt in the background; listings come from the database meanwhile",
                dir.display()
            );
        }
        Ok(Search {
            index: Some(Arc::new(index)),
            served: Arc::new(AtomicI64::new(-1)),
        })
    }

    /// The index, when it has been filled at least once and can answer for the archive.
    pub fn ready(&self) -> Option<Arc<SearchIndex>> {
        self.index
            .as_ref()
            .filter(|index| index.applied_seq().is_some())
            .map(Arc::clone)
    }

    /// The outbox position pages reflect: the index has applied it and no page rendered
    /// before is cached any more (`None`: no index, or not filled yet).
    pub fn served_seq(&self) -> Option<i64> {
        let seq = self.served.load(Ordering::SeqCst);
        (seq >= 0 && self.ready().is_some()).then_some(seq)
    }

    /// The index whether ready or not, for what the server does with it besides listings
    /// (giving it the archive's wrangling, say).
    pub fn index(&self) -> Option<Arc<SearchIndex>> {
        self.index.clone()
    }
}

/// Runs `f` on the index on a blocking thread.
pub async fn ask<R: Send + 'static>(
    index: Arc<SearchIndex>,
    f: impl FnOnce(&SearchIndex) -> Result<R, SearchError> + Send + 'static,
) -> Result<R, AppError> {
    tokio::task::spawn_blocking(move || f(&index))
        .await
        .map_err(|e| AppError::Internal(format!("search task: {e}")))?
        .map_err(AppError::from)
}

/// Keeps the index in step with the outbox until `stop` turns true: the first pass rebuilds
/// an index that was never filled. Whenever the index changes, the cached listings it answered
/// are dropped, since they may have been rendered before it caught up with the database. Records
/// its progress in `state.node.index`.
pub async fn follow_changes(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let Some(index) = state.search.index.clone() else {
        return;
    };
    let served = Arc::clone(&state.search.served);
    let mut warmer = Warmer::default();
    let mut interval = tokio::time::interval(POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_applied = Instant::now();
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        let counts = if last_applied.elapsed() >= state.options.index_counts_every {
            Counts::Apply
        } else {
            Counts::Wait
        };
        let (pass_index, store) = (Arc::clone(&index), Arc::clone(&state.store));
        let runtime = tokio::runtime::Handle::current();
        // The whole pass (reads and tantivy writes alike) runs on a blocking thread.
        let pass = tokio::task::spawn_blocking(move || {
            runtime.block_on(follow_with(&pass_index, &*store, counts))
        })
        .await;
        let failed = match pass {
            Ok(Ok(applied)) => {
                if applied.works > 0 || applied.rebuilt {
                    last_applied = Instant::now();
                    state.pages.index_changed(applied.content);
                }
                served.store(applied.seq, Ordering::SeqCst);
                state.node.index.read_up_to(applied.seq);
                warmer.poke(&index);
                false
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot bring the search index up to date");
                true
            }
            Err(e) => {
                tracing::error!(error = %e, "the search index follower failed");
                true
            }
        };
        if failed && stopped_within(&mut stop, RETRY_AFTER_FAILURE).await {
            return;
        }
    }
}

/// Counts the listings every visitor opens ahead of them ([`SearchIndex::warm`]) whenever the
/// index has changed, on a blocking thread, one warming at a time.
#[derive(Default)]
struct Warmer {
    running: Arc<AtomicBool>,
    /// The index generation last warmed.
    warmed: Option<u64>,
    last: Option<Instant>,
}

impl Warmer {
    fn poke(&mut self, index: &Arc<SearchIndex>) {
        let generation = index.generation();
        let due = self.last.is_none_or(|last| last.elapsed() >= WARM_EVERY);
        if self.warmed == Some(generation) || !due || self.running.load(Ordering::Acquire) {
            return;
        }
        self.running.store(true, Ordering::Release);
        self.warmed = Some(generation);
        self.last = Some(Instant::now());
        let running = Arc::clone(&self.running);
        let index = Arc::clone(index);
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            match index.warm() {
                Ok(()) => tracing::debug!(
                    generation,
                    ms = started.elapsed().as_millis() as u64,
                    "counted the common listings ahead of readers"
                ),
                Err(e) => tracing::warn!(error = %e, "cannot count the common listings ahead"),
            }
            running.store(false, Ordering::Release);
        });
    }
}
