//! Accounts added to a test's archive as an operator adds them: `quire user add`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The password of the accounts added here (the one the browser scripts sign in with).
pub const PASSWORD: &str = "lanterns of hollowmere";

/// `quire user add LOGIN … FLAGS` on the archive in `data` (also while it is served), with
/// [`PASSWORD`]; returns the login.
pub fn add_account(data: &Path, login: &str, flags: &[&str]) -> String {
    let email = format!("{login}@example.org");
    let mut add = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["user", "add", login, "--email", &email])
        .args(flags)
        .arg("--data")
        .arg(data)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run quire user add");
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "user add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    login.to_owned()
}
