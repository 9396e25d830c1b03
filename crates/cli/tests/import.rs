//! `quire import` as an archivist runs it: the real binary on the real fixture files, into a
//! real SQLite archive. One test per row of the fixture table (legacy-import.md, section 6),
//! then idempotency, updates in place, bad input and the report's shape.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::{Rating, TagKind, Work};
use quire_store::Store as _;
use serde_json::Value;
use support::{Archive, legacy};

fn names(work: &Work, kind: TagKind) -> Vec<String> {
    work.tags_of(kind).map(|t| t.name.clone()).collect()
}

fn field<'a>(work: &'a Work, label: &str) -> Option<&'a str> {
    work.source
        .as_ref()?
        .fields
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, v)| v.as_str())
}

/// The one entry of a report of one file.
fn only_entry(report: &Value) -> &Value {
    let works = report["works"].as_array().unwrap();
    assert_eq!(works.len(), 1, "{report:#}");
    &works[0]
}

#[tokio::test]
async fn archive_header_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("archive-header.txt")]);
    let entry = only_entry(&report);
    assert_eq!(entry["status"], "imported");
    assert_eq!(entry["encoding"], "UTF-8");
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Cartographer's Daughter");
    assert_eq!(work.creators[0].name, "Wren Ashdown");
    assert_eq!(work.rating, Rating::TeenAndUpAudiences);
    let source = work.source.as_ref().unwrap();
    assert_eq!(
        source.original_rating.as_deref(),
        Some("PG-13. For some mild language.")
    );
    assert_eq!(source.archive, "Lanterns of Hollowmere");
    assert_eq!(source.path, "archive-header.txt");
    assert_eq!(field(&work, "Spoilers"), Some("Up to the end of Book Two"));
    assert!(field(&work, "Disclaimer").is_some());
    assert_eq!(work.chapter_count, 1);
    assert_eq!(report["archive"], "Lanterns of Hollowmere");
}

#[tokio::test]
async fn mailing_list_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("mailing-list.txt")]);
    let entry = only_entry(&report);
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "Salt and Ember");
    assert_eq!(work.creators[0].name, "K. Marlowe");
    assert_eq!(work.rating, Rating::Mature);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("R")
    );
    assert_eq!(names(&work, TagKind::Relationship), ["Mira/Tomas"]);
    assert_eq!(names(&work, TagKind::Character).len(), 3);
    assert_eq!(
        names(&work, TagKind::ArchiveWarning),
        ["Major Character Death"]
    );
    assert_eq!(names(&work, TagKind::Freeform), ["Angst", "Romance"]);
    assert_eq!(field(&work, "Word count"), Some("212"));
    assert_ne!(work.word_count, 212);
    assert!(work.word_count > 150);
    let chapters = store.chapters(work.id).await.unwrap();
    assert!(!chapters[0].content.contains("END"));
    assert!(
        entry["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "end marker `END` dropped")
    );
    // Stored whole, shown masked: the report is as public as the API.
    assert_eq!(field(&work, "Email"), Some("kmarlowe@example.org"));
    let shown = entry["work"]["source"]["fields"].to_string();
    assert!(!shown.contains("kmarlowe@"), "{shown}");
    assert!(shown.contains("k\u{2026}@example.org"), "{shown}");
}

#[tokio::test]
async fn cp1252_crlf_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("cp1252-crlf.txt")]);
    let entry = only_entry(&report);
    assert_eq!(entry["encoding"], "windows-1252");
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "A Winter Caf\u{e9}");
    assert_eq!(work.creators[0].name, "Odile Fairweather");
    assert_eq!(work.rating, Rating::Explicit);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("NC-17")
    );
    let text = &store.chapters(work.id).await.unwrap()[0].content;
    assert!(text.starts_with("<p>\u{201c}Is this seat taken?\u{201d} she asked"));
    assert!(text.contains("tray down \u{2013} tea"));
    assert!(!text.contains('\r'));
}

#[tokio::test]
async fn multi_chapter_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("multi-chapter.txt")]);
    let entry = only_entry(&report);
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "Seven Bells");
    assert_eq!(work.creators[0].name, "Wren Ashdown");
    assert_eq!(work.rating, Rating::GeneralAudiences);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("G")
    );
    let chapters = store.chapters(work.id).await.unwrap();
    let titles: Vec<_> = chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("The First Bell"),
            Some("The Fourth Bell"),
            Some("The Seventh Bell")
        ]
    );
    assert!(work.complete);
    assert_eq!(work.chapters_display(), "3/3");
    assert!(chapters.iter().all(|c| !c.content.contains("The End")));
}

#[tokio::test]
async fn no_header_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("no-header.txt")]);
    let entry = only_entry(&report);
    assert!(!entry["needs_review"].as_array().unwrap().is_empty());
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "no-header");
    assert_eq!(work.rating, Rating::NotRated);
    assert_eq!(work.creators[0].name, "Anonymous");
    assert_eq!(names(&work, TagKind::Fandom), ["Unspecified Fandom"]);
    // No archive line, profile or --archive: the folder's name.
    assert_eq!(work.source.as_ref().unwrap().archive, "legacy");
}

#[tokio::test]
async fn corrupt_binary_txt() {
    let archive = Archive::new();
    let out = archive.import(&[legacy("corrupt-binary.txt")], &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = only_entry(&report);
    assert_eq!(entry["status"], "failed");
    assert_eq!(
        entry["error"],
        "corrupt-binary.txt: not a text or HTML file (binary data at byte 441)"
    );
    assert_eq!(entry["work"], Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("quire: corrupt-binary.txt: not a text or HTML file"),
        "{stderr}"
    );
    let store = archive.store().await;
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.works, counts.chapters, counts.users), (0, 0, 0));
}

#[tokio::test]
async fn html_page_html() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("html-page.html")]);
    let entry = only_entry(&report);
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Lamplighter's Apprentice");
    assert_eq!(work.creators[0].name, "Pell Tamsin");
    assert_eq!(work.rating, Rating::GeneralAudiences);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("PG")
    );
    assert_eq!(names(&work, TagKind::Fandom), ["Hollowmere"]);
    assert_eq!(work.series.len(), 1);
    assert_eq!(work.series[0].title, "Lamps and Lanterns");
    assert_eq!(work.series[0].position, 1);
    assert_eq!(entry["work"]["series"][0]["id"], work.series[0].id);
    assert!(work.complete);
    assert_eq!(work.published.unwrap().to_string(), "2004-03-14");
    assert_eq!(names(&work, TagKind::Freeform), ["Adventure", "Mystery"]);
}

#[tokio::test]
async fn ao3_download_html() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("ao3-download.html")]);
    let entry = only_entry(&report);
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Tidewright's Ledger");
    assert_eq!(work.creators[0].name, "quillfeather");
    assert_eq!(work.rating, Rating::TeenAndUpAudiences);
    let chapters = store.chapters(work.id).await.unwrap();
    assert_eq!(chapters.len(), 2);
    assert_eq!(
        chapters[1].notes.as_deref(),
        Some("<p>Nearly there &lt;3</p>")
    );
    assert_eq!(
        work.end_notes.as_deref(),
        Some("<p>Thank you for reading!</p>")
    );
    assert_eq!(work.series[0].title, "Charts and Currents");
    assert_eq!(work.series[0].position, 2);
    assert_eq!(names(&work, TagKind::Category), ["F/M", "Gen"]);
    assert_eq!(names(&work, TagKind::Freeform).len(), 3);
}

#[tokio::test]
async fn fanficfare_txt() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("fanficfare.txt")]);
    let entry = only_entry(&report);
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Keeper of Small Lights");
    assert_eq!(work.creators[0].name, "Pell Tamsin");
    assert_eq!(work.rating, Rating::GeneralAudiences);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("PG")
    );
    assert_eq!(names(&work, TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(work.chapter_count, 2);
    assert!(!work.complete);
    assert_eq!(work.chapters_display(), "2/?");
    assert_eq!(
        work.summary.as_deref(),
        Some("<p>Jory lights the last lamp on the pier. Something notices.</p>")
    );
    let chapters = store.chapters(work.id).await.unwrap();
    assert!(chapters.iter().all(|c| !c.content.contains("End file")));
}

#[tokio::test]
async fn usenet_thread_mbox() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("usenet-thread.mbox")]);
    let entry = only_entry(&report);
    assert_eq!(
        entry["source_id"],
        "usenet-thread.mbox#53q1b7$2k@news.hollowmere.example"
    );
    let store = archive.store().await;
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Tide-Clock");
    assert_eq!(work.creators[0].name, "Wren Ashdown");
    assert_eq!(field(&work, "Posted by"), Some("Wren A."));
    assert_eq!(work.rating, Rating::TeenAndUpAudiences);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("PG-13")
    );
    assert!(work.complete);
    assert_eq!(work.published.unwrap().to_string(), "1996-10-12");
    assert_eq!(work.updated.unwrap().to_string(), "1996-10-13");
    assert!(
        work.notes
            .as_deref()
            .unwrap()
            .starts_with("<p>My first try at a longer piece")
    );
    assert!(field(&work, "Disclaimer").is_some());
    let chapters = store.chapters(work.id).await.unwrap();
    assert_eq!(chapters.len(), 2);
    assert!(
        chapters[1]
            .content
            .starts_with("<p>From the top of the tower")
    );
    for c in &chapters {
        assert!(!c.content.contains("Every lamp is lit by hand"));
        assert!(!c.content.contains("continued in part 2"));
    }
}

#[tokio::test]
async fn efiction_dump() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("efiction")]);
    let works = report["works"].as_array().unwrap();
    assert_eq!(works.len(), 3, "{report:#}");
    let store = archive.store().await;
    let by_id = |sid: &str| {
        works
            .iter()
            .find(|e| e["source_id"] == format!("hollowmere.sql#sid={sid}"))
            .unwrap()
    };
    let w412 = archive.work(&store, by_id("412")).await;
    assert_eq!(w412.rating, Rating::GeneralAudiences);
    assert_eq!(w412.series[0].title, "Lamps and Lanterns");
    let w413 = archive.work(&store, by_id("413")).await;
    let creators: Vec<&str> = w413.creators.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(creators, ["Odile Fairweather", "Pell Tamsin"]);
    assert_eq!(w413.rating, Rating::Explicit);
    assert_eq!(
        w413.source.as_ref().unwrap().original_rating.as_deref(),
        Some("NC-17")
    );
    let chapters = store.chapters(w413.id).await.unwrap();
    assert_eq!(chapters.len(), 2);
    assert!(chapters[0].content.contains("Is this seat taken?"));
    let w414 = archive.work(&store, by_id("414")).await;
    assert!(!w414.posted, "an unvalidated story is a draft");
    assert_eq!(w414.chapter_count, 0);
    // Pell Tamsin is one creator of the archive, however many works name her.
    let pell = w413.creators[1].user_id;
    assert!(
        w412.creators.iter().all(|p| p.name != "Pell Tamsin") || w412.creators[0].user_id == pell
    );
}

#[tokio::test]
async fn efiction_admin_backup() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("efiction-backup")]);
    let works = report["works"].as_array().unwrap();
    assert_eq!(works.len(), 2, "archive_files and images/ are not stories");
    let store = archive.store().await;
    let entry = works
        .iter()
        .find(|e| e["source_id"] == "hollowmere-backup.sql#sid=7")
        .unwrap();
    let work = archive.work(&store, entry).await;
    assert_eq!(work.title, "The Ferryman's Ledger");
    let creators: Vec<&str> = work.creators.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(creators, ["Odile Fairweather", "Wren Ashdown"]);
    assert_eq!(work.rating, Rating::Mature);
    assert_eq!(
        work.source.as_ref().unwrap().original_rating.as_deref(),
        Some("Mature")
    );
    assert!(work.posted);
    assert_eq!(names(&work, TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert!(
        work.source
            .as_ref()
            .unwrap()
            .fields
            .iter()
            .any(|(_, v)| v.contains("Harbour Stories"))
    );
    let chapters = store.chapters(work.id).await.unwrap();
    assert_eq!(chapters.len(), 2);
    assert!(chapters[1].content.contains("Na\u{ef}ve"));
    assert_eq!(names(&work, TagKind::Freeform), ["Angst", "Hurt/Comfort"]);
    assert_eq!(
        names(&work, TagKind::ArchiveWarning),
        ["Major Character Death"]
    );
    assert_eq!(names(&work, TagKind::Character), ["Mira", "The Ferryman"]);
    assert!(work.complete);
    let draft = works
        .iter()
        .find(|e| e["source_id"] == "hollowmere-backup.sql#sid=8")
        .unwrap();
    assert!(!archive.work(&store, draft).await.posted);
}

#[tokio::test]
async fn importing_the_same_files_again_skips_them_all_and_changes_nothing() {
    let archive = Archive::new();
    let copy = support::legacy_copy_without(&["corrupt-binary.txt"]);
    let folder = copy.path().join("legacy");
    let first = archive.import_ok(std::slice::from_ref(&folder));
    // The table's fixtures and the layout classes' folders (6 formatted-header HTML pages,
    // 7 works from text openings, 4 headerless files, 3 dated files, 6 EPUBs, 2 works from
    // the Mailman monthly files, 6 more formatted-header pages, 6 spot checks).
    assert_eq!(first["imported"], 54, "{first:#}");
    let store = archive.store().await;
    let before = store.counts().await.unwrap();
    let changes = store.changes_after(0, 10_000).await.unwrap().len();

    let again = archive.import_ok(&[folder]);
    assert_eq!(
        (
            &again["imported"],
            &again["updated"],
            &again["skipped"],
            &again["failed"]
        ),
        (
            &Value::from(0),
            &Value::from(0),
            &Value::from(54),
            &Value::from(0)
        ),
        "{again:#}"
    );
    for (a, b) in first["works"]
        .as_array()
        .unwrap()
        .iter()
        .zip(again["works"].as_array().unwrap())
    {
        assert_eq!(b["status"], "skipped");
        assert_eq!(a["work"]["id"], b["work"]["id"], "the same work");
    }
    assert_eq!(store.counts().await.unwrap(), before);
    assert_eq!(store.changes_after(0, 10_000).await.unwrap().len(), changes);
}

#[tokio::test]
async fn a_changed_file_updates_its_work_in_place() {
    let archive = Archive::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    let original = std::fs::read_to_string(legacy("archive-header.txt")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let first = archive.import_ok(std::slice::from_ref(&file));
    let id = only_entry(&first)["work"]["id"].as_i64().unwrap();

    let changed = original.replace(
        "The map was folded eight times",
        "The map was folded nine times",
    );
    assert_ne!(changed, original);
    std::fs::write(&file, &changed).unwrap();
    let second = archive.import_ok(std::slice::from_ref(&file));
    let entry = only_entry(&second);
    assert_eq!(entry["status"], "updated");
    assert_eq!(entry["work"]["id"], id);

    let store = archive.store().await;
    assert_eq!(store.counts().await.unwrap().works, 1);
    let chapters = store.chapters(id).await.unwrap();
    assert!(chapters[0].content.contains("folded nine times"));
    let third = archive.import_ok(&[file]);
    assert_eq!(only_entry(&third)["status"], "skipped");
}

#[tokio::test]
async fn bad_files_fail_alone_with_one_line_each_and_leave_nothing_behind() {
    let archive = Archive::new();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mixed");
    std::fs::create_dir(&root).unwrap();
    let good = std::fs::read(legacy("archive-header.txt")).unwrap();
    std::fs::write(root.join("a-good.txt"), &good).unwrap();
    std::fs::write(
        root.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    )
    .unwrap();
    std::fs::write(root.join("empty.txt"), b"").unwrap();
    let page = std::fs::read_to_string(legacy("html-page.html")).unwrap();
    std::fs::write(root.join("truncated.html"), &page[..page.len() / 2]).unwrap();
    // UTF-8 (the curly quotes say so) with two stray bytes in the middle.
    let mut mixed = "A Title\nBy Someone\n\nRating: G\n\nShe said \u{201c}hi\u{201d} "
        .as_bytes()
        .to_vec();
    let bad_at = mixed.len();
    mixed.extend_from_slice(b"\xff\xfe and left \xe2\x80\x94 quickly.\n");
    std::fs::write(root.join("invalid-utf8.txt"), &mixed).unwrap();
    let mut huge = b"Huge\nBy Someone\n\nRating: G\n\n".to_vec();
    let line = b"All work and no play makes a very long story indeed, said Jory.\n";
    while huge.len() < 50 << 20 {
        huge.extend_from_slice(line);
    }
    std::fs::write(root.join("huge.txt"), &huge).unwrap();
    std::fs::write(root.join("z-bomb.zip"), support::zip_bomb()).unwrap();
    std::fs::write(root.join("z-good.txt"), &good).unwrap();

    let out = archive.import(
        std::slice::from_ref(&root),
        &["--json", "--archive", "Mixed"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"], 2, "{report:#}");
    assert_eq!(report["failed"], 6);
    let errors: Vec<String> = report["works"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "failed")
        .map(|e| e["error"].as_str().unwrap().to_owned())
        .collect();
    let expected = [
        "binary.txt: not a text or HTML file (binary data at byte 7)".to_owned(),
        "empty.txt: empty file".to_owned(),
        "huge.txt: file too large (50 MiB; story files over 32 MiB are not imported)".to_owned(),
        format!(
            "invalid-utf8.txt: not valid UTF-8 at byte {bad_at}, though the rest of the file is: fix or re-encode the file"
        ),
        "truncated.html: the HTML ends before </body></html>: the file looks cut short".to_owned(),
        "z-bomb.zip: unreadable zip archive (bomb.txt unpacks to more than 100 times its packed size, and to more than 32 MiB)".to_owned(),
    ];
    assert_eq!(errors, expected);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for error in &errors {
        let line = format!("quire: {error}\n");
        assert_eq!(stderr.matches(&line).count(), 1, "{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");

    let store = archive.store().await;
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.works, counts.chapters), (2, 2));
    for bad in [
        "binary.txt",
        "empty.txt",
        "huge.txt",
        "invalid-utf8.txt",
        "truncated.html",
    ] {
        assert!(store.source("Mixed", bad).await.unwrap().is_none(), "{bad}");
    }
}

#[tokio::test]
async fn a_dry_run_reports_without_storing() {
    let archive = Archive::new();
    let out = archive.import(&[legacy("archive-header.txt")], &["--json", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    let entry = only_entry(&report);
    assert_eq!(entry["status"], "imported");
    assert_eq!(entry["work"]["id"], Value::Null);
    assert_eq!(entry["work"]["title"], "The Cartographer's Daughter");
    assert!(
        !archive.data().join("quire.db").exists(),
        "no database made"
    );

    archive.import_ok(&[legacy("archive-header.txt")]);
    let out = archive.import(&[legacy("archive-header.txt")], &["--json", "--dry-run"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(only_entry(&report)["status"], "skipped");
}

#[test]
fn a_profile_names_the_archive_and_fills_defaults() {
    let archive = Archive::new();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("archive.toml");
    std::fs::write(
        &profile,
        "archive = \"Old Archive\"\ndefault_fandom = \"Hollowmere\"\n[ratings]\n\"G\" = \"Teen And Up Audiences\"\n",
    )
    .unwrap();
    let out = archive.import(
        &[legacy("multi-chapter.txt")],
        &["--json", "--profile", profile.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["archive"], "Old Archive");
    let work = &only_entry(&report)["work"];
    assert_eq!(work["fandoms"], serde_json::json!(["Hollowmere"]));
    assert_eq!(work["rating"], "Teen And Up Audiences");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "archive = 3\n").unwrap();
    let out = archive.import(
        &[legacy("multi-chapter.txt")],
        &["--profile", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("bad.toml"), "{stderr}");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let archive = Archive::new();
    let out = archive.import(&[legacy("no-such-file.txt")], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-file.txt: no such file or folder"),
        "{stderr}"
    );
}

#[test]
fn the_human_summary_counts_and_names_the_failures() {
    let archive = Archive::new();
    let out = archive.import(&[legacy("")], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(
            "1 of 55 stories failed and was not stored; 54 imported, 0 updated, 0 unchanged.\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  corrupt-binary.txt: not a text or HTML file"),
        "{stdout}"
    );
    assert!(stdout.contains("Needs review:"), "{stdout}");
}

#[test]
fn the_json_report_of_the_fixtures() {
    let archive = Archive::new();
    let out = archive.import(&[legacy("")], &["--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    insta::assert_json_snapshot!("fixtures_report", report, {
        ".works[].work.id" => "[id]",
        ".works[].work.series[].id" => "[id]",
    });
    let dry = Archive::new();
    let out = dry.import(&[legacy("")], &["--json", "--dry-run"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    insta::assert_json_snapshot!("fixtures_dry_run_report", report);
}
