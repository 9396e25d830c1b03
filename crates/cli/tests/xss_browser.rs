//! The XSS corpus (`tests/data/security/xss-payloads.txt`) in a real Chromium: starts a fresh
//! `quire serve` and runs `tests/browser/xss.mjs`, which posts every payload through the archive's
//! forms into every text field and opens every page that shows them, failing when anything of a
//! payload runs, loads from outside or survives in user content. Skips like `browser.rs` when
//! chromium or `tests/browser/node_modules` is missing (`QUIRE_REQUIRE_BROWSER=1` fails instead).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use support::chromium;
use support::demo::Demo;

/// Fifty payloads, each posted through seven forms and shown on some twenty pages, two at a
/// time: measured at about 25 minutes on a 2-core machine busy with other builds.
const RUN_LIMIT: Duration = Duration::from_secs(2400);

#[test]
fn no_payload_of_the_xss_corpus_runs_in_a_real_browser() {
    if !chromium::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // The run posts some four hundred forms from one address.
    let server = Demo::serve_with_env(data.path(), &[("QUIRE_POSTS_PER_MINUTE", "0")]);
    let corpus = chromium::repo_root().join("tests/data/security/xss-payloads.txt");
    chromium::run_script(
        "xss.mjs",
        &[&server.url, corpus.to_str().unwrap()],
        RUN_LIMIT,
    );
    drop(server);
}
