//! The queue of claims of imported creators (Open Doors' claims): `GET /admin/claims` (open
//! ones oldest first, or `?status=approved|rejected`), `GET /admin/claims/{id}`, and
//! `POST /admin/claims/{id}/approve` or `/reject` (with a reason), each written in the audit
//! log. Approving moves the creator's works to the claimant, so their pages are dropped from
//! the page cache before the answer.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_store::{Claim, ClaimStatus, Page};
use serde::Deserialize;

use super::{ListParams, reason};
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, Duty, Staff};
use crate::error::{AppError, Missing};
use crate::routes::claims::ClaimView;
use crate::routes::forms::{answer, done};
use crate::routes::parse_id;
use crate::state::AppState;
use crate::views::Pagination;

const PER_PAGE: u32 = 25;

#[derive(Template)]
#[template(path = "admin/claims.html")]
struct QueuePage {
    status: &'static str,
    claims: Vec<ClaimView>,
    pagination: Pagination,
}

#[derive(Template)]
#[template(path = "admin/claim.html")]
struct ClaimPage {
    csrf: String,
    claim: ClaimView,
    reason: String,
    error: Option<String>,
    notice: Option<String>,
}

/// `GET /admin/claims[?status=approved|rejected]`.
pub async fn index(
    State(state): State<AppState>,
    staff: Staff,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    staff.require(Duty::DecideClaims)?;
    let Query(params) = query?;
    let number = params.page()?;
    let status = match params.status.as_deref() {
        None | Some("" | "open") => ClaimStatus::Open,
        Some("approved") => ClaimStatus::Approved,
        Some("rejected") => ClaimStatus::Rejected,
        Some(other) => {
            return Err(AppError::invalid(format!(
                "`status` must be open, approved or rejected, not `{other}`."
            )));
        }
    };
    let mut claims = state
        .store
        .claims(status, Page::new(number, PER_PAGE).and_one_more())
        .await?;
    let has_next = claims.len() > PER_PAGE as usize;
    claims.truncate(PER_PAGE as usize);
    let base = format!("/admin/claims?status={}", status.as_str());
    let pagination = Pagination::open_ended(&base, number, has_next);
    let page = QueuePage {
        status: status.as_str(),
        claims: claims.into_iter().map(ClaimView::from).collect(),
        pagination,
    };
    answer(&page, None)
}

/// `GET /admin/claims/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Duty::DecideClaims)?;
    let claim = find(&state, &raw_id).await?;
    claim_page(&staff, claim, "", None)
}

/// `POST /admin/claims/{id}/approve`: the creator's works become the claimant's. A second
/// send (or a claim decided meanwhile) changes nothing.
pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    staff.require(Duty::DecideClaims)?;
    let claim = find(&state, &raw_id).await?;
    state
        .store
        .approve_claim(&staff.actor(), claim.id, now())
        .await?;
    Ok(done(&format!("/admin/claims/{}", claim.id)))
}

#[derive(Debug, Deserialize)]
pub struct Rejection {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/claims/{id}/reject` with the reason the claimant will read.
pub async fn reject(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Rejection>,
) -> Result<Response, AppError> {
    staff.require(Duty::DecideClaims)?;
    let claim = find(&state, &raw_id).await?;
    let why = match reason(&posted.reason, true) {
        Ok(why) => why,
        Err(error) => return claim_page(&staff, claim, &posted.reason, Some(&error)),
    };
    state
        .store
        .reject_claim(&staff.actor(), claim.id, &why, now())
        .await?;
    Ok(done(&format!("/admin/claims/{}", claim.id)))
}

async fn find(state: &AppState, raw_id: &str) -> Result<Claim, AppError> {
    let id = parse_id(raw_id, "claim")?;
    state
        .store
        .claim(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Claim))
}

fn claim_page(
    staff: &Staff,
    claim: Claim,
    reason: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = ClaimPage {
        csrf: staff.csrf().to_owned(),
        claim: claim.into(),
        reason: reason.to_owned(),
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}
