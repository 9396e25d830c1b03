//! Suspended and banned accounts, as AO3 has them: they can sign in and read, but cannot post,
//! edit, comment, leave kudos or bookmark. [`refuse_sanctioned`] is the one check: it stands
//! before every state-changing request of a signed-in account (the API's write tokens call
//! [`check`] the same way) and answers a 403 page saying until when, except for what keeps an
//! account itself in order (logging out, password and e-mail, preferences, mutes, deleting it)
//! and reporting abuse.

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quire_core::UserId;
use quire_store::SanctionKind;

use super::SignedIn;
use super::tokens::now;
use crate::error::AppError;
use crate::state::AppState;

/// What a sanctioned account may still post: its own settings, and reports.
const STILL_ALLOWED: &[&str] = &[
    "/users/login",
    "/users/logout",
    "/users/password",
    "/users/password/edit",
    "/users/{login}/password",
    "/users/{login}/email",
    "/users/{login}/delete",
    "/users/{login}/preferences",
    "/users/{login}/muted",
    "/users/{login}/muted/remove",
    "/users/{login}/filters",
    "/users/{login}/filters/delete",
    "/users/{login}/tokens/revoke",
    "/abuse_reports",
];

/// Refuses a sanctioned account's state-changing requests (see the module docs).
pub async fn refuse_sanctioned(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    // The sanction in force was read with the session.
    let Some(sanction) = request
        .extensions()
        .get::<SignedIn>()
        .and_then(|s| s.sanction)
    else {
        return next.run(request).await;
    };
    let allowed = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| STILL_ALLOWED.contains(&p.as_str()));
    if allowed {
        return next.run(request).await;
    }
    refusal(sanction).into_response()
}

/// `Err` (a 403 saying until when) when the account is suspended or banned now.
pub async fn check(state: &AppState, user: UserId) -> Result<(), AppError> {
    match state.store.sanction_of(user, now()).await? {
        None => Ok(()),
        Some(sanction) => Err(refusal(sanction.kind)),
    }
}

/// The 403 a sanctioned account's post gets.
fn refusal(sanction: SanctionKind) -> AppError {
    AppError::Sanctioned {
        until: match sanction {
            SanctionKind::Suspended { until } => Some(until_text(until)),
            SanctionKind::Banned => None,
        },
    }
}

/// A suspension's end as the refusal says it: `1 Dec 2026 00:00 UTC`.
pub fn until_text(until: i64) -> String {
    chrono::DateTime::from_timestamp(until, 0).map_or_else(
        || until.to_string(),
        |t| t.format("%-d %b %Y %H:%M UTC").to_string(),
    )
}
