//! What every request handler can reach, and the settings an operator chooses for serving.

use std::sync::Arc;
use std::time::Duration;

use quire_store::Store;
use tokio::sync::Semaphore;

use crate::auth::kept_sessions::KeptSessions;
use crate::auth::mailer::NoMailer;
use crate::auth::{AuthState, Mailer, Signups};
use crate::cache::PageCache;
use crate::history::VisitLog;
use crate::hits::HitCounter;
use crate::metrics::Metrics;
use crate::node::NodeStatus;
use crate::rate_limit::RateLimiter;
use crate::search::Search;

/// Memory for cached pages.
const PAGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// How the archive is served: limits on slow and expensive requests, and what HTTPS asks for.
/// The CLI's `Config` fills these; the defaults suit a small archive on the open internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Time a client has to send a request's headers, and how long an idle keep-alive
    /// connection is kept waiting for its next request.
    pub header_read_timeout: Duration,
    /// Time a request may take, from its headers to its response; then 503.
    pub request_timeout: Duration,
    /// Requests answered at once; more are turned away with 503 at once rather than queued.
    pub max_concurrent_requests: usize,
    /// Largest request body accepted; larger is 413.
    pub max_body_bytes: usize,
    /// Images in works may come from other `https:` hosts (CSP `img-src`); otherwise only
    /// from the archive itself, so that readers are not tracked by what a story embeds.
    pub remote_images: bool,
    /// The consent cookie carries `Secure` (the archive is behind HTTPS).
    pub secure_cookies: bool,
    /// Responses carry `Strict-Transport-Security` (only behind HTTPS).
    pub hsts: bool,
    /// API requests one client address may make in a burst, refilled over a minute; more are
    /// answered 429 with `Retry-After`. 0 turns the limit off.
    pub api_requests_per_minute: u32,
    /// Guest pages are kept rendered in memory. Off for benchmarks that measure what every
    /// signed-in reader gets.
    pub page_cache: bool,
    /// Who may sign up.
    pub signups: Signups,
    /// State-changing requests (POSTs) one address may send a minute; 0 for no limit.
    pub posts_per_minute: u32,
    /// How often hits counted in memory are recorded in the database.
    pub hits_every: Duration,
    /// How long the search index may wait before applying changes to works' counts alone
    /// (kudos, comments, bookmarks, hits): listings sorted by a count may be that far behind.
    /// Any other change is applied within a tenth of a second.
    pub index_counts_every: Duration,
    /// Guests may comment (with a name and e-mail address) on works open to everyone.
    pub guest_comments: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: 512,
            max_body_bytes: 1024 * 1024,
            remote_images: false,
            secure_cookies: false,
            hsts: false,
            api_requests_per_minute: 600,
            page_cache: true,
            signups: Signups::Open,
            posts_per_minute: 60,
            hits_every: Duration::from_secs(10),
            index_counts_every: Duration::from_secs(1),
            guest_comments: true,
        }
    }
}

/// What every request handler shares, behind one `Arc`: axum clones the state for every
/// middleware layer of every request, and one reference count to move costs far less, on
/// every core at once, than one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    pub store: Arc<dyn Store>,
    /// The archive's name, shown in the header and titles.
    pub site_name: Arc<str>,
    /// The archive's public address without a trailing `/` (`https://fic.example.org`): feeds
    /// and the API give absolute links. Never taken from a request's `Host`, which a client
    /// chooses and the page cache does not key on.
    pub public_url: Arc<str>,
    /// Rendered guest pages.
    pub pages: Arc<PageCache>,
    /// Accounts looked up by session, kept in memory where one process serves (SQLite).
    pub(crate) sessions: Arc<KeptSessions>,
    /// Hits counted since they were last recorded.
    pub(crate) hits: Arc<HitCounter>,
    /// Signed-in readers' visits since they were last recorded in their histories.
    pub(crate) visits: Arc<VisitLog>,
    pub options: ServeOptions,
    /// This node's search index (or none: listings then come from the database).
    pub search: Search,
    /// Accounts: the mailer, the CSRF key, the rate limiter.
    pub auth: Arc<AuthState>,
    /// One permit per request being answered (`options.max_concurrent_requests`).
    pub(crate) in_flight: Arc<Semaphore>,
    /// The API's per-address limit (`options.api_requests_per_minute`).
    pub(crate) api_limit: Arc<RateLimiter>,
    /// Counters and histograms for `/metrics`.
    pub(crate) metrics: Arc<Metrics>,
    /// How far this node's followers have read the outbox.
    pub(crate) node: Arc<NodeStatus>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState::with_options(store, ServeOptions::default())
    }

    pub fn with_options(store: Arc<dyn Store>, options: ServeOptions) -> AppState {
        let pages = Arc::new(PageCache::new(PAGE_CACHE_BYTES));
        // One process serves a SQLite archive: only there may sessions be kept.
        let sessions = Arc::new(KeptSessions::new(store.backend() == "sqlite"));
        let (marks, forgets) = (Arc::downgrade(&pages), Arc::downgrade(&sessions));
        store.on_commit(Box::new(move |changes| {
            if let Some(pages) = marks.upgrade() {
                pages.committed_here(changes);
            }
            if let Some(sessions) = forgets.upgrade() {
                sessions.committed(changes);
            }
        }));
        AppState(Arc::new(Shared {
            store,
            site_name: Arc::from("Quire"),
            public_url: Arc::from("http://127.0.0.1:8080"),
            pages,
            sessions,
            hits: Arc::new(HitCounter::default()),
            visits: Arc::new(VisitLog::default()),
            search: Search::none(),
            auth: Arc::new(AuthState::new(
                Arc::new(NoMailer),
                "",
                options.posts_per_minute,
            )),
            in_flight: Arc::new(Semaphore::new(
                options.max_concurrent_requests.min(Semaphore::MAX_PERMITS),
            )),
            api_limit: Arc::new(RateLimiter::new(options.api_requests_per_minute)),
            metrics: Arc::new(Metrics::new()),
            node: Arc::new(NodeStatus::default()),
            options,
        }))
    }

    /// The same state with changes to its fields (made before the server starts).
    fn with(self, change: impl FnOnce(&mut Shared)) -> AppState {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// The same state under this name, at this public address.
    pub fn with_site(self, site_name: &str, public_url: &str) -> AppState {
        self.with(|s| {
            s.site_name = site_name.into();
            s.public_url = public_url.into();
        })
    }

    /// The same state answering listings from `search`.
    pub fn with_search(self, search: Search) -> AppState {
        self.with(|s| s.search = search)
    }

    /// The same state sending mail through `mailer`, with links to the archive at `base_url`.
    pub fn with_mailer(self, mailer: Arc<dyn Mailer>, base_url: &str) -> AppState {
        let posts_per_minute = self.options.posts_per_minute;
        self.with(|s| s.auth = Arc::new(AuthState::new(mailer, base_url, posts_per_minute)))
    }
}
