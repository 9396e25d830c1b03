//! Claiming imported works, as Open Doors does it: a signed-in reader who wrote the works of
//! an unclaimed imported creator asks for them (`new`, `create` at `/users/{login}/claim`);
//! admins decide in the admin area (`admin/claims.rs`); the reader follows their claims at
//! `/users/{login}/claims` (`index`, their own alone).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_core::User;
use quire_store::{Claim, ClaimFiled, ClaimStatus, NewClaim};
use serde::Deserialize;

use super::settings::own;
use crate::auth::standing::until_text;
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer, done};
use crate::state::AppState;

/// The longest message a claim may carry.
pub(crate) const MESSAGE_MAX: usize = 2_000;

#[derive(Template)]
#[template(path = "claim_form.html")]
struct ClaimForm {
    csrf: String,
    /// The imported creator's login.
    creator: String,
    pseuds: Vec<String>,
    message: String,
    error: Option<String>,
    notice: Option<String>,
}

/// A claim as its claimant and the admins see it.
pub(crate) struct ClaimView {
    pub id: i64,
    pub claimant: String,
    pub creator: String,
    pub archive: String,
    pub message: String,
    pub status: &'static str,
    pub open: bool,
    pub sent: String,
    pub decided: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

impl From<Claim> for ClaimView {
    fn from(c: Claim) -> ClaimView {
        ClaimView {
            id: c.id,
            claimant: c.claimant_login,
            creator: c.creator_login,
            archive: c.archive,
            message: c.message,
            status: match c.status {
                ClaimStatus::Open => "Waiting for an admin",
                ClaimStatus::Approved => "Approved",
                ClaimStatus::Rejected => "Rejected",
            },
            open: c.status == ClaimStatus::Open,
            sent: until_text(c.created_at),
            decided: c.decided_at.map(until_text),
            decided_by: c.decided_by,
            reason: c.reason,
        }
    }
}

#[derive(Template)]
#[template(path = "claims.html")]
struct ClaimsPage {
    login: String,
    claims: Vec<ClaimView>,
}

/// The unclaimed imported creator of a login; 404 for anyone else (a reader's account is
/// not claimable, and a claimed creator is claimed).
async fn claimable(state: &AppState, login: &str) -> Result<User, AppError> {
    state
        .store
        .user_by_login(login)
        .await?
        .filter(|u| !u.claimed)
        .ok_or_else(|| AppError::not_found(Missing::User))
}

async fn form(
    state: &AppState,
    creator: &User,
    csrf: &CsrfToken,
    message: &str,
    error: Option<String>,
) -> Result<ClaimForm, AppError> {
    let pseuds = state.store.pseuds_of(creator.id).await?;
    Ok(ClaimForm {
        csrf: csrf.value().to_owned(),
        creator: creator.login.clone(),
        pseuds: pseuds.into_iter().map(|p| p.name).collect(),
        message: message.to_owned(),
        error,
        notice: None,
    })
}

/// `GET /users/{login}/claim`.
pub async fn new(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let creator = claimable(&state, &login).await?;
    let page = form(&state, &creator, &csrf, "", None).await?;
    answer(&page, None)
}

#[derive(Debug, Deserialize)]
pub struct Sent {
    #[serde(default)]
    message: String,
}

/// `POST /users/{login}/claim`: files the claim and shows the claimant their claims. A second
/// send while the first is open files nothing more.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(sent): CheckedForm<Sent>,
) -> Result<Response, AppError> {
    let creator = claimable(&state, &login).await?;
    let message = sent.message.trim();
    let problem = if message.is_empty() {
        Some("Please tell the admins why these works are yours (where you posted them, under which name).".to_owned())
    } else if message.chars().count() > MESSAGE_MAX {
        Some(format!(
            "The message is {} characters long; the limit is {MESSAGE_MAX}.",
            message.chars().count()
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let page = form(
            &state,
            &creator,
            &csrf,
            &sent.message,
            Some(problem.clone()),
        )
        .await?;
        return answer(&page, Some(problem.as_str()));
    }
    let filed = state
        .store
        .file_claim(&NewClaim {
            claimant: signed_in.user.id,
            creator: creator.id,
            message,
            now: now(),
        })
        .await?;
    match filed {
        ClaimFiled::Filed(_) | ClaimFiled::AlreadyOpen(_) => {
            Ok(done(&format!("/users/{}/claims", signed_in.user.login)))
        }
        ClaimFiled::NotClaimable => {
            let problem = "You cannot claim these works: they are not an imported creator's, or they are yours already.".to_owned();
            let page = form(
                &state,
                &creator,
                &csrf,
                &sent.message,
                Some(problem.clone()),
            )
            .await?;
            answer(&page, Some(problem.as_str()))
        }
    }
}

/// `GET /users/{login}/claims`: the reader's own claims and where they stand.
pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let claims = state.store.claims_by(signed_in.user.id).await?;
    let page = ClaimsPage {
        login: signed_in.user.login.clone(),
        claims: claims.into_iter().map(ClaimView::from).collect(),
    };
    answer(&page, None)
}
