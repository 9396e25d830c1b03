//! Reporting abuse to the admins, as AO3's Policy & Abuse form does: `GET
//! /abuse_reports/new?url=…` (the "Report" link on works and profiles) and `POST
//! /abuse_reports`, from guests and signed-in users alike. Each sender may send only
//! [`PER_HOUR`] reports an hour (kept in the database, so every node counts them), and the same
//! report sent twice while it is open is stored once. Reports go to the queue at
//! `/admin/reports`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::limits::NOTES_MAX;
use quire_store::{Filed, NewAbuseReport};
use serde::Deserialize;

use super::forms::{answer, done};
use super::render;
use crate::auth::tokens::{derive, now};
use crate::auth::{CheckedForm, ClientIp, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

/// Reports one sender may send in an hour.
pub const PER_HOUR: i64 = 5;
/// The longest summary.
pub const SUMMARY_MAX: usize = 200;
/// The longest page address.
const URL_MAX: usize = 2_000;

#[derive(Template)]
#[template(path = "abuse_report_form.html")]
struct FormPage {
    csrf: String,
    signed_in: bool,
    url: String,
    summary: String,
    details: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct SentPage {
    heading: &'static str,
    message: &'static str,
    next_url: &'static str,
    next_label: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    #[serde(default)]
    url: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    email: String,
}

/// `GET /abuse_reports/new[?url=…]`.
pub async fn new(
    signed_in: Option<SignedIn>,
    csrf: CsrfToken,
    query: Result<Query<Posted>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(asked) = query?;
    let posted = Posted {
        url: asked.url,
        ..Posted::default()
    };
    form_page(&csrf, signed_in.is_some(), &posted, None)
}

/// `POST /abuse_reports`.
pub async fn create(
    State(state): State<AppState>,
    signed_in: Option<SignedIn>,
    csrf: CsrfToken,
    ip: ClientIp,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    let report = match checked(&state, signed_in.as_ref(), &posted) {
        Ok(report) => report,
        Err(error) => return form_page(&csrf, signed_in.is_some(), &posted, Some(&error)),
    };
    let reporter_key = match &signed_in {
        Some(account) => format!("user:{}", account.user.id),
        None => {
            let secret = String::from_utf8_lossy(state.site_secret().await?).into_owned();
            let address =
                ip.0.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
            derive("abuse reporter", &format!("{secret}\0{address}"))
        }
    };
    let now = now();
    let report = NewAbuseReport {
        reporter: signed_in.as_ref().map(|s| s.user.id),
        reporter_key,
        now,
        ..report
    };
    match state
        .store
        .file_report(&report, now - 3_600, PER_HOUR)
        .await?
    {
        Filed::New(_) | Filed::Again(_) => Ok(done("/abuse_reports/sent")),
        Filed::TooMany => Err(AppError::RateLimited { retry_after: 3_600 }),
    }
}

/// `GET /abuse_reports/sent`: where a sent report lands.
pub async fn sent() -> Result<Response, AppError> {
    let page = SentPage {
        heading: "Report sent",
        message: "Thank you: your report has been sent to the archive's admins, who will look into it.",
        next_url: "/",
        next_label: "Go to the home page",
    };
    Ok(render(&page)?.into_response())
}

/// The report to store, or what is wrong with the form.
fn checked(
    state: &AppState,
    signed_in: Option<&SignedIn>,
    posted: &Posted,
) -> Result<NewAbuseReport, String> {
    let url = archive_path(&state.auth.base_url, posted.url.trim()).ok_or_else(|| {
        "Please give the address of the page you are reporting on this archive (such as /works/123).".to_owned()
    })?;
    let summary = posted.summary.trim();
    if summary.is_empty() {
        return Err("Please write a brief summary of the problem.".to_owned());
    }
    let length = summary.chars().count();
    if length > SUMMARY_MAX {
        return Err(format!(
            "The summary is {length} characters long; the limit is {SUMMARY_MAX}."
        ));
    }
    let details = posted.details.trim();
    if details.is_empty() {
        return Err("Please describe the problem, so that the admins can act on it.".to_owned());
    }
    let length = details.chars().count();
    if length > NOTES_MAX {
        return Err(format!(
            "The description is {length} characters long; the limit is {NOTES_MAX}."
        ));
    }
    let email = posted.email.trim();
    if !email.is_empty() && (email.len() > 254 || !email.contains('@') || email.contains(' ')) {
        return Err(format!("“{email}” is not an e-mail address."));
    }
    if email.is_empty() && signed_in.is_none() {
        return Err(
            "Please give your e-mail address, so that the admins can answer you.".to_owned(),
        );
    }
    Ok(NewAbuseReport {
        url,
        summary: summary.to_owned(),
        details: quire_text::sanitize_html(details),
        email: (!email.is_empty()).then(|| email.to_owned()),
        reporter: None,
        reporter_key: String::new(),
        now: 0,
    })
}

/// A page on this archive, as a path: `/works/12` as typed, or the archive's own full address.
fn archive_path(base_url: &str, raw: &str) -> Option<String> {
    let path = raw.strip_prefix(base_url).unwrap_or(raw);
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= URL_MAX
        && !path.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| path.to_owned())
}

fn form_page(
    csrf: &CsrfToken,
    signed_in: bool,
    posted: &Posted,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = FormPage {
        csrf: csrf.value().to_owned(),
        signed_in,
        url: posted.url.clone(),
        summary: posted.summary.clone(),
        details: posted.details.clone(),
        email: posted.email.clone(),
        error: error.map(str::to_owned),
        notice: None,
    };
    Ok((csrf.headers(), answer(&page, error)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::archive_path;

    #[test]
    fn only_pages_of_this_archive_can_be_reported() {
        let base = "https://archive.example";
        assert_eq!(archive_path(base, "/works/5"), Some("/works/5".into()));
        assert_eq!(
            archive_path(base, "https://archive.example/users/ann"),
            Some("/users/ann".into())
        );
        assert_eq!(archive_path(base, "https://evil.example/x"), None);
        assert_eq!(archive_path(base, "//evil.example/x"), None);
        assert_eq!(archive_path(base, "javascript:alert(1)"), None);
        assert_eq!(archive_path(base, ""), None);
    }
}
