//! The reader's walk in a real Chromium: starts `quire serve --demo` and runs `tests/browser/run.mjs`
//! (playwright-core and axe-core) against it. Without chromium or `tests/browser/node_modules` the test
//! says so on one line and passes, unless `QUIRE_REQUIRE_BROWSER=1`; `.ci/browser-setup.sh` installs both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::accounts::add_account;
use support::chromium::{self, browser_dir};
use support::demo::Demo;

/// Generous: the whole walk takes well under a minute on an idle 2-core machine, and measured
/// over five when that machine is busy with other builds.
const WALK_LIMIT: Duration = Duration::from_secs(900);

fn examples_json(examples: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = examples
        .iter()
        .map(|(label, url)| (label.clone(), serde_json::Value::from(url.as_str())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Imports, into the running demo, a story whose HTML points images at the archive's consent
/// link (as an attacker's upload would); returns its URL.
fn import_consent_story(data: &Path, base: &str, browser_dir: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "import",
            "--json",
            "--archive",
            "Browser Fixtures",
            "--data",
        ])
        .arg(data)
        .arg(browser_dir.join("fixtures/consent-image.html"))
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire import");
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = report["works"][0]["work"]["id"]
        .as_i64()
        .expect("an imported work");
    format!("{}/works/{id}", base.trim_end_matches('/'))
}

/// Adds a wrangler account to the running demo, as an operator would; returns its login (its
/// password is the one `run.mjs` signs up with).
fn add_wrangler(data: &Path) -> String {
    add_account(data, "browser_wrangler", &["--role", "wrangler"])
}

/// Adds an admin account the same way, for the admin area's axe check.
fn add_admin(data: &Path) -> String {
    add_account(data, "browser_admin", &["--admin"])
}

#[test]
fn a_reader_walks_the_demo_archive_in_a_real_browser() {
    if !chromium::available() {
        return;
    }
    let browser_dir = browser_dir();
    let data = tempfile::tempdir().unwrap();
    let demo = Demo::start(data.path());
    let mut examples = demo.examples.clone();
    examples.push((
        "Embeds the consent link:".to_owned(),
        import_consent_story(data.path(), &demo.url, &browser_dir),
    ));
    examples.push(("Wrangler login:".to_owned(), add_wrangler(data.path())));
    examples.push(("Admin login:".to_owned(), add_admin(data.path())));
    chromium::run_script(
        "run.mjs",
        &[&demo.url, &examples_json(&examples)],
        WALK_LIMIT,
    );
    drop(demo);
}
