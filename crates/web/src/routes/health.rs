//! `/healthz`: answers 200 when the database does.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
