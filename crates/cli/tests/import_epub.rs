//! EPUB input and mailboxes through the real `quire import` (issue 12): the EPUB fixtures
//! stored and read back from a real SQLite archive, damaged EPUBs failing alone with one line
//! each, Mailman monthly files joined, and Quire's own EPUB exports imported back as the same
//! stories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;

use quire_core::{Rating, TagKind, Work};
use quire_store::Store as _;
use serde_json::Value;
use support::{Archive, legacy};

fn names(work: &Work, kind: TagKind) -> Vec<String> {
    work.tags_of(kind).map(|t| t.name.clone()).collect()
}

fn entry<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in {report:#}"))
}

fn words(html: &str) -> String {
    quire_text::html_to_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn epub_fixtures_come_through_the_command_whole() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("epub")]);
    assert_eq!(report["imported"], 6, "{report:#}");
    let store = archive.store().await;

    let e = entry(&report, "ao3-multi-chapter.epub");
    let charts = archive.work(&store, e).await;
    assert_eq!(charts.title, "Charts for a Drowned Coast");
    let authors: Vec<&str> = charts.creators.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(authors, ["saltwife", "Tamsin_Reed"]);
    assert_eq!(charts.rating, Rating::Mature);
    assert_eq!(
        names(&charts, TagKind::Fandom),
        ["Tidewater Chronicles", "Lanterns of Hollowmere"]
    );
    assert_eq!(
        names(&charts, TagKind::Freeform),
        ["Maps", "Sea Monsters", "Found Family"]
    );
    assert_eq!(charts.series.len(), 1);
    assert_eq!(charts.series[0].title, "Charts and Currents");
    assert_eq!(charts.series[0].position, 2);
    assert_eq!(charts.chapters_display(), "3/5");
    let source = charts.source.as_ref().unwrap();
    assert_eq!(source.archive, "Archive of Our Own");
    assert!(
        source
            .fields
            .iter()
            .any(|(l, v)| l == "Source URL" && v == "https://archiveofourown.org/works/7654321"),
        "{:?}",
        source.fields
    );
    let chapters = store.chapters(charts.id).await.unwrap();
    assert_eq!(chapters[0].title.as_deref(), Some("Low Tide"));
    assert_eq!(
        chapters[1].end_notes.as_deref(),
        Some("<p>The book is based on a real one. Sort of.</p>")
    );
    assert_eq!(e["work"]["chapter_count"], 3);

    let ferry = archive
        .work(&store, entry(&report, "fanficfare-table.epub"))
        .await;
    assert_eq!(ferry.title, "The Tidewater Ferry");
    assert_eq!(ferry.creators[0].name, "Odile Fairweather");
    assert_eq!(ferry.rating, Rating::TeenAndUpAudiences);
    assert!(!ferry.complete);
    let chapters = store.chapters(ferry.id).await.unwrap();
    let titles: Vec<Option<&str>> = chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("1. The Last Ferry"), Some("2. Fare")]);

    let letters = archive
        .work(&store, entry(&report, "generic-epub2-ncx.epub"))
        .await;
    assert_eq!(letters.title, "Letters from the Lamp House");
    assert_eq!(letters.creators[0].name, "Mira Holt");
    assert_eq!(letters.chapters_display(), "3/3");
    // Not from the AO3, FanFicFare or the profile: the folder's name is the archive.
    assert_eq!(letters.source.as_ref().unwrap().archive, "epub");
}

#[test]
fn damaged_epubs_fail_alone_with_one_line_each() {
    let archive = Archive::new();
    let damaged = legacy("").join("../damaged-epub");
    let out = archive.import(&[damaged], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "drm-encrypted.epub: the EPUB is DRM-protected (META-INF/encryption.xml encrypts 2 files",
        "missing-opf.epub: damaged EPUB: no package document",
        "truncated.epub: damaged EPUB: the zip cannot be read",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("3 of 3 stories failed and were not stored; 0 imported"),
        "{stdout}"
    );
}

#[tokio::test]
async fn mailman_monthly_files_are_joined_in_one_run() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("mailman")]);
    assert_eq!(report["imported"], 2, "{report:#}");
    let store = archive.store().await;
    let low = report["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["work"]["title"] == "Low Water")
        .unwrap();
    assert_eq!(low["source_id"], "2003-October.txt#lw1@tidewater.example");
    let work = archive.work(&store, low).await;
    assert_eq!(work.chapters_display(), "3/3");
    let chapters = store.chapters(work.id).await.unwrap();
    assert_eq!(
        words(&chapters[2].content),
        "They rang it once, for the ferry, and the river came back up to listen."
    );
}

/// What a reader cares about, to compare a story before and after its EPUB's round trip.
fn story(work: &Work, chapters: &[quire_core::Chapter]) -> Value {
    let names =
        |kind: TagKind| -> Vec<&str> { work.tags_of(kind).map(|t| t.name.as_str()).collect() };
    serde_json::json!({
        "title": work.title,
        "authors": work.creators.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        "rating": work.rating.name(),
        "warnings": names(TagKind::ArchiveWarning),
        "categories": names(TagKind::Category),
        "fandoms": names(TagKind::Fandom),
        "relationships": names(TagKind::Relationship),
        "characters": names(TagKind::Character),
        "freeforms": names(TagKind::Freeform),
        "language": work.language,
        "summary": work.summary.as_deref().map(words),
        "notes": work.notes.as_deref().map(words),
        "end_notes": work.end_notes.as_deref().map(words),
        "complete": work.complete,
        "chapters": work.chapters_display(),
        "word_count": work.word_count,
        "published": work.published.map(|d| d.to_string()),
        "series": work.series.iter().map(|s| (s.title.as_str(), s.position)).collect::<Vec<_>>(),
        "chapter_text": chapters
            .iter()
            .map(|c| (
                c.title.as_deref(),
                c.notes.as_deref().map(words),
                words(&c.content),
                c.end_notes.as_deref().map(words),
            ))
            .collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn quire_epub_exports_import_back_as_the_same_stories() {
    let out_dir = tempfile::tempdir().unwrap();
    for fixture in [
        "archive-header.txt",
        "multi-chapter.txt",
        "mailing-list.txt",
        "fanficfare.txt",
        "ao3-download.html",
        "html-page.html",
        "epub/ao3-multi-chapter.epub",
    ] {
        let first = Archive::new();
        let report = first.import_ok(&[legacy(fixture)]);
        let id = report["works"][0]["work"]["id"].as_i64().unwrap();
        let file = out_dir
            .path()
            .join(format!("{}.epub", fixture.replace('/', "-")));
        let out = Command::new(env!("CARGO_BIN_EXE_quire"))
            .arg("export")
            .arg("--data")
            .arg(first.data())
            .args([&id.to_string(), "--format", "epub", "-o"])
            .arg(&file)
            .env_remove("QUIRE_DATABASE_URL")
            .env_remove("QUIRE_DATA")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{fixture}: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        let second = Archive::new();
        let again = second.import_ok(std::slice::from_ref(&file));
        assert_eq!(again["imported"], 1, "{fixture}: {again:#}");
        let again = again["works"][0]["work"]["id"].as_i64().unwrap();
        let (a, b) = (first.store().await, second.store().await);
        let before = story(
            &a.work(id).await.unwrap().unwrap(),
            &a.chapters(id).await.unwrap(),
        );
        let after = story(
            &b.work(again).await.unwrap().unwrap(),
            &b.chapters(again).await.unwrap(),
        );
        assert_eq!(before, after, "{fixture} changed on its way round");
    }
}
