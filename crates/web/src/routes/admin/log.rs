//! `GET /admin/log`: the audit log of every admin action, newest first, paged.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use quire_store::{AuditEntry, Page};

use super::ListParams;
use crate::auth::standing::until_text;
use crate::auth::{Duty, Staff};
use crate::error::AppError;
use crate::routes::forms::answer;
use crate::state::AppState;
use crate::views::Pagination;

const PER_PAGE: u32 = 50;

/// One line as the log page shows it.
struct EntryView {
    at: String,
    actor: String,
    action: &'static str,
    /// A link to what it was about, where it has a page.
    target_url: Option<String>,
    target: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "admin/log.html")]
struct LogPage {
    entries: Vec<EntryView>,
    pagination: Pagination,
}

/// What the log calls an action.
fn action_name(action: &str) -> &'static str {
    match action {
        "hide_work" => "Hid work",
        "unhide_work" => "Unhid work",
        "restrict_work" => "Restricted work",
        "unrestrict_work" => "Unrestricted work",
        "suspend_user" => "Suspended user",
        "ban_user" => "Banned user",
        "lift_sanction" => "Lifted suspension or ban",
        "resolve_report" => "Resolved report",
        "grant_role" => "Gave role",
        "revoke_role" => "Took back role",
        "approve_claim" => "Approved claim",
        "reject_claim" => "Rejected claim",
        "invite_from_queue" => "Invited from the queue",
        "invite_address" => "Invited an address",
        "set_invitations" => "Set invitations left",
        _ => "Other action",
    }
}

fn view(entry: AuditEntry) -> EntryView {
    let target_url = match entry.target_kind.as_str() {
        "work" => Some(format!("/works/{}", entry.target_id)),
        "user" => Some(format!("/admin/users/{}", entry.target)),
        "report" => Some(format!("/admin/reports/{}", entry.target_id)),
        _ => None,
    };
    EntryView {
        at: until_text(entry.at),
        actor: entry.actor,
        action: action_name(&entry.action),
        target_url,
        target: entry.target,
        reason: entry.reason,
    }
}

/// `GET /admin/log`.
pub async fn index(
    State(state): State<AppState>,
    staff: Staff,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    staff.require(Duty::Look)?;
    let Query(params) = query?;
    let number = params.page()?;
    let mut entries = state
        .store
        .audit_log(Page::new(number, PER_PAGE).and_one_more())
        .await?;
    let has_next = entries.len() > PER_PAGE as usize;
    entries.truncate(PER_PAGE as usize);
    let page = LogPage {
        entries: entries.into_iter().map(view).collect(),
        pagination: Pagination::open_ended("/admin/log", number, has_next),
    };
    answer(&page, None)
}
