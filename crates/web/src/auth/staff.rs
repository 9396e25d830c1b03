//! Who may use the admin area, and what each may do there: the one place that decides.
//!
//! Admins (`users.is_admin`) may do everything; moderators (the `moderator` role) handle the
//! abuse-report queue and hide or show works, as AO3's Policy & Abuse team does; wranglers and
//! everyone else get a 403 page saying why. Routes of the admin area take [`Staff`] and call
//! [`Staff::require`] with the [`Duty`] they perform.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use quire_core::Role;
use quire_store::Actor;

use super::SignedIn;
use crate::error::AppError;
use crate::state::AppState;

/// What a member of staff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    Admin,
    Moderator,
}

/// What can be done in the admin area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// See the admin area, the report queue and the audit log.
    Look,
    /// Hide a work or show it again.
    HideWorks,
    /// Resolve abuse reports.
    ResolveReports,
    /// Suspend, ban and lift.
    SanctionUsers,
    /// Give and take back roles.
    ManageRoles,
    /// See claims of imported creators and approve or reject them.
    DecideClaims,
    /// Send invitations from the queue or to an address; set members' invitations.
    Invite,
}

impl Duty {
    /// Whether `rank` may perform this duty: the whole table.
    pub const fn open_to(self, rank: Rank) -> bool {
        match (rank, self) {
            (Rank::Admin, _) => true,
            (Rank::Moderator, Duty::Look | Duty::HideWorks | Duty::ResolveReports) => true,
            (
                Rank::Moderator,
                Duty::SanctionUsers | Duty::ManageRoles | Duty::DecideClaims | Duty::Invite,
            ) => false,
        }
    }
}

/// A signed-in admin or moderator.
#[derive(Debug, Clone)]
pub struct Staff {
    pub signed_in: SignedIn,
    pub rank: Rank,
}

impl Staff {
    pub fn may(&self, duty: Duty) -> bool {
        duty.open_to(self.rank)
    }

    /// A 403 unless this member of staff may perform `duty`.
    pub fn require(&self, duty: Duty) -> Result<(), AppError> {
        if self.may(duty) {
            Ok(())
        } else {
            Err(AppError::StaffOnly { guest: false })
        }
    }

    /// Who the audit log names.
    pub fn actor(&self) -> Actor {
        Actor::account(self.signed_in.user.id, &self.signed_in.user.login)
    }

    pub fn csrf(&self) -> &str {
        self.signed_in.csrf_token()
    }
}

/// The staff rank of an account, if it has one.
pub async fn rank_of(state: &AppState, signed_in: &SignedIn) -> Result<Option<Rank>, AppError> {
    if signed_in.user.is_admin {
        return Ok(Some(Rank::Admin));
    }
    let roles = state.store.roles(signed_in.user.id).await?;
    Ok(roles.contains(&Role::Moderator).then_some(Rank::Moderator))
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(signed_in) = parts.extensions.get::<SignedIn>().cloned() else {
            return Err(AppError::StaffOnly { guest: true });
        };
        match rank_of(state, &signed_in).await? {
            Some(rank) => Ok(Staff { signed_in, rank }),
            None => Err(AppError::StaffOnly { guest: false }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderators_handle_reports_and_works_but_not_accounts() {
        for duty in [Duty::Look, Duty::HideWorks, Duty::ResolveReports] {
            assert!(duty.open_to(Rank::Moderator), "{duty:?}");
        }
        for duty in [Duty::SanctionUsers, Duty::ManageRoles, Duty::Invite] {
            assert!(!duty.open_to(Rank::Moderator), "{duty:?}");
            assert!(duty.open_to(Rank::Admin), "{duty:?}");
        }
    }
}
