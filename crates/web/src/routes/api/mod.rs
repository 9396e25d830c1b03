//! The JSON API, `/api/v1`: works, chapters, tags, creators, series and fandoms for tools and
//! clients, one module per resource, described by the OpenAPI document in [`openapi`].
//!
//! Every endpoint decides what its reader may see with the visibility rule, as the pages do
//! (restricted works, drafts and hidden works are 404; an adult work's text needs
//! `view_adult=true`). Responses carry ETags and answer `If-None-Match` with 304; GETs may be
//! made from any origin (CORS, without credentials); each client address is rate-limited
//! (429 with `Retry-After`); errors are `{"error": {"code", "message"}}` with the stable codes
//! of `AppError` (written by `error::json_errors`).

pub(crate) mod bookmarks;
pub(crate) mod chapters;
pub(crate) mod fandoms;
pub(crate) mod kudos;
pub(crate) mod openapi;
pub(crate) mod posting;
pub(crate) mod series;
pub(crate) mod tags;
pub(crate) mod users;
pub(crate) mod work_list;
pub(crate) mod works;

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, ETAG, RETRY_AFTER, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use quire_core::json::WorkJson;
use quire_core::visibility::Access;
use quire_core::{Viewer, Work};
use serde::{Deserialize, Serialize};
use tower_http::cors::{Any, CorsLayer};

use super::{cached, page, posting_body};
use crate::auth::api_token::{self, ApiToken};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::{Reader, VIEW_ADULT};

/// Works a list gives at a time.
pub(crate) const PER_PAGE: u32 = 20;

/// The deepest page a list serves (as the listing pages).
const MAX_PAGE: u32 = 5_000;

/// The list endpoints' parameters, in canonical order.
const LIST: &[&str] = &["cursor", VIEW_ADULT];

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        // The works lists read their own query strings: the listing filters are too many to
        // name as `page`'s accepted parameters.
        // The write endpoints join after the read layers, which are for GETs alone.
        .route(
            "/api/v1/works",
            cached(get(work_list::index), state)
                .post(works::create)
                .layer(posting_body(state)),
        )
        .route(
            "/api/v1/works/{id}",
            page(get(works::show), &[VIEW_ADULT], state)
                .patch(works::update)
                .delete(works::delete)
                .layer(posting_body(state)),
        )
        .route(
            "/api/v1/works/{id}/chapters",
            post(chapters::create).layer(posting_body(state)),
        )
        .route(
            "/api/v1/works/{id}/chapters/{chapter_id}",
            page(get(chapters::show), &[VIEW_ADULT], state)
                .patch(chapters::update)
                .delete(chapters::delete)
                .layer(posting_body(state)),
        )
        .route(
            "/api/v1/works/{id}/bookmark",
            post(bookmarks::create)
                .put(bookmarks::replace)
                .delete(bookmarks::delete),
        )
        .route(
            "/api/v1/users/{login}/bookmarks",
            page(get(bookmarks::by_user), LIST, state),
        )
        .route("/api/v1/tags/{name}", page(get(tags::show), &[], state))
        .route("/api/v1/tags/{name}/works", cached(get(tags::works), state))
        .route("/api/v1/users/{login}", page(get(users::show), &[], state))
        // Like the works list, a creator's works read the listing filters themselves.
        .route(
            "/api/v1/users/{login}/works",
            cached(get(users::works), state),
        )
        .route(
            "/api/v1/series/{id}",
            page(get(series::show), &[VIEW_ADULT], state),
        )
        .route("/api/v1/fandoms", page(get(fandoms::index), &[], state))
        .route("/api/v1/works/{id}/kudos", post(kudos::give))
        .route(
            "/api/v1/openapi.json",
            page(get(openapi::document), &[], state),
        )
        .route("/api/v1/docs", page(get(openapi::reference), &[], state))
        .method_not_allowed_fallback(super::method_not_allowed)
        .layer(from_fn_with_state(state.clone(), rate_limit))
        .layer(cors())
}

/// Any origin may read (no cookies: a page elsewhere reads what a guest would, or what its own
/// API token may), and write with a write token: never with credentials, so a browser never
/// sends the archive's cookies along, and the writes take a token alone anyway.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            axum::http::header::IF_NONE_MATCH,
            AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([ETAG, RETRY_AFTER, HeaderName::from_static("vary")])
}

/// 429 with `Retry-After` past the per-address limit (`api_requests_per_minute`).
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Requests that came in without a connection (a test driving the router) share one bucket.
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    match state.api_limit.check(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => AppError::RateLimited {
            retry_after: wait.as_secs_f64().ceil().max(1.0) as u64,
        }
        .into_response(),
    }
}

/// Who is asking the API: a guest, with adult consent when the request passes
/// `view_adult=true` (or carries the consent cookie); the owner of a personal API token sent as
/// `Authorization: Bearer` (`auth::api_token`); or the signed-in reader of a session cookie,
/// as on the pages. Every endpoint takes its viewer from this.
#[derive(Debug, Clone)]
pub struct ApiReader {
    pub reader: Reader,
    /// The token the request carried, if any: it may post when it has the write scope.
    pub token: Option<ApiToken>,
}

impl ApiReader {
    pub fn viewer(&self) -> &Viewer {
        &self.reader.viewer
    }

    /// The response: `body` as JSON with the headers every viewer-dependent answer carries.
    /// An answer to a token is its owner's alone: no cache may keep it.
    pub fn json<T: Serialize>(&self, body: &T) -> Response {
        let mut headers = self.reader.response_headers();
        if self.token.is_some() {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            headers.append(VARY, HeaderValue::from_static("Authorization"));
        }
        (headers, Json(body)).into_response()
    }
}

impl FromRequestParts<AppState> for ApiReader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = api_token::resolve(state, &parts.headers).await?;
        let mut reader = Reader::of(
            &parts.headers,
            &parts.uri,
            state.options.secure_cookies,
            // A session cookie counts here as on the pages (CORS never sends it from other
            // sites).
            parts.extensions.get::<crate::auth::SignedIn>(),
        );
        if let Some(token) = &token {
            reader.viewer = token.viewer(reader.viewer.adult_consent);
        }
        Ok(ApiReader { reader, token })
    }
}

/// The owner of a write token, for the endpoints that change things: 401 without a token,
/// 403 for a read-only one or a suspended or banned account, before the request's body is
/// read. A session cookie never writes through the API (no CSRF token guards it here).
#[derive(Debug, Clone)]
pub struct ApiWriter {
    pub reader: ApiReader,
    pub token: ApiToken,
}

impl FromRequestParts<AppState> for ApiWriter {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let reader = ApiReader::from_request_parts(parts, state).await?;
        let token = reader.token.clone().ok_or(AppError::TokenRequired)?;
        if !token.can_write {
            return Err(AppError::TokenReadOnly);
        }
        // A suspended or banned account's token may read, not write.
        crate::auth::standing::check(state, token.user.id).await?;
        Ok(ApiWriter { reader, token })
    }
}

impl ApiWriter {
    /// The answer to a write: `body` as JSON with `status`, never stored by any cache.
    pub fn json<T: Serialize>(&self, status: StatusCode, body: &T) -> Response {
        let mut response = self.reader.json(body);
        *response.status_mut() = status;
        response
    }

    /// 204 No Content, never stored by any cache.
    pub fn no_content(&self) -> Response {
        (
            StatusCode::NO_CONTENT,
            [(CACHE_CONTROL, HeaderValue::from_static("private, no-store"))],
        )
            .into_response()
    }
}

/// A JSON request body, or a JSON 400 (`body_invalid`) that says what is wrong with it (413
/// past the body limit).
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(body)) => Ok(ApiJson(body)),
            Err(e @ JsonRejection::BytesRejection(_))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(AppError::BodyTooLarge {
                    limit: crate::limits::POSTING_BODY_BYTES,
                })
            }
            Err(e) => Err(AppError::BodyInvalid(e.body_text())),
        }
    }
}

/// A path parameter, or a JSON 400 when it cannot be read (not UTF-8, say).
pub struct ApiPath<T>(pub T);

impl<T> FromRequestParts<AppState> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| AppError::invalid(e.body_text()))
    }
}

/// `?cursor=` of the list endpoints.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Where to go on: the `next_cursor` of the previous page. Opaque; leave it out for the
    /// first page.
    cursor: Option<String>,
    /// `true` to read adult works' notes (see the work schema).
    #[param(value_type = Option<String>, pattern = "^true$")]
    #[allow(dead_code)] // Read by `Reader` from the query string; here for the document.
    view_adult: Option<String>,
}

impl ListParams {
    /// The parameters of a list read by hand (see `work_list`).
    pub fn with_cursor(cursor: Option<String>) -> ListParams {
        ListParams {
            cursor,
            view_adult: None,
        }
    }

    /// The page the cursor points at (1 without one), or a 400.
    pub fn page(&self) -> Result<u32, AppError> {
        let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(1);
        };
        cursor
            .strip_prefix('p')
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| (2..=MAX_PAGE).contains(n) && cursor == cursor_for(*n))
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "`cursor` `{cursor}` is not one this API gave: pass a list's `next_cursor` \
                     as it is."
                ))
            })
    }
}

/// The cursor of list page `page`.
fn cursor_for(page: u32) -> String {
    format!("p{page}")
}

/// The cursor after page `page`, when there is more and the list goes that deep.
pub fn next_cursor(page: u32, has_more: bool) -> Option<String> {
    (has_more && page < MAX_PAGE).then(|| cursor_for(page + 1))
}

/// One page of works.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkList {
    pub works: Vec<WorkJson>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// A work as the API shows it to `viewer`: the whole work JSON, but an adult work's notes only
/// with consent, as the blurb in a listing is all a reader sees before the interstitial.
pub fn work_json(work: &Work, access: Access) -> WorkJson {
    let mut json = WorkJson::from(work);
    if access != Access::Full {
        json.notes = None;
        json.end_notes = None;
    }
    json
}

/// The listed works `viewer` may see, as JSON (the store narrowed them already; this is the
/// check every listing makes of what it shows).
pub fn listed(works: &[Work], viewer: &Viewer) -> Vec<WorkJson> {
    let scope = quire_core::visibility::ListingScope::for_viewer(viewer);
    works
        .iter()
        .filter(|w| scope.admits(w, viewer))
        .map(|w| work_json(w, quire_core::visibility::can_view(w, viewer)))
        .collect()
}

/// A name read from a path that cannot name anything stored (a NUL byte, which PostgreSQL
/// text cannot hold): answered as not found before the store is asked.
pub fn unstorable(name: &str) -> bool {
    name.is_empty() || name.contains('\0')
}
