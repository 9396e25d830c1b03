//! `quire invite`, as an operator runs it: codes mailed (into `<data>/mail/` by default) to
//! addresses and to the head of the invitation queue, each in the audit log, and refusals
//! that exit 1; SMTP settings that cannot work are a configuration error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn quire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .env_remove("QUIRE_MAILER")
        .output()
        .expect("run quire")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mails(data: &Path) -> Vec<String> {
    std::fs::read_dir(data.join("mail"))
        .map(|dir| {
            dir.map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_operator_invites_addresses_and_the_head_of_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = quire_store::open(None, dir.path(), quire_store::Usage::Shared)
            .await
            .unwrap();
        store
            .request_invitation("ada@example.org", 1_800_000_000)
            .await
            .unwrap();
        store
            .request_invitation("bea@example.org", 1_800_000_001)
            .await
            .unwrap();
    });

    let out = quire(&[
        "invite",
        "--from-queue",
        "1",
        "cai@example.org",
        "--data",
        data,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("invited ada@example.org"), "{stdout}");
    assert!(stdout.contains("invited cai@example.org"), "{stdout}");
    assert!(!stdout.contains("bea@example.org"), "{stdout}");
    let mailed = mails(dir.path());
    assert_eq!(mailed.len(), 2);
    assert!(
        mailed.iter().all(|m| m.contains("/users/new?invitation=")),
        "{mailed:?}"
    );

    // Again: cai's invitation is waiting unused, so nothing is sent and the run fails.
    let again = quire(&["invite", "cai@example.org", "--data", data]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("has not been used yet"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(mails(dir.path()).len(), 2);

    rt.block_on(async {
        let store = quire_store::open(None, dir.path(), quire_store::Usage::Shared)
            .await
            .unwrap();
        assert_eq!(store.queue_length().await.unwrap(), 1);
        let log = store.audit_log(quire_store::Page::first(10)).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["invite_address", "invite_from_queue"]);
        assert!(log.iter().all(|e| e.actor == "command line"));
    });
}

#[test]
fn smtp_without_a_sender_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["invite", "ada@example.org", "--data"])
        .arg(dir.path())
        .env_remove("QUIRE_DATABASE_URL")
        .env("QUIRE_MAILER", "smtp")
        .env("QUIRE_SMTP_HOST", "127.0.0.1")
        .env_remove("QUIRE_MAIL_FROM")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("mail_from"),
        "{}",
        text(&out.stderr)
    );
    assert!(mails(dir.path()).is_empty());
}
