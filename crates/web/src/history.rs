//! Reading history as AO3 keeps it: a signed-in reader's visits to works (one row per work,
//! its last visit and how many), unless they turned history off.
//!
//! Like hits (`hits.rs`), a visit is never a database write of its own:
//! [`count_hits`](crate::hits::count_hits) hands each signed-in visit to a page showing a
//! work's text to [`VisitLog::record`], which adds it up in memory per (reader, work);
//! [`record`] writes the batch with the hits, and before the reader's own history page is
//! shown, so that it is never behind what they just read.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use quire_core::{UserId, WorkId};
use quire_store::Visit;

use crate::error::AppError;
use crate::state::AppState;

/// (reader, work) pairs remembered before more visits are dropped (the store out of reach).
const MAX_WAITING: usize = 200_000;

/// Per (reader, work): the last visit and the number of visits.
type Waiting = HashMap<(UserId, WorkId), (DateTime<Utc>, i64)>;

/// Visits since they were last recorded.
#[derive(Debug, Default)]
pub struct VisitLog {
    waiting: Mutex<Waiting>,
}

impl VisitLog {
    /// Counts one visit of `user` to `work`, now.
    pub fn record(&self, user: UserId, work: WorkId) {
        let Ok(mut waiting) = self.waiting.lock() else {
            return;
        };
        let now = Utc::now();
        if let Some((at, visits)) = waiting.get_mut(&(user, work)) {
            *at = now;
            *visits += 1;
        } else if waiting.len() < MAX_WAITING {
            waiting.insert((user, work), (now, 1));
        }
    }

    fn take(&self) -> Vec<Visit> {
        let Ok(mut waiting) = self.waiting.lock() else {
            return Vec::new();
        };
        std::mem::take(&mut *waiting)
            .into_iter()
            .map(|((user, work), (at, visits))| Visit {
                user,
                work,
                at,
                visits,
            })
            .collect()
    }

    /// Puts back visits the store could not take, adding them to any counted since.
    fn put_back(&self, visits: Vec<Visit>) {
        let Ok(mut waiting) = self.waiting.lock() else {
            return;
        };
        for visit in visits {
            if waiting.len() >= MAX_WAITING {
                break;
            }
            let entry = waiting
                .entry((visit.user, visit.work))
                .or_insert((visit.at, 0));
            entry.1 += visit.visits;
        }
    }
}

/// Writes the visits counted in memory to the readers' histories (one transaction); on
/// failure they wait for the next batch.
pub async fn record(state: &AppState) -> Result<(), AppError> {
    let visits = state.visits.take();
    if visits.is_empty() {
        return Ok(());
    }
    if let Err(e) = state.store.record_visits(&visits).await {
        state.visits.put_back(visits);
        return Err(e.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_add_up_per_reader_and_work() {
        let log = VisitLog::default();
        log.record(1, 10);
        log.record(1, 10);
        log.record(2, 10);
        let mut visits = log.take();
        visits.sort_by_key(|v| (v.user, v.work));
        assert_eq!(
            visits
                .iter()
                .map(|v| (v.user, v.work, v.visits))
                .collect::<Vec<_>>(),
            vec![(1, 10, 2), (2, 10, 1)]
        );
        assert!(log.take().is_empty(), "taken once");
        log.put_back(visits);
        log.record(1, 10);
        let again = log.take();
        assert_eq!(
            again.iter().find(|v| v.user == 1).map(|v| v.visits),
            Some(3),
            "put back and counted since: added up"
        );
    }
}
