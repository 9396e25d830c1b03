//! One error type for every handler, turned into an HTML error page in one place.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What went wrong, as the reader should hear it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Unknown ids, and everything the viewer may not know exists.
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn not_found(what: &str) -> AppError {
        AppError::NotFound(format!("{what} could not be found."))
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest(message.into())
    }

    const fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<quire_store::StoreError> for AppError {
    fn from(e: quire_store::StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// A query string that does not parse is the client's mistake: 400 with axum's explanation.
impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        AppError::BadRequest(e.body_text())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    heading: &'a str,
    message: &'a str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (heading, message) = match &self {
            AppError::NotFound(m) => ("Not found", m.clone()),
            AppError::BadRequest(m) => ("Bad request", m.clone()),
            AppError::Internal(m) => {
                tracing::error!(error = %m, "request failed");
                (
                    "Something went wrong",
                    "The archive could not answer this request. Please try again later.".to_owned(),
                )
            }
        };
        let page = ErrorPage {
            title: heading,
            heading,
            message: &message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        }
    }
}
