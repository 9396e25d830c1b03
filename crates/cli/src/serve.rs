//! `quire serve`: binds, prints where the archive is, serves until Ctrl-C or SIGTERM.

use std::io::Write as _;

use quire_search::INDEX_DIR;
use quire_web::{AppState, Search};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::{Failure, demo, open_store};

pub async fn run(config: &Config, demo: bool) -> Result<(), Failure> {
    // Bind first: a port in use should fail before any slow work.
    let listener = TcpListener::bind(config.bind).await.map_err(|e| {
        Failure::usage(format!(
            "cannot listen on {}: {e}; pick another address with --bind",
            config.bind
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::usage(format!("cannot read the bound address: {e}")))?;
    let store = open_store(config, quire_store::Usage::Shared).await?;
    let examples = if demo {
        Some(demo::prepare(&*store).await?)
    } else {
        None
    };
    // Each node keeps its own index; one that cannot be opened at all (a permissions
    // problem, say) leaves listings to the database rather than stopping the archive.
    let index_dir = config.data.join(INDEX_DIR);
    let search = match Search::open(&index_dir) {
        Ok(search) => search,
        Err(e) => {
            tracing::error!(
                "cannot open the search index at {}: {e}; listings come from the database",
                index_dir.display()
            );
            Search::none()
        }
    };
    let url = format!("http://{addr}/");
    let public_url = config.public_url_or(&url);
    // Password reset links and invitations: files in <data>/mail/, or SMTP as configured.
    let mailer = crate::invite::mailer(config)?;
    let state = AppState::with_options(store, config.serve_options())
        .with_search(search)
        .with_mailer(mailer, &public_url)
        .with_site(&config.site_name, &public_url);

    println!("Quire is serving {url}");
    if let Some(examples) = examples {
        examples.print(&url);
    }
    quire_web::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| Failure::runtime(format!("server stopped: {e}")))?;
    // stdout may be gone by now (a closed pipe); that is no reason to fail.
    let _ = writeln!(std::io::stdout(), "Quire stopped.");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
