//! A few connections kept beside a pool, handed back without the ping sqlx's pool sends on
//! every release: the session lookup every signed-in request makes, and every write. On SQLite
//! that ping is one more hop to the connection's thread and back, on PostgreSQL one more round
//! trip to the server: as much as a query itself, and for a write on the writer's critical
//! path (SQLite's single writer waits for it before the next write can begin).
//!
//! A connection whose work ran to the end is given back at once ([`LaneConnection::finish`]).
//! One dropped before that (an error, or a request cancelled mid-query) gets what the pool
//! gives every connection: a ping, which on PostgreSQL also reads whatever answer was still on
//! its way and sends a queued rollback, before it is used again; one that fails it is closed.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::{Connection, Database, Pool};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{Result, StoreError};

/// Up to `size` connections, opened from a pool's options when first needed and then kept.
pub(crate) struct FastLane<DB: Database> {
    source: Pool<DB>,
    idle: Mutex<Vec<DB::Connection>>,
    permits: Arc<Semaphore>,
}

impl<DB: Database> FastLane<DB> {
    /// A lane of `size` connections, opened through `source` (and no longer counted by it).
    pub fn new(source: Pool<DB>, size: usize) -> Arc<Self> {
        Arc::new(FastLane {
            source,
            idle: Mutex::new(Vec::with_capacity(size)),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    /// A connection of the lane, waiting for one when all are in use.
    pub async fn get(self: &Arc<Self>) -> Result<LaneConnection<DB>> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
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
            lane: Arc::clone(self),
            permit: Some(permit),
        })
    }

    fn keep(&self, connection: DB::Connection) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(connection);
    }
}

/// A connection taken from a [`FastLane`]; pinged before it is kept again unless
/// [`finish`]ed.
///
/// [`finish`]: LaneConnection::finish
pub(crate) struct LaneConnection<DB: Database> {
    connection: Option<DB::Connection>,
    lane: Arc<FastLane<DB>>,
    /// Held until the connection is back in the lane (or closed).
    permit: Option<OwnedSemaphorePermit>,
}

impl<DB: Database> LaneConnection<DB> {
    /// Gives the connection back to the lane: its work ran to the end.
    pub fn finish(mut self) {
        if let Some(connection) = self.connection.take() {
            self.lane.keep(connection);
        }
    }
}

impl<DB: Database> Drop for LaneConnection<DB> {
    fn drop(&mut self) {
        let Some(mut connection) = self.connection.take() else {
            return;
        };
        // Outside a runtime (a test's end, a shutdown) the connection is simply closed.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (lane, permit) = (Arc::clone(&self.lane), self.permit.take());
        runtime.spawn(async move {
            if connection.ping().await.is_ok() {
                lane.keep(connection);
            }
            drop(permit);
        });
    }
}

impl<DB: Database> Deref for LaneConnection<DB> {
    type Target = DB::Connection;

    fn deref(&self) -> &DB::Connection {
        self.connection.as_ref().expect("taken only by finish")
    }
}

impl<DB: Database> DerefMut for LaneConnection<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.connection.as_mut().expect("taken only by finish")
    }
}
