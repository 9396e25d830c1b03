//! The accounts behind session cookies, kept in memory on an archive that one process serves
//! (SQLite), so that a signed-in reader's page costs no database round trip at all when its
//! work is kept too. On PostgreSQL, where several nodes may serve one archive, nothing is kept:
//! a log-out on one node must hold on every node at once.
//!
//! An account is kept under its session and the work its request reads (whose Subscribe and
//! Marked for Later state the lookup reads with it), for at most [`KEPT_FOR`] and until the
//! session ends, its last use is due to be written or a suspension lapses, and only while
//! nothing that could change what the lookup gave was done since the lookup began:
//! - a state-changing request by a signed-in reader forgets that reader: their preferences,
//!   mutes, subscriptions, Marked for Later, inbox, log-outs and password changes are all
//!   their own requests;
//! - any other state-changing request (a guest's, an API client's, anything under `/admin`)
//!   forgets every account, as does a committed change to a work's content, which can fill
//!   others' inboxes or empty them: such requests are rare beside reading, and a rule that
//!   names no route cannot miss one;
//! - a committed change to a user (the outbox: a password set or a sanction, by this process or
//!   by another on the same database, as `quire user passwd` does) forgets that user.
//!
//! So a write that changes what another account's lookup reads (an inbox entry, say) must
//! append an outbox change in its transaction, as every one does today: a reader's own request
//! forgets only the reader.
//!
//! A request abandoned midway (a timeout, a closed connection) may still commit a statement it
//! had handed to SQLite, after a wait for the write lock: what it may have changed is forgotten
//! at once and again once no such statement can still be waiting ([`ABANDONED_WRITES_SETTLE`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use quire_core::{UserId, WorkId};
use quire_store::Change;

use super::SignedIn;

/// How long a looked-up account is kept at most, whatever else happens.
pub const KEPT_FOR: Duration = Duration::from_secs(300);
/// How long after a request is abandoned a statement it sent may still commit: SQLite's wait
/// for the write lock (`busy_timeout`, 10 s), and some.
pub const ABANDONED_WRITES_SETTLE: Duration = Duration::from_secs(15);
/// Sessions kept: one entry per session and work read, about half a kilobyte each.
const SESSIONS_KEPT: usize = 20_000;
/// Past this many users forgotten one by one, those forgotten over twice [`KEPT_FOR`] ago are
/// dropped (see [`KeptSessions::forget_user`]).
const FORGOTTEN_PRUNED_PAST: usize = 4_096;

type Key = (String, Option<WorkId>);

struct Kept {
    /// The tick of the clock the lookup began at.
    started: u64,
    /// When it was kept: it is not used past [`KEPT_FOR`] from then.
    at: Instant,
    /// Unix seconds from which the account is looked up again (see [`KeptSessions::keep`]).
    until: i64,
    account: SignedIn,
}

/// Looked-up sessions, and what was done since that could change them.
pub struct KeptSessions {
    /// `None` where nothing is kept.
    kept: Option<Cache<Key, Arc<Kept>>>,
    clock: AtomicU64,
    /// The tick at which every account was last forgotten.
    everyone: AtomicU64,
    /// The tick and time at which single users were last forgotten.
    users: RwLock<HashMap<UserId, (u64, Instant)>>,
}

impl KeptSessions {
    /// Keeps sessions when `keep`, else remembers nothing.
    pub fn new(keep: bool) -> KeptSessions {
        KeptSessions {
            kept: keep.then(|| Cache::new(SESSIONS_KEPT)),
            clock: AtomicU64::new(0),
            everyone: AtomicU64::new(0),
            users: RwLock::default(),
        }
    }

    /// Whether sessions are kept at all.
    pub fn keeps(&self) -> bool {
        self.kept.is_some()
    }

    /// The tick a lookup begins at: what is forgotten after it makes the lookup's answer stale.
    pub fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The account kept for this session and work, while nothing has made it stale.
    pub fn get(&self, token_hash: &str, reading: Option<WorkId>, now: i64) -> Option<SignedIn> {
        let kept = self.kept.as_ref()?.get(&(token_hash.to_owned(), reading))?;
        let fresh = kept.at.elapsed() < KEPT_FOR
            && now < kept.until
            && self.everyone.load(Ordering::SeqCst) <= kept.started
            && self.user_unchanged(kept.account.user.id, kept.started);
        fresh.then(|| kept.account.clone())
    }

    fn user_unchanged(&self, user: UserId, started: u64) -> bool {
        let Ok(users) = self.users.read() else {
            return false;
        };
        users.get(&user).is_none_or(|&(tick, _)| tick <= started)
    }

    /// Keeps what a lookup that began at tick `started` found, to be used before `until`
    /// (Unix seconds): the end of the session, of a suspension, or the time its use is due to
    /// be written again, whichever is first.
    pub fn keep(&self, started: u64, until: i64, reading: Option<WorkId>, account: &SignedIn) {
        let Some(cache) = &self.kept else {
            return;
        };
        let kept = Kept {
            started,
            at: Instant::now(),
            until,
            account: account.clone(),
        };
        cache.insert((account.token_hash().to_owned(), reading), Arc::new(kept));
    }

    /// Every session of `user` is looked up again.
    pub fn forget_user(&self, user: UserId) {
        if !self.keeps() {
            return;
        }
        let Ok(mut users) = self.users.write() else {
            return self.forget_everyone();
        };
        if users.len() >= FORGOTTEN_PRUNED_PAST {
            // An entry kept lives `KEPT_FOR` from the end of its lookup, which began before:
            // twice that leaves room for the slowest lookup.
            users.retain(|_, (_, at)| at.elapsed() < 2 * KEPT_FOR);
        }
        // Ticked under the lock: of two forgets of one user, the later one's tick stays.
        users.insert(user, (self.tick(), Instant::now()));
    }

    /// Every session is looked up again.
    pub fn forget_everyone(&self) {
        if !self.keeps() {
            return;
        }
        // The highest tick stays, whichever of two forgets stores last.
        self.everyone.fetch_max(self.tick(), Ordering::SeqCst);
    }

    /// Forgets what committed `changes` may have changed: a user's account for a change to the
    /// user (a password, a sanction, a pseud), everyone's for a change to a work's content (a
    /// new chapter fills its subscribers' inboxes) or anything else; nothing for a work's
    /// counts.
    pub fn committed<'c>(&self, changes: impl IntoIterator<Item = &'c Change>) {
        for change in changes {
            match change.entity.as_str() {
                _ if change.counts_only() => {}
                "user" => self.forget_user(change.entity_id),
                _ => return self.forget_everyone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(entity: &str, entity_id: i64, op: &str) -> Change {
        Change {
            seq: 1,
            entity: entity.to_owned(),
            entity_id,
            op: op.to_owned(),
        }
    }

    #[test]
    fn what_changes_an_account_forgets_it_and_counts_do_not() {
        let kept = KeptSessions::new(true);
        let started = kept.now();
        kept.committed(&[change("work", 3, Change::COUNTS)]);
        assert_eq!(kept.everyone.load(Ordering::SeqCst), 0);
        assert!(kept.user_unchanged(7, started));
        kept.committed(&[change("user", 7, "update")]);
        assert!(!kept.user_unchanged(7, started));
        assert!(kept.user_unchanged(8, started));
        let started = kept.now();
        kept.committed(&[change("work", 3, "update")]);
        assert!(kept.everyone.load(Ordering::SeqCst) > started);
    }

    #[test]
    fn nothing_is_remembered_where_nothing_is_kept() {
        let kept = KeptSessions::new(false);
        kept.forget_user(7);
        kept.forget_everyone();
        assert_eq!(kept.now(), 0);
        assert!(kept.users.read().unwrap().is_empty());
    }
}
