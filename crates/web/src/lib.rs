//! Quire's web server: the reader-facing HTML pages, accounts, Atom feeds, and the JSON API
//! with its OpenAPI document.

pub mod auth;
mod cache;
mod error;
mod filters;
mod history;
mod hits;
mod http;
pub mod invitations;
mod limits;
mod listing;
mod metrics;
mod node;
mod params;
mod rate_limit;
mod routes;
mod scheduled;
mod search;
mod server;
mod state;
mod viewer;
mod views;
mod zone;

pub use auth::Signups;
pub use error::{AppError, Missing};
pub use listing::{Listing, find, mutes_of};
pub use scheduled::post_due_chapters;
pub use search::Search;
pub use state::{AppState, ServeOptions};

use std::future::Future;

use tokio::net::TcpListener;

/// Serves the archive on `listener` until `shutdown` resolves, then finishes the requests in
/// flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let followers = [
        tokio::spawn(cache::follow_changes(state.clone(), stopped.clone())),
        tokio::spawn(search::follow_changes(state.clone(), stopped.clone())),
        tokio::spawn(scheduled::post_every(state.clone(), stopped.clone())),
        tokio::spawn(hits::record_every(state.clone(), stopped)),
    ];
    let header_read_timeout = state.options.header_read_timeout;
    let served = server::run(
        listener,
        routes::router(state),
        header_read_timeout,
        shutdown,
    )
    .await;
    // Followers finish the pass they are in (a search index pass must not outlive the
    // runtime it runs its queries on); one still rebuilding the index is cut short. The hits
    // counted since the last batch are recorded.
    let _ = stop.send(true);
    for follower in followers {
        let abort = follower.abort_handle();
        if tokio::time::timeout(FOLLOWERS_STOP_WITHIN, follower)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
    served
}

/// How long stopping waits for the outbox followers.
const FOLLOWERS_STOP_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The router, for tests that drive it directly.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}
