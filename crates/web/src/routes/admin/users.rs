//! An account's standing and roles: `GET /admin/users/{login}` with the forms to suspend it
//! until a date, ban it, lift either, and give or take back roles (admins only). A ban ends
//! every session of the account, in the ban's own transaction.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use quire_core::{Role, User};
use quire_store::SanctionKind;
use serde::Deserialize;

use super::{reason, standing_text};
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, Duty, Staff};
use crate::error::AppError;
use crate::routes::account;
use crate::routes::forms::{answer, done};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    csrf: String,
    login: String,
    is_admin: bool,
    standing: Option<String>,
    standing_reason: String,
    roles: Vec<(&'static str, bool)>,
    /// What the forms show after a form error: the date and reason typed.
    until: String,
    reason: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Find {
    #[serde(default)]
    login: String,
}

/// `GET /admin/users?login=…`: the form on `/admin` that opens an account's page.
pub async fn find(
    State(state): State<AppState>,
    staff: Staff,
    query: Result<Query<Find>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    staff.require(Duty::SanctionUsers)?;
    let Query(find) = query?;
    let user = account(&state, find.login.trim()).await?;
    Ok(done(&format!("/admin/users/{}", user.login)))
}

/// `GET /admin/users/{login}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Duty::SanctionUsers)?;
    let user = account(&state, &login).await?;
    user_page(&state, &staff, &user, &Sanctioning::default(), None).await
}

/// The suspend, ban and lift forms as posted.
#[derive(Debug, Default, Deserialize)]
pub struct Sanctioning {
    /// The day a suspension ends (`YYYY-MM-DD`, UTC).
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/users/{login}/suspend`.
pub async fn suspend(
    State(state): State<AppState>,
    staff: Staff,
    Path(login): Path<String>,
    CheckedForm(posted): CheckedForm<Sanctioning>,
) -> Result<Response, AppError> {
    staff.require(Duty::SanctionUsers)?;
    let user = account(&state, &login).await?;
    let now = now();
    let until = match suspended_until(&posted.until, now) {
        Ok(until) => until,
        Err(error) => return user_page(&state, &staff, &user, &posted, Some(&error)).await,
    };
    sanction(
        &state,
        &staff,
        &user,
        &posted,
        SanctionKind::Suspended { until },
    )
    .await
}

/// `POST /admin/users/{login}/ban`.
pub async fn ban(
    State(state): State<AppState>,
    staff: Staff,
    Path(login): Path<String>,
    CheckedForm(posted): CheckedForm<Sanctioning>,
) -> Result<Response, AppError> {
    staff.require(Duty::SanctionUsers)?;
    let user = account(&state, &login).await?;
    sanction(&state, &staff, &user, &posted, SanctionKind::Banned).await
}

async fn sanction(
    state: &AppState,
    staff: &Staff,
    user: &User,
    posted: &Sanctioning,
    kind: SanctionKind,
) -> Result<Response, AppError> {
    if user.id == staff.signed_in.user.id {
        let error = "You cannot suspend or ban your own account.";
        return user_page(state, staff, user, posted, Some(error)).await;
    }
    let reason = match reason(&posted.reason, true) {
        Ok(reason) => reason,
        Err(error) => return user_page(state, staff, user, posted, Some(&error)).await,
    };
    state
        .store
        .sanction_user(&staff.actor(), user.id, kind, &reason, now())
        .await?;
    Ok(done(&format!("/admin/users/{}", user.login)))
}

/// `POST /admin/users/{login}/lift`: ends a suspension or a ban.
pub async fn lift(
    State(state): State<AppState>,
    staff: Staff,
    Path(login): Path<String>,
    CheckedForm(posted): CheckedForm<Sanctioning>,
) -> Result<Response, AppError> {
    staff.require(Duty::SanctionUsers)?;
    let user = account(&state, &login).await?;
    let reason = match reason(&posted.reason, false) {
        Ok(reason) => reason,
        Err(error) => return user_page(&state, &staff, &user, &posted, Some(&error)).await,
    };
    state
        .store
        .lift_sanction(&staff.actor(), user.id, &reason, now())
        .await?;
    Ok(done(&format!("/admin/users/{}", user.login)))
}

#[derive(Debug, Deserialize)]
pub struct RoleChange {
    #[serde(default)]
    role: String,
    /// `grant` or `revoke`.
    #[serde(default)]
    change: String,
}

/// `POST /admin/users/{login}/roles`: gives or takes back the wrangler or moderator role.
pub async fn roles(
    State(state): State<AppState>,
    staff: Staff,
    Path(login): Path<String>,
    CheckedForm(posted): CheckedForm<RoleChange>,
) -> Result<Response, AppError> {
    staff.require(Duty::ManageRoles)?;
    let user = account(&state, &login).await?;
    let Some(role) = Role::from_name(&posted.role) else {
        let error = format!("“{}” is not a role: wrangler or moderator.", posted.role);
        return user_page(&state, &staff, &user, &Sanctioning::default(), Some(&error)).await;
    };
    let granted = match posted.change.as_str() {
        "grant" => true,
        "revoke" => false,
        other => {
            return Err(AppError::invalid(format!(
                "`change` must be grant or revoke, not `{other}`."
            )));
        }
    };
    state
        .store
        .set_role(&staff.actor(), user.id, role, granted, now())
        .await?;
    Ok(done(&format!("/admin/users/{}", user.login)))
}

/// The end of a suspension: the start (00:00 UTC) of the day typed, which must be after `now`.
fn suspended_until(raw: &str, now: i64) -> Result<i64, String> {
    let day = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "“{}” is not a date: give the day the suspension ends, as YYYY-MM-DD.",
            raw.trim()
        )
    })?;
    let until = day
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .ok_or_else(|| "That date cannot be used.".to_owned())?;
    if until <= now {
        return Err("The suspension must end in the future.".to_owned());
    }
    Ok(until)
}

async fn user_page(
    state: &AppState,
    staff: &Staff,
    user: &User,
    posted: &Sanctioning,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let sanction = state.store.sanction_of(user.id, now()).await?;
    let held = state.store.roles(user.id).await?;
    let page = UserPage {
        csrf: staff.csrf().to_owned(),
        login: user.login.clone(),
        is_admin: user.is_admin,
        standing: sanction.as_ref().map(|s| standing_text(s.kind)),
        standing_reason: sanction.map(|s| s.reason).unwrap_or_default(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.name(), held.contains(r)))
            .collect(),
        until: posted.until.clone(),
        reason: posted.reason.clone(),
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}

#[cfg(test)]
mod tests {
    use super::suspended_until;

    #[test]
    fn a_suspension_ends_at_the_start_of_a_future_day() {
        let now = 1_780_000_000; // 2026-05-28
        assert_eq!(suspended_until("2026-06-01", now), Ok(1_780_272_000));
        assert!(suspended_until("2026-05-01", now).is_err());
        assert!(suspended_until("next week", now).is_err());
    }
}
