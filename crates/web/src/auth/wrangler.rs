//! Who may wrangle tags: accounts with the wrangler role, and admins. Routes that change tags
//! take [`Wrangler`]; a guest or another member gets a 403 page saying why (a guest's with a
//! link to log in), never the forms.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use quire_core::Role;

use super::SignedIn;
use crate::error::AppError;
use crate::state::AppState;

/// A signed-in account that may wrangle tags.
#[derive(Debug, Clone)]
pub struct Wrangler(pub SignedIn);

impl FromRequestParts<AppState> for Wrangler {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(signed_in) = parts.extensions.get::<SignedIn>().cloned() else {
            return Err(AppError::WranglersOnly { guest: true });
        };
        if may_wrangle(state, &signed_in).await? {
            Ok(Wrangler(signed_in))
        } else {
            Err(AppError::WranglersOnly { guest: false })
        }
    }
}

/// Whether this account may wrangle tags (for the "Edit tag" link on tag pages).
pub async fn may_wrangle(state: &AppState, signed_in: &SignedIn) -> Result<bool, AppError> {
    if signed_in.user.is_admin {
        return Ok(true);
    }
    let roles = state.store.roles(signed_in.user.id).await?;
    Ok(roles.contains(&Role::Wrangler))
}
