//! `quire import` on hostile eFiction dumps: ids and settings from a dump are never a way to
//! read files outside the dump's stories folder. Each test writes a secret `.txt` beside the
//! folder it imports and proves that its text reaches neither the archive nor the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};

use quire_store::Store as _;
use serde_json::Value;
use support::Archive;

const SECRET: &str = "LAUNCH CODES 0000-SECRET";

/// An eFiction dump of the given stories and file chapters (`sid, uid, chapid` each), with an
/// optional `storiespath` setting.
fn dump(
    stories: &[(u32, &str)],
    chapters: &[(u32, &str, &str)],
    storiespath: Option<&str>,
) -> String {
    let mut sql = String::from(
        "INSERT INTO `fanfiction_authors` (`uid`,`penname`,`email`) VALUES (1,'Wren Ashdown','');\n",
    );
    if let Some(path) = storiespath {
        sql.push_str(&format!(
            "INSERT INTO `fanfiction_settings` (`sitename`,`storiespath`) VALUES ('Hollowmere','{path}');\n"
        ));
    }
    for (sid, title) in stories {
        sql.push_str(&format!(
            "INSERT INTO `fanfiction_stories` (`sid`,`title`,`summary`,`uid`,`validated`,`completed`,`rid`) \
             VALUES ({sid},'{title}','A summary.',1,'1','1','0');\n"
        ));
    }
    for (i, (sid, uid, chapid)) in chapters.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO `fanfiction_chapters` (`chapid`,`title`,`inorder`,`notes`,`storytext`,`validated`,`sid`,`uid`) \
             VALUES ('{chapid}','Chapter',{},'','','1',{sid},'{uid}');\n",
            i + 1
        ));
    }
    sql
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs the import; its report, after checking that the secret is in neither the output nor
/// the archive's files nor any stored chapter.
async fn import_and_check_secret(archive: &Archive, root: PathBuf) -> Value {
    let out = archive.import(&[root], &["--json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains(SECRET), "secret in the report: {stdout}");
    assert!(!stderr.contains(SECRET), "secret on stderr: {stderr}");
    for entry in std::fs::read_dir(archive.data()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "secret stored in the archive"
        );
    }
    let report: Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    let store = archive.store().await;
    for entry in report["works"].as_array().unwrap() {
        if let Some(id) = entry["work"]["id"].as_i64() {
            for chapter in store.chapters(id).await.unwrap() {
                assert!(
                    !chapter.content.contains(SECRET),
                    "secret published as a chapter"
                );
            }
        }
    }
    report
}

fn entry<'a>(report: &'a Value, source_id: &str) -> &'a Value {
    report["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source_id"] == source_id || e["path"] == source_id)
        .unwrap_or_else(|| panic!("no entry {source_id} in {report:#}"))
}

#[tokio::test]
async fn chapter_ids_that_climb_out_point_elsewhere_or_follow_a_symlink_fail_their_story() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    write(&secret, SECRET);
    let site = tmp.path().join("site");
    write(
        &site.join("stories/1/10.txt"),
        "The lamps were lit at dusk.",
    );
    std::os::unix::fs::symlink(&secret, site.join("stories/1/11.txt")).unwrap();
    let absolute = tmp.path().to_str().unwrap().to_owned();
    write(
        &site.join("archive.sql"),
        &dump(
            &[
                (1, "Lit Lamps"),
                (2, "Dot Dot"),
                (3, "Absolute"),
                (4, "Linked"),
            ],
            &[
                (1, "1", "10"),
                (2, "..", "../secret"),
                (3, &absolute, "secret"),
                (4, "1", "11"),
            ],
            None,
        ),
    );

    let archive = Archive::new();
    let report = import_and_check_secret(&archive, site).await;
    assert_eq!(report["imported"], 1, "{report:#}");
    assert_eq!(report["failed"], 3, "{report:#}");
    assert_eq!(entry(&report, "archive.sql#sid=1")["status"], "imported");
    let error = |sid: u32| {
        let e = entry(&report, &format!("archive.sql#sid={sid}"));
        assert_eq!(e["status"], "failed");
        e["error"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        error(2),
        "archive.sql#sid=2: chapter 1: uid `..` is not a number; \
         the chapter file is not read and nothing of this story is stored"
    );
    assert_eq!(
        error(3),
        format!(
            "archive.sql#sid=3: chapter 1: uid `{absolute}` is not a number; \
             the chapter file is not read and nothing of this story is stored"
        )
    );
    assert_eq!(
        error(4),
        "archive.sql#sid=4: chapter 1: stories/1/11.txt leads outside the stories folder; \
         the chapter file is not read and nothing of this story is stored"
    );
}

#[tokio::test]
async fn a_stories_folder_outside_the_dumps_folder_is_never_read() {
    let tmp = tempfile::tempdir().unwrap();
    // `storiespath` naming the parent folder, where a matching chapter file waits.
    write(&tmp.path().join("2/20.txt"), SECRET);
    let parent = tmp.path().join("parent");
    write(
        &parent.join("archive.sql"),
        &dump(&[(1, "Upstairs")], &[(1, "2", "20")], Some("/var/www/..")),
    );
    // A stories folder that is a symlink to a folder elsewhere.
    write(&tmp.path().join("elsewhere/3/30.txt"), SECRET);
    let linked = tmp.path().join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), linked.join("stories")).unwrap();
    write(
        &linked.join("archive.sql"),
        &dump(&[(1, "Elsewhere")], &[(1, "3", "30")], None),
    );

    let archive = Archive::new();
    let report = import_and_check_secret(&archive, parent).await;
    let upstairs = entry(&report, "archive.sql#sid=1");
    assert_eq!(
        upstairs["needs_review"][0], "chapter 20: text file stories/2/20.txt not found",
        "{report:#}"
    );

    let report = import_and_check_secret(&archive, linked).await;
    let elsewhere = entry(&report, "archive.sql#sid=1");
    assert_eq!(elsewhere["status"], "failed");
    assert_eq!(
        elsewhere["error"],
        "archive.sql#sid=1: chapter 1: the stories folder stories leads outside the dump's \
         folder; the chapter file is not read and nothing of this story is stored"
    );
}
