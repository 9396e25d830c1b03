//! The router: one module per resource, one function per action.

pub(crate) mod assets;
pub(crate) mod downloads;
mod fandoms;
mod health;
mod home;
mod series;
mod tags;
mod users;
mod works;

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    // Reader pages: cached for guests and answered with ETags.
    let pages = Router::new()
        .route("/", get(home::index))
        .route("/fandoms", get(fandoms::index))
        .route("/works/{id}", get(works::show))
        .route("/works/{id}/navigate", get(works::navigate))
        .route("/works/{id}/chapters/{chapter_id}", get(works::chapter))
        .route("/tags/{name}/works", get(tags::works))
        .route("/users/{login}", get(users::show))
        .route("/series/{id}", get(series::show))
        .route("/downloads/{id}/{file}", get(downloads::show))
        .layer(axum::middleware::from_fn(crate::http::conditional_get))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::cache::cached_pages,
        ));
    Router::new()
        .route("/healthz", get(health::show))
        .route("/static/{version}/style.css", get(assets::stylesheet))
        .merge(pages)
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::http::security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::not_found("That page")
}

/// Renders a template into an HTML response body.
pub(crate) fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}

/// Listings show this many works a page.
pub(crate) const PER_PAGE: u32 = 20;

/// The deepest page a listing serves; beyond it, search narrows better than paging.
const MAX_PAGE: u32 = 5_000;

/// `?page=N` on listings.
#[derive(Debug, Deserialize)]
pub(crate) struct PageParam {
    page: Option<String>,
}

impl PageParam {
    /// The page asked for, or a 400 that says what is wrong with it.
    pub(crate) fn number(&self) -> Result<u32, AppError> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
                _ => Err(AppError::bad_request(format!(
                    "`page` must be a whole number from 1 to {MAX_PAGE}, not `{raw}`."
                ))),
            },
        }
    }
}

/// Parses a numeric id from a path segment, or answers 400.
pub(crate) fn parse_id(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::bad_request(format!("`{raw}` is not a valid {what} id.")))
}
