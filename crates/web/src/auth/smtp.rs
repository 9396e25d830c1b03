//! [`SmtpMailer`]: sends the archive's mail through an SMTP server (lettre, over rustls), as
//! configured with `mailer = "smtp"` and the `smtp_*` settings.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use super::mailer::{Mail, MailError, Mailer};

/// How long one message may take to send (connect, greet, send, quit).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS, which the server must offer (port 587).
    #[default]
    #[serde(rename = "starttls")]
    StartTls,
    /// TLS from the first byte ("SMTPS", port 465).
    #[serde(rename = "tls")]
    Tls,
    /// No encryption: only for a relay on the same host or a trusted network (port 25).
    #[serde(rename = "none")]
    Plain,
}

impl SmtpTls {
    /// The port this mode is usually served on.
    pub const fn default_port(self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::Plain => 25,
        }
    }
}

/// Where and as whom to send.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// Log in with these, when given (both or neither).
    pub username: Option<String>,
    pub password: Option<String>,
    /// The `From:` of every message: `Quire <noreply@fic.example.org>` or a bare address.
    pub from: String,
}

/// Not derived: the password never goes into a log line.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("from", &self.from)
            .finish()
    }
}

/// Sends each message over its own SMTP connection (the archive sends few: resets and
/// invitations). `send` blocks on the async transport, so it must run where blocking is
/// allowed: [`super::deliver`] runs it on tokio's blocking threads.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for these settings; an error names the setting that is wrong.
    pub fn new(settings: &SmtpSettings) -> Result<SmtpMailer, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("`mail_from` {:?} is not an address: {e}", settings.from))?;
        let host = settings.host.as_str();
        let builder = match settings.tls {
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
            SmtpTls::Plain => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                host,
            )),
        }
        .map_err(|e| format!("`smtp_host` {host:?} cannot be used: {e}"))?;
        let mut builder = builder.port(settings.port).timeout(Some(SEND_TIMEOUT));
        match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            _ => return Err("give both `smtp_username` and `smtp_password`, or neither".into()),
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }

    fn message(&self, mail: &Mail) -> Result<Message, String> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| format!("not an address: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.replace(['\r', '\n'], " "))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let failed = |reason: String| MailError {
            to: mail.to.clone(),
            reason,
        };
        let message = self.message(mail).map_err(failed)?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| failed(format!("no async runtime to send with: {e}")))?;
        runtime
            .block_on(self.transport.send(message))
            .map(|_| ())
            .map_err(|e| failed(format!("the SMTP server refused it: {e}")))
    }
}
