//! `quire export --out DIR`: many works at once, as an operator runs it, on a seeded archive
//! with imported works beside it. What the folder holds is checked against the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output};

use quire_core::{TagKind, Work};
use quire_export::Format;
use quire_store::Store as _;
use support::{Archive, legacy};

fn quire(archive: &Archive, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("--data")
        .arg(archive.data())
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire")
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// 150 seeded works (drafts and restricted ones among them) and one story imported twice,
/// from two archives: two works of the same title.
fn seeded_archive() -> Archive {
    let archive = Archive::new();
    ok(&quire(
        &archive,
        &["seed", "--works", "150", "--max-words", "300"],
    ));
    for name in ["first-archive", "second-archive"] {
        let out = archive.import(&[legacy("multi-chapter.txt")], &["--archive", name]);
        ok(&out);
    }
    archive
}

/// Every work of the archive, and whether it has a posted chapter (so an export exists).
async fn all_works(archive: &Archive) -> Vec<(Work, bool)> {
    let store = archive.store().await;
    let ids: Vec<i64> = (1..=400).collect();
    let mut out = Vec::new();
    for work in store.works(&ids).await.unwrap() {
        let chapters = store.chapters(work.id).await.unwrap();
        let exported = chapters.iter().any(|c| c.posted);
        out.push((work, exported));
    }
    out.sort_by_key(|(w, _)| w.id);
    out
}

/// The finished files of a folder (no `.part` leftovers are allowed either).
fn files(dir: &Path) -> BTreeSet<String> {
    let names: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "leftover temporary files: {names:?}"
    );
    names
}

fn epub_title(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut opf = String::new();
    let name = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_owned())
        .find(|n| n.ends_with(".opf"))
        .expect("an OPF package document");
    zip.by_name(&name)
        .unwrap()
        .read_to_string(&mut opf)
        .unwrap();
    let start = opf.find("<dc:title").unwrap();
    let start = start + opf[start..].find('>').unwrap() + 1;
    let end = start + opf[start..].find("</dc:title>").unwrap();
    opf[start..end].to_owned()
}

#[tokio::test]
async fn the_whole_archive_is_exported_once_and_a_rerun_writes_only_what_is_missing() {
    let archive = seeded_archive();
    let works = all_works(&archive).await;
    assert!(works.iter().any(|(w, _)| !w.posted), "the seed has drafts");
    assert!(
        works.iter().any(|(w, _)| w.restricted),
        "and restricted works"
    );
    let expected = works.iter().filter(|(w, e)| w.posted && *e).count();
    let out_dir = tempfile::tempdir().unwrap();
    let dir = out_dir.path().join("books");
    let dir_arg = dir.to_str().unwrap();

    let printed = ok(&quire(&archive, &["export", "--out", dir_arg]));
    assert!(
        printed.contains(&format!("exported {expected} works")),
        "{printed}"
    );
    let names = files(&dir);
    assert_eq!(names.len(), expected, "{names:?}");
    // Drafts are left out, restricted works are in, every file has its work's AO3 name.
    let (first, _) = works.iter().find(|(w, e)| w.posted && *e).unwrap();
    let name = quire_export::file_name(first, Format::Epub);
    assert!(names.contains(&name), "{name} not in {names:?}");
    assert_eq!(epub_title(&dir.join(&name)), first.title);
    let (restricted, _) = works
        .iter()
        .find(|(w, e)| w.posted && *e && w.restricted)
        .expect("a posted restricted work");
    let restricted_name = quire_export::file_name(restricted, Format::Epub);
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(restricted_name.trim_end_matches(".epub")))
    );
    // The story imported twice: the second copy gets ` (2)`.
    assert!(names.contains("Seven_Bells.epub"), "{names:?}");
    assert!(names.contains("Seven_Bells (2).epub"), "{names:?}");
    assert_eq!(epub_title(&dir.join("Seven_Bells (2).epub")), "Seven Bells");

    // Again: nothing to do. Without one file: that file only, under the same name.
    let printed = ok(&quire(&archive, &["export", "--out", dir_arg]));
    assert!(
        printed.contains("exported 0 works")
            && printed.contains(&format!("{expected} already there")),
        "{printed}"
    );
    std::fs::remove_file(dir.join("Seven_Bells (2).epub")).unwrap();
    let printed = ok(&quire(&archive, &["export", "--out", dir_arg]));
    assert!(printed.contains("exported 1 works"), "{printed}");
    assert_eq!(files(&dir), names);
}

#[tokio::test]
async fn filters_select_the_works_the_listing_would() {
    let archive = seeded_archive();
    let works = all_works(&archive).await;
    let exported: Vec<&Work> = works
        .iter()
        .filter(|(w, e)| w.posted && *e)
        .map(|(w, _)| w)
        .collect();
    // The fandom of the first seeded work, in TXT, by --fandom and by --query alike.
    let fandom = exported[0]
        .tags_of(TagKind::Fandom)
        .next()
        .unwrap()
        .name
        .clone();
    let in_fandom = |w: &&&Work| {
        w.tags_of(TagKind::Fandom)
            .any(|t| t.name.eq_ignore_ascii_case(&fandom))
    };
    let expected = exported.iter().filter(in_fandom).count();
    assert!(expected > 0 && expected < exported.len());
    let out_dir = tempfile::tempdir().unwrap();
    let by_flag = out_dir.path().join("flag");
    ok(&quire(
        &archive,
        &[
            "export",
            "--out",
            by_flag.to_str().unwrap(),
            "--format",
            "txt",
            "--fandom",
            &fandom,
        ],
    ));
    let names = files(&by_flag);
    assert_eq!(names.len(), expected, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".txt")));

    let query = format!("fandom={}&not_rating=Explicit", fandom.replace(' ', "+"));
    let by_query = out_dir.path().join("query");
    ok(&quire(
        &archive,
        &[
            "export",
            "--out",
            by_query.to_str().unwrap(),
            "--query",
            &query,
        ],
    ));
    let not_explicit = exported
        .iter()
        .filter(in_fandom)
        .filter(|w| w.rating.name() != "Explicit")
        .count();
    assert_eq!(files(&by_query).len(), not_explicit);

    // One creator's works.
    let login = exported[0].creators[0].login.clone();
    let theirs = exported
        .iter()
        .filter(|w| w.creators.iter().any(|p| p.login == login))
        .count();
    let by_creator = out_dir.path().join("creator");
    ok(&quire(
        &archive,
        &[
            "export",
            "--out",
            by_creator.to_str().unwrap(),
            "--creator",
            &login,
        ],
    ));
    assert_eq!(files(&by_creator).len(), theirs);
}

#[test]
fn bad_filters_are_refused_before_anything_is_written() {
    let archive = Archive::new();
    archive.import_ok(&[legacy("multi-chapter.txt")]);
    let out_dir = tempfile::tempdir().unwrap();
    let dir = out_dir.path().join("never");
    let dir_arg = dir.to_str().unwrap();
    for (args, message) in [
        (
            vec!["--query", "fandom=X&colour=blue"],
            "quire: error: --query: unknown search parameter: colour",
        ),
        (
            vec!["--query", "rating=Very+Explicit"],
            "quire: error: --query: `rating=Very Explicit`: expected one of AO3's names for it",
        ),
        (
            vec!["--creator", "nobody_here"],
            "quire: error: --creator: there is no user `nobody_here`",
        ),
    ] {
        let mut all = vec!["export", "--out", dir_arg];
        all.extend(args);
        let out = quire(&archive, &all);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), message);
        assert!(!dir.exists());
    }
    let out = quire(&archive, &["export"]);
    assert_eq!(out.status.code(), Some(2));
    let out = quire(&archive, &["export", "1", "--fandom", "X"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a work id and filters do not mix"
    );
}

#[test]
fn a_work_that_cannot_be_written_is_reported_and_the_others_still_are() {
    let archive = Archive::new();
    for name in ["first-archive", "second-archive"] {
        ok(&archive.import(&[legacy("multi-chapter.txt")], &["--archive", name]));
    }
    ok(&archive.import(&[legacy("archive-header.txt")], &[]));
    let out_dir = tempfile::tempdir().unwrap();
    // A folder where the first work's temporary file would go: it cannot be written.
    std::fs::create_dir(out_dir.path().join(".Seven_Bells.html.part")).unwrap();
    let out = quire(
        &archive,
        &[
            "export",
            "--format",
            "html",
            "--out",
            out_dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("quire: work 1 (Seven Bells): cannot write")
            && stderr.contains("quire: error: 1 works could not be exported"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("exported 2 works"));
    let written: BTreeSet<String> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(written.contains("Seven_Bells (2).html"), "{written:?}");
}
