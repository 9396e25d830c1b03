//! The changes this process commits, told as each write transaction commits.
//!
//! Every write that changes what readers see appends to the `changes` outbox, which every
//! node follows a poll interval later. The node that wrote cannot wait that long (its page
//! cache must not show the writer the page as it was), so a [`WriteTx`] keeps the outbox rows
//! it appended and, once committed, hands them to the listeners registered with
//! [`Store::on_commit`](crate::Store::on_commit), before the write returns. Their `seq`s let
//! the outbox follower skip what was already marked.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, RwLock};

use sqlx::{Database, Transaction};

use crate::store::Change;

/// Called with the outbox rows of each committed write transaction.
pub type CommitListener = Box<dyn Fn(&[Change]) + Send + Sync>;

/// The listeners of one store.
#[derive(Default)]
pub(crate) struct Commits {
    listeners: RwLock<Vec<CommitListener>>,
}

impl Commits {
    pub fn listen(&self, listener: CommitListener) {
        self.listeners
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(listener);
    }

    fn committed(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        let listeners = self
            .listeners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for listener in listeners.iter() {
            listener(changes);
        }
    }
}

/// A write transaction that remembers the outbox rows it appended, and tells the store's
/// listeners about them when it commits. Rolled back when dropped uncommitted, as sqlx's is.
pub(crate) struct WriteTx<'c, DB: Database> {
    tx: Transaction<'c, DB>,
    appended: Vec<Change>,
    commits: Arc<Commits>,
}

impl<'c, DB: Database> WriteTx<'c, DB> {
    pub fn new(tx: Transaction<'c, DB>, commits: Arc<Commits>) -> Self {
        WriteTx {
            tx,
            appended: Vec::new(),
            commits,
        }
    }

    /// Records outbox rows this transaction appended.
    pub fn appended(&mut self, changes: impl IntoIterator<Item = Change>) {
        self.appended.extend(changes);
    }

    /// Rolls back: nothing is told.
    pub async fn rollback(self) -> crate::Result<()> {
        Ok(self.tx.rollback().await?)
    }

    /// Commits, then tells the listeners what was appended.
    pub async fn commit(self) -> crate::Result<()> {
        self.tx.commit().await?;
        self.commits.committed(&self.appended);
        Ok(())
    }
}

impl<DB: Database> Deref for WriteTx<'_, DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: Database> DerefMut for WriteTx<'_, DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}
