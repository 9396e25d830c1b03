//! The SMTP mailer against a tiny SMTP server on a loopback port: a message arrives whole,
//! with the configured sender and login, and a server that refuses it gives a mail error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use quire_web::auth::{Mail, Mailer, SmtpMailer, SmtpSettings, SmtpTls, deliver};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the server was told: the commands, and the message after `DATA`.
struct Transcript {
    commands: Vec<String>,
    message: String,
}

/// Serves one SMTP session, answering `RCPT TO` with `rcpt_reply`.
async fn serve_one(listener: TcpListener, rcpt_reply: &'static str) -> Transcript {
    let (stream, _) = listener.accept().await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut transcript = Transcript {
        commands: Vec::new(),
        message: String::new(),
    };
    write
        .write_all(b"220 test.invalid ESMTP\r\n")
        .await
        .unwrap();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap() == 0 {
            break;
        }
        let command = line.trim_end().to_owned();
        transcript.commands.push(command.clone());
        let upper = command.to_ascii_uppercase();
        let reply: &str = if upper.starts_with("EHLO") {
            "250-test.invalid\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("AUTH") {
            "235 2.7.0 Authentication successful\r\n"
        } else if upper.starts_with("RCPT") {
            rcpt_reply
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .unwrap();
            loop {
                let mut data = String::new();
                lines.read_line(&mut data).await.unwrap();
                if data == ".\r\n" {
                    break;
                }
                transcript.message.push_str(&data);
            }
            "250 2.0.0 Queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await.unwrap();
            break;
        } else {
            "250 2.0.0 OK\r\n"
        };
        write.write_all(reply.as_bytes()).await.unwrap();
    }
    transcript
}

fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::Plain,
        username: Some("quire".into()),
        password: Some("secret".into()),
        from: "Quire <noreply@example.org>".into(),
    }
}

fn invitation() -> Mail {
    Mail {
        to: "ada@example.org".into(),
        subject: "Your invitation to Quire".into(),
        body: "To create your account, open this link:\r\n\
               http://127.0.0.1/users/new?invitation=c0de"
            .into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_arrives_through_the_smtp_server() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(serve_one(listener, "250 2.1.5 OK\r\n"));
    let mailer: Arc<dyn Mailer> = Arc::new(SmtpMailer::new(&settings(port)).unwrap());

    deliver(&mailer, invitation()).await.unwrap();

    let transcript = server.await.unwrap();
    let commands = &transcript.commands;
    assert!(commands[0].starts_with("EHLO "), "{commands:?}");
    // `\0quire\0secret`, in base64.
    assert!(
        commands.contains(&"AUTH PLAIN AHF1aXJlAHNlY3JldA==".to_owned()),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("MAIL FROM:<noreply@example.org>")),
        "{commands:?}"
    );
    assert!(
        commands.contains(&"RCPT TO:<ada@example.org>".to_owned()),
        "{commands:?}"
    );
    let message = &transcript.message;
    assert!(message.contains("To: ada@example.org"), "{message}");
    assert!(
        message.contains("From: Quire <noreply@example.org>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: Your invitation to Quire"),
        "{message}"
    );
    assert!(
        message.contains("http://127.0.0.1/users/new?invitation=c0de"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_is_a_mail_error_naming_the_address() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(serve_one(listener, "550 5.1.1 No such user\r\n"));
    let mailer: Arc<dyn Mailer> = Arc::new(SmtpMailer::new(&settings(port)).unwrap());

    let refused = deliver(&mailer, invitation()).await.unwrap_err();
    assert_eq!(refused.to, "ada@example.org");
    assert!(
        refused.reason.contains("No such user"),
        "{}",
        refused.reason
    );
    server.abort();
}

#[test]
fn settings_that_cannot_work_are_named() {
    let mut bad = settings(25);
    bad.from = "not an address".into();
    let err = SmtpMailer::new(&bad).err().unwrap();
    assert!(err.contains("mail_from"), "{err}");
    let mut half = settings(25);
    half.password = None;
    let err = SmtpMailer::new(&half).err().unwrap();
    assert!(err.contains("smtp_password"), "{err}");
}
