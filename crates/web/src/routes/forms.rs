//! What the signed-in pages of forms share (muted tags, saved filters, tag wrangling): a page
//! answers 200, or 422 when it shows a form error (with what was typed kept in its form); a
//! change that worked redirects (303) to a page that shows the result, so that reloading it
//! posts nothing again.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::render;
use crate::error::AppError;

/// Answers a page of forms: 422 when it shows `error`, else 200.
pub(crate) fn answer(page: &impl Template, error: Option<&str>) -> Result<Response, AppError> {
    answer_refused(page, error.is_some())
}

/// Answers a page of forms: 422 when it shows form errors (`refused`), else 200.
pub(crate) fn answer_refused(page: &impl Template, refused: bool) -> Result<Response, AppError> {
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(page)?).into_response())
}

/// After a change: on to `url` with 303 See Other.
pub(crate) fn done(url: &str) -> Response {
    Redirect::to(url).into_response()
}
