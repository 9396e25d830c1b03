//! The EPUBs pass `epubcheck` (the W3C's validator, Debian package `epubcheck`) with no
//! errors and no warnings: one chapter, several chapters with notes, an imported work with
//! its original header, and a chapter of hostile HTML.
//!
//! Without `epubcheck` on the PATH the test says so on stderr and passes, unless
//! `QUIRE_REQUIRE_EPUBCHECK=1` (set by CI) makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_export::testing::Epubcheck;
use quire_export::{Book, Format, render};
use support::{SITE, imported, multi, single, tricky};

#[test]
fn epubs_of_every_kind_of_work_pass_epubcheck() {
    let Some(epubcheck) = Epubcheck::find() else {
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
    let failures = epubcheck.problems(&paths);
    assert!(
        failures.is_empty(),
        "epubcheck failed:\n{}",
        failures.join("\n")
    );
}
