//! `quire`: the command line of the archive.

mod backup;
mod config;
mod copy;
mod demo;
mod export;
mod export_many;
mod export_select;
mod import;
mod invite;
mod logging;
mod reindex;
mod seed;
mod serve;
mod tags;
mod user;
mod work;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use config::{Config, Overrides};

/// mimalloc instead of the system allocator: a page is rendered in many small strings, and
/// glibc's malloc spent a quarter of a signed-in listing's CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A fast, self-hostable fan-fiction archive.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about)]
struct Cli {
    /// Data directory (SQLite database, search index).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Use this database instead of the SQLite file in the data directory (postgres://…).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Read settings from this TOML file.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the log (standard error) as text lines or as JSON objects, one a line.
    #[arg(
        long,
        global = true,
        value_enum,
        env = "QUIRE_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: logging::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the archive over HTTP.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        bind: Option<std::net::SocketAddr>,
        /// Fill an empty data directory with a demo archive first (an existing one is reused).
        #[arg(long)]
        demo: bool,
        /// Render every page afresh (no cache of guest pages), as for benchmarks.
        #[arg(long)]
        no_page_cache: bool,
        /// Log every request (method, path without its query, route, status, time) at `info`.
        #[arg(long, env = "QUIRE_ACCESS_LOG")]
        access_log: bool,
    },
    /// Generate a deterministic synthetic corpus, into the database or as legacy files.
    Seed {
        /// Number of works.
        #[arg(long)]
        works: u64,
        /// Random seed: the same seed gives the same archive.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Cap on one work's length, in words.
        #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u32).range(100..))]
        max_words: u32,
        /// Write plain-text story files to this folder instead of the database.
        #[arg(long, value_name = "DIR")]
        emit_files: Option<PathBuf>,
    },
    /// Import legacy files, folders, zip files and eFiction dumps into the archive.
    Import {
        /// Files or folders (recursively) to import.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The archive the works come from (part of their source identity).
        #[arg(long, value_name = "NAME")]
        archive: Option<String>,
        /// An archive profile (TOML): name, defaults, rating/category/warning maps, label aliases.
        #[arg(long, value_name = "FILE.toml")]
        profile: Option<PathBuf>,
        /// Parse and report, store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the import report as JSON on stdout (and nothing else there).
        #[arg(long)]
        json: bool,
    },
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Copy the whole archive into another database (SQLite <-> PostgreSQL), resumably, and
    /// verify every table's rows and checksum. The search index is not copied (`quire reindex`).
    Copy {
        /// The target: postgres://… or sqlite:PATH. It must be empty, or an interrupted copy of
        /// this archive (which is resumed).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Empty a target that holds another archive, then copy.
        #[arg(long)]
        force: bool,
        /// Rows per batch (one transaction each).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        batch: u32,
    },
    /// Write a consistent snapshot of the archive (while it is served) into DIR: quire.db and
    /// manifest.json. Restores into either backend.
    Backup {
        /// A new or empty folder.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Restore a backup made by `quire backup` into the configured database, which must be
    /// empty unless --force. Then run `quire reindex`.
    Restore {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Empty a database that holds an archive, then restore.
        #[arg(long)]
        force: bool,
    },
    /// Manage accounts: add one (the first admin, say) or set a password.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Send invitation codes by mail, as an admin does: to each EMAIL, and/or to the oldest
    /// requests of the invitation queue.
    Invite {
        /// Addresses to invite.
        #[arg(value_name = "EMAIL", required_unless_present = "from_queue")]
        emails: Vec<String>,
        /// Invite the next N requests of the queue.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=1000))]
        from_queue: Option<i64>,
    },
    /// Rebuild the search index (the data directory's search-index/) from the database.
    Reindex {
        /// Also index the chapters' text (slower, and a larger index).
        #[arg(long)]
        chapter_text: bool,
    },
    /// Hide, show or restrict one work, as an admin would.
    Work {
        #[command(subcommand)]
        command: work::WorkCommand,
    },
    /// Wrangle tags: canonical tags, synonyms, parents, meta tags, renames.
    Tags {
        #[command(subcommand)]
        command: tags::TagsCommand,
    },
    /// Write posted works as EPUB, HTML or TXT: one (`quire export 12`), or many into a folder
    /// (`quire export --out DIR`, the whole archive or what the filters select). The
    /// operator's tool: restricted and adult works included, drafts and unposted chapters never.
    Export {
        /// One work's id. Without it, every work the filters select is written into --out DIR.
        work_id: Option<i64>,
        /// epub, html or txt.
        #[arg(long, default_value = "epub", value_parser = clap::value_parser!(quire_export::Format))]
        format: quire_export::Format,
        /// With a WORK_ID: the file to write (default: its AO3-style file name, e.g.
        /// `The_Lantern_Keeper.epub`). Without: the folder to write every file into.
        #[arg(short = 'o', long = "out", value_name = "FILE|DIR")]
        out: Option<PathBuf>,
        /// Only works matching this /works query string, e.g. 'fandom=Lanterns&rating=Mature'.
        #[arg(long, value_name = "QUERY", conflicts_with = "work_id")]
        query: Option<String>,
        /// Only works in this fandom (through its synonyms and sub-tags); repeat for several.
        #[arg(long = "fandom", value_name = "NAME", conflicts_with = "work_id")]
        fandoms: Vec<String>,
        /// Only works by this creator (their login).
        #[arg(long, value_name = "LOGIN", conflicts_with = "work_id")]
        creator: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account. The password is read from stdin (its first line); on a terminal one
    /// is generated and printed.
    Add {
        /// The login (3 to 40 letters, digits or underscores).
        login: String,
        #[arg(long)]
        email: String,
        /// Make the account an admin.
        #[arg(long)]
        admin: bool,
        /// Give a role (`wrangler`, `moderator`); repeat for several.
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
    },
    /// Set an account's password (from stdin, or generated on a terminal) and log out its
    /// sessions.
    Passwd { login: String },
    /// Give an existing account a role (`wrangler`, `moderator`); repeat for several.
    Grant {
        login: String,
        #[arg(long = "role", value_name = "ROLE", required = true)]
        roles: Vec<String>,
    },
    /// Make a personal API token for an account and print it (it is shown only this once);
    /// the account can list and revoke it on its tokens page.
    Token {
        login: String,
        /// What the token is for.
        #[arg(long, default_value = "made with quire user token")]
        name: String,
        /// Let the token post (leave kudos), not only read.
        #[arg(long)]
        write: bool,
    },
}

/// An error and the exit code it ends the program with.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Usage or configuration errors: exit code 2.
    fn usage(message: impl std::fmt::Display) -> Failure {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }

    /// Failures while working: exit code 1.
    fn runtime(message: impl std::fmt::Display) -> Failure {
        Failure {
            code: 1,
            message: message.to_string(),
        }
    }
}

impl From<quire_store::StoreError> for Failure {
    fn from(e: quire_store::StoreError) -> Self {
        use quire_store::StoreError as E;
        match e {
            E::Config(_)
            | E::Unreachable(_)
            | E::Corrupt(..)
            | E::NewerSchema(_)
            | E::Migration(_)
            | E::Backup(_) => Failure::usage(e),
            other => Failure::runtime(other),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let access_log = matches!(
        cli.command,
        Command::Serve {
            access_log: true,
            ..
        }
    );
    logging::init(cli.log_format, access_log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("quire: error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("quire: error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let (bind, page_cache) = match &cli.command {
        Command::Serve {
            bind,
            no_page_cache,
            ..
        } => (*bind, no_page_cache.then_some(false)),
        _ => (None, None),
    };
    let config = Config::load(
        cli.config.as_deref(),
        Overrides {
            data: cli.data,
            database_url: cli.database_url,
            bind,
            page_cache,
        },
    )
    .map_err(Failure::usage)?;

    match cli.command {
        Command::Serve { demo, .. } => serve::run(&config, demo).await,
        Command::Seed {
            works,
            seed,
            max_words,
            emit_files,
        } => {
            let options = quire_seed::CorpusOptions {
                works,
                seed,
                max_words,
            };
            seed::run(&config, options, emit_files.as_deref()).await
        }
        Command::Import {
            paths,
            archive,
            profile,
            dry_run,
            json,
        } => {
            let profile = match profile {
                Some(path) => import::load_profile(&path)?,
                None => quire_import::Profile::default(),
            };
            let options = quire_import::pipeline::ImportOptions {
                paths,
                archive: archive.filter(|a| !a.trim().is_empty()),
                profile,
                dry_run,
                full_report: json,
            };
            import::run(&config, options).await
        }
        Command::Invite { emails, from_queue } => invite::run(&config, &emails, from_queue).await,
        Command::Reindex { chapter_text } => reindex::run(&config, chapter_text).await,
        Command::Tags { command } => tags::run(&config, command).await,
        Command::Work { command } => work::run(&config, command).await,
        Command::Export {
            work_id,
            format,
            out,
            query,
            fandoms,
            creator,
        } => match (work_id, out) {
            (Some(work_id), out) => {
                let path = export::run(&config, work_id, format, out).await?;
                println!("wrote {}", path.display());
                Ok(())
            }
            (None, Some(dir)) => {
                let filters = export_select::Filters {
                    query,
                    fandoms,
                    creator,
                };
                export_many::run(&config, format, &dir, &filters).await
            }
            (None, None) => Err(Failure::usage(
                "give a WORK_ID to export one work, or --out DIR to export many",
            )),
        },
        Command::User { action } => match action {
            UserCommand::Add {
                login,
                email,
                admin,
                roles,
            } => user::add(&config, login, email, admin, &roles).await,
            UserCommand::Passwd { login } => user::passwd(&config, login).await,
            UserCommand::Grant { login, roles } => user::grant(&config, login, &roles).await,
            UserCommand::Token { login, name, write } => {
                user::token(&config, login, name, write).await
            }
        },
        Command::Copy { to, force, batch } => {
            let options = quire_store::copy::CopyOptions {
                force,
                batch_rows: batch as usize,
            };
            copy::run(&config, &to, options).await
        }
        Command::Backup { dir } => backup::run_backup(&config, &dir).await,
        Command::Restore { dir, force } => backup::run_restore(&config, &dir, force).await,
        Command::Migrate => {
            let store = open_store(&config, quire_store::Usage::Shared).await?;
            println!("database is up to date ({})", store.backend());
            Ok(())
        }
    }
}

/// Opens (and migrates) the configured database.
async fn open_store(
    config: &Config,
    usage: quire_store::Usage,
) -> Result<std::sync::Arc<dyn quire_store::Store>, Failure> {
    Ok(quire_store::open(config.database_url.as_deref(), &config.data, usage).await?)
}
