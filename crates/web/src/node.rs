//! How far this node has followed the `changes` outbox: each follower (the page cache's and the
//! search index's) records the position it has applied and when it last read the outbox
//! successfully. `/readyz` and `/metrics` report them; a load balancer takes a node whose
//! follower has fallen silent out of rotation, since its pages could be stale.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// A follower that has not read the outbox for this long is not current.
pub const STALE_AFTER: Duration = Duration::from_secs(5);

/// One follower's progress.
#[derive(Debug)]
pub struct Follower {
    /// The outbox position applied; -1 before the first successful read.
    applied: AtomicI64,
    /// When the outbox was last read successfully.
    last_read: Mutex<Option<Instant>>,
}

impl Default for Follower {
    fn default() -> Self {
        Follower {
            applied: AtomicI64::new(-1),
            last_read: Mutex::new(None),
        }
    }
}

impl Follower {
    /// Records a successful read of the outbox, having applied everything up to `seq`.
    pub fn read_up_to(&self, seq: i64) {
        self.applied.store(seq, Ordering::SeqCst);
        if let Ok(mut last) = self.last_read.lock() {
            *last = Some(Instant::now());
        }
    }

    /// The outbox position applied, once the follower has read it at all.
    pub fn applied(&self) -> Option<i64> {
        let seq = self.applied.load(Ordering::SeqCst);
        (seq >= 0).then_some(seq)
    }

    /// Time since the last successful read, if there was one.
    pub fn silent_for(&self) -> Option<Duration> {
        self.last_read.lock().ok()?.map(|at| at.elapsed())
    }

    /// Read the outbox successfully within [`STALE_AFTER`].
    pub fn is_current(&self) -> bool {
        self.silent_for().is_some_and(|silent| silent < STALE_AFTER)
    }
}

/// The followers of one node.
#[derive(Debug, Default)]
pub struct NodeStatus {
    /// The page cache's follower (`cache::follow_changes`).
    pub pages: Follower,
    /// The search index's follower (`search::follow_changes`).
    pub index: Follower,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follower_is_current_only_after_reading_the_outbox() {
        let follower = Follower::default();
        assert_eq!(follower.applied(), None);
        assert!(!follower.is_current());
        follower.read_up_to(0);
        assert_eq!(follower.applied(), Some(0));
        assert!(follower.is_current());
    }
}
