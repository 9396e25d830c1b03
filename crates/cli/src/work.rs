//! `quire work`: an operator's changes to one work, as an admin would make them from the site
//! (a takedown request, a work that should be for members only). Each is one transaction with
//! its outbox entry and its line in the audit log (`/admin/log`, by `command line`), so every
//! node drops the pages that showed the work within a poll.

use clap::Subcommand;
use quire_core::WorkId;
use quire_store::{Actor, WorkModeration};

use crate::Failure;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum WorkCommand {
    /// Hide a work from everyone but its creators and admins.
    Hide {
        id: i64,
        /// Why, for the audit log.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Show a hidden work again.
    Unhide {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Show a work only to signed-in readers.
    Restrict {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Show a restricted work to everyone again.
    Unrestrict {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
}

pub async fn run(config: &Config, command: WorkCommand) -> Result<(), Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let (id, change, reason) = match command {
        WorkCommand::Hide { id, reason } => (id, WorkModeration::Hide, reason),
        WorkCommand::Unhide { id, reason } => (id, WorkModeration::Unhide, reason),
        WorkCommand::Restrict { id, reason } => (id, WorkModeration::Restrict, reason),
        WorkCommand::Unrestrict { id, reason } => (id, WorkModeration::Unrestrict, reason),
    };
    let now = quire_web::auth::tokens::now();
    let done = store
        .moderate_work(
            &Actor::command_line(),
            work(id)?,
            change,
            reason.trim(),
            now,
        )
        .await;
    match done {
        Ok(true) => {
            println!("work {id} updated");
            Ok(())
        }
        Ok(false) => {
            println!("work {id} unchanged (it was that way already)");
            Ok(())
        }
        Err(quire_store::StoreError::NotFound(_)) => {
            Err(Failure::usage(format!("there is no work {id}")))
        }
        Err(e) => Err(e.into()),
    }
}

fn work(id: i64) -> Result<WorkId, Failure> {
    if id <= 0 {
        return Err(Failure::usage(format!("`{id}` is not a work id")));
    }
    Ok(id)
}
