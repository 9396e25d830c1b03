//! What the Chromium tests share: finding chromium, node and `tests/browser/node_modules` (or
//! saying on one line that they are missing), and running one of `tests/browser/*.mjs` with a
//! time limit.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// `tests/browser`, where the scripts and their `node_modules` are.
pub fn browser_dir() -> PathBuf {
    repo_root().join("tests/browser")
}

pub fn chromium() -> PathBuf {
    std::env::var_os("QUIRE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// What is missing for the browser tests, if anything.
fn missing_tools(browser_dir: &Path) -> Option<String> {
    let mut missing = Vec::new();
    if !chromium().is_file() {
        missing.push(format!("chromium ({})", chromium().display()));
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir()
        || !browser_dir.join("node_modules/axe-core").is_dir()
    {
        missing.push("tests/browser/node_modules".to_owned());
    }
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing.push("node".to_owned());
    }
    (!missing.is_empty()).then(|| missing.join(" and "))
}

/// True when the browser tests can run. Otherwise says so on one stderr line and returns false,
/// or panics when `QUIRE_REQUIRE_BROWSER=1`.
pub fn available() -> bool {
    let Some(missing) = missing_tools(&browser_dir()) else {
        return true;
    };
    if std::env::var("QUIRE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("QUIRE_REQUIRE_BROWSER=1 but {missing} is missing; run .ci/browser-setup.sh");
    }
    // Straight to stderr: the test harness captures eprintln! of passing tests.
    writeln!(
        std::io::stderr(),
        "browser tests skipped: {missing} missing; run .ci/browser-setup.sh"
    )
    .ok();
    false
}

/// Runs `node tests/browser/SCRIPT ARGS…`; panics with its output when it fails or takes longer
/// than `limit`.
pub fn run_script(script: &str, args: &[&str], limit: Duration) {
    let browser_dir = browser_dir();
    let mut node = Command::new("node")
        .arg(browser_dir.join(script))
        .args(args)
        .current_dir(&browser_dir)
        .env("QUIRE_CHROMIUM", chromium())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run node tests/browser/{script}: {e}"));
    let mut out = node.stdout.take().unwrap();
    let mut err = node.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            node.kill().ok();
            node.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    match status {
        Some(status) if status.success() => {}
        Some(status) => panic!("{script} failed ({status}):\n{out}\n{err}"),
        None => panic!("{script} did not finish within {limit:?}:\n{out}\n{err}"),
    }
}
