//! `quire work`: an operator's changes to one work, as an admin would make them from the site
//! (a takedown request, a work that should be for members only). Each is one transaction with
//! its outbox entry, so every node drops the pages that showed the work within a poll.

use clap::Subcommand;
use quire_core::WorkId;

use crate::Failure;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum WorkCommand {
    /// Hide a work from everyone but its creators and admins.
    Hide { id: i64 },
    /// Show a hidden work again.
    Unhide { id: i64 },
    /// Show a work only to signed-in readers.
    Restrict { id: i64 },
    /// Show a restricted work to everyone again.
    Unrestrict { id: i64 },
}

pub async fn run(config: &Config, command: WorkCommand) -> Result<(), Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let (id, done) = match command {
        WorkCommand::Hide { id } => (id, store.set_hidden_by_admin(work(id)?, true)),
        WorkCommand::Unhide { id } => (id, store.set_hidden_by_admin(work(id)?, false)),
        WorkCommand::Restrict { id } => (id, store.set_restricted(work(id)?, true)),
        WorkCommand::Unrestrict { id } => (id, store.set_restricted(work(id)?, false)),
    };
    match done.await {
        Ok(()) => {
            println!("work {id} updated");
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
