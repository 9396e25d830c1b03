//! `quire import` on folders written by `quire seed --emit-files`: the round trip (the files
//! give back the corpus `quire seed` stores directly) and the interrupted import (a crash at
//! any point leaves whole works only, and running again completes the rest).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use quire_core::{TagKind, Work};
use quire_store::Store;
use quire_store::sqlite::SqliteStore;
use serde_json::Value;
use support::Archive;

fn quire(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn emit(dir: &Path, works: u32, max_words: u32) {
    quire(&[
        "seed",
        "--works",
        &works.to_string(),
        "--max-words",
        &max_words.to_string(),
        "--emit-files",
        dir.to_str().unwrap(),
    ]);
}

/// What a work should look like after the round trip, whichever way it was stored.
fn facts(work: &Work) -> Value {
    let names = |kind| {
        work.tags_of(kind)
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "title": work.title,
        "creators": work.creators.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "rating": work.rating.name(),
        "warnings": names(TagKind::ArchiveWarning),
        "categories": names(TagKind::Category),
        "fandoms": names(TagKind::Fandom),
        "relationships": names(TagKind::Relationship),
        "characters": names(TagKind::Character),
        "freeforms": names(TagKind::Freeform),
        "language": work.language,
        "summary": work.summary,
        "word_count": work.word_count,
        "chapter_count": work.chapter_count,
        "complete": work.complete,
        "published": work.published,
        "updated": work.updated,
    })
}

#[tokio::test]
async fn seeded_files_import_as_the_corpus_they_were_written_from() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    emit(&files, 200, 3_000);
    let archive = Archive::new();
    let report = archive.import_ok(&[files]);
    assert_eq!(report["imported"], 200);
    assert_eq!(report["archive"], "Quire Seed Archive");

    let seeded = dir.path().join("seeded");
    quire(&[
        "seed",
        "--works",
        "200",
        "--max-words",
        "3000",
        "--data",
        seeded.to_str().unwrap(),
    ]);
    let corpus = SqliteStore::open(&seeded.join("quire.db")).await.unwrap();
    let imported = archive.store().await;
    assert_eq!(
        imported.counts().await.unwrap().works,
        corpus.counts().await.unwrap().works
    );
    // Both stores number the works in corpus order.
    let ids: Vec<i64> = (1..=200).collect();
    let from_corpus = corpus.works(&ids).await.unwrap();
    let from_files = imported.works(&ids).await.unwrap();
    let mut differ = Vec::new();
    for (a, b) in from_corpus.iter().zip(&from_files) {
        let (mut fa, mut fb) = (facts(a), facts(b));
        if !a.posted {
            // A plain-text file cannot say "draft": the import posts it, chapters and all, so
            // its posted chapters and the words in them differ.
            for field in ["chapter_count", "word_count"] {
                fa[field] = Value::Null;
                fb[field] = Value::Null;
            }
        }
        if fa != fb {
            differ.push((fa, fb));
        }
    }
    assert!(
        differ.is_empty(),
        "{} works differ, first: {}",
        differ.len(),
        differ
            .first()
            .map(|(a, b)| format!("\n{a}\n{b}"))
            .unwrap_or_default()
    );
    assert_eq!(
        imported.counts().await.unwrap().chapters,
        corpus.counts().await.unwrap().chapters
    );
}

/// Works, chapters and sources, and works whose chapters or source are not all there.
async fn census(data: &Path) -> (i64, i64, i64, i64) {
    let url = format!("sqlite://{}", data.join("quire.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let row: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM works), (SELECT COUNT(*) FROM chapters), \
         (SELECT COUNT(DISTINCT archive || '/' || path) FROM sources), \
         (SELECT COUNT(*) FROM works w WHERE w.chapter_count != \
            (SELECT COUNT(*) FROM chapters c WHERE c.work_id = w.id) \
            OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.work_id = w.id))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row
}

#[tokio::test]
async fn an_import_killed_at_any_point_leaves_whole_works_and_completes_when_run_again() {
    const WORKS: i64 = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    emit(&files, 10_000, 100);
    let archive = Archive::new();

    let mut present = 0;
    for abort_after in [1, 2_345, 4_000] {
        let out = archive.import_with_env(
            std::slice::from_ref(&files),
            &["--json"],
            &[("QUIRE_TEST_ABORT_AFTER", &abort_after.to_string())],
        );
        assert!(!out.status.success(), "the hook aborts the process");
        assert_eq!(out.status.code(), None, "killed by a signal, as in a crash");
        present += abort_after;
        let (works, chapters, sources, broken) = census(&archive.data()).await;
        assert_eq!(works, present, "every committed work, and no other");
        assert_eq!(sources, works, "one source row per work");
        assert_eq!(broken, 0, "no half-written work");
        assert!(chapters >= works);
    }

    let out = archive.import(&[files], &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["skipped"], present);
    assert_eq!(report["imported"], WORKS - present);
    assert_eq!(report["failed"], 0);
    let expected_chapters: i64 = report["works"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["work"]["chapter_count"].as_i64().unwrap())
        .sum();
    let (works, chapters, sources, broken) = census(&archive.data()).await;
    assert_eq!(works, WORKS, "every work exactly once");
    assert_eq!(sources, WORKS);
    assert_eq!(chapters, expected_chapters);
    assert_eq!(broken, 0);
}
