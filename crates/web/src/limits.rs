//! Limits on what one request may cost: how many are answered at once, how long one may take,
//! how large its body may be. Each turns into a clear error page (`AppError`), never a hang.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// Turns a request away with 503 `overloaded` when `max_concurrent_requests` are already being
/// answered. Shedding at once (rather than queueing) keeps the answer fast for those admitted
/// and tells the others to come back, instead of letting a flood pile up behind the limit.
pub async fn concurrency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return AppError::Overloaded.into_response();
    };
    next.run(request).await
}

/// Answers 503 `timeout` when a request takes longer than `request_timeout`; the work on it
/// is dropped.
pub async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.options.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    }
}

/// What the posting forms may send: a chapter of AO3's 510,000 characters is up to 2 MB of
/// UTF-8, and up to three times that once form-encoded, with its notes beside it.
pub const POSTING_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The largest body a request may send: `max_body_bytes`, or [`POSTING_BODY_BYTES`] for a
/// POST of a form that carries a chapter's text (a new work, a new or edited chapter) or a
/// work's notes, and for the API's requests that do (`POST /api/v1/works`, `PATCH` of a work
/// or chapter, `POST` of a chapter).
pub fn body_limit(max_body_bytes: usize, method: &Method, path: &str) -> usize {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let form = method == Method::POST
        && matches!(
            segments.as_slice(),
            ["works"] | ["works", _, "edit" | "chapters"] | ["works", _, "chapters", _, "edit"]
        );
    let api = match segments.as_slice() {
        ["api", "v1", "works"] | ["api", "v1", "works", _, "chapters"] => method == Method::POST,
        ["api", "v1", "works", _] | ["api", "v1", "works", _, "chapters", _] => {
            method == Method::PATCH
        }
        _ => false,
    };
    if form || api {
        max_body_bytes.max(POSTING_BODY_BYTES)
    } else {
        max_body_bytes
    }
}

/// Refuses a body announced as larger than [`body_limit`] allows with 413 before it is read;
/// a chunked body is cut off at the same size by [`axum::extract::DefaultBodyLimit`] (the
/// posting routes set their own) and by the CSRF-checked form reader.
pub async fn body_size(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = body_limit(
        state.options.max_body_bytes,
        request.method(),
        request.uri().path(),
    );
    let announced = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return AppError::BodyTooLarge { limit }.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::Router;
    use axum::routing::{get, post};
    use quire_store::testing::TestDb;
    use tokio::sync::Notify;

    use super::*;
    use crate::state::ServeOptions;

    /// Serves `router` on a loopback port with these limits; returns its base URL.
    async fn serve(router: Router<AppState>, options: ServeOptions) -> (String, TestDb) {
        let db = TestDb::sqlite().await;
        let state = AppState::with_options(Arc::clone(&db.store), options);
        let app = router
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                body_size,
            ))
            .layer(axum::middleware::from_fn_with_state(state.clone(), timeout))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                concurrency,
            ))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (base, db)
    }

    #[test]
    fn only_the_posting_forms_may_send_a_chapter_sized_body() {
        let small = 1024;
        for path in [
            "/works",
            "/works/5/edit",
            "/works/5/chapters",
            "/works/5/chapters/7/edit",
        ] {
            assert_eq!(
                body_limit(small, &Method::POST, path),
                POSTING_BODY_BYTES,
                "{path}"
            );
            assert_eq!(body_limit(small, &Method::GET, path), small, "{path}");
        }
        for path in [
            "/users/login",
            "/works/5/kudos",
            "/api/v1/works/5/kudos",
            "/api/v1/works/5/bookmark",
            "/works/5/delete",
        ] {
            assert_eq!(body_limit(small, &Method::POST, path), small, "{path}");
        }
        for (method, path) in [
            (Method::POST, "/api/v1/works"),
            (Method::PATCH, "/api/v1/works/5"),
            (Method::POST, "/api/v1/works/5/chapters"),
            (Method::PATCH, "/api/v1/works/5/chapters/7"),
        ] {
            assert_eq!(
                body_limit(small, &method, path),
                POSTING_BODY_BYTES,
                "{path}"
            );
        }
        assert_eq!(body_limit(small, &Method::DELETE, "/api/v1/works/5"), small);
    }

    #[tokio::test]
    async fn a_request_beyond_the_concurrency_limit_gets_a_clear_503() {
        let release = Arc::new(Notify::new());
        let held = Arc::clone(&release);
        let router = Router::new().route(
            "/slow",
            get(move || {
                let held = Arc::clone(&held);
                async move {
                    held.notified().await;
                    "done"
                }
            }),
        );
        let options = ServeOptions {
            max_concurrent_requests: 1,
            ..ServeOptions::default()
        };
        let (base, _db) = serve(router, options).await;
        let first = tokio::spawn(reqwest::get(format!("{base}/slow")));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let second = reqwest::get(format!("{base}/slow")).await.unwrap();
        assert_eq!(second.status(), 503);
        assert_eq!(second.headers()["retry-after"], "5");
        let page = second.text().await.unwrap();
        assert!(page.contains("too many requests at once"), "{page}");
        assert!(page.contains("overloaded"), "{page}");
        release.notify_one();
        assert_eq!(first.await.unwrap().unwrap().status(), 200);
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_gets_a_clear_503() {
        let router = Router::new().route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "done"
            }),
        );
        let options = ServeOptions {
            request_timeout: Duration::from_millis(100),
            ..ServeOptions::default()
        };
        let (base, _db) = serve(router, options).await;
        let response = reqwest::get(format!("{base}/slow")).await.unwrap();
        assert_eq!(response.status(), 503);
        let page = response.text().await.unwrap();
        assert!(page.contains("took too long"), "{page}");
        assert!(page.contains("<code>timeout</code>"), "{page}");
    }

    #[tokio::test]
    async fn a_body_larger_than_the_limit_is_refused_with_413() {
        let router = Router::new().route("/form", post(|body: String| async move { body }));
        let options = ServeOptions {
            max_body_bytes: 16,
            ..ServeOptions::default()
        };
        let (base, _db) = serve(router, options).await;
        let client = reqwest::Client::new();
        let small = client.post(format!("{base}/form")).body("short").send();
        assert_eq!(small.await.unwrap().status(), 200);
        let big = client
            .post(format!("{base}/form"))
            .body("x".repeat(1000))
            .send()
            .await
            .unwrap();
        assert_eq!(big.status(), 413);
        assert!(big.text().await.unwrap().contains("body_too_large"));
    }
}
