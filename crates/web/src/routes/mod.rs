//! The router: one module per resource, one function per action.

mod abuse_reports;
mod admin;
mod api;
mod api_tokens;
pub(crate) mod assets;
mod blocks;
mod bookmarks;
mod claims;
mod co_creators;
mod comments;
pub(crate) mod downloads;
mod fandoms;
mod feeds;
mod forms;
mod gifts;
mod health;
mod home;
mod inbox;
mod invitations;
mod invite_requests;
mod kudos;
mod mutes;
mod passwords;
mod posting;
mod preferences;
mod profiles;
mod pseuds;
mod readings;
mod saved_filters;
mod search;
mod series;
mod series_edit;
mod sessions;
mod settings;
pub(crate) mod signups;
mod subscriptions;
mod tag_edit;
mod tags;
mod users;
mod works;
mod wrangle_action;
mod wrangling;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use quire_core::User;
use serde::Deserialize;
use tower::Layer as _;

use crate::error::{AppError, Missing};
use crate::limits;
use crate::params::{self, Accepted};
use crate::state::AppState;
use crate::viewer::VIEW_ADULT;

pub fn router(state: AppState) -> Router {
    // Reader pages, each with the query parameters it accepts (see `params`).
    let pages = Router::new()
        .route("/", page(get(home::index), &["page"], &state))
        .route("/fandoms", page(get(fandoms::index), &[], &state))
        .route("/works/{id}", page(get(works::show), WORK, &state))
        .route(
            "/works/{id}/navigate",
            page(get(works::navigate), &[VIEW_ADULT], &state),
        )
        .route(
            "/works/{id}/chapters/{chapter_id}",
            page(
                get(works::chapter),
                &["style", "show_muted", VIEW_ADULT],
                &state,
            ),
        )
        .route("/works", listing(get(search::index), &state))
        .route("/works/search", listing(get(search::show), &state))
        .route("/tags/{name}", page(get(tags::show), &[], &state))
        .route("/tags/{name}/works", listing(get(tags::works), &state))
        .route("/users/{login}", page(get(users::show), &["page"], &state))
        .route("/series/{id}", page(get(series::show), &[], &state))
        .route(
            "/users/{login}/gifts",
            page(get(gifts::index), &["page"], &state),
        )
        .route(
            "/users/{login}/series",
            page(get(series::index), &[], &state),
        )
        .route("/works/feed.atom", listing(get(feeds::works), &state))
        .route("/tags/{name}/feed.atom", listing(get(feeds::tag), &state))
        .route(
            "/users/{login}/works/feed.atom",
            page(get(feeds::user), &[], &state),
        )
        .route(
            "/series/{id}/feed.atom",
            page(get(feeds::series), &[], &state),
        )
        .route(
            "/works/{id}/bookmarks",
            page(get(bookmarks::of_work), &["page"], &state),
        )
        .route(
            "/users/{login}/bookmarks",
            page(get(bookmarks::by_user), &["page"], &state),
        )
        .route(
            "/downloads/{id}/{file}",
            page(get(downloads::show), &[VIEW_ADULT], &state),
        )
        // A user's pseuds and profile (`routes::pseuds`, `routes::profiles`).
        .route(
            "/users/{login}/pseuds",
            page(get(pseuds::index), &[], &state),
        )
        .route(
            "/users/{login}/pseuds/{name}",
            page(get(pseuds::show), &["page"], &state),
        )
        .route(
            "/users/{login}/profile",
            page(get(profiles::show), &[], &state),
        );
    // Accounts: never cached (signed-out forms set the CSRF cookie, signed-in pages are
    // private), every POST checks its CSRF token (`auth::CheckedForm`).
    let accounts = Router::new()
        .route("/users/new", get(signups::new))
        .route("/users", post(signups::create))
        .route("/users/login", get(sessions::new).post(sessions::create))
        .route("/users/logout", post(sessions::destroy))
        .route("/users/password/new", get(passwords::new))
        .route("/users/password", post(passwords::create))
        .route(
            "/users/password/edit",
            get(passwords::edit).post(passwords::update),
        )
        .route("/users/{login}/edit", get(settings::edit))
        .route("/users/{login}/password", post(settings::update_password))
        .route("/users/{login}/email", post(settings::update_email))
        .route("/users/{login}/delete", post(settings::destroy))
        .route(
            "/users/{login}/preferences",
            get(preferences::edit).post(preferences::update),
        )
        .route("/users/{login}/muted", get(mutes::edit).post(mutes::create))
        .route("/users/{login}/muted/remove", post(mutes::destroy))
        .route(
            "/users/{login}/filters",
            get(saved_filters::index).post(saved_filters::create),
        )
        .route(
            "/users/{login}/filters/delete",
            post(saved_filters::destroy),
        )
        .route(
            "/users/{login}/tokens",
            get(api_tokens::index).post(api_tokens::create),
        )
        .route("/users/{login}/tokens/revoke", post(api_tokens::revoke))
        // The invitation queue (while sign-up takes a code) and members' invitations.
        .route(
            "/invite_requests",
            get(invite_requests::new).post(invite_requests::create),
        )
        .route("/invite_requests/status", get(invite_requests::status))
        .route(
            "/users/{login}/invitations",
            get(invitations::index).post(invitations::create),
        )
        // Kudos: a signed-in reader's form carries its token, a guest's must be same-origin.
        .route("/works/{id}/kudos", post(kudos::give))
        // Bookmarks: the form and its posts are signed-in only.
        .route(
            "/works/{id}/bookmark",
            get(bookmarks::edit).post(bookmarks::save),
        )
        .route("/works/{id}/bookmark/delete", post(bookmarks::destroy))
        // Comments: a signed-in user's forms carry their token, a guest's must be
        // same-origin (`routes::comments`). Comment pages are never cached: what they show
        // depends on who asks (hidden and unreviewed comments).
        .route("/works/{id}/comments", post(comments::create::create))
        .route(
            "/works/{id}/comment_settings",
            get(comments::work_settings::edit).post(comments::work_settings::update),
        )
        .route("/comments/{id}", get(comments::manage::show))
        .route("/users/{login}/comments", get(comments::by_user::index))
        .route(
            "/comments/{id}/edit",
            get(comments::manage::edit).post(comments::manage::update),
        )
        .route("/comments/{id}/delete", post(comments::manage::destroy))
        .route("/comments/{id}/moderate", post(comments::manage::moderate))
        .route(
            "/users/{login}/blocked",
            get(blocks::index).post(blocks::create),
        )
        .route("/users/{login}/blocked/remove", post(blocks::destroy))
        // Posting: a creator's own works, chapters and drafts (`routes::posting`).
        .route("/works/new", get(posting::works::new))
        .route(
            "/works",
            post(posting::works::create).layer(posting_body(&state)),
        )
        .route(
            "/works/{id}/edit",
            get(posting::works::edit)
                .post(posting::works::update)
                .layer(posting_body(&state)),
        )
        .route("/works/{id}/post", post(posting::works::post))
        .route(
            "/works/{id}/delete",
            get(posting::works::confirm_delete).post(posting::works::delete),
        )
        .route(
            "/works/{id}/chapters",
            post(posting::chapters::create).layer(posting_body(&state)),
        )
        .route("/works/{id}/chapters/new", get(posting::chapters::new))
        .route(
            "/works/{id}/chapters/order",
            post(posting::chapters::reorder),
        )
        .route(
            "/works/{id}/chapters/{chapter_id}/edit",
            get(posting::chapters::edit)
                .post(posting::chapters::update)
                .layer(posting_body(&state)),
        )
        .route(
            "/works/{id}/chapters/{chapter_id}/delete",
            get(posting::chapters::confirm_delete).post(posting::chapters::delete),
        )
        .route(
            "/works/{id}/chapters/{chapter_id}/post",
            post(posting::schedule::post_now),
        )
        .route("/users/{login}/works/drafts", get(posting::drafts::index))
        // Claims of imported creators, filed by readers (`routes::claims`).
        .route(
            "/users/{login}/claim",
            get(claims::new).post(claims::create),
        )
        .route("/users/{login}/claims", get(claims::index))
        // Pseuds, profile and co-creators: the owner's forms (`routes::pseuds::edit`,
        // `routes::profiles`, `routes::co_creators`).
        .route(
            "/users/{login}/pseuds/new",
            get(pseuds::edit::new).post(pseuds::edit::create),
        )
        .route(
            "/users/{login}/pseuds/{name}/edit",
            get(pseuds::edit::edit).post(pseuds::edit::update),
        )
        .route(
            "/users/{login}/pseuds/{name}/default",
            post(pseuds::edit::make_default),
        )
        .route(
            "/users/{login}/pseuds/{name}/delete",
            post(pseuds::edit::destroy),
        )
        .route(
            "/users/{login}/profile/edit",
            get(profiles::edit).post(profiles::update),
        )
        .route("/users/{login}/creatorships", get(co_creators::index))
        .route(
            "/users/{login}/creatorships/{id}/accept",
            post(co_creators::accept),
        )
        .route(
            "/users/{login}/creatorships/{id}/decline",
            post(co_creators::decline),
        )
        .route(
            "/works/{id}/creatorships/remove",
            post(co_creators::remove_me),
        )
        // Gifts and series, managed by their recipients and creators.
        .route("/users/{login}/gifts/refuse", post(gifts::refuse))
        .route(
            "/series/{id}/edit",
            get(series_edit::edit).post(series_edit::update),
        )
        .route("/series/{id}/order", post(series_edit::reorder))
        .route("/series/{id}/remove", post(series_edit::remove))
        .route(
            "/series/{id}/delete",
            get(series_edit::confirm_delete).post(series_edit::delete),
        )
        // Following: subscriptions, the inbox and the history, each to its owner alone.
        .route(
            "/users/{login}/subscriptions",
            get(subscriptions::index).post(subscriptions::create),
        )
        .route(
            "/users/{login}/subscriptions/delete",
            post(subscriptions::destroy),
        )
        .route(
            "/users/{login}/inbox",
            get(inbox::index).post(inbox::update),
        )
        .route("/users/{login}/inbox/read_all", post(inbox::read_all))
        .route("/users/{login}/readings", get(readings::index))
        .route("/users/{login}/readings/delete", post(readings::destroy))
        .route("/users/{login}/readings/clear", post(readings::clear))
        .route("/works/{id}/mark_for_later", post(readings::mark_for_later))
        .route("/works/{id}/mark_as_read", post(readings::mark_as_read))
        .route("/tags/autocomplete", get(posting::autocomplete::index))
        // Tag wrangling, for wranglers (`auth::Wrangler`).
        .route("/tags/{name}/edit", get(tag_edit::edit))
        .route("/tags/{name}/wrangle", post(tag_edit::wrangle))
        .route("/wrangling", get(wrangling::index))
        .route(
            "/wrangling/{kind}",
            get(wrangling::show).post(wrangling::create),
        )
        // Reporting abuse, for guests and users; the queue and the rest of the admin area
        // for admins and moderators (`auth::Staff`).
        .route("/abuse_reports/new", get(abuse_reports::new))
        .route("/abuse_reports", post(abuse_reports::create))
        .route("/abuse_reports/sent", get(abuse_reports::sent))
        .route("/admin", get(admin::index))
        .route("/admin/works/hide", post(admin::works::hide))
        .route("/admin/works/unhide", post(admin::works::unhide))
        .route("/admin/users", get(admin::users::find))
        .route("/admin/users/{login}", get(admin::users::show))
        .route("/admin/users/{login}/suspend", post(admin::users::suspend))
        .route("/admin/users/{login}/ban", post(admin::users::ban))
        .route("/admin/users/{login}/lift", post(admin::users::lift))
        .route("/admin/users/{login}/roles", post(admin::users::roles))
        .route("/admin/reports", get(admin::reports::index))
        .route("/admin/reports/{id}", get(admin::reports::show))
        .route("/admin/reports/{id}/resolve", post(admin::reports::resolve))
        .route("/admin/claims", get(admin::claims::index))
        .route("/admin/claims/{id}", get(admin::claims::show))
        .route("/admin/claims/{id}/approve", post(admin::claims::approve))
        .route("/admin/claims/{id}/reject", post(admin::claims::reject))
        .route("/admin/invitations", get(admin::invitations::index))
        .route("/admin/invitations/queue", post(admin::invitations::queue))
        .route(
            "/admin/invitations/address",
            post(admin::invitations::address),
        )
        .route(
            "/admin/invitations/allowance",
            post(admin::invitations::allowance),
        )
        .route("/admin/log", get(admin::log::index));
    // Outermost last: compression sees the finished response; the security headers go on
    // every answer, refusals of the limits included. The session is looked up before the
    // page cache runs, so the cache knows a signed-in reader when it sees one.
    let app = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(crate::metrics::show))
        .route("/static/{version}/style.css", get(assets::stylesheet))
        .merge(pages)
        .merge(accounts)
        // Before the API joins: its routes keep CORS's answer to preflight `OPTIONS`.
        .method_not_allowed_fallback(method_not_allowed)
        .merge(api::router(&state))
        .fallback(not_found)
        // Inside the session lookup: it knows who is signed in.
        .layer(from_fn(crate::auth::standing::refuse_sanctioned))
        .layer(from_fn_with_state(
            state.clone(),
            crate::auth::session::resolve,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            crate::auth::throttle::limit_posts,
        ))
        .layer(DefaultBodyLimit::max(state.options.max_body_bytes))
        .layer(from_fn_with_state(state.clone(), limits::body_size))
        .layer(from_fn_with_state(state.clone(), limits::timeout))
        .layer(from_fn_with_state(state.clone(), limits::concurrency))
        .layer(from_fn(crate::error::json_errors))
        .layer(from_fn_with_state(
            state.clone(),
            crate::http::security_headers,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(from_fn_with_state(state.clone(), crate::metrics::observe))
        .with_state(state.clone());
    // Before all of it, even routing: a guest's GET of a page the cache keeps fresh
    // (`cache::guest`).
    Router::new().fallback_service(from_fn_with_state(state, crate::cache::answer_early).layer(app))
}

/// Whether `path` is the JSON API's (`api::router`'s routes all start so): its answers go
/// through its own layers and its errors are JSON.
pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The body limit of the posting forms that carry a chapter's text (`limits::body_limit`).
pub(crate) fn posting_body(state: &AppState) -> DefaultBodyLimit {
    DefaultBodyLimit::max(state.options.max_body_bytes.max(limits::POSTING_BODY_BYTES))
}

/// `/works/{id}`'s parameters, in canonical order.
const WORK: Accepted = &["view_full_work", "style", "show_muted", VIEW_ADULT];

/// A reader page: its query checked and made canonical, then served from the page cache for
/// guests, and answered with ETags. Every page route goes through here.
fn page(
    route: MethodRouter<AppState>,
    accepted: Accepted,
    state: &AppState,
) -> MethodRouter<AppState> {
    cached(route, state).layer(from_fn_with_state(accepted, params::canonical_query))
}

/// A listing page: like [`page`], with the `WorkQuery` parameters (and `show_muted`) as its
/// query string, parsed once into `params::ListingParams` for the handler.
fn listing(route: MethodRouter<AppState>, state: &AppState) -> MethodRouter<AppState> {
    cached(route, state).layer(from_fn(params::canonical_work_query))
}

/// A GET served from the page cache (for guests) and answering conditional requests, whose
/// hits are counted however it was answered; the caller adds how its query string is read,
/// which runs first.
fn cached(route: MethodRouter<AppState>, state: &AppState) -> MethodRouter<AppState> {
    route
        .layer(from_fn(crate::http::conditional_get))
        .layer(from_fn_with_state(
            state.clone(),
            crate::cache::cached_pages,
        ))
        .layer(from_fn_with_state(state.clone(), crate::hits::count_hits))
}

async fn not_found() -> AppError {
    AppError::not_found(Missing::Route)
}

pub(crate) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
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
            // Only the plain spelling (`2`, not `02` or `+2`), so that one page has one URL.
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) && n.to_string() == raw => Ok(n),
                _ => Err(AppError::PageOutOfRange {
                    raw: raw.to_owned(),
                    max: MAX_PAGE,
                }),
            },
        }
    }
}

/// A permanent redirect to `path`, keeping the (canonical) query.
pub(crate) fn moved_to(path: &str, query: Option<&str>) -> Response {
    let target = match query {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    Redirect::permanent(&target).into_response()
}

/// The account of a login (a member's or an imported creator's), or 404.
pub(crate) async fn account(state: &AppState, login: &str) -> Result<User, AppError> {
    state
        .store
        .user_by_login(login)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::User))
}

/// Parses a numeric id from a path segment, or answers 400. Only the plain spelling (`5`, not
/// `05` or `+5`): each page has one URL, and so one entry in the page cache.
pub(crate) fn parse_id(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0 && id.to_string() == raw)
        .ok_or_else(|| AppError::invalid(format!("`{raw}` is not a valid {what} id.")))
}
