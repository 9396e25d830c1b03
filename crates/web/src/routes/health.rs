//! `/healthz` and `/readyz`, for process supervisors and load balancers.
//!
//! - `/healthz` says the process is alive and answering: 200 whatever the database does, so
//!   that a supervisor does not restart a node for an outage it cannot fix.
//! - `/readyz` says the node should get readers: the database answers, the page cache's
//!   follower has read the outbox within `node::STALE_AFTER` (so no page it serves is stale
//!   by more than that), and the search index (where the node has one) has been built. Any of
//!   them failing is a 503 naming it; a load balancer's health check belongs here.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn alive() -> Response {
    answer(true, "ok\n".to_owned())
}

pub async fn ready(State(state): State<AppState>) -> Response {
    let mut report = String::new();
    let mut ready = true;
    let mut check = |ok: bool, line: std::fmt::Arguments| {
        ready &= ok;
        let _ = writeln!(report, "{line}");
    };
    match state.store.ping().await {
        Ok(()) => check(true, format_args!("database: ok")),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            check(false, format_args!("database: unavailable ({})", e.code()));
        }
    }
    let pages = &state.node.pages;
    match (pages.applied(), pages.silent_for()) {
        (Some(seq), Some(silent)) if pages.is_current() => check(
            true,
            format_args!(
                "outbox: ok (applied {seq}, read {:.1} s ago)",
                silent.as_secs_f64()
            ),
        ),
        (_, Some(silent)) => check(
            false,
            format_args!(
                "outbox: not current (last read {:.1} s ago)",
                silent.as_secs_f64()
            ),
        ),
        (_, None) => check(false, format_args!("outbox: not read yet")),
    }
    if state.search.index().is_some() {
        match state.search.served_seq() {
            Some(seq) => check(true, format_args!("search index: ok (applied {seq})")),
            None => check(false, format_args!("search index: building")),
        }
    } else {
        check(
            true,
            format_args!("search index: none (listings come from the database)"),
        );
    }
    answer(ready, report)
}

fn answer(ready: bool, report: String) -> Response {
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(CACHE_CONTROL, "no-store")], report).into_response()
}
