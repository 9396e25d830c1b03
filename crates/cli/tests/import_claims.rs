//! `quire import` run again after an admin approved a claim on one of its creators, through the
//! real command, on SQLite and PostgreSQL: the unchanged story is skipped, a changed one is
//! updated in place and stays the member's, and a new story under the same legacy name goes
//! to the member's pseud of that name (the imported one, now theirs), as Open Doors does; no
//! second imported creator is made. PostgreSQL is skipped with one line when no server answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use quire_store::testing::TestDb;
use quire_store::{Actor, ClaimFiled, NewClaim, NewUser, Store};
use serde_json::Value;
use support::Archive;

const NOW: i64 = 1_780_000_000;

/// A story file of the Lanterns of Hollowmere archive by `author`.
fn story(dir: &Path, file: &str, title: &str, author: &str, text: &str) {
    let body = format!(
        "Lanterns of Hollowmere\n\n{title}\nBy {author}\n\nRating: G\nSummary: {title}.\n\n{text}\n"
    );
    std::fs::write(dir.join(file), body).unwrap();
}

/// `quire import --json` of `dir` with `args`, expecting success; the report.
#[track_caller]
fn import(archive: &Archive, dir: &Path, args: &[&str]) -> Value {
    archive.import_ok_with(&[dir.to_path_buf()], args)
}

/// The report entry of a source id: its status and work id.
fn entry(report: &Value, source_id: &str) -> (String, i64) {
    let entry = report["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source_id"] == source_id)
        .unwrap_or_else(|| panic!("no {source_id} in {report}"));
    (
        entry["status"].as_str().unwrap().to_owned(),
        entry["work"]["id"].as_i64().unwrap(),
    )
}

async fn a_reimport_after_a_claim_leaves_the_works_with_the_member(
    archive: &Archive,
    store: &dyn Store,
    args: &[&str],
) {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    story(
        dir,
        "bells.txt",
        "Seven Bells",
        "Wren Ashdown",
        "The bells rang.",
    );
    story(
        dir,
        "tide.txt",
        "Low Tide",
        "Wren Ashdown",
        "The tide went out.",
    );
    let first = import(archive, dir, args);
    assert_eq!(first["imported"], 2, "{first}");
    let (_, bells) = entry(&first, "bells.txt");
    let (_, tide) = entry(&first, "tide.txt");
    let imported = store.work(bells).await.unwrap().unwrap().creators[0].clone();

    // Wren signs up and claims the imported creator; an admin approves.
    let wren = store
        .create_user(&NewUser {
            login: "wren".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let ClaimFiled::Filed(claim) = store
        .file_claim(&NewClaim {
            claimant: wren.id,
            creator: imported.user_id,
            message: "These are mine, from 2004.",
            now: NOW,
        })
        .await
        .unwrap()
    else {
        panic!("the claim is filed");
    };
    store
        .approve_claim(&Actor::command_line(), claim, NOW)
        .await
        .unwrap()
        .expect("approved");

    // The archivist runs the import again: one story changed, one is new.
    story(
        dir,
        "tide.txt",
        "Low Tide",
        "Wren Ashdown",
        "The tide went out, and came back.",
    );
    story(
        dir,
        "fog.txt",
        "Sea Fog",
        "Wren Ashdown",
        "The fog rolled in.",
    );
    let again = import(archive, dir, args);
    assert_eq!(entry(&again, "bells.txt"), ("skipped".to_owned(), bells));
    assert_eq!(entry(&again, "tide.txt"), ("updated".to_owned(), tide));
    let (status, fog) = entry(&again, "fog.txt");
    assert_eq!(status, "imported");
    for work in [bells, tide, fog] {
        let by = &store.work(work).await.unwrap().unwrap().creators;
        assert_eq!(by.len(), 1);
        assert_eq!(
            (
                by[0].id,
                by[0].user_id,
                by[0].name.as_str(),
                by[0].login.as_str()
            ),
            (imported.id, wren.id, "Wren Ashdown", "wren"),
            "work {work} is Wren's, under the imported name"
        );
    }
    let reported = again["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source_id"] == "fog.txt")
        .unwrap();
    assert_eq!(
        reported["work"]["authors"],
        serde_json::json!(["Wren Ashdown"]),
        "{again}"
    );
    // No second imported creator was made for the name.
    let slug = format!("{}_2", imported.login);
    assert!(store.user_by_login(&slug).await.unwrap().is_none());
    let claimed = store.user_by_login(&imported.login).await.unwrap().unwrap();
    assert!(claimed.claimed);
    assert!(store.pseuds_of(claimed.id).await.unwrap().is_empty());

    // A third run changes nothing.
    let third = import(archive, dir, args);
    assert_eq!(third["skipped"], 3, "{third}");
}

#[tokio::test]
async fn a_reimport_after_a_claim_leaves_the_works_with_the_member_on_sqlite() {
    let archive = Archive::new();
    std::fs::create_dir_all(archive.data()).unwrap();
    let store = archive.store().await;
    a_reimport_after_a_claim_leaves_the_works_with_the_member(&archive, &store, &[]).await;
}

#[tokio::test]
async fn a_reimport_after_a_claim_leaves_the_works_with_the_member_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url().expect("a PostgreSQL test database has a URL");
    let archive = Archive::new();
    a_reimport_after_a_claim_leaves_the_works_with_the_member(
        &archive,
        db.store.as_ref(),
        &["--database-url", &url],
    )
    .await;
}
