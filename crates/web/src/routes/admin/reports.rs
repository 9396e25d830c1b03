//! The abuse-report queue: `GET /admin/reports` (open ones oldest first, or `?status=resolved`),
//! `GET /admin/reports/{id}`, and `POST /admin/reports/{id}/resolve` with a note, which the
//! audit log keeps.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_store::{AbuseReport, Page};
use serde::Deserialize;

use super::{ListParams, reason};
use crate::auth::standing::until_text;
use crate::auth::tokens::now;
use crate::auth::{CheckedForm, Duty, Staff};
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer, done};
use crate::routes::parse_id;
use crate::state::AppState;
use crate::views::Pagination;

pub(crate) const PER_PAGE: u32 = 25;

/// A report as the pages show it.
struct ReportView {
    id: i64,
    url: String,
    summary: String,
    /// Sanitized when it was sent.
    details: String,
    email: Option<String>,
    reporter: Option<String>,
    sent: String,
    resolved: Option<String>,
    resolved_by: Option<String>,
    resolution: Option<String>,
}

impl From<AbuseReport> for ReportView {
    fn from(r: AbuseReport) -> ReportView {
        ReportView {
            id: r.id,
            url: r.url,
            summary: r.summary,
            details: r.details,
            email: r.email,
            reporter: r.reporter,
            sent: until_text(r.created_at),
            resolved: r.resolved_at.map(until_text),
            resolved_by: r.resolved_by,
            resolution: r.resolution,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct QueuePage {
    resolved: bool,
    reports: Vec<ReportView>,
    pagination: Pagination,
}

#[derive(Template)]
#[template(path = "admin/report.html")]
struct ReportPage {
    csrf: String,
    may_resolve: bool,
    report: ReportView,
    note: String,
    error: Option<String>,
    notice: Option<String>,
}

/// `GET /admin/reports[?status=resolved]`.
pub async fn index(
    State(state): State<AppState>,
    staff: Staff,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    staff.require(Duty::Look)?;
    let Query(params) = query?;
    let number = params.page()?;
    let resolved = match params.status.as_deref() {
        None | Some("" | "open") => false,
        Some("resolved") => true,
        Some(other) => {
            return Err(AppError::invalid(format!(
                "`status` must be open or resolved, not `{other}`."
            )));
        }
    };
    let mut reports = state
        .store
        .abuse_reports(resolved, Page::new(number, PER_PAGE).and_one_more())
        .await?;
    let has_next = reports.len() > PER_PAGE as usize;
    reports.truncate(PER_PAGE as usize);
    let base = if resolved {
        "/admin/reports?status=resolved"
    } else {
        "/admin/reports"
    };
    let pagination = Pagination::open_ended(base, number, has_next);
    let page = QueuePage {
        resolved,
        reports: reports.into_iter().map(ReportView::from).collect(),
        pagination,
    };
    answer(&page, None)
}

/// `GET /admin/reports/{id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Duty::Look)?;
    let report = find(&state, &raw_id).await?;
    report_page(&staff, report, "", None)
}

#[derive(Debug, Deserialize)]
pub struct Resolution {
    #[serde(default)]
    note: String,
}

/// `POST /admin/reports/{id}/resolve`.
pub async fn resolve(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Resolution>,
) -> Result<Response, AppError> {
    staff.require(Duty::ResolveReports)?;
    let report = find(&state, &raw_id).await?;
    let note = match reason(&posted.note, true) {
        Ok(note) => note,
        Err(error) => return report_page(&staff, report, &posted.note, Some(&error)),
    };
    // Resolving twice (a double submit) changes nothing and logs nothing the second time.
    state
        .store
        .resolve_report(&staff.actor(), report.id, &note, now())
        .await?;
    Ok(done(&format!("/admin/reports/{}", report.id)))
}

async fn find(state: &AppState, raw_id: &str) -> Result<AbuseReport, AppError> {
    let id = parse_id(raw_id, "report")?;
    state
        .store
        .abuse_report(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Report))
}

fn report_page(
    staff: &Staff,
    report: AbuseReport,
    note: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = ReportPage {
        csrf: staff.csrf().to_owned(),
        may_resolve: staff.may(Duty::ResolveReports),
        report: report.into(),
        note: note.to_owned(),
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}
