//! Sessions: a random token in the `quire_session` cookie (HttpOnly, SameSite=Lax, Secure
//! behind HTTPS), its hash in the database. [`resolve`] looks the session up once per request
//! and hands the account to the routes as [`SignedIn`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE, USER_AGENT, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use quire_core::{Preferences, User, UserId, Viewer, WorkId};
use quire_store::{Following, NewSession, SanctionKind};

use super::kept_sessions::{ABANDONED_WRITES_SETTLE, KeptSessions};
use super::tokens::{derive, hash_token, now, random_token};
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "quire_session";
/// A session lasts this long after its last use.
pub const SESSION_SECS: i64 = 14 * 86_400;
/// A session's last use is written at most this often (not on every request).
const TOUCH_EVERY_SECS: i64 = 600;

/// The signed-in account of a request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub preferences: Preferences,
    /// Unread entries in the inbox, read with the session (for the header).
    pub unread: i64,
    /// The users this account muted, read with the session: their comments are left out of
    /// every page this account reads (see `routes::comments`).
    pub muted: Arc<[UserId]>,
    /// The work this request's path names and how the account follows it, read with the
    /// session (see [`work_in_path`]).
    reading: Option<(WorkId, Following)>,
    /// The account's suspension or ban in force, read with the session (see
    /// [`crate::auth::standing`]).
    pub sanction: Option<SanctionKind>,
    token_hash: String,
    csrf_token: String,
}

impl SignedIn {
    /// The token this session's forms carry.
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// How the account follows `work`, when it was read with the session.
    pub fn following(&self, work: WorkId) -> Option<Following> {
        self.reading
            .filter(|(reading, _)| *reading == work)
            .map(|(_, following)| following)
    }

    pub(crate) fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// What this account may see, by the one visibility rule; `adult_consent` is the
    /// request's own consent, which the preference can replace.
    pub fn viewer(&self, adult_consent: bool) -> Viewer {
        account_viewer(&self.user, &self.preferences, adult_consent)
    }
}

/// The viewer an account is, signed in or through an API token: `adult_consent` is the
/// request's own consent, which the account's preference can replace.
pub fn account_viewer(user: &User, preferences: &Preferences, adult_consent: bool) -> Viewer {
    Viewer {
        user: Some(user.id),
        is_admin: user.is_admin,
        adult_consent: adult_consent || preferences.skip_adult_gate,
    }
}

/// Routes that need an account: a guest is sent to the log-in page.
impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or_else(|| Redirect::to("/users/login").into_response())
    }
}

impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<SignedIn>().cloned())
    }
}

/// The address a request came from (the peer of its connection), for per-IP limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    pub fn of(parts: &axum::http::Extensions) -> ClientIp {
        ClientIp(
            parts
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        )
    }

    /// The throttle key of this address.
    pub fn key(self) -> String {
        match self.0 {
            Some(ip) => format!("ip:{ip}"),
            None => "ip:unknown".to_owned(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(&parts.extensions))
    }
}

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(
        "quire_session=; Path=/; Max-Age=0",
    ))
}

/// The `Set-Cookie` that ends the session in the browser.
pub fn clearing_cookie(secure: bool) -> HeaderValue {
    session_cookie("", 0, secure)
}

/// Opens a new session for `user` (a fresh token: a session id planted before log-in is
/// never adopted) and ends the one the browser had, if any. Returns the `Set-Cookie`.
pub async fn start(
    state: &AppState,
    user: UserId,
    headers: &HeaderMap,
) -> Result<HeaderValue, AppError> {
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        state.store.end_session(&hash_token(old)).await?;
    }
    let token = random_token()?;
    let now = now();
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect());
    state
        .store
        .create_session(&NewSession {
            token_hash: hash_token(&token),
            user,
            now,
            expires_at: now + SESSION_SECS,
            user_agent,
        })
        .await?;
    Ok(session_cookie(
        &token,
        SESSION_SECS,
        state.options.secure_cookies,
    ))
}

/// Who the header greets, for the base layout.
#[derive(Debug, Clone)]
pub struct Greeting {
    pub login: String,
    pub csrf_token: String,
    /// Unread entries in their inbox.
    pub unread: i64,
}

tokio::task_local! {
    static GREETING: Option<Greeting>;
}

/// The signed-in account of the request being rendered, for the page header (guest pages,
/// which the cache shares, get `None`).
pub fn greeting() -> Option<Greeting> {
    GREETING.try_with(Clone::clone).ok().flatten()
}

/// Looks up the session of every request that carries the cookie, and marks signed-in
/// responses private: never stored by the page cache or by any other cache.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let secure = state.options.secure_cookies;
    let mut stale = false;
    let mut signed_in = None;
    if let Some(token) = cookie(request.headers(), SESSION_COOKIE) {
        let reading = work_in_path(request.uri().path());
        match lookup(&state, token, reading).await {
            Ok(Some(found)) => signed_in = Some(found),
            Ok(None) => stale = !token.is_empty(),
            Err(e) => return e.into_response(),
        }
    }
    let greeting = signed_in.as_ref().map(|s: &SignedIn| Greeting {
        login: s.user.login.clone(),
        csrf_token: s.csrf_token.clone(),
        unread: s.unread,
    });
    let private = signed_in.is_some();
    let mut forget = ForgetWhenDone {
        state: &state,
        changes: Changes::of(&request, signed_in.as_ref()),
        answered: false,
    };
    if let Some(found) = signed_in {
        request.extensions_mut().insert(found);
    }
    let mut response = GREETING.scope(greeting, next.run(request)).await;
    forget.answered = true;
    drop(forget);
    let headers = response.headers_mut();
    if private {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        headers.append(VARY, HeaderValue::from_static("Cookie"));
    }
    if stale && !headers.contains_key(SET_COOKIE) {
        headers.insert(SET_COOKIE, clearing_cookie(secure));
    }
    response
}

/// The work a path reads (`/works/{id}` and the pages under it), whose Subscribe and Mark for
/// Later state the session lookup reads in the same round trip.
fn work_in_path(path: &str) -> Option<WorkId> {
    let rest = path.strip_prefix("/works/")?;
    let id = rest.split('/').next()?;
    id.parse().ok().filter(|id| *id > 0)
}

async fn lookup(
    state: &AppState,
    token: &str,
    reading: Option<WorkId>,
) -> Result<Option<SignedIn>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let token_hash = hash_token(token);
    let now = now();
    if let Some(kept) = state.sessions.get(&token_hash, reading, now) {
        state.metrics.session_lookup(true);
        return Ok(Some(kept));
    }
    state.metrics.session_lookup(false);
    let started = state.sessions.now();
    let Some(account) = state.store.session(&token_hash, now, reading).await? else {
        return Ok(None);
    };
    let mut last_seen = account.last_seen_at;
    if now - last_seen >= TOUCH_EVERY_SECS {
        state
            .store
            .touch_session(&token_hash, now, now + SESSION_SECS)
            .await?;
        last_seen = now;
    }
    let mut until = account.expires_at.min(last_seen + TOUCH_EVERY_SECS);
    if let Some(SanctionKind::Suspended { until: lapses }) = account.sanction {
        until = until.min(lapses);
    }
    let signed_in = SignedIn {
        user: account.user,
        preferences: account.preferences,
        unread: account.unread,
        muted: account.muted_creators.into(),
        reading: account.reading,
        sanction: account.sanction,
        csrf_token: derive("csrf", token),
        token_hash,
    };
    state.sessions.keep(started, until, reading, &signed_in);
    Ok(Some(signed_in))
}

/// Whose kept accounts (see [`super::kept_sessions`]) a request may change: none for a
/// request that changes nothing, its own reader's for a signed-in reader's (outside the admin
/// area), every one for any other.
#[derive(Clone, Copy)]
enum Changes {
    Nothing,
    Reader(UserId),
    Anyone,
}

impl Changes {
    fn of(request: &Request, signed_in: Option<&SignedIn>) -> Changes {
        if request.method().is_safe() {
            return Changes::Nothing;
        }
        match signed_in {
            Some(reader)
                if !reader.user.is_admin && !request.uri().path().starts_with("/admin") =>
            {
                Changes::Reader(reader.user.id)
            }
            _ => Changes::Anyone,
        }
    }

    fn forget(self, sessions: &KeptSessions) {
        match self {
            Changes::Nothing => {}
            Changes::Reader(user) => sessions.forget_user(user),
            Changes::Anyone => sessions.forget_everyone(),
        }
    }
}

/// Forgets what a request may have changed once it is answered; when it is abandoned midway,
/// at once and again later (see [`super::kept_sessions`]): a statement it had sent may commit
/// all the same.
struct ForgetWhenDone<'s> {
    state: &'s AppState,
    changes: Changes,
    answered: bool,
}

impl Drop for ForgetWhenDone<'_> {
    fn drop(&mut self) {
        let (changes, sessions) = (self.changes, &self.state.sessions);
        changes.forget(sessions);
        if self.answered || matches!(changes, Changes::Nothing) || !sessions.keeps() {
            return;
        }
        let sessions = Arc::clone(sessions);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                tokio::time::sleep(ABANDONED_WRITES_SETTLE).await;
                changes.forget(&sessions);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::work_in_path;

    #[test]
    fn a_work_is_read_with_the_session_only_on_its_own_pages() {
        assert_eq!(work_in_path("/works/5"), Some(5));
        assert_eq!(work_in_path("/works/5/chapters/9"), Some(5));
        assert_eq!(work_in_path("/works/5/navigate"), Some(5));
        for path in [
            "/works",
            "/works/",
            "/works/new",
            "/works/0",
            "/works/-3",
            "/worksx/5",
        ] {
            assert_eq!(work_in_path(path), None, "{path}");
        }
    }
}
