//! What a node is doing, for Prometheus: requests by route and status with latency histograms,
//! the page cache's hits and misses, how far its followers trail the outbox, the changes it has
//! followed (imports among them), its database pools and requests in flight. Served at
//! `/metrics` in the OpenMetrics text format, which Prometheus scrapes; each node answers for
//! itself, so scrape every node, not the load balancer.
//!
//! Counters are updated as requests pass ([`observe`]); gauges are read when scraped.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::node::Follower;
use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern (`/works/{id}`), or `unmatched` for paths no route serves, so that
    /// the number of series stays bounded whatever clients ask for.
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

/// What the page cache did with a GET.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Served from the cache.
    Hit,
    /// Rendered (and kept, when it could be).
    Miss,
    /// Not for the cache: a signed-in reader, an API token, a consent being given.
    Bypass,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    outcome: &'static str,
}

/// The labels of [`CacheOutcome`]'s values, in their order.
const CACHE_OUTCOMES: [&str; 3] = ["hit", "miss", "bypass"];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SessionLabels {
    answer: &'static str,
}

/// The labels of [`Metrics::session_lookup`]'s answers: kept in memory, or read.
const SESSION_ANSWERS: [&str; 2] = ["kept", "database"];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChangeLabels {
    entity: String,
    op: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FollowerLabels {
    follower: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

type Seconds = Gauge<f64, AtomicU64>;

/// The node's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    /// Hit, miss and bypass, resolved once: a cached page is served without a label lookup.
    page_cache: [Counter; 3],
    /// Session lookups answered from memory, and from the database.
    session_lookups: [Counter; 2],
    changes: Family<ChangeLabels, Counter>,
    // Read when scraped.
    database_up: Gauge,
    outbox_head: Gauge,
    outbox_applied: Family<FollowerLabels, Gauge>,
    outbox_lag: Family<FollowerLabels, Gauge>,
    follower_silence: Family<FollowerLabels, Seconds>,
    index_ready: Gauge,
    cached_pages: Gauge,
    cached_bytes: Gauge,
    in_flight: Gauge,
    pool_open: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    pool_max: Family<PoolLabels, Gauge>,
}

/// Latency buckets, in seconds: from 100 µs (a cached page) to 10 s.
fn latency_histogram() -> Histogram {
    Histogram::new([
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        5.0, 10.0,
    ])
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::with_prefix("quire"),
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            page_cache: Default::default(),
            session_lookups: Default::default(),
            changes: Family::default(),
            database_up: Gauge::default(),
            outbox_head: Gauge::default(),
            outbox_applied: Family::default(),
            outbox_lag: Family::default(),
            follower_silence: Family::default(),
            index_ready: Gauge::default(),
            cached_pages: Gauge::default(),
            cached_bytes: Gauge::default(),
            in_flight: Gauge::default(),
            pool_open: Family::default(),
            pool_idle: Family::default(),
            pool_max: Family::default(),
        };
        let page_cache = Family::<CacheLabels, Counter>::default();
        for (counter, outcome) in metrics.page_cache.iter_mut().zip(CACHE_OUTCOMES) {
            *counter = page_cache.get_or_create(&CacheLabels { outcome }).clone();
        }
        let session_lookups = Family::<SessionLabels, Counter>::default();
        for (counter, answer) in metrics.session_lookups.iter_mut().zip(SESSION_ANSWERS) {
            *counter = session_lookups
                .get_or_create(&SessionLabels { answer })
                .clone();
        }
        let r = &mut metrics.registry;
        r.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            metrics.requests.clone(),
        );
        r.register_with_unit(
            "http_request_duration",
            "Time from a request's headers to its response, by route",
            Unit::Seconds,
            metrics.latency.clone(),
        );
        r.register(
            "page_cache_requests",
            "GETs of cacheable pages: hit (served from memory), miss (rendered), bypass (signed in, token, consent)",
            page_cache.clone(),
        );
        r.register(
            "session_lookups",
            "Sessions looked up: kept (answered from memory, on SQLite) or database",
            session_lookups,
        );
        r.register(
            "outbox_changes",
            "Outbox changes this node has followed, by entity and operation (imports show as work creates)",
            metrics.changes.clone(),
        );
        r.register(
            "database_up",
            "1 when the database answered the scrape's ping",
            metrics.database_up.clone(),
        );
        r.register(
            "outbox_head_seq",
            "The newest change in the database's outbox",
            metrics.outbox_head.clone(),
        );
        r.register(
            "outbox_applied_seq",
            "The outbox position each follower has applied",
            metrics.outbox_applied.clone(),
        );
        r.register(
            "outbox_lag_changes",
            "Changes in the outbox a follower has not applied yet",
            metrics.outbox_lag.clone(),
        );
        r.register_with_unit(
            "outbox_follower_silence",
            "Time since a follower last read the outbox",
            Unit::Seconds,
            metrics.follower_silence.clone(),
        );
        r.register(
            "search_index_ready",
            "1 when listings come from this node's search index",
            metrics.index_ready.clone(),
        );
        r.register(
            "page_cache_entries",
            "Guest pages kept in memory",
            metrics.cached_pages.clone(),
        );
        r.register(
            "page_cache_bytes",
            "Bytes of guest pages and of chapters' text kept in memory",
            metrics.cached_bytes.clone(),
        );
        r.register(
            "http_requests_in_flight",
            "Requests being answered",
            metrics.in_flight.clone(),
        );
        r.register(
            "db_pool_connections_open",
            "Database connections open, by pool",
            metrics.pool_open.clone(),
        );
        r.register(
            "db_pool_connections_idle",
            "Open database connections not in use, by pool",
            metrics.pool_idle.clone(),
        );
        r.register(
            "db_pool_connections_max",
            "The most connections a pool may open",
            metrics.pool_max.clone(),
        );
        metrics
    }

    /// Counts one answered request, and writes its access log line when `path` is given
    /// (when [`access_logged`]).
    pub fn answered(
        &self,
        route: &str,
        method: &Method,
        path: Option<&str>,
        status: StatusCode,
        took: Duration,
    ) {
        self.request(route, method, status, took);
        if let Some(path) = path {
            tracing::info!(
                target: "quire::access",
                method = %method,
                path = %path,
                route = %route,
                status = status.as_u16(),
                micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
            );
        }
    }

    /// Counts one answered request.
    fn request(&self, route: &str, method: &Method, status: StatusCode, took: Duration) {
        let route = route.to_owned();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method: method_label(method),
                status: status.as_u16(),
            })
            .inc();
    }

    /// Counts what the page cache did with a GET.
    pub fn page_cache(&self, outcome: CacheOutcome) {
        self.page_cache[outcome as usize].inc();
    }

    /// Counts a session lookup, answered from memory when `kept`.
    pub fn session_lookup(&self, kept: bool) {
        self.session_lookups[usize::from(!kept)].inc();
    }

    /// Counts changes the page cache's follower read.
    pub fn changes_followed(&self, changes: &[quire_store::Change]) {
        for change in changes {
            self.changes
                .get_or_create(&ChangeLabels {
                    entity: change.entity.clone(),
                    op: change.op.clone(),
                })
                .inc();
        }
    }

    fn follower(&self, name: &'static str, follower: &Follower, head: Option<i64>) {
        let labels = FollowerLabels { follower: name };
        let applied = follower.applied();
        self.outbox_applied
            .get_or_create(&labels)
            .set(applied.unwrap_or(-1));
        if let (Some(head), Some(applied)) = (head, applied) {
            self.outbox_lag
                .get_or_create(&labels)
                .set((head - applied).max(0));
        }
        self.follower_silence
            .get_or_create(&labels)
            .set(follower.silent_for().map_or(f64::NAN, |d| d.as_secs_f64()));
    }
}

/// The `method` label: the common methods by name, the rest as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Counts every request by route and status, times it, and writes the access log line
/// (target `quire::access`, at `info`: `serve --access-log` turns it on). The log names the
/// path, never the query string, which can carry a password-reset token.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    let path = access_logged().then(|| request.uri().path().to_owned());
    let response = next.run(request).await;
    state.metrics.answered(
        &route,
        &method,
        path.as_deref(),
        response.status(),
        started.elapsed(),
    );
    response
}

/// Whether the access log is on.
pub fn access_logged() -> bool {
    tracing::enabled!(target: "quire::access", tracing::Level::INFO)
}

/// `GET /metrics`.
pub async fn show(State(state): State<AppState>) -> Response {
    let metrics = Arc::clone(&state.metrics);
    let head = state.store.last_change_seq().await.ok();
    metrics.database_up.set(i64::from(head.is_some()));
    if let Some(head) = head {
        metrics.outbox_head.set(head);
    }
    metrics.follower("pages", &state.node.pages, head);
    if state.search.index().is_some() {
        metrics.follower("search_index", &state.node.index, head);
    }
    metrics
        .index_ready
        .set(i64::from(state.search.ready().is_some()));
    metrics
        .cached_pages
        .set(i64::try_from(state.pages.len()).unwrap_or(i64::MAX));
    metrics
        .cached_bytes
        .set(i64::try_from(state.pages.bytes()).unwrap_or(i64::MAX));
    let max = state.options.max_concurrent_requests;
    let free = state.in_flight.available_permits();
    metrics
        .in_flight
        .set(i64::try_from(max.saturating_sub(free)).unwrap_or(i64::MAX));
    for pool in state.store.pool_use() {
        let labels = PoolLabels { pool: pool.name };
        metrics
            .pool_open
            .get_or_create(&labels)
            .set(pool.open.into());
        metrics
            .pool_idle
            .get_or_create(&labels)
            .set(pool.idle.into());
        metrics.pool_max.get_or_create(&labels).set(pool.max.into());
    }
    let mut body = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut body, &metrics.registry) {
        return crate::error::AppError::Internal(format!("encoding metrics: {e}")).into_response();
    }
    (
        [
            (
                CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
