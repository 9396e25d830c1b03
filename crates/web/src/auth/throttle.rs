//! Limits on guessing and flooding: failed log-ins lock the account and the address for
//! longer and longer (kept in the database, so every node sees them), and each address may
//! send only so many state-changing requests a minute (kept in memory, per node).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quire_store::ThrottlePolicy;

use super::session::ClientIp;
use crate::error::AppError;
use crate::state::AppState;

/// Per account: five wrong passwords, then 30 s, doubling to an hour.
pub const ACCOUNT_POLICY: ThrottlePolicy = ThrottlePolicy {
    free_failures: 5,
    window_secs: 86_400,
    base_lock_secs: 30,
    max_lock_secs: 3_600,
};

/// Per address: more room (a household or a school shares one), the same growth.
pub const ADDRESS_POLICY: ThrottlePolicy = ThrottlePolicy {
    free_failures: 20,
    window_secs: 86_400,
    base_lock_secs: 30,
    max_lock_secs: 3_600,
};

/// The throttle key of an account, by its login as typed (any case).
pub fn account_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

/// A token bucket per address for POSTs: `per_minute` requests, refilled evenly.
pub struct PostLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Addresses remembered at most; past this the oldest state is dropped wholesale.
const MAX_TRACKED: usize = 100_000;

impl PostLimiter {
    pub fn new(per_minute: u32) -> PostLimiter {
        PostLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when `ip` has used up its requests.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / 60.0;
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_TRACKED {
            buckets.clear();
        }
        let (tokens, last) = buckets.entry(ip).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_sec).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - *tokens) / per_sec);
            Err(wait.as_secs().max(1))
        }
    }
}

/// Answers 429 with `Retry-After` to an address sending more state-changing requests than
/// `ServeOptions::posts_per_minute`. Reading is not limited here (the page cache and the
/// concurrency limit take care of it).
pub async fn limit_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if let ClientIp(Some(ip)) = ClientIp::of(request.extensions())
        && let Err(retry_after) = state.auth.posts.check(ip)
    {
        return AppError::RateLimited { retry_after }.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let limiter = PostLimiter::new(3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(limiter.check(other).is_ok());
    }

    #[test]
    fn lock_times_double_from_the_free_failures_on() {
        assert_eq!(ACCOUNT_POLICY.locked_until(4, 100), 0);
        assert_eq!(ACCOUNT_POLICY.locked_until(5, 100), 130);
        assert_eq!(ACCOUNT_POLICY.locked_until(6, 100), 160);
        assert_eq!(ACCOUNT_POLICY.locked_until(40, 100), 3_700);
    }
}
