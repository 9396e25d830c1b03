//! A few connections kept beside the pool for the query every signed-in request makes (its
//! session), handed back without the ping sqlx's pool sends on every release. On SQLite that
//! ping is one more hop to the connection's thread and back, on PostgreSQL one more round trip
//! to the server: as much as the query itself. A connection is kept only when its query ran to
//! the end ([`LaneConnection::finish`]); after an error or a cancelled request it is closed,
//! as the pool would close one whose ping failed.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::{Database, Pool};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::{Result, StoreError};

/// Up to `size` connections, opened from a pool's options when first needed and then kept.
pub(crate) struct FastLane<DB: Database> {
    source: Pool<DB>,
    idle: Mutex<Vec<DB::Connection>>,
    permits: Semaphore,
}

impl<DB: Database> FastLane<DB> {
    /// A lane of `size` connections, opened through `source` (and no longer counted by it).
    pub fn new(source: Pool<DB>, size: usize) -> Arc<Self> {
        Arc::new(FastLane {
            source,
            idle: Mutex::new(Vec::with_capacity(size)),
            permits: Semaphore::new(size),
        })
    }

    /// A connection of the lane, waiting for one when all are in use.
    pub async fn get(&self) -> Result<LaneConnection<'_, DB>> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Unreachable("the connection lane is closed".into()))?;
        let kept = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let connection = match kept {
            Some(connection) => connection,
            None => self.source.acquire().await?.detach(),
        };
        Ok(LaneConnection {
            connection: Some(connection),
            lane: self,
            _permit: permit,
        })
    }
}

/// A connection taken from a [`FastLane`]; closed when dropped unless [`finish`]ed.
///
/// [`finish`]: LaneConnection::finish
pub(crate) struct LaneConnection<'a, DB: Database> {
    connection: Option<DB::Connection>,
    lane: &'a FastLane<DB>,
    _permit: SemaphorePermit<'a>,
}

impl<DB: Database> LaneConnection<'_, DB> {
    /// Gives the connection back to the lane: its query ran to the end.
    pub fn finish(mut self) {
        if let Some(connection) = self.connection.take() {
            self.lane
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(connection);
        }
    }
}

impl<DB: Database> Deref for LaneConnection<'_, DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        self.connection.as_ref().expect("taken only by finish")
    }
}

impl<DB: Database> DerefMut for LaneConnection<'_, DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.connection.as_mut().expect("taken only by finish")
    }
}
