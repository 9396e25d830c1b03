//! `quire copy --to URL`, end to end through the real command: SQLite to PostgreSQL and back
//! with every table's checksum equal, a refused non-empty target, and a copy killed mid-way
//! that resumes. The PostgreSQL test is skipped with one line when no server answers (unless
//! `QUIRE_REQUIRE_POSTGRES=1`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archive_copy;

use archive_copy::{
    DataDir, assert_same, assert_same_work, quire, quire_fails, quire_ok, quire_with_env, seeded,
    summaries,
};
use quire_core::work::{NewChapter, NewWork};
use quire_store::Store;
use quire_store::copy::Location;
use quire_store::testing::TestDb;

#[tokio::test]
async fn an_archive_goes_to_postgres_and_back_with_every_checksum_equal() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let url = pg.url().unwrap();
    let archive = seeded(120, 7).await;

    let out = quire_ok(&archive.data(), &["copy", "--to", &url]);
    assert!(out.contains("every table verified"), "{out}");
    assert!(out.contains("copied 120 works"), "{out}");

    let back = DataDir::new();
    let elsewhere = DataDir::new();
    quire_ok(
        &elsewhere.data(),
        &["--database-url", &url, "copy", "--to", &back.url()],
    );

    let original = summaries(&archive.location()).await;
    assert_same(
        &original,
        &summaries(&Location::Postgres(url.clone())).await,
    );
    assert_same(&original, &summaries(&back.location()).await);
    assert!(original.iter().all(|t| t.table != "works" || t.rows == 120));

    let (a, b) = (archive.store().await, back.store().await);
    for id in [1, 2, 60, 120] {
        assert_same_work(&a, &*pg.store, id).await;
        assert_same_work(&a, &b, id).await;
    }

    // The identity sequences moved past the copied ids: a new creator and work do not clash.
    let author = pg
        .store
        .archive_creator("Moved", "New Author")
        .await
        .unwrap();
    let new = NewWork {
        creators: vec![author.id],
        title: "Written after the move".into(),
        language: "en".into(),
        posted: true,
        chapters: vec![NewChapter::posted("<p>Fresh words.</p>")],
        ..NewWork::default()
    };
    assert_eq!(pg.store.insert_work(&new).await.unwrap(), 121);
    assert!(pg.store.last_change_seq().await.unwrap() > a.last_change_seq().await.unwrap());
}

#[tokio::test]
async fn a_target_holding_an_archive_is_refused_unless_forced() {
    let archive = seeded(30, 1).await;
    let other = seeded(20, 2).await;
    let before = summaries(&other.location()).await;

    let err = quire_fails(&archive.data(), &["copy", "--to", &other.url()]);
    assert!(
        err.contains("holds an archive") && err.contains("--force"),
        "{err}"
    );
    assert_same(&before, &summaries(&other.location()).await);

    quire_ok(&archive.data(), &["copy", "--to", &other.url(), "--force"]);
    assert_same(
        &summaries(&archive.location()).await,
        &summaries(&other.location()).await,
    );

    let err = quire_fails(&archive.data(), &["copy", "--to", &archive.url()]);
    assert!(err.contains("the same database"), "{err}");
}

#[tokio::test]
async fn a_copy_killed_midway_resumes_where_it_stopped() {
    let archive = seeded(200, 3).await;
    let target = DataDir::new();

    let killed = quire_with_env(
        &archive.data(),
        &["copy", "--to", &target.url(), "--batch", "40"],
        &[("QUIRE_TEST_COPY_ABORT_AFTER", "6")],
    );
    assert!(!killed.status.success(), "the hook aborts the copy");
    let total: u64 = summaries(&archive.location())
        .await
        .iter()
        .map(|t| t.rows)
        .sum();
    let partial = summaries(&target.location()).await;
    let copied: u64 = partial.iter().map(|t| t.rows).sum();
    assert!(
        (6..=6 * 40).contains(&copied) && copied < total,
        "six batches were committed: {partial:?}"
    );

    // Another archive may not take over the half-done target without --force…
    let other = seeded(5, 9).await;
    let err = quire_fails(&other.data(), &["copy", "--to", &target.url()]);
    assert!(err.contains("interrupted copy of another archive"), "{err}");

    // …and the same source finishes it.
    let out = quire_ok(&archive.data(), &["copy", "--to", &target.url()]);
    assert!(out.contains("resumed"), "{out}");
    assert_same(
        &summaries(&archive.location()).await,
        &summaries(&target.location()).await,
    );

    // Done and verified: the marker is gone, so a third run finds a full target.
    let again = quire(&archive.data(), &["copy", "--to", &target.url()]);
    assert!(!again.status.success());
}
