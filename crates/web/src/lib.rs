//! Quire's web server: the reader-facing HTML pages, accounts, Atom feeds, and the JSON API
//! with its OpenAPI document.

pub mod auth;
mod cache;
mod error;
mod filters;
mod http;
mod limits;
mod listing;
mod params;
mod rate_limit;
mod routes;
mod search;
mod server;
mod state;
mod viewer;
mod views;

pub use auth::Signups;
pub use error::{AppError, Missing};
pub use listing::{Listing, find, mutes_of};
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
    let follower = tokio::spawn(cache::follow_changes(
        std::sync::Arc::clone(&state.store),
        std::sync::Arc::clone(&state.pages),
    ));
    let indexer = tokio::spawn(search::follow_changes(
        std::sync::Arc::clone(&state.store),
        state.search.clone(),
        std::sync::Arc::clone(&state.pages),
    ));
    let header_read_timeout = state.options.header_read_timeout;
    let served = server::run(
        listener,
        routes::router(state),
        header_read_timeout,
        shutdown,
    )
    .await;
    follower.abort();
    indexer.abort();
    served
}

/// The router, for tests that drive it directly.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}
