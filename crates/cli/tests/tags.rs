//! `quire tags …` and a profile's wrangling, as a wrangler and an archivist run them: the real
//! binary on a real SQLite archive, then what the store (and the search index) say.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quire_core::TagKind;
use quire_core::visibility::{ListingScope, Viewer};
use quire_search::{MutedSet, SearchIndex, WorkQuery};
use quire_store::Store as _;
use support::Archive;

fn quire(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(out)
}

/// A story file of the Sunnydale archive with this title and pairing.
fn story(dir: &Path, file: &str, title: &str, pairing: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!(
            "Sunnydale Archive\n\n{title}\nBy Clem\n\nRating: PG\nFandom: Buffy the Vampire Slayer\n\
             Pairing: {pairing}\n\
             Summary: A short one.\n\nThe sun came up over Sunnydale, and nobody burned.\n"
        ),
    )
    .unwrap();
    path
}

/// Three stories: two name one pairing in two spellings.
fn stories(dir: &Path) -> PathBuf {
    let folder = dir.join("sunnydale");
    std::fs::create_dir_all(&folder).unwrap();
    story(&folder, "a.txt", "Something Blue", "Willow/Spike");
    story(&folder, "b.txt", "Doublemeat Palace", "Spike/Willow");
    story(&folder, "c.txt", "Hell's Bells", "Xander/Anya");
    folder
}

fn search(data: &Path, kind: TagKind, name: &str) -> u64 {
    let (index, _) = SearchIndex::open(&data.join(quire_search::INDEX_DIR)).unwrap();
    let mut query = WorkQuery::new();
    query.include.push((kind, name.into()));
    let viewer = Viewer::GUEST;
    index
        .search(
            &query,
            ListingScope::for_viewer(&viewer),
            &MutedSet::default(),
        )
        .unwrap()
        .total
}

#[tokio::test]
async fn a_wrangler_merges_a_synonym_with_a_dry_run_first() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::new();
    archive.import_ok(&[stories(tmp.path())]);
    let data = archive.data();
    let data = data.as_path();

    let out = ok(&quire(data, &["tags", "canonical", "spike/willow"]));
    assert_eq!(out.trim(), "`Spike/Willow` is canonical; 1 work re-filed");

    let out = ok(&quire(
        data,
        &[
            "tags",
            "merge",
            "Willow/Spike",
            "--into",
            "Spike/Willow",
            "--dry-run",
        ],
    ));
    assert_eq!(
        out.trim(),
        "dry run, nothing changed: `Willow/Spike` is a synonym of `Spike/Willow`; \
         1 work would be re-filed"
    );
    let store = archive.store().await;
    let synonym = store.tag_wrangling("Willow/Spike").await.unwrap().unwrap();
    assert!(synonym.merger.is_none(), "a dry run changes nothing");

    let out = ok(&quire(
        data,
        &["tags", "merge", "Willow/Spike", "--into", "Spike/Willow"],
    ));
    assert_eq!(
        out.trim(),
        "`Willow/Spike` is a synonym of `Spike/Willow`; 1 work re-filed"
    );
    let page = ok(&quire(data, &["tags", "show", "spike/willow"]));
    assert!(page.contains("kind: relationship"), "{page}");
    assert!(page.contains("status: canonical"), "{page}");
    assert!(page.contains("synonyms: Willow/Spike"), "{page}");

    // The index follows: the canonical tag finds both spellings.
    ok(&quire(data, &["reindex"]));
    assert_eq!(search(data, TagKind::Relationship, "Spike/Willow"), 2);
}

#[tokio::test]
async fn parents_meta_tags_and_renames_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::new();
    archive.import_ok(&[stories(tmp.path())]);
    let data = archive.data();
    let data = data.as_path();
    for tag in ["Buffy the Vampire Slayer", "Xander/Anya"] {
        ok(&quire(data, &["tags", "canonical", tag]));
    }
    let out = ok(&quire(
        data,
        &[
            "tags",
            "parent",
            "Xander/Anya",
            "--parent",
            "Buffy the Vampire Slayer",
        ],
    ));
    assert_eq!(
        out.trim(),
        "`Xander/Anya` is a child of `Buffy the Vampire Slayer`; 0 works re-filed"
    );
    let out = ok(&quire(
        data,
        &["tags", "canonical", "Buffyverse", "--create", "fandom"],
    ));
    assert!(out.contains("`Buffyverse` is canonical"), "{out}");
    let out = ok(&quire(
        data,
        &[
            "tags",
            "meta",
            "Buffy the Vampire Slayer",
            "--meta",
            "Buffyverse",
            "--dry-run",
        ],
    ));
    assert!(out.contains("3 works would be re-filed"), "{out}");

    let out = ok(&quire(
        data,
        &["tags", "rename", "Xander/Anya", "Anya/Xander Harris"],
    ));
    assert_eq!(
        out.trim(),
        "`Xander/Anya` is now `Anya/Xander Harris`; 1 work re-filed"
    );
    let page = ok(&quire(data, &["tags", "show", "buffy the vampire slayer"]));
    assert!(page.contains("children: Anya/Xander Harris"), "{page}");
}

#[tokio::test]
async fn refused_wrangling_exits_1_with_one_line_and_bad_usage_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::new();
    archive.import_ok(&[stories(tmp.path())]);
    let data = archive.data();
    let data = data.as_path();

    let cases: [(&[&str], &str); 4] = [
        (
            &["tags", "merge", "Willow/Spike", "--into", "Spike/Willow"],
            "is not canonical",
        ),
        (
            &["tags", "show", "Dingoes Ate My Baby"],
            "no tag is named `Dingoes Ate My Baby`",
        ),
        (
            &["tags", "merge", "Willow/Spike", "--into", "Willow/Spike"],
            "into itself",
        ),
        (
            &["tags", "rename", "Willow/Spike", "xander/anya"],
            "exists already",
        ),
    ];
    for (args, needle) in cases {
        let out = quire(data, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let out = quire(data, &["tags", "merge", "Willow/Spike"]);
    assert_eq!(out.status.code(), Some(2), "--into is required");
    let out = quire(data, &["tags", "canonical", "X", "--create", "villain"]);
    assert_eq!(out.status.code(), Some(2), "unknown kind");
}

#[tokio::test]
async fn a_profiles_wrangling_makes_two_spellings_one_relationship() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = stories(tmp.path());
    std::fs::write(
        tmp.path().join("sunnydale.toml"),
        "archive = \"Sunnydale\"\nwrangling_file = \"wrangling.toml\"\n\
         [wrangling.metas]\n\"Buffy the Vampire Slayer\" = [\"Buffyverse\"]\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("wrangling.toml"),
        "[synonyms]\n\"Willow/Spike\" = \"Spike/Willow\"\n\
         [parents]\n\"Spike/Willow\" = [\"Buffy the Vampire Slayer\"]\n",
    )
    .unwrap();
    let archive = Archive::new();
    let profile = tmp.path().join("sunnydale.toml");
    let out = archive.import(
        &[folder],
        &["--profile", profile.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["wrangling"]["refused"],
        serde_json::json!([]),
        "{report:#}"
    );

    let store = archive.store().await;
    let ship = store.tag_wrangling("Spike/Willow").await.unwrap().unwrap();
    assert!(ship.tag.canonical);
    assert_eq!(ship.synonyms[0].name, "Willow/Spike");
    assert_eq!(ship.parents[0].name, "Buffy the Vampire Slayer");
    let verse = store.tag_wrangling("Buffyverse").await.unwrap().unwrap();
    assert_eq!(verse.tag.kind, TagKind::Fandom);
    assert_eq!(verse.subs[0].name, "Buffy the Vampire Slayer");

    let data = archive.data();
    ok(&quire(&data, &["reindex"]));
    assert_eq!(search(&data, TagKind::Relationship, "Spike/Willow"), 2);
    assert_eq!(search(&data, TagKind::Fandom, "Buffyverse"), 3);
}
