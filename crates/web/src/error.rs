//! One error type for every handler and middleware, with stable machine-readable codes, turned
//! into a response (status, headers, HTML error page) in one place; under `/api/` the same
//! error is written as JSON (`{"error": {"code", "message"}}`) by [`json_errors`].

use askama::Template;
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use quire_search::{QueryError, SearchError};
use quire_store::StoreError;

/// Something a reader asked for that does not exist, or that they may not know exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Work,
    Chapter,
    Tag,
    User,
    Series,
    Comment,
    /// An abuse report (in the admin area).
    Report,
    /// A reader's bookmark of a work.
    Bookmark,
    /// A claim of an imported creator (in the admin area).
    Claim,
    /// A user's pseud, or a co-creator request.
    Pseud,
    CoCreatorRequest,
    /// A URL no route answers.
    Route,
    /// A static asset (an old stylesheet version, say).
    Asset,
}

impl Missing {
    const fn code(self) -> &'static str {
        match self {
            Missing::Work => "work_not_found",
            Missing::Chapter => "chapter_not_found",
            Missing::Tag => "tag_not_found",
            Missing::User => "user_not_found",
            Missing::Series => "series_not_found",
            Missing::Comment => "comment_not_found",
            Missing::Report => "report_not_found",
            Missing::Bookmark => "bookmark_not_found",
            Missing::Claim => "claim_not_found",
            Missing::Pseud => "pseud_not_found",
            Missing::CoCreatorRequest => "co_creator_request_not_found",
            Missing::Route => "route_not_found",
            Missing::Asset => "asset_not_found",
        }
    }

    const fn what(self) -> &'static str {
        match self {
            Missing::Work => "The work",
            Missing::Chapter => "The chapter",
            Missing::Tag => "The tag",
            Missing::User => "The user",
            Missing::Series => "The series",
            Missing::Comment => "The comment",
            Missing::Report => "The report",
            Missing::Bookmark => "The bookmark",
            Missing::Claim => "The claim",
            Missing::Pseud => "The pseud",
            Missing::CoCreatorRequest => "The co-creator request",
            Missing::Route => "That page",
            Missing::Asset => "That file",
        }
    }
}

/// What went wrong, as the reader should hear it. [`AppError::code`] is stable: clients and
/// the coming JSON API rely on it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{} could not be found.", .0.what())]
    NotFound(Missing),
    /// `?page=` beyond what a listing serves, or not a page number at all.
    #[error("`page` must be a whole number from 1 to {max}, not `{raw}`.")]
    PageOutOfRange { raw: String, max: u32 },
    #[error("This page does not take the parameter `{name}`; it accepts {}.", accepted_list(.accepted))]
    ParameterUnknown {
        name: String,
        accepted: &'static [&'static str],
    },
    /// A known parameter (or path segment) with a value it cannot take; the message says which
    /// values it can.
    #[error("{0}")]
    ParameterInvalid(String),
    /// An API request body that is not the JSON its endpoint takes (not JSON, a field of the
    /// wrong type, a field it does not know); the message says which.
    #[error("{0}")]
    BodyInvalid(String),
    /// The API's text of an adult work, asked for without `view_adult=true`.
    #[error("This work is rated {rating}: add `view_adult=true` to read its text.")]
    AdultConsentRequired { rating: &'static str },
    /// Too many requests (API calls, form posts, log-in attempts) from one address or for one
    /// account; `Retry-After` says when to come back.
    #[error("Too many requests; please wait {retry_after} seconds, then try again.")]
    RateLimited { retry_after: u64 },
    #[error("This address does not answer that method; the `Allow` header names the ones it does.")]
    MethodNotAllowed,
    /// Listing filters that cannot be run; the message says which and why.
    #[error("{0}.")]
    Query(QueryError),
    /// A listing only the search index can answer, asked while it is being rebuilt.
    #[error(
        "The search index is rebuilding: filtered listings and search are back in a few minutes. Listings of one tag, the fandom directory and the recent works still work."
    )]
    SearchRebuilding,
    #[error("The request body is larger than the {limit} bytes this archive accepts.")]
    BodyTooLarge { limit: usize },
    #[error("The archive is answering too many requests at once. Please try again in a moment.")]
    Overloaded,
    #[error("The archive took too long to answer this request. Please try again in a moment.")]
    Timeout,
    /// A form without its CSRF token, or with a wrong one.
    #[error(
        "This form could not be accepted: its security token is missing or out of date (the form may be old, or sent from another site). Go back, reload the page and try again."
    )]
    CsrfRejected,
    /// Signed in, but not as someone who may do this (another user's settings, say).
    #[error("Sorry, you don't have permission to see or change that.")]
    Forbidden,
    /// A tag-wrangling page asked for by a guest, or by a member without the wrangler role.
    #[error("{}", wranglers_only(.guest))]
    WranglersOnly { guest: bool },
    /// The admin area asked for by a guest, or by a member who is neither admin nor moderator
    /// (or a moderator asking for an admin's duty).
    #[error("{}", staff_only(.guest))]
    StaffOnly { guest: bool },
    /// A suspended (`until` a time) or banned account trying to post, edit, comment, give
    /// kudos or bookmark.
    #[error("{}", sanctioned(.until.as_deref()))]
    Sanctioned { until: Option<String> },
    #[error("{0}")]
    SignupsClosed(&'static str),
    /// A comment the work's settings, a frozen thread or a block refuse; the message says why.
    #[error("{0}")]
    CommentRefused(&'static str),
    /// An `Authorization: Bearer` token the archive does not know (revoked, or mistyped).
    #[error(
        "This API token is unknown or has been revoked. Make a new one on your account's settings page (API tokens)."
    )]
    TokenInvalid,
    /// An API write without a token.
    #[error(
        "Posting through the API needs a personal API token with the write scope, sent as `Authorization: Bearer <token>`."
    )]
    TokenRequired,
    /// An API write with a read-only token.
    #[error("This API token may only read. Make a token with the write scope to post.")]
    TokenReadOnly,
    /// An API request whose fields cannot be taken as they are (a title too long, an unknown
    /// rating): every problem with its field; `code` is the first one's.
    #[error("{message}")]
    Unprocessable {
        code: &'static str,
        message: String,
        problems: Vec<FieldError>,
    },
    /// A change the archive cannot make in the state things are in (a second bookmark of one
    /// work, deleting a work's only chapter); the message says what to do instead.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

fn accepted_list(accepted: &[&str]) -> String {
    match accepted {
        [] => "no parameters".to_owned(),
        names => names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn wranglers_only(guest: &bool) -> &'static str {
    if *guest {
        "Only tag wranglers can edit tags. Log in with a wrangler account to continue."
    } else {
        "Only tag wranglers can edit tags, and your account does not have the wrangler role. An admin can give it to you."
    }
}

fn staff_only(guest: &bool) -> &'static str {
    if *guest {
        "Only admins and moderators can see the admin area. Log in with a staff account to continue."
    } else {
        "Sorry, only admins can do that: your account is not an admin's (or a moderator's, where they may)."
    }
}

fn sanctioned(until: Option<&str>) -> String {
    let what = "You can still read, but you cannot post, edit, comment, leave kudos or bookmark";
    match until {
        Some(until) => {
            format!("Your account has been suspended until {until}. {what} until then.")
        }
        None => format!("Your account has been banned. {what}."),
    }
}

impl AppError {
    /// The 422 of these field problems, the first of which has the stable `code`.
    pub fn unprocessable(code: &'static str, problems: Vec<FieldError>) -> AppError {
        let message = problems.first().map_or_else(
            || "The request has a field that cannot be taken.".to_owned(),
            |first| first.message.clone(),
        );
        let message = match problems.len() {
            0 | 1 => message,
            n => format!("{message} (and {} more problems: see `problems`)", n - 1),
        };
        AppError::Unprocessable {
            code,
            message,
            problems,
        }
    }

    pub fn not_found(what: Missing) -> AppError {
        AppError::NotFound(what)
    }

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::ParameterInvalid(message.into())
    }

    /// The stable, machine-readable code (snake_case) of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(what) => what.code(),
            AppError::PageOutOfRange { .. } => "page_out_of_range",
            AppError::ParameterUnknown { .. } => "parameter_unknown",
            AppError::ParameterInvalid(_) => "parameter_invalid",
            AppError::BodyInvalid(_) => "body_invalid",
            AppError::AdultConsentRequired { .. } => "adult_consent_required",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Query(e) => e.code(),
            AppError::SearchRebuilding => "search_rebuilding",
            AppError::BodyTooLarge { .. } => "body_too_large",
            AppError::Overloaded => "overloaded",
            AppError::CsrfRejected => "csrf_token_invalid",
            AppError::Forbidden => "forbidden",
            AppError::WranglersOnly { guest: true } => "sign_in_required",
            AppError::WranglersOnly { guest: false } => "wrangler_role_required",
            AppError::StaffOnly { guest: true } => "sign_in_required",
            AppError::StaffOnly { guest: false } => "admin_required",
            AppError::Sanctioned { until: Some(_) } => "account_suspended",
            AppError::Sanctioned { until: None } => "account_banned",
            AppError::SignupsClosed(_) => "signups_closed",
            AppError::CommentRefused(_) => "comment_refused",
            AppError::TokenInvalid => "token_invalid",
            AppError::TokenRequired => "token_required",
            AppError::TokenReadOnly => "token_read_only",
            AppError::Timeout => "timeout",
            AppError::Unprocessable { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::DatabaseUnavailable(_) => "database_unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub const fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Query(QueryError::TooLong { .. }) => StatusCode::URI_TOO_LONG,
            AppError::Query(_)
            | AppError::PageOutOfRange { .. }
            | AppError::ParameterUnknown { .. }
            | AppError::ParameterInvalid(_)
            | AppError::BodyInvalid(_) => StatusCode::BAD_REQUEST,
            AppError::AdultConsentRequired { .. } => StatusCode::FORBIDDEN,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::CsrfRejected
            | AppError::Forbidden
            | AppError::WranglersOnly { .. }
            | AppError::StaffOnly { .. }
            | AppError::Sanctioned { .. }
            | AppError::TokenReadOnly
            | AppError::SignupsClosed(_)
            | AppError::CommentRefused(_) => StatusCode::FORBIDDEN,
            AppError::TokenInvalid | AppError::TokenRequired => StatusCode::UNAUTHORIZED,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Overloaded
            | AppError::Timeout
            | AppError::DatabaseUnavailable(_)
            | AppError::SearchRebuilding => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The heading and message of the error page. Server-side details stay in the log.
    fn public_text(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound(_) => ("Not found", self.to_string()),
            AppError::Query(QueryError::TooLong { .. }) => ("Address too long", self.to_string()),
            AppError::Query(_)
            | AppError::PageOutOfRange { .. }
            | AppError::ParameterUnknown { .. }
            | AppError::ParameterInvalid(_)
            | AppError::BodyInvalid(_)
            | AppError::MethodNotAllowed => ("Bad request", self.to_string()),
            AppError::AdultConsentRequired { .. } => ("Adult content", self.to_string()),
            AppError::RateLimited { .. } => ("Slow down", self.to_string()),
            AppError::SearchRebuilding => ("Search is rebuilding", self.to_string()),
            AppError::BodyTooLarge { .. } => ("Request too large", self.to_string()),
            AppError::CsrfRejected => ("Form expired", self.to_string()),
            AppError::Forbidden => ("Not allowed", self.to_string()),
            AppError::WranglersOnly { .. } => ("Tag wranglers only", self.to_string()),
            AppError::StaffOnly { .. } => ("Admins only", self.to_string()),
            AppError::Sanctioned { until: Some(_) } => ("Account suspended", self.to_string()),
            AppError::Sanctioned { until: None } => ("Account banned", self.to_string()),
            AppError::SignupsClosed(_) => ("Sign-ups closed", self.to_string()),
            AppError::CommentRefused(_) => ("Comment not posted", self.to_string()),
            AppError::TokenInvalid | AppError::TokenRequired | AppError::TokenReadOnly => {
                ("API token", self.to_string())
            }
            AppError::Overloaded | AppError::Timeout => ("Busy", self.to_string()),
            AppError::Unprocessable { .. } | AppError::Conflict { .. } => {
                ("Not accepted", self.to_string())
            }
            AppError::DatabaseUnavailable(_) => (
                "Temporarily unavailable",
                "The archive cannot reach its database right now. Please try again in a moment."
                    .to_owned(),
            ),
            AppError::Internal(_) => (
                "Something went wrong",
                "The archive could not answer this request. Please try again later.".to_owned(),
            ),
        }
    }
}

/// The store's errors by what the reader can do about them: a database that cannot be reached
/// (pool exhausted, connection refused or dropped, SQLite busy past its timeout) is a 503 worth
/// retrying; a missing row is a 404; anything else is the archive's fault.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Unreachable(_) => AppError::DatabaseUnavailable(e.to_string()),
            StoreError::Database(db) if is_unavailable(db) => {
                AppError::DatabaseUnavailable(e.to_string())
            }
            StoreError::NotFound("work") => AppError::NotFound(Missing::Work),
            // A wrangling change the archive refuses (an unknown tag, a cycle): the asker's
            // mistake, said in the store's words.
            StoreError::Wrangling(w) => AppError::ParameterInvalid(format!("{w}.")),
            StoreError::NotFound("user") => AppError::NotFound(Missing::User),
            StoreError::NotFound("comment") => AppError::NotFound(Missing::Comment),
            StoreError::NotFound("chapter") => AppError::NotFound(Missing::Chapter),
            StoreError::NotFound("report") => AppError::NotFound(Missing::Report),
            StoreError::NotFound("pseud") => AppError::NotFound(Missing::Pseud),
            StoreError::NotFound("co-creator request" | "creatorship") => {
                AppError::NotFound(Missing::CoCreatorRequest)
            }
            _ => AppError::Internal(format!("{} ({})", e, e.code())),
        }
    }
}

fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or_default();
            if code.len() == 5 {
                // A PostgreSQL SQLSTATE: class 08 (connection exception), 53 (insufficient
                // resources), 57P0x (server shutting down or unable to connect).
                code.starts_with("08") || code.starts_with("53") || code.starts_with("57P0")
            } else {
                // An SQLite result code: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their
                // extended codes, after the busy timeout ran out.
                matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6))
            }
        }
        _ => false,
    }
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        AppError::Query(e)
    }
}

/// A query the reader got wrong is theirs to fix; anything else the index does is ours.
impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Query(q) => AppError::Query(q),
            SearchError::Store(s) => AppError::from(s),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// A query string that does not parse is the client's mistake: 400 with axum's explanation.
impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        AppError::ParameterInvalid(e.body_text())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// The JSON body of an API error.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable: `work_not_found`, `parameter_invalid`, `rate_limited`, …
    pub code: String,
    /// What happened, for people.
    pub message: String,
    /// The request field the error is about (a 422): `title`, `chapters[1].text`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field problem of a 422, the first of which is `code`, `message` and `field`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldError>,
}

/// One field of an API request that cannot be taken as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as the request names it: `title`, `warnings`, `chapters[0].text`, …
    pub field: String,
    /// Stable: `title_too_long`, `rating_unknown`, `fandom_missing`, `chapter_empty`, …
    pub code: String,
    pub message: String,
}

/// What an error response said, kept in its extensions so that [`json_errors`] can write
/// the same error as JSON.
#[derive(Debug, Clone)]
struct Said {
    code: &'static str,
    message: String,
    problems: Vec<FieldError>,
}

/// Writes every error answered under `/api/` as [`ErrorBody`] JSON, whichever layer refused
/// the request (a handler, a limit, the router's fallback), keeping its status and headers.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = crate::routes::is_api(request.uri().path());
    let response = next.run(request).await;
    if !api {
        return response;
    }
    let Some(said) = response.extensions().get::<Said>().cloned() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = ErrorBody {
        error: ErrorDetail {
            code: said.code.to_owned(),
            message: said.message,
            field: said.problems.first().map(|p| p.field.clone()),
            problems: said.problems,
        },
    };
    let json = axum::Json(body).into_response();
    let (json_parts, json_body) = json.into_parts();
    for (name, value) in &json_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, json_body)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    heading: &'a str,
    message: &'a str,
    code: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            AppError::Internal(_) => tracing::error!(error = %self, "request failed"),
            AppError::DatabaseUnavailable(_) | AppError::Timeout => {
                tracing::warn!(error = %self, "request not answered");
            }
            _ => {}
        }
        let (heading, message) = self.public_text();
        let page = ErrorPage {
            heading,
            message: &message,
            code: self.code(),
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message.clone()).into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let AppError::RateLimited { retry_after } = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after));
        }
        // A 405's `Allow` is set by the router, which knows the methods of the address.
        let code = self.code();
        let problems = match self {
            AppError::Unprocessable { problems, .. } => problems,
            _ => Vec::new(),
        };
        response.extensions_mut().insert(Said {
            code,
            message,
            problems,
        });
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_timeout_is_a_503_worth_retrying_not_a_500() {
        let e = AppError::from(StoreError::Database(sqlx::Error::PoolTimedOut));
        assert_eq!(e.code(), "database_unavailable");
        assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE);
        let e = AppError::from(StoreError::Unreachable("connection refused".into()));
        assert_eq!(e.code(), "database_unavailable");
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(RETRY_AFTER));
    }

    #[test]
    fn other_store_errors_are_internal_and_a_missing_work_is_a_404() {
        let e = AppError::from(StoreError::Invalid("bad rating".into()));
        assert_eq!((e.code(), e.status().as_u16()), ("internal", 500));
        let e = AppError::from(StoreError::NotFound("work"));
        assert_eq!((e.code(), e.status().as_u16()), ("work_not_found", 404));
    }

    #[test]
    fn an_unknown_parameter_is_named_with_the_accepted_ones() {
        let e = AppError::ParameterUnknown {
            name: "x".into(),
            accepted: &["page", "view_adult"],
        };
        assert_eq!(e.code(), "parameter_unknown");
        assert_eq!(
            e.to_string(),
            "This page does not take the parameter `x`; it accepts `page`, `view_adult`."
        );
    }
}
