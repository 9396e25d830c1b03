//! Accounts on the web: sessions in the database behind an HttpOnly cookie, CSRF tokens for
//! every form, log-in throttling and rate limits, password hashing, and the mailer.
//!
//! A route learns who is signed in with the [`SignedIn`] extractor (or `Option<SignedIn>`);
//! [`Reader`](crate::viewer::Reader) builds the signed-in `Viewer` from the same session. A
//! form carries [`CsrfToken::value`] in a hidden `authenticity_token` field, and its POST
//! handler takes [`CheckedForm`] instead of `Form`, which refuses a missing or wrong token
//! with 403.

pub mod api_token;
pub mod csrf;
pub mod kept_sessions;
pub mod mailer;
pub mod operator;
pub mod password;
pub mod session;
pub mod smtp;
pub mod staff;
pub mod standing;
pub mod throttle;
pub mod tokens;
pub mod wrangler;

pub use csrf::{CheckedForm, CsrfToken};
pub use mailer::{FileMailer, Mail, MailError, Mailer, deliver};
pub use session::{ClientIp, SignedIn};
pub use smtp::{SmtpMailer, SmtpSettings, SmtpTls};
pub use staff::{Duty, Staff};
pub use wrangler::Wrangler;

use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::error::AppError;
use crate::state::AppState;
use throttle::PostLimiter;

/// Who may sign up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signups {
    /// Anyone.
    #[default]
    Open,
    /// With an invitation code (AO3's way); others can join the invitation queue.
    InvitationOnly,
    /// Nobody; accounts are made with `quire user add`.
    Closed,
}

/// What the account routes share: the mailer, the signing key of signed-out CSRF cookies,
/// and the rate limiter.
pub struct AuthState {
    pub mailer: Arc<dyn Mailer>,
    /// The archive's address as readers reach it (`https://archive.example`), for links in
    /// mail; never taken from a request's `Host`, which anyone can set.
    pub base_url: String,
    secret: OnceCell<Vec<u8>>,
    pub(crate) posts: PostLimiter,
}

impl AuthState {
    pub fn new(mailer: Arc<dyn Mailer>, base_url: &str, posts_per_minute: u32) -> AuthState {
        AuthState {
            mailer,
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret: OnceCell::new(),
            posts: PostLimiter::new(posts_per_minute),
        }
    }
}

impl AppState {
    /// The key every node signs signed-out CSRF cookies with, kept in the database.
    pub(crate) async fn site_secret(&self) -> Result<&[u8], AppError> {
        self.auth
            .secret
            .get_or_try_init(|| async {
                let fresh = tokens::random_token()?;
                let secret = self.store.site_secret("csrf", &fresh).await?;
                Ok::<_, AppError>(secret.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }
}
