//! The outbox rows this node marked as it committed them, which its follower then skips.
//!
//! A write's node marks what it touched right after its commit (`Store::on_commit`), before
//! answering; its follower reads the same rows from the outbox a poll interval later. Marking
//! them again would drop the pages rendered in between, which already show the change: a
//! second rendering of every work page per kudos. Skipping them is safe because the first
//! mark came after the commit, so every page rendered since shows it.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use quire_store::Change;

/// Past this many rows remembered (a follower that stopped reading), forget them all: the
/// follower marks them again, which costs renderings, never a stale page.
const MAX_REMEMBERED: usize = 100_000;

#[derive(Debug, Default)]
pub(super) struct MarkedHere {
    seqs: Mutex<BTreeSet<i64>>,
}

impl MarkedHere {
    /// Remembers `changes`, marked by this node as it committed them.
    pub fn remember(&self, changes: &[Change]) {
        let mut seqs = self.seqs.lock().unwrap_or_else(PoisonError::into_inner);
        if seqs.len() + changes.len() > MAX_REMEMBERED {
            seqs.clear();
        }
        seqs.extend(changes.iter().map(|change| change.seq));
    }

    /// The changes of a follower's batch (oldest first) this node did not mark; forgets the
    /// rows up to the batch's last, which the follower will not read again.
    pub fn take_unmarked<'a>(&self, changes: &'a [Change]) -> Vec<&'a Change> {
        let Some(last) = changes.last() else {
            return Vec::new();
        };
        let mut seqs = self.seqs.lock().unwrap_or_else(PoisonError::into_inner);
        let unmarked = changes
            .iter()
            .filter(|change| !seqs.contains(&change.seq))
            .collect();
        *seqs = seqs.split_off(&(last.seq + 1));
        unmarked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64) -> Change {
        Change {
            seq,
            entity: "work".into(),
            entity_id: seq * 10,
            op: Change::COUNTS.into(),
        }
    }

    #[test]
    fn the_follower_skips_what_was_marked_here_once() {
        let marked = MarkedHere::default();
        marked.remember(&[change(2), change(4)]);
        let batch = [change(1), change(2), change(3)];
        let seqs = |changes: Vec<&Change>| changes.iter().map(|c| c.seq).collect::<Vec<_>>();
        assert_eq!(seqs(marked.take_unmarked(&batch)), [1, 3]);
        // 2 is forgotten with the batch; 4, after it, is still skipped when it comes.
        assert_eq!(seqs(marked.take_unmarked(&[change(4), change(5)])), [5]);
        assert_eq!(seqs(marked.take_unmarked(&[change(2)])), [2]);
    }

    #[test]
    fn too_many_remembered_are_forgotten() {
        let marked = MarkedHere::default();
        let many: Vec<Change> = (1..=MAX_REMEMBERED as i64).map(change).collect();
        marked.remember(&many);
        marked.remember(&[change(MAX_REMEMBERED as i64 + 1)]);
        assert_eq!(marked.take_unmarked(&many[..1]).len(), 1);
    }
}
