//! The EPUBs pass `epubcheck` (the W3C's validator, Debian package `epubcheck`) with no
//! errors and no warnings: one chapter, several chapters with notes, an imported work with
//! its original header, and a chapter of hostile HTML.
//!
//! Without `epubcheck` on the PATH the test says so on stderr and passes, unless
//! `QUIRE_REQUIRE_EPUBCHECK=1` (set by CI) makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write as _;
use std::process::Command;

use quire_export::{Book, Format, render};
use support::{SITE, imported, multi, single, tricky};

/// Debian installs epubcheck as an executable jar, which runs directly only where the kernel
/// hands jars to Java (binfmt_misc); `java -jar` works everywhere.
const DEBIAN_JAR: &str = "/usr/share/java/epubcheck.jar";

/// The program and arguments that run epubcheck here, if any.
fn epubcheck() -> Option<(&'static str, Vec<&'static str>)> {
    // A JVM that stops at the first compiler tier starts faster, which is most of the time
    // epubcheck takes on a small book.
    let candidates = [
        ("java", vec!["-XX:TieredStopAtLevel=1", "-jar", DEBIAN_JAR]),
        ("epubcheck", vec![]),
    ];
    for (program, args) in candidates {
        let runs = Command::new(program)
            .args(&args)
            .arg("--version")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("EPUBCheck"));
        if runs {
            return Some((program, args));
        }
    }
    assert!(
        std::env::var("QUIRE_REQUIRE_EPUBCHECK").as_deref() != Ok("1"),
        "QUIRE_REQUIRE_EPUBCHECK=1 but epubcheck cannot be run (bash .ci/epubcheck-setup.sh)"
    );
    let _ = writeln!(
        std::io::stderr(),
        "epubcheck not found: EPUB validation skipped (install it: bash .ci/epubcheck-setup.sh)"
    );
    None
}

#[test]
fn epubs_of_every_kind_of_work_pass_epubcheck() {
    let Some((program, ref args)) = epubcheck() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, (work, chapters)) in [
        ("single", single()),
        ("multi", multi()),
        ("imported", imported()),
        ("tricky", tricky()),
    ] {
        let bytes = render(Format::Epub, &Book::new(&work, &chapters, SITE)).unwrap();
        let path = dir.path().join(format!("{name}.epub"));
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    // epubcheck checks one publication per run: the runs go in parallel.
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .iter()
            .map(|path| {
                s.spawn(move || {
                    let out = Command::new(program).args(args).arg(path).output();
                    (path, out.unwrap())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (path, out) in results {
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let problems: Vec<&str> = report
            .lines()
            .filter(|l| {
                l.starts_with("ERROR") || l.starts_with("FATAL") || l.starts_with("WARNING")
            })
            .collect();
        if !out.status.success() || !problems.is_empty() {
            failures.push(format!("{}:\n{report}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "epubcheck failed:\n{}",
        failures.join("\n")
    );
}
