//! The XSS corpus (`tests/data/security/xss-payloads.txt`) in a real Chromium: starts a fresh
//! `quire serve` and runs `tests/browser/xss.mjs`, which posts every payload through the archive's
//! forms into every text field and opens every page that shows them, failing when anything of a
//! payload runs, loads from outside or survives in user content. An admin account (added as an
//! operator adds one) reads the abuse reports the run sends. Skips like `browser.rs` when
//! chromium or `tests/browser/node_modules` is missing (`QUIRE_REQUIRE_BROWSER=1` fails instead).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use support::accounts::add_account;
use support::chromium;
use support::demo::Demo;

/// Fifty payloads, each posted through a dozen forms and shown on some twenty-five pages,
/// several at a time: measured at about 25 minutes, before the pages were checked side by side,
/// on a 2-core machine busy with other builds.
const RUN_LIMIT: Duration = Duration::from_secs(2400);

#[test]
fn no_payload_of_the_xss_corpus_runs_in_a_real_browser() {
    if !chromium::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // The run posts some four hundred forms from one address.
    let server = Demo::serve_with_env(data.path(), &[("QUIRE_POSTS_PER_MINUTE", "0")]);
    let admin = add_account(data.path(), "xss_admin", &["--admin"]);
    let corpus = chromium::repo_root().join("tests/data/security/xss-payloads.txt");
    chromium::run_script(
        "xss.mjs",
        &[&server.url, corpus.to_str().unwrap(), &admin],
        RUN_LIMIT,
    );
    drop(server);
}
