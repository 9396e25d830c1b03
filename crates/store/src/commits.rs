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

use sqlx::{Database, TransactionManager};

use crate::fast_lane::LaneConnection;

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

/// A transaction on a [`LaneConnection`] that remembers the outbox rows it appended, and tells
/// the store's listeners about them when it commits. Rolled back when dropped uncommitted: the
/// rollback is queued, and sent before the connection is used again (see [`crate::fast_lane`]).
pub(crate) struct WriteTx<DB: Database> {
    connection: Option<LaneConnection<DB>>,
    appended: Vec<Change>,
    commits: Arc<Commits>,
}

impl<DB: Database> WriteTx<DB> {
    /// Begins a transaction on `connection`.
    pub async fn begin(
        mut connection: LaneConnection<DB>,
        commits: Arc<Commits>,
    ) -> crate::Result<Self> {
        DB::TransactionManager::begin(&mut connection, None).await?;
        Ok(WriteTx {
            connection: Some(connection),
            appended: Vec::new(),
            commits,
        })
    }

    /// Records outbox rows this transaction appended.
    pub fn appended(&mut self, changes: impl IntoIterator<Item = Change>) {
        self.appended.extend(changes);
    }

    /// Rolls back: nothing is told.
    pub async fn rollback(mut self) -> crate::Result<()> {
        let mut connection = self.connection.take().expect("taken only here");
        DB::TransactionManager::rollback(&mut connection).await?;
        connection.finish();
        Ok(())
    }

    /// Commits, then tells the listeners what was appended.
    pub async fn commit(mut self) -> crate::Result<()> {
        let mut connection = self.connection.take().expect("taken only here");
        DB::TransactionManager::commit(&mut connection).await?;
        connection.finish();
        self.commits.committed(&self.appended);
        Ok(())
    }
}

impl<DB: Database> Drop for WriteTx<DB> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.as_mut() {
            DB::TransactionManager::start_rollback(connection);
        }
    }
}

impl<DB: Database> Deref for WriteTx<DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        self.connection.as_ref().expect("taken only on commit")
    }
}

impl<DB: Database> DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.connection.as_mut().expect("taken only on commit")
    }
}
