//! Outside tools against `quire serve --demo`: schemathesis fuzzes the JSON API from its
//! OpenAPI document (no server error, no answer its schema does not describe), and feedparser
//! reads every kind of Atom feed (no bozo, every required element; `tests/tools/feeds.py`).
//!
//! Both come from a Python venv made by `.ci/api-tools-setup.sh` (`QUIRE_PYTHON_VENV`, default
//! `~/.cache/quire-venv`). Without it a test says so on one stderr line and passes, unless
//! `QUIRE_REQUIRE_SCHEMATHESIS=1` or `QUIRE_REQUIRE_FEEDPARSER=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::demo::Demo;

/// Every check of schemathesis that concerns the API's answers.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance,\
                      negative_data_rejection";

fn venv() -> PathBuf {
    std::env::var_os("QUIRE_PYTHON_VENV").map_or_else(
        || {
            let home = std::env::var_os("HOME").unwrap_or_default();
            Path::new(&home).join(".cache/quire-venv")
        },
        PathBuf::from,
    )
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// True when the tool is there; otherwise one line on stderr (or a failure when required).
fn available(tool: &str, present: bool, require_var: &str) -> bool {
    if present {
        return true;
    }
    let required = std::env::var(require_var).is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{tool} is required ({require_var}=1) but not in {}; run .ci/api-tools-setup.sh",
        venv().display()
    );
    eprintln!(
        "skipped: {tool} not found in {} (run .ci/api-tools-setup.sh)",
        venv().display()
    );
    false
}

/// The demo archive with the rate limit off: the tools send hundreds of requests.
fn demo(data: &Path) -> Demo {
    Demo::start_with_env(data, &[("QUIRE_API_REQUESTS_PER_MINUTE", "0")])
}

/// A write token of a reader of the demo archive, made with `quire user add` and
/// `quire user token` while the server runs.
fn write_token(data: &Path) -> String {
    let quire = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(args)
            .arg("--data")
            .arg(data)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    quire(
        &[
            "user",
            "add",
            "apireader",
            "--email",
            "apireader@example.org",
        ],
        "api reader password\n",
    );
    let token = quire(&["user", "token", "apireader", "--write"], "");
    token.trim().to_owned()
}

/// Runs schemathesis against the served document, with these extra arguments; its output.
fn schemathesis_run(schemathesis: &Path, schema: &str, extra: &[&str]) -> String {
    let reports = tempfile::tempdir().unwrap();
    let out = Command::new(schemathesis)
        .args(["run", schema, "--checks", CHECKS])
        // No stateful phase: its links are inferred from parameter names, and an API with no
        // resource ids in its answers gives it nothing to follow.
        .args(["--phases", "examples,coverage,fuzzing"])
        // One worker: two threads of Python 3.11 parsing at once can trip CPython's shared
        // AST recursion counter ("AST constructor recursion depth mismatch" inside
        // hypothesis), a runtime error of the tool that says nothing about the API.
        .args(["--max-examples", "40", "--seed", "1", "--workers", "1"])
        .args(["--generation-database", "none", "--no-color"])
        .args(extra)
        .arg("--report-dir")
        .arg(reports.path())
        .current_dir(reports.path())
        .output()
        .expect("run schemathesis");
    let printed = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems ({extra:?}):\n{printed}"
    );
    // A run that tested nothing would pass too: it must have covered every operation.
    assert!(
        printed.contains("20 selected") || printed.contains("20 total"),
        "schemathesis did not test the 20 operations:\n{printed}"
    );
    printed
}

#[test]
fn schemathesis_finds_no_server_error_or_schema_violation_in_the_api() {
    let schemathesis = venv().join("bin/schemathesis");
    if !available(
        "schemathesis",
        schemathesis.is_file(),
        "QUIRE_REQUIRE_SCHEMATHESIS",
    ) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = demo(data.path());
    let schema = format!("{}api/v1/openapi.json", server.url);
    // As a guest, then as a reader with a write token (who reads restricted works, leaves
    // kudos, posts, changes and deletes works and chapters of their own, and keeps bookmarks).
    schemathesis_run(&schemathesis, &schema, &[]);
    let header = format!("Authorization: Bearer {}", write_token(data.path()));
    schemathesis_run(&schemathesis, &schema, &["--header", &header]);
}

#[test]
fn feedparser_reads_every_kind_of_feed_without_complaint() {
    let python = venv().join("bin/python");
    let present = python.is_file()
        && Command::new(&python)
            .args(["-c", "import feedparser"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !available("feedparser", present, "QUIRE_REQUIRE_FEEDPARSER") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = demo(data.path());
    let out = Command::new(&python)
        .arg(repo_root().join("tests/tools/feeds.py"))
        .arg(&server.url)
        .output()
        .expect("run feeds.py");
    let printed = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "feedparser check failed:\n{printed}");
    for kind in ["/tags/", "/works/feed.atom?fandom=", "/users/", "/series/"] {
        assert!(
            printed
                .lines()
                .any(|l| l.starts_with("ok ") && l.contains(kind)),
            "no {kind} feed was read:\n{printed}"
        );
    }
}
