//! Quire's web server: the reader-facing HTML pages (and, later, the JSON API).

mod cache;
mod error;
mod http;
mod routes;
mod state;
mod viewer;
mod views;

pub use error::AppError;
pub use state::AppState;

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
    let served = axum::serve(listener, routes::router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    follower.abort();
    served
}

/// The router, for tests that drive it directly.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}
