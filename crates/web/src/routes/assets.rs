//! Static assets, embedded in the binary and served under a versioned URL, so that browsers
//! may keep them forever and still see a new stylesheet after an upgrade.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

use crate::error::{AppError, Missing};

const STYLESHEET: &str = include_str!("../../static/style.css");

/// The stylesheet's version: a hash of its content.
static VERSION: LazyLock<String> =
    LazyLock::new(|| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(STYLESHEET.as_bytes())));

static STYLESHEET_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/{}/style.css", *VERSION));

/// Where pages link the stylesheet.
pub fn stylesheet_url() -> &'static str {
    &STYLESHEET_URL
}

/// `/static/{version}/style.css`: immutable.
pub async fn stylesheet(Path(version): Path<String>) -> Result<impl IntoResponse, AppError> {
    if version != *VERSION {
        return Err(AppError::not_found(Missing::Asset));
    }
    Ok((
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    ))
}
