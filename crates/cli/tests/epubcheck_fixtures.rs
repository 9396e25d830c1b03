//! Every legacy fixture, imported through the real `quire import`, downloads as an EPUB that
//! `epubcheck` passes with no errors and no warnings: what old archives held must come back out
//! as valid books. Skipped with one line without epubcheck (unless `QUIRE_REQUIRE_EPUBCHECK=1`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::visibility::{Access, Viewer, can_view_chapter};
use quire_export::testing::Epubcheck;
use quire_export::{Book, Format, render};
use quire_store::Store;
use support::{Archive, legacy};

#[tokio::test]
async fn every_imported_fixture_is_a_valid_epub() {
    let Some(epubcheck) = Epubcheck::find() else {
        return;
    };
    let archive = Archive::new();
    let report = archive.import(&[legacy("")], &["--json"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let store = archive.store().await;
    let reader = Viewer::GUEST.with_adult_consent(true);
    let out = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for entry in report["works"].as_array().unwrap() {
        let Some(id) = entry["work"]["id"].as_i64() else {
            continue;
        };
        let work = store.work(id).await.unwrap().unwrap();
        if !work.posted {
            continue;
        }
        let chapters: Vec<_> = store
            .chapters(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| can_view_chapter(&work, c, &reader) == Access::Full)
            .collect();
        let book = Book::new(&work, &chapters, "Quire");
        let path = out.path().join(format!("{id}.epub"));
        std::fs::write(&path, render(Format::Epub, &book).unwrap()).unwrap();
        paths.push(path);
    }
    assert!(paths.len() >= 30, "the fixtures give {} books", paths.len());
    let failures = epubcheck.problems(&paths);
    assert!(
        failures.is_empty(),
        "epubcheck failed:\n{}",
        failures.join("\n")
    );
}
