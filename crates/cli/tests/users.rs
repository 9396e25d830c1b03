//! `quire user add`, `quire user passwd` and `quire user grant`, as an operator runs them: the
//! password from stdin, the account usable by the server's log-in afterwards, roles given to
//! an account that exists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn quire_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run quire");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_first_admin_is_added_with_a_role_and_a_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = quire_with_stdin(
        &[
            "user",
            "add",
            "wren",
            "--email",
            "wren@example.org",
            "--admin",
            "--role",
            "wrangler",
            "--data",
            data,
        ],
        "a long admin phrase\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("added admin wren"),
        "{}",
        text(&out.stdout)
    );
    assert!(!text(&out.stdout).contains("a long admin phrase"));

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = quire_store::open(None, dir.path(), quire_store::Usage::Shared)
            .await
            .unwrap();
        let creds = store.credentials("wren").await.unwrap().unwrap();
        assert!(creds.user.is_admin && creds.user.claimed);
        assert_eq!(creds.email.as_deref(), Some("wren@example.org"));
        assert!(creds.password_hash.unwrap().starts_with("$argon2id$"));
        let roles = store.roles(creds.user.id).await.unwrap();
        assert_eq!(roles, vec![quire_core::Role::Wrangler]);
    });

    let taken = quire_with_stdin(
        &[
            "user",
            "add",
            "wren",
            "--email",
            "w2@example.org",
            "--data",
            data,
        ],
        "another long phrase\n",
    );
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        text(&taken.stderr).contains("taken"),
        "{}",
        text(&taken.stderr)
    );

    let weak = quire_with_stdin(
        &[
            "user",
            "add",
            "odile",
            "--email",
            "o@example.org",
            "--data",
            data,
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        text(&weak.stderr).contains("at least 8"),
        "{}",
        text(&weak.stderr)
    );

    let role = quire_with_stdin(
        &[
            "user",
            "add",
            "odile",
            "--email",
            "o@example.org",
            "--role",
            "king",
            "--data",
            data,
        ],
        "long enough phrase\n",
    );
    assert_eq!(role.status.code(), Some(2));
    assert!(text(&role.stderr).contains("unknown role `king`"));

    let changed = quire_with_stdin(
        &["user", "passwd", "wren", "--data", data],
        "the second phrase\n",
    );
    assert_eq!(changed.status.code(), Some(0), "{}", text(&changed.stderr));
    let unknown = quire_with_stdin(
        &["user", "passwd", "nobody", "--data", data],
        "the second phrase\n",
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no account has the login `nobody`"));
}

#[test]
fn an_existing_account_is_given_the_wrangler_role() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let added = quire_with_stdin(
        &[
            "user",
            "add",
            "giles",
            "--email",
            "giles@example.org",
            "--data",
            data,
        ],
        "a long watcher phrase\n",
    );
    assert_eq!(added.status.code(), Some(0), "{}", text(&added.stderr));
    let roles = |login: &'static str| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let store = quire_store::open(None, dir.path(), quire_store::Usage::Shared)
                .await
                .unwrap();
            let user = store.user_by_login(login).await.unwrap().unwrap();
            store.roles(user.id).await.unwrap()
        })
    };
    assert!(roles("giles").is_empty());

    for _ in 0..2 {
        let granted = quire_with_stdin(
            &[
                "user", "grant", "giles", "--role", "wrangler", "--data", data,
            ],
            "",
        );
        assert_eq!(granted.status.code(), Some(0), "{}", text(&granted.stderr));
        assert!(text(&granted.stdout).contains("giles has the role wrangler"));
    }
    assert_eq!(roles("giles"), vec![quire_core::Role::Wrangler]);

    let unknown = quire_with_stdin(
        &[
            "user", "grant", "nobody", "--role", "wrangler", "--data", data,
        ],
        "",
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no account has the login `nobody`"));
    let king = quire_with_stdin(
        &["user", "grant", "giles", "--role", "king", "--data", data],
        "",
    );
    assert_eq!(king.status.code(), Some(2));
    assert!(text(&king.stderr).contains("unknown role `king`"));
    assert_eq!(roles("giles"), vec![quire_core::Role::Wrangler]);
}
