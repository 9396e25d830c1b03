//! The poster of scheduled chapters: every node runs it now and then
//! ([`post_every`]) and it posts the chapters whose time has come
//! ([`post_due_chapters`]). The store posts each chapter in one transaction that only one
//! node's update can win, so several nodes never post or announce a chapter twice; the pages
//! of the works drop on this node as each posting commits, other nodes follow the outbox.

use std::time::Duration;

use chrono::{DateTime, Utc};
use quire_store::{PostedChapter, StoreError};

use crate::cache::stopped_within;
use crate::state::AppState;

/// How often the poster looks for due chapters: a chapter posts within this of its time.
const EVERY: Duration = Duration::from_secs(30);

/// Posts every scheduled chapter due at `now`.
/// Tests call this with the time they need.
pub async fn post_due_chapters(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Vec<PostedChapter>, StoreError> {
    let posted = state.store.post_due_chapters(now.timestamp()).await?;
    if !posted.is_empty() {
        tracing::info!(chapters = posted.len(), "posted scheduled chapters");
    }
    Ok(posted)
}

/// Runs [`post_due_chapters`] every [`EVERY`] until `stop` turns true.
pub(crate) async fn post_every(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = post_due_chapters(&state, Utc::now()).await {
            tracing::warn!(error = %e, "cannot post scheduled chapters; will retry");
        }
        if stopped_within(&mut stop, EVERY).await {
            return;
        }
    }
}
