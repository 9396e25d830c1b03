//! Sending invitation codes: a fresh code per address, stored (as a hash) before its mail goes
//! out, and taken back when the mail cannot be sent, so that nobody holds an invitation they
//! never got. Used by the admin area, members' invitation pages and `quire invite`.

use std::sync::Arc;

use chrono::DateTime;
use quire_store::{Actor, Invited, Inviter, Store};

use crate::auth::tokens::{hash_token, now, random_token};
use crate::auth::{Mail, MailError, Mailer, deliver};
use crate::error::AppError;

pub use crate::routes::signups::email_problem;

/// What sending needs: where codes are kept, how mail goes, and how the archive is reached.
pub struct Sender<'a> {
    pub store: &'a dyn Store,
    pub mailer: &'a Arc<dyn Mailer>,
    pub site_name: &'a str,
    /// The archive's address without a trailing `/`, for the sign-up link.
    pub base_url: &'a str,
}

/// What sending to one address came to.
#[derive(Debug)]
pub enum Sent {
    /// Stored and mailed.
    Mailed,
    /// Refused by the store (an account has the address, an invitation is waiting, no
    /// invitations left); nothing was stored or mailed.
    Refused(Invited),
    /// The mail failed; the invitation was taken back.
    MailFailed(MailError),
}

/// What inviting from the queue came to.
#[derive(Debug, Default)]
pub struct QueueRun {
    /// The addresses mailed a code.
    pub mailed: Vec<String>,
    /// The addresses whose mail failed; they wait in the queue again.
    pub failed: Vec<MailError>,
}

impl Sender<'_> {
    /// Invites the oldest `count` requests of the queue.
    pub async fn invite_next(&self, by: &Actor, count: i64) -> Result<QueueRun, AppError> {
        let mut run = QueueRun::default();
        for request in self.store.invitation_queue(count).await? {
            let code = random_token()?;
            let stored = self
                .store
                .invite_from_queue(by, &request.email, &hash_token(&code), now())
                .await?;
            // Another admin answered it meanwhile.
            if !stored {
                continue;
            }
            match self.mail(&request.email, &code, None).await {
                Ok(()) => run.mailed.push(request.email),
                Err(e) => run.failed.push(e),
            }
        }
        Ok(run)
    }

    /// Invites one address, from staff or from a member (`from` names them in the mail).
    pub async fn invite_address(
        &self,
        by: &Inviter,
        from: Option<&str>,
        email: &str,
    ) -> Result<Sent, AppError> {
        let code = random_token()?;
        match self
            .store
            .invite_address(by, email, &hash_token(&code), now())
            .await?
        {
            Invited::Sent => {}
            refused => return Ok(Sent::Refused(refused)),
        }
        Ok(match self.mail(email, &code, from).await {
            Ok(()) => Sent::Mailed,
            Err(e) => Sent::MailFailed(e),
        })
    }

    /// Mails the code; when that fails, takes the invitation back.
    async fn mail(&self, email: &str, code: &str, from: Option<&str>) -> Result<(), MailError> {
        let mail = invitation_mail(self.site_name, self.base_url, email, code, from);
        let sent = deliver(self.mailer, mail).await;
        if let Err(e) = &sent {
            tracing::error!(error = %e, "invitation mail not sent; the invitation is taken back");
            if let Err(e) = self.store.withdraw_invitation(&hash_token(code)).await {
                tracing::error!(error = %e, "the unsent invitation could not be taken back");
            }
        }
        sent
    }
}

/// The message that carries a code: a link that fills in the sign-up form, and the code.
pub fn invitation_mail(
    site_name: &str,
    base_url: &str,
    email: &str,
    code: &str,
    from: Option<&str>,
) -> Mail {
    let who = from.map_or_else(
        || "You have been invited".to_owned(),
        |login| format!("{login} has invited you"),
    );
    Mail {
        to: email.to_owned(),
        subject: format!("Your invitation to {site_name}"),
        body: format!(
            "{who} to join {site_name}, an archive of fan works.\r\n\r\n\
             To create your account, open this link:\r\n\
             {base_url}/users/new?invitation={code}\r\n\r\n\
             Or enter this invitation code on the sign-up page:\r\n{code}\r\n\r\n\
             The code works for one account. If you did not ask for it, ignore this message."
        ),
    }
}

/// Why an invitation was not sent, as a form or the command line says it.
pub fn refusal(why: Invited, email: &str) -> String {
    match why {
        Invited::Sent => format!("{email} was invited."),
        Invited::HasAccount => format!("{email} already belongs to an account on this archive."),
        Invited::AlreadyInvited { at } => format!(
            "{email} was sent an invitation on {} that has not been used yet.",
            day(at)
        ),
        Invited::NoneLeft => {
            "You have no invitations left to send. Admins grant members more from time to time."
                .to_owned()
        }
    }
}

/// A time as the invitation pages show it: its UTC day.
pub fn day(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}
