//! `quire export` as an operator runs it: the real binary on a real archive. A story imported
//! from a text file, exported as TXT and imported again, is the same story.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use quire_core::{Chapter, TagKind, Work};
use quire_store::Store as _;
use serde_json::Value;
use support::{Archive, legacy};

fn export(archive: &Archive, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("export")
        .arg("--data")
        .arg(archive.data())
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn only_work_id(report: &Value) -> i64 {
    let works = report["works"].as_array().unwrap();
    assert_eq!(works.len(), 1, "{report:#}");
    works[0]["work"]["id"].as_i64().unwrap()
}

/// What a reader and the importer care about, to compare two imports of one story.
fn story(work: &Work, chapters: &[Chapter]) -> Value {
    let names =
        |kind: TagKind| -> Vec<&str> { work.tags_of(kind).map(|t| t.name.as_str()).collect() };
    // The same text: the same paragraphs and markup, whatever the line wrapping was.
    let text = |html: &str| html.split_whitespace().collect::<Vec<_>>().join(" ");
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
        "summary": work.summary.as_deref().map(text),
        "notes": work.notes.as_deref().map(text),
        "complete": work.complete,
        "chapters": work.chapters_display(),
        "word_count": work.word_count,
        "published": work.published.map(|d| d.to_string()),
        "series": work.series.iter().map(|s| (s.title.as_str(), s.position)).collect::<Vec<_>>(),
        "chapter_text": chapters
            .iter()
            .map(|c| (c.title.as_deref(), text(&c.content)))
            .collect::<Vec<_>>(),
    })
}

async fn imported_story(archive: &Archive, id: i64) -> Value {
    let store = archive.store().await;
    let work = store.work(id).await.unwrap().unwrap();
    let chapters = store.chapters(id).await.unwrap();
    story(&work, &chapters)
}

#[tokio::test]
async fn a_story_imported_from_a_text_file_round_trips_through_its_txt_export() {
    let out_dir = tempfile::tempdir().unwrap();
    for fixture in [
        "archive-header.txt",
        "multi-chapter.txt",
        "mailing-list.txt",
        "cp1252-crlf.txt",
        "fanficfare.txt",
    ] {
        let first = Archive::new();
        let id = only_work_id(&first.import_ok(&[legacy(fixture)]));
        let file = out_dir.path().join(fixture);
        let out = export(
            &first,
            &[
                &id.to_string(),
                "--format",
                "txt",
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{fixture}: {}", stderr(&out));

        let second = Archive::new();
        let again = only_work_id(&second.import_ok(std::slice::from_ref(&file)));
        let before = imported_story(&first, id).await;
        let after = imported_story(&second, again).await;
        assert_eq!(
            before,
            after,
            "{fixture} changed on the way round; the export was:\n{}",
            std::fs::read_to_string(&file).unwrap()
        );
    }
}

#[tokio::test]
async fn every_format_is_written_under_its_ao3_file_name() {
    let archive = Archive::new();
    let id = only_work_id(&archive.import_ok(&[legacy("multi-chapter.txt")])).to_string();
    let dir = tempfile::tempdir().unwrap();
    for (format, name, starts) in [
        ("epub", "Seven_Bells.epub", &b"PK\x03\x04"[..]),
        ("html", "Seven_Bells.html", b"<!DOCTYPE html>"),
        ("txt", "Seven_Bells.txt", b"Title: Seven Bells"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_quire"))
            .current_dir(dir.path())
            .args(["export", &id, "--format", format, "--data"])
            .arg(archive.data())
            .env_remove("QUIRE_DATABASE_URL")
            .env_remove("QUIRE_DATA")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert!(bytes.starts_with(starts), "{name}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(name));
    }
}

#[test]
fn unknown_works_and_bad_formats_are_refused_in_one_line() {
    let archive = Archive::new();
    archive.import_ok(&[legacy("archive-header.txt")]);
    let out = export(&archive, &["999", "--format", "epub", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim(), "quire: error: work 999 does not exist");
    let out = export(&archive, &["1", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown format `pdf`"),
        "{}",
        stderr(&out)
    );
    let missing = Path::new("/nonexistent-dir/x.txt");
    let out = export(
        &archive,
        &["1", "--format", "txt", "-o", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end().lines().count(),
        1,
        "{}",
        stderr(&out)
    );
}
