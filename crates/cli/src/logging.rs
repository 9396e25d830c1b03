//! Where Quire's log goes: standard error, as text lines or JSON objects (one per line, for a
//! log collector), filtered by `QUIRE_LOG` (`tracing`'s filter syntax; default `warn`). The
//! access log (one `info` line per request, target `quire::access`) is off unless
//! `serve --access-log` or `QUIRE_ACCESS_LOG=true` turns it on: a proxy in front usually logs
//! requests already.

use clap::ValueEnum;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line.
    Json,
}

/// Installs the global subscriber.
pub fn init(format: LogFormat, access_log: bool) {
    let mut filter =
        EnvFilter::try_from_env("QUIRE_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    if access_log && let Ok(directive) = "quire::access=info".parse() {
        filter = filter.add_directive(directive);
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
