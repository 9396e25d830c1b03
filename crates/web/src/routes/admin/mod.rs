//! The admin area, as AO3's admin pages have it: `/admin` (works hidden by an admin, accounts
//! suspended or banned, the open reports), the abuse-report queue, accounts' standing and roles,
//! invitations, and the audit log. Every route takes [`Staff`], which decides who may do what; every POST
//! checks its CSRF token, writes its log line in the action's transaction, and drops the cached
//! pages that showed what it changed before answering.

pub(crate) mod claims;
pub(crate) mod invitations;
pub(crate) mod log;
pub(crate) mod reports;
pub(crate) mod users;
pub(crate) mod works;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use quire_store::{Page, SanctionKind};
use serde::Deserialize;

use super::forms::answer;
use crate::auth::standing::until_text;
use crate::auth::{Duty, Staff};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::WorkView;

/// The longest reason or note an admin may write.
pub(crate) const REASON_MAX: usize = 1_000;

/// Works hidden by an admin that the index page lists.
const HIDDEN_SHOWN: u32 = 50;

/// An account under a sanction, as the index lists it.
pub(crate) struct SanctionView {
    pub login: String,
    /// `Suspended until …` or `Banned`.
    pub standing: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    csrf: String,
    admin: bool,
    open_reports: usize,
    hidden: Vec<WorkView>,
    sanctions: Vec<SanctionView>,
    /// What the hide form shows: what was typed, after a form error.
    work_id: String,
    reason: String,
    error: Option<String>,
    notice: Option<String>,
}

/// `GET /admin`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Duty::Look)?;
    index_page(&state, &staff, "", "", None).await
}

/// The index page, with the hide form holding `work_id` and `reason` and showing `error`.
pub(crate) async fn index_page(
    state: &AppState,
    staff: &Staff,
    work_id: &str,
    reason: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let open_reports = state
        .store
        .abuse_reports(false, Page::first(reports::PER_PAGE + 1))
        .await?
        .len();
    let hidden = state
        .store
        .hidden_works(Page::first(HIDDEN_SHOWN))
        .await?
        .iter()
        .map(WorkView::new)
        .collect();
    let sanctions = state
        .store
        .sanctions(crate::auth::tokens::now())
        .await?
        .into_iter()
        .map(|(login, s)| SanctionView {
            login,
            standing: standing_text(s.kind),
            reason: s.reason,
        })
        .collect();
    let page = IndexPage {
        csrf: staff.csrf().to_owned(),
        admin: staff.may(Duty::SanctionUsers),
        open_reports,
        hidden,
        sanctions,
        work_id: work_id.to_owned(),
        reason: reason.to_owned(),
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}

/// How an account's sanction reads.
pub(crate) fn standing_text(kind: SanctionKind) -> String {
    match kind {
        SanctionKind::Suspended { until } => format!("Suspended until {}", until_text(until)),
        SanctionKind::Banned => "Banned".to_owned(),
    }
}

/// A reason as typed, trimmed, or what is wrong with it (`required`: it may not be empty).
pub(crate) fn reason(raw: &str, required: bool) -> Result<String, String> {
    let reason = raw.trim();
    if required && reason.is_empty() {
        return Err("Please give a reason: it goes into the audit log.".to_owned());
    }
    let length = reason.chars().count();
    if length > REASON_MAX {
        return Err(format!(
            "The reason is {length} characters long; the limit is {REASON_MAX}."
        ));
    }
    Ok(reason.to_owned())
}

/// `?page=N` and `?status=` of the admin lists.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    page: Option<String>,
    status: Option<String>,
}

impl ListParams {
    pub(crate) fn page(&self) -> Result<u32, AppError> {
        super::PageParam {
            page: self.page.clone(),
        }
        .number()
    }
}
