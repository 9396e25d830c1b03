//! Hit counts as AO3 keeps them: one per visitor per work per day, for a page that shows the
//! work's text (not the adult gate, not the chapter index, not its creators' own visits).
//!
//! A request never writes to the database for a hit. The page's handler marks the response
//! with [`WorkShown`] (the page cache keeps the mark with the page); [`count_hits`] counts the
//! visitor in memory; [`record_every`] hands the batch to the store every
//! `ServeOptions::hits_every`, and once more when the server stops. The store counts each
//! (work, day, visitor) once, so two nodes that saw one visitor count them once.
//!
//! The same marked responses are a signed-in reader's visits for their history
//! (`history.rs`), recorded in the same batches.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use quire_core::{UserId, WorkId};
use quire_store::Hit;
use sha2::{Digest, Sha256};

use crate::auth::{ClientIp, SignedIn};
use crate::cache::stopped_within;
use crate::state::AppState;

/// The response showed this work's text: a hit, if the visitor has none on it today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkShown(pub WorkId);

/// Visitors remembered in memory before the oldest are forgotten (the store still counts
/// each once).
const MAX_SEEN: usize = 1_000_000;
/// Hits waiting to be recorded before more are dropped (the store being out of reach).
const MAX_WAITING: usize = 200_000;

/// This node's hits since they were last recorded.
#[derive(Debug, Default)]
pub struct HitCounter {
    pending: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    /// Hits seen today, so that a visitor reading chapter after chapter is sent once.
    seen: HashSet<Hit>,
    waiting: Vec<Hit>,
}

impl HitCounter {
    /// Counts `hit` unless this node has it already.
    pub fn record(&self, hit: Hit) {
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        if pending.seen.len() >= MAX_SEEN {
            pending.seen.clear();
        }
        if pending.seen.insert(hit) && pending.waiting.len() < MAX_WAITING {
            pending.waiting.push(hit);
        }
    }

    /// The hits waiting, which are then no longer waiting; forgets visitors of days before
    /// `today`.
    fn take(&self, today: i32) -> Vec<Hit> {
        let Ok(mut pending) = self.pending.lock() else {
            return Vec::new();
        };
        pending.seen.retain(|hit| hit.day >= today);
        std::mem::take(&mut pending.waiting)
    }

    /// Puts back hits the store could not take, to try again.
    fn put_back(&self, hits: Vec<Hit>) {
        if let Ok(mut pending) = self.pending.lock() {
            let room = MAX_WAITING.saturating_sub(pending.waiting.len());
            pending.waiting.extend(hits.into_iter().take(room));
        }
    }
}

/// Counts a hit for every response marked [`WorkShown`].
pub async fn count_hits(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let account = request.extensions().get::<SignedIn>();
    let user = account.map(|account| account.user.id);
    let keeps_history = account.is_some_and(|account| account.preferences.history_enabled);
    let ip = ClientIp::of(request.extensions()).0;
    let response = next.run(request).await;
    if let Some(&shown) = response.extensions().get::<WorkShown>() {
        count(&state, shown, user, keeps_history, ip).await;
    }
    response
}

/// Counts the hit of a response that showed a work's text, and keeps the visit in the reader's
/// history when they keep one.
pub async fn count(
    state: &AppState,
    WorkShown(work): WorkShown,
    user: Option<UserId>,
    keeps_history: bool,
    ip: Option<IpAddr>,
) {
    if let (Some(user), true) = (user, keeps_history) {
        state.visits.record(user, work);
    }
    if let Ok(secret) = state.site_secret().await {
        state.hits.record(Hit {
            work,
            day: today(),
            visitor: visitor(secret, user, ip),
        });
    }
}

/// Days since 1970-01-01, in UTC.
fn today() -> i32 {
    let days = chrono::Utc::now().timestamp().div_euclid(86_400);
    i32::try_from(days).unwrap_or(i32::MAX)
}

/// The visitor as the store keeps them: a hash, keyed with the archive's secret, of their
/// account or (for guests) their address, so that the address cannot be read back.
fn visitor(secret: &[u8], user: Option<UserId>, ip: Option<IpAddr>) -> i64 {
    let mut hasher = Sha256::new();
    hasher.update(b"hit visitor\0");
    hasher.update(secret);
    hasher.update([0]);
    match (user, ip) {
        (Some(user), _) => hasher.update(format!("user:{user}")),
        (None, Some(ip)) => hasher.update(format!("ip:{ip}")),
        (None, None) => hasher.update(b"ip:unknown"),
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

/// Records the hits counted in memory every `hits_every` until `stop` turns true, then once
/// more.
pub async fn record_every(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let stopping = stopped_within(&mut stop, state.options.hits_every).await;
        let hits = state.hits.take(today());
        if !hits.is_empty()
            && let Err(e) = state.store.record_hits(&hits).await
        {
            tracing::warn!(error = %e, hits = hits.len(), "cannot record hits; will retry");
            state.hits.put_back(hits);
        }
        if let Err(e) = crate::history::record(&state).await {
            tracing::warn!(error = %e, "cannot record reading history; will retry");
        }
        if stopping {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(work: WorkId, day: i32, visitor: i64) -> Hit {
        Hit { work, day, visitor }
    }

    #[test]
    fn a_visitor_is_sent_once_per_work_per_day() {
        let counter = HitCounter::default();
        counter.record(hit(1, 100, 7));
        counter.record(hit(1, 100, 7));
        counter.record(hit(2, 100, 7));
        counter.record(hit(1, 100, 8));
        assert_eq!(counter.take(100).len(), 3);
        counter.record(hit(1, 100, 7));
        assert!(counter.take(100).is_empty(), "already sent today");
        counter.record(hit(1, 101, 7));
        assert_eq!(counter.take(101), vec![hit(1, 101, 7)]);
    }

    #[test]
    fn visitors_are_keyed_hashes_of_account_or_address() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let guest = visitor(b"secret", None, Some(ip));
        assert_eq!(guest, visitor(b"secret", None, Some(ip)));
        assert_ne!(guest, visitor(b"other secret", None, Some(ip)));
        assert_ne!(guest, visitor(b"secret", Some(1), Some(ip)));
        assert_eq!(
            visitor(b"secret", Some(1), Some(ip)),
            visitor(b"secret", Some(1), None),
            "an account is one visitor wherever it reads from"
        );
    }
}
