//! Quire's configuration: defaults, then a TOML file, then `QUIRE_*` environment variables,
//! then command-line flags, each overriding the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use quire_web::ServeOptions;
use quire_web::auth::{SmtpSettings, SmtpTls};
use serde::{Deserialize, Serialize};

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database (and later the search index) live. `QUIRE_DATA`.
    pub data: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the SQLite file in `data`.
    /// `QUIRE_DATABASE_URL`.
    pub database_url: Option<String>,
    /// Address `quire serve` listens on. `QUIRE_BIND`.
    pub bind: SocketAddr,
    /// The archive's name, shown on its pages. `QUIRE_SITE_NAME`.
    pub site_name: String,
    /// The address readers reach the archive at (`https://fic.example.org`), for the absolute
    /// links of feeds and the API; default `http://` and the bound address.
    /// `QUIRE_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// Seconds a client has to send a request's headers, which is also how long an idle
    /// keep-alive connection stays open (slow clients cannot hold connections).
    /// `QUIRE_HEADER_READ_TIMEOUT_SECS`.
    pub header_read_timeout_secs: u64,
    /// Seconds one request may take before it is answered 503. `QUIRE_REQUEST_TIMEOUT_SECS`.
    pub request_timeout_secs: u64,
    /// Requests answered at once; beyond it, 503 at once. `QUIRE_MAX_CONCURRENT_REQUESTS`.
    pub max_concurrent_requests: usize,
    /// Largest request body accepted, in bytes; larger is 413. `QUIRE_MAX_BODY_BYTES`.
    pub max_body_bytes: usize,
    /// Let works show images from other `https:` hosts (they learn who reads what).
    /// `QUIRE_REMOTE_IMAGES`.
    pub remote_images: bool,
    /// Mark cookies `Secure`: set when the archive is reached over HTTPS.
    /// `QUIRE_SECURE_COOKIES`.
    pub secure_cookies: bool,
    /// Send `Strict-Transport-Security` (one year): only when the archive is served over HTTPS
    /// and will stay so. `QUIRE_HSTS`.
    pub hsts: bool,
    /// API requests one client address may make in a burst, refilled over a minute; more
    /// are answered 429 with `Retry-After`; 0 turns the limit off.
    /// `QUIRE_API_REQUESTS_PER_MINUTE`.
    pub api_requests_per_minute: u32,
    /// Keep rendered guest pages in memory (off to measure what signed-in readers get, as the
    /// benchmarks do). `QUIRE_PAGE_CACHE`; `quire serve --no-page-cache`.
    pub page_cache: bool,
    /// Who may sign up: `open`, `invitation_only` or `closed`. `QUIRE_SIGNUPS`.
    pub signups: quire_web::Signups,
    /// State-changing requests (form posts) one address may send a minute; 0 for no limit.
    /// `QUIRE_POSTS_PER_MINUTE`.
    pub posts_per_minute: u32,
    /// Let guests comment (with a name and e-mail address) on works whose creators allow
    /// everyone to comment. `QUIRE_GUEST_COMMENTS`.
    pub guest_comments: bool,
    /// How the archive sends mail (password resets, invitations): `file` writes each message
    /// into `<data>/mail/`; `smtp` sends it through the `smtp_*` server. `QUIRE_MAILER`.
    pub mailer: MailerKind,
    /// The SMTP server's host name. `QUIRE_SMTP_HOST`.
    pub smtp_host: Option<String>,
    /// Its port; default by `smtp_tls`: 587, 465 or 25. `QUIRE_SMTP_PORT`.
    pub smtp_port: Option<u16>,
    /// `starttls` (default), `tls` (from the first byte) or `none` (a trusted local relay
    /// only). `QUIRE_SMTP_TLS`.
    pub smtp_tls: SmtpTls,
    /// Log in to the server with these (both, or neither). `QUIRE_SMTP_USERNAME`,
    /// `QUIRE_SMTP_PASSWORD`.
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// The `From:` of the archive's mail, e.g. `Quire <noreply@fic.example.org>`; needed for
    /// SMTP. `QUIRE_MAIL_FROM`.
    pub mail_from: Option<String>,
}

/// How mail leaves the archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailerKind {
    /// Files in `<data>/mail/`, for the operator to read or forward.
    #[default]
    File,
    Smtp,
}

impl Default for Config {
    fn default() -> Self {
        let serve = ServeOptions::default();
        Config {
            data: PathBuf::from("./quire-data"),
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            site_name: "Quire".to_owned(),
            public_url: None,
            header_read_timeout_secs: serve.header_read_timeout.as_secs(),
            request_timeout_secs: serve.request_timeout.as_secs(),
            max_concurrent_requests: serve.max_concurrent_requests,
            max_body_bytes: serve.max_body_bytes,
            remote_images: serve.remote_images,
            secure_cookies: serve.secure_cookies,
            hsts: serve.hsts,
            api_requests_per_minute: serve.api_requests_per_minute,
            page_cache: serve.page_cache,
            signups: serve.signups,
            posts_per_minute: serve.posts_per_minute,
            guest_comments: serve.guest_comments,
            mailer: MailerKind::File,
            smtp_host: None,
            smtp_port: None,
            smtp_tls: SmtpTls::default(),
            smtp_username: None,
            smtp_password: None,
            mail_from: None,
        }
    }
}

/// Settings given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_cache: Option<bool>,
}

/// The environment variables Quire reads as settings (others starting with `QUIRE_`, such as
/// the test switches, are not settings).
const ENV_KEYS: &[&str] = &[
    "data",
    "database_url",
    "bind",
    "site_name",
    "public_url",
    "header_read_timeout_secs",
    "request_timeout_secs",
    "max_concurrent_requests",
    "max_body_bytes",
    "remote_images",
    "secure_cookies",
    "hsts",
    "api_requests_per_minute",
    "page_cache",
    "signups",
    "posts_per_minute",
    "guest_comments",
    "mailer",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_username",
    "smtp_password",
    "mail_from",
];

impl Config {
    /// Loads the layers. A named config file must exist.
    pub fn load(file: Option<&Path>, flags: Overrides) -> Result<Config, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.is_file() {
                return Err(format!("config file {} does not exist", file.display()));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(Env::prefixed("QUIRE_").only(ENV_KEYS))
            .merge(Serialized::defaults(flags));
        let config: Config = figment
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))?;
        config.check()?;
        Ok(config)
    }

    /// Refuses limits that would stop the archive answering at all.
    fn check(&self) -> Result<(), String> {
        for (name, value) in [
            ("header_read_timeout_secs", self.header_read_timeout_secs),
            ("request_timeout_secs", self.request_timeout_secs),
            (
                "max_concurrent_requests",
                self.max_concurrent_requests as u64,
            ),
        ] {
            if value == 0 {
                return Err(format!(
                    "invalid configuration: `{name}` must be at least 1"
                ));
            }
        }
        self.smtp_settings()?;
        Ok(())
    }

    /// The SMTP server to send through, when `mailer = "smtp"`; an error names the setting
    /// that is missing.
    pub fn smtp_settings(&self) -> Result<Option<SmtpSettings>, String> {
        if self.mailer != MailerKind::Smtp {
            return Ok(None);
        }
        let missing =
            |name: &str| format!("invalid configuration: `mailer = \"smtp\"` needs `{name}`");
        let host = self.smtp_host.clone().ok_or_else(|| missing("smtp_host"))?;
        let from = self.mail_from.clone().ok_or_else(|| missing("mail_from"))?;
        if self.smtp_username.is_some() != self.smtp_password.is_some() {
            return Err(
                "invalid configuration: give both `smtp_username` and `smtp_password`, or neither"
                    .to_owned(),
            );
        }
        Ok(Some(SmtpSettings {
            host,
            port: self.smtp_port.unwrap_or(self.smtp_tls.default_port()),
            tls: self.smtp_tls,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            from,
        }))
    }

    /// The archive's public address without a trailing `/`: `public_url`, else `http://` and
    /// `served_at`.
    pub fn public_url_or(&self, served_at: &str) -> String {
        self.public_url
            .as_deref()
            .unwrap_or(served_at)
            .trim_end_matches('/')
            .to_owned()
    }

    /// The settings `quire serve` hands to the web server.
    pub fn serve_options(&self) -> ServeOptions {
        ServeOptions {
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            max_concurrent_requests: self.max_concurrent_requests,
            max_body_bytes: self.max_body_bytes,
            remote_images: self.remote_images,
            secure_cookies: self.secure_cookies,
            hsts: self.hsts,
            api_requests_per_minute: self.api_requests_per_minute,
            page_cache: self.page_cache,
            signups: self.signups,
            posts_per_minute: self.posts_per_minute,
            guest_comments: self.guest_comments,
            ..ServeOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deployment_example_is_a_valid_configuration() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/quire.toml");
        let config = Config::load(Some(&example), Overrides::default()).unwrap();
        assert!(config.secure_cookies && config.hsts);
        assert_eq!(config.signups, quire_web::Signups::InvitationOnly);
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://fic.example.org")
        );
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9000\"\nsite_name = \"Hollowmere\"\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            Overrides {
                data: Some("elsewhere".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.site_name, "Hollowmere");
        assert_eq!(config.data, PathBuf::from("elsewhere"));
    }

    #[test]
    fn serving_limits_come_from_the_file_and_zero_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(
            &file,
            "request_timeout_secs = 5\nmax_concurrent_requests = 64\nremote_images = true\n\
             secure_cookies = true\nhsts = true\n",
        )
        .unwrap();
        let options = Config::load(Some(&file), Overrides::default())
            .unwrap()
            .serve_options();
        assert_eq!(options.request_timeout, Duration::from_secs(5));
        assert_eq!(options.max_concurrent_requests, 64);
        assert!(options.remote_images && options.secure_cookies && options.hsts);
        assert_eq!(
            options.header_read_timeout,
            ServeOptions::default().header_read_timeout
        );
        std::fs::write(&file, "max_concurrent_requests = 0\n").unwrap();
        let err = Config::load(Some(&file), Overrides::default()).unwrap_err();
        assert!(err.contains("max_concurrent_requests"), "{err}");
    }

    #[test]
    fn smtp_settings_come_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(
            &file,
            "mailer = \"smtp\"\nsmtp_host = \"mail.example.org\"\n",
        )
        .unwrap();
        let err = Config::load(Some(&file), Overrides::default()).unwrap_err();
        assert!(err.contains("mail_from"), "{err}");
        std::fs::write(
            &file,
            "mailer = \"smtp\"\nsmtp_host = \"mail.example.org\"\nsmtp_tls = \"tls\"\n\
             mail_from = \"Quire <noreply@example.org>\"\nsmtp_username = \"quire\"\n\
             smtp_password = \"secret\"\n",
        )
        .unwrap();
        let smtp = Config::load(Some(&file), Overrides::default())
            .unwrap()
            .smtp_settings()
            .unwrap()
            .unwrap();
        assert_eq!(smtp.host, "mail.example.org");
        assert_eq!((smtp.tls, smtp.port), (SmtpTls::Tls, 465));
        assert_eq!(smtp.password.as_deref(), Some("secret"));
        assert!(!format!("{smtp:?}").contains("secret"));
        // The default stays the file mailer.
        assert_eq!(Config::default().smtp_settings(), Ok(None));
    }

    #[test]
    fn bad_files_are_reported_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(&file, "bind = \"not an address\"\n").unwrap();
        let err = Config::load(Some(&file), Overrides::default()).unwrap_err();
        assert!(err.starts_with("invalid configuration"), "{err}");
        assert!(!err.contains('\n'), "{err}");
        let missing = Config::load(Some(&dir.path().join("nope.toml")), Overrides::default());
        assert!(missing.unwrap_err().contains("does not exist"));
        std::fs::write(&file, "colour = \"blue\"\n").unwrap();
        assert!(
            Config::load(Some(&file), Overrides::default()).is_err(),
            "unknown keys are errors"
        );
    }
}
