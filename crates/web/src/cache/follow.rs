//! The page cache's outbox follower: every node marks what each committed change touched.

use std::time::Duration;

use quire_store::Change;

use super::{PageCache, Touch};
use crate::auth::kept_sessions::KeptSessions;
use crate::state::AppState;

/// How often the follower looks at the outbox.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Follows the outbox and marks the pages each change makes stale, until `stop` turns true.
/// Records its progress in `state.node.pages` for `/readyz` and `/metrics`.
pub async fn follow_changes(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let (store, pages, progress) = (&state.store, &state.pages, &state.node.pages);
    let mut last = loop {
        match store.last_change_seq().await {
            Ok(seq) => break seq,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the outbox; pages are not cached");
                if stopped_within(&mut stop, POLL_INTERVAL * 10).await {
                    return;
                }
            }
        }
    };
    // Pages rendered before `last` was read may predate it.
    pages.clear();
    progress.read_up_to(last);
    let mut interval = tokio::time::interval(POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        match store.changes_after(last, 10_000).await {
            Ok(changes) => {
                if let Some(change) = changes.last() {
                    last = change.seq;
                    apply(pages, &state.sessions, &changes);
                    state.metrics.changes_followed(&changes);
                }
                progress.read_up_to(last);
            }
            Err(e) => {
                // Without the outbox, cached pages could go stale: stop serving them.
                tracing::warn!(error = %e, "cannot read the outbox");
                pages.clear();
                state.sessions.forget_everyone();
            }
        }
    }
}

/// Marks what `changes` touched, and forgets the sessions they may have changed, but for the
/// changes this node marked when it made them.
fn apply(pages: &PageCache, sessions: &KeptSessions, changes: &[Change]) {
    let unmarked = pages.marked_here.take_unmarked(changes);
    sessions.committed(unmarked.iter().copied());
    mark(pages, unmarked);
}

/// Marks what `changes` touched: a work's pages for a change to it, the user's pages for a
/// change to a user's profile or pseuds, every page for a change to anything else
/// (wrangling, series), which is rare.
pub(super) fn mark<'a>(pages: &PageCache, changes: impl IntoIterator<Item = &'a Change>) {
    let mut touches = Vec::new();
    for change in changes {
        match change.entity.as_str() {
            _ if change.counts_only() => touches.push(Touch::Counts(change.entity_id)),
            "work" => touches.push(Touch::Work(change.entity_id)),
            "user" => touches.push(Touch::Profile(change.entity_id)),
            _ => return pages.clear(),
        }
    }
    pages.touched(&touches);
}

/// Waits `wait`, or less if `stop` turns true meanwhile; says whether it did.
pub async fn stopped_within(stop: &mut tokio::sync::watch::Receiver<bool>, wait: Duration) -> bool {
    tokio::time::timeout(wait, stop.wait_for(|stop| *stop))
        .await
        .is_ok()
}
