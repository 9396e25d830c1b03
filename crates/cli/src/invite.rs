//! `quire invite`: invitations sent by the operator, as an admin sends them from the admin
//! area: `quire invite EMAIL…` mails each address a code, `quire invite --from-queue N` the
//! oldest N requests of the invitation queue. Each is in the audit log as the command line's.

use std::sync::Arc;

use quire_store::{Actor, Inviter};
use quire_web::auth::{FileMailer, Mailer, SmtpMailer};
use quire_web::invitations::{Sender, Sent};

use crate::config::Config;
use crate::{Failure, open_store};

/// The mailer the configuration asks for: files in `<data>/mail/` unless `mailer = "smtp"`.
pub fn mailer(config: &Config) -> Result<Arc<dyn Mailer>, Failure> {
    match config.smtp_settings().map_err(Failure::usage)? {
        Some(smtp) => {
            Ok(Arc::new(SmtpMailer::new(&smtp).map_err(|e| {
                Failure::usage(format!("invalid configuration: {e}"))
            })?))
        }
        None => Ok(Arc::new(FileMailer::new(config.data.join("mail")))),
    }
}

pub async fn run(
    config: &Config,
    emails: &[String],
    from_queue: Option<i64>,
) -> Result<(), Failure> {
    let store = open_store(config, quire_store::Usage::Shared).await?;
    let mailer = mailer(config)?;
    let base_url = config.public_url_or(&format!("http://{}", config.bind));
    let sender = Sender {
        store: &*store,
        mailer: &mailer,
        site_name: &config.site_name,
        base_url: &base_url,
    };
    let actor = Actor::command_line();
    let mut failed = false;
    if let Some(count) = from_queue {
        let run = sender
            .invite_next(&actor, count)
            .await
            .map_err(Failure::runtime)?;
        for email in &run.mailed {
            println!("invited {email}");
        }
        for e in &run.failed {
            eprintln!("{e}; the request waits in the queue again");
        }
        failed |= !run.failed.is_empty();
        if run.mailed.is_empty() && run.failed.is_empty() {
            println!("nobody is waiting in the invitation queue");
        }
    }
    let by = Inviter::Staff(actor);
    for email in emails {
        if let Some(problem) = quire_web::invitations::email_problem(email) {
            eprintln!("{email}: {problem}");
            failed = true;
            continue;
        }
        match sender
            .invite_address(&by, None, email)
            .await
            .map_err(Failure::runtime)?
        {
            Sent::Mailed => println!("invited {email}"),
            Sent::Refused(why) => {
                eprintln!(
                    "not invited: {}",
                    quire_web::invitations::refusal(why, email)
                );
                failed = true;
            }
            Sent::MailFailed(e) => {
                eprintln!("{e}; nothing was sent");
                failed = true;
            }
        }
    }
    if failed {
        return Err(Failure::runtime("some invitations were not sent"));
    }
    Ok(())
}
