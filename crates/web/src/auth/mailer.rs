//! Sending e-mail (password resets, invitations) through a pluggable [`Mailer`]. The default
//! writes each message as a file into `<data>/mail/`, for an operator to read or forward;
//! [`super::smtp::SmtpMailer`] sends it through an SMTP server. Callers send with [`deliver`],
//! off the async threads.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the message to {to} could not be sent: {reason}")]
pub struct MailError {
    pub to: String,
    pub reason: String,
}

/// Sends mail. `send` may block (a file write, an SMTP conversation): call it through
/// [`deliver`], which runs it on tokio's blocking threads.
pub trait Mailer: Send + Sync {
    fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// Sends `mail` on a blocking thread, so that a slow mail server holds no async thread.
pub async fn deliver(mailer: &Arc<dyn Mailer>, mail: Mail) -> Result<(), MailError> {
    let mailer = Arc::clone(mailer);
    let to = mail.to.clone();
    tokio::task::spawn_blocking(move || mailer.send(&mail))
        .await
        .unwrap_or_else(|e| {
            Err(MailError {
                to,
                reason: format!("the mailer stopped: {e}"),
            })
        })
}

/// Writes each message into a folder as `<unix time>-<n>.eml`.
pub struct FileMailer {
    dir: PathBuf,
    sent: AtomicU64,
}

impl FileMailer {
    pub fn new(dir: impl Into<PathBuf>) -> FileMailer {
        FileMailer {
            dir: dir.into(),
            sent: AtomicU64::new(0),
        }
    }
}

impl Mailer for FileMailer {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let failed = |e: std::io::Error| MailError {
            to: mail.to.clone(),
            reason: format!("{}: {e}", self.dir.display()),
        };
        std::fs::create_dir_all(&self.dir).map_err(failed)?;
        let n = self.sent.fetch_add(1, Ordering::Relaxed);
        let name = format!(
            "{}-{}-{n}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S"),
            std::process::id()
        );
        let text = format!(
            "To: {}\r\nSubject: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
            mail.to.replace(['\r', '\n'], ""),
            mail.subject.replace(['\r', '\n'], " "),
            mail.body
        );
        std::fs::write(self.dir.join(name), text).map_err(failed)
    }
}

/// Sends nothing and says so: the archive has no mail configured.
pub struct NoMailer;

impl Mailer for NoMailer {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        Err(MailError {
            to: mail.to.clone(),
            reason: "this archive has no mailer configured".to_owned(),
        })
    }
}
