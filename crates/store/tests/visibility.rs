//! Every store read path agrees with `can_view`, for every viewer, on generated archives
//! (drafts, restricted and admin-hidden works, works whose chapters are all unposted,
//! co-creators, series, tags), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archive_model;

use std::future::Future;
use std::pin::Pin;

use archive_model::{Model, SERIES};
use quire_core::visibility::{ListingScope, Viewer};
use quire_core::{TagKind, WorkId};
use quire_store::testing::TestDb;
use quire_store::{Page, Store};

/// Generated archives per backend: enough to meet every combination of a work's states a few
/// times, few enough to keep the suite fast.
const CASES: u32 = 24;

type Check =
    for<'a> fn(&'a dyn Store, &'a Model, &'a Viewer) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Every store read path that lists, counts or shows works. Every new one (search, feeds, the
/// API, downloads) must be added here, and its page to `crates/web/tests/visibility.rs`.
const READ_PATHS: &[(&str, Check)] = &[
    ("recent_works", |s, m, v| Box::pin(recent_works(s, m, v))),
    ("works_tagged", |s, m, v| Box::pin(works_tagged(s, m, v))),
    ("works_by_user", |s, m, v| Box::pin(works_by_user(s, m, v))),
    ("works_by_pseud and pseud_list", |s, m, v| {
        Box::pin(works_by_pseud(s, m, v))
    }),
    ("series_by_user", |s, m, v| {
        Box::pin(series_by_user(s, m, v))
    }),
    ("tag_counts", |s, m, v| Box::pin(tag_counts(s, m, v))),
    ("unwrangled_tags", |s, m, v| {
        Box::pin(unwrangled_tags(s, m, v))
    }),
    ("drafts_by_user", |s, m, v| {
        Box::pin(drafts_by_user(s, m, v))
    }),
    ("hidden_works", |s, m, v| Box::pin(hidden_works(s, m, v))),
    ("gifts_received", |s, m, v| {
        Box::pin(gifts_received(s, m, v))
    }),
];

/// The admin area's list (the page asks only for staff): exactly the works an admin hid, each
/// one `can_view` lets an admin see.
async fn hidden_works(store: &dyn Store, model: &Model, viewer: &Viewer) {
    if !viewer.is_admin {
        return;
    }
    let mut found: Vec<WorkId> = store
        .hidden_works(Page::first(100))
        .await
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    found.sort_unstable();
    let expected: Vec<WorkId> = model
        .works
        .iter()
        .filter(|w| w.hidden_by_admin)
        .map(|w| w.id)
        .collect();
    assert_eq!(found, expected);
    for work in model.works.iter().filter(|w| w.hidden_by_admin) {
        assert_ne!(
            quire_core::visibility::can_view(work, viewer),
            quire_core::visibility::Access::Hidden
        );
    }
}

/// A creator's own drafts (the drafts page asks only for the signed-in creator's): exactly
/// their unposted works, each one `can_view` lets them see.
async fn drafts_by_user(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let Some(user) = viewer.user else {
        return;
    };
    let mut found = ids(&store
        .drafts_by_user(user)
        .await
        .unwrap()
        .iter()
        .collect::<Vec<_>>());
    found.sort_unstable();
    let expected: Vec<WorkId> = model
        .works
        .iter()
        .filter(|w| !w.posted && w.is_created_by(user))
        .map(|w| w.id)
        .collect();
    assert_eq!(found, expected);
    for work in &model.works {
        if expected.contains(&work.id) {
            assert_ne!(
                quire_core::visibility::can_view(work, viewer),
                quire_core::visibility::Access::Hidden
            );
        }
    }
}

/// The reader every work of the archive is given to, made the first time it is asked for.
const GIFTEE: &str = "vis-giftee";

async fn giftee(store: &dyn Store, model: &Model) -> quire_core::User {
    if let Some(user) = store.user_by_login(GIFTEE).await.unwrap() {
        return user;
    }
    let user = store
        .create_user(&quire_store::NewUser {
            login: GIFTEE.into(),
            ..quire_store::NewUser::default()
        })
        .await
        .unwrap();
    let pseud = store.pseuds_of(user.id).await.unwrap().remove(0);
    for work in &model.works {
        let recipients = [quire_store::Recipient::Pseud(pseud.clone())];
        assert!(
            store
                .set_gifts(work.id, &recipients)
                .await
                .unwrap()
                .is_empty()
        );
    }
    user
}

/// A recipient's gifts are listed as any listing is: drafts, hidden and (for guests)
/// restricted works given to them are not there, nor counted.
async fn gifts_received(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let user = giftee(store, model).await;
    let scope = ListingScope::for_viewer(viewer);
    let (works, total) = store
        .gifts_received(user.id, scope, Page::first(100))
        .await
        .unwrap();
    let expected = ids(&model.listed(viewer));
    assert_eq!(works.iter().map(|w| w.id).collect::<Vec<_>>(), expected);
    assert_eq!(total, expected.len() as i64);
}

fn ids(works: &[&quire_core::Work]) -> Vec<WorkId> {
    works.iter().map(|w| w.id).collect()
}

async fn recent_works(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    let shown = store.recent_works(scope, Page::first(100)).await.unwrap();
    let shown: Vec<WorkId> = shown.iter().map(|w| w.id).collect();
    assert_eq!(shown, ids(&model.listed(viewer)));
}

async fn works_tagged(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for (_, name) in model.tag_names() {
        let found = store
            .works_tagged(&name, scope, Page::first(100))
            .await
            .unwrap();
        let Some((tag, works, total)) = found else {
            assert!(!model.tag_exists(&name), "tag {name} not found");
            continue;
        };
        assert_eq!(tag.name, name);
        let expected = ids(&model.listed_with_tag(viewer, &name));
        assert_eq!(
            works.iter().map(|w| w.id).collect::<Vec<_>>(),
            expected,
            "{name}"
        );
        assert_eq!(total, expected.len() as i64, "count of {name}");
    }
}

async fn works_by_user(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for creator in &model.creators {
        let (works, total) = store
            .works_by_user(creator.user_id, scope, Page::first(100))
            .await
            .unwrap();
        let expected = ids(&model.listed_by(viewer, creator.user_id));
        assert_eq!(
            works.iter().map(|w| w.id).collect::<Vec<_>>(),
            expected,
            "{}",
            creator.name
        );
        assert_eq!(total, expected.len() as i64, "count of {}", creator.name);
    }
}

/// Each model creator is one user's only pseud: its works are the user's.
async fn works_by_pseud(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for creator in &model.creators {
        let (works, total) = store
            .works_by_pseud(creator.id, scope, Page::first(100))
            .await
            .unwrap();
        let expected = ids(&model.listed_by(viewer, creator.user_id));
        assert_eq!(
            works.iter().map(|w| w.id).collect::<Vec<_>>(),
            expected,
            "{}",
            creator.name
        );
        assert_eq!(total, expected.len() as i64, "count of {}", creator.name);
        let list = store.pseud_list(creator.user_id, scope).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].works, total, "pseud list count of {}", creator.name);
    }
}

async fn series_by_user(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for creator in &model.creators {
        let shown = store.series_by_user(creator.user_id, scope).await.unwrap();
        let shown: Vec<(String, i64)> = shown.into_iter().map(|s| (s.title, s.works)).collect();
        let mut expected: Vec<(String, i64)> = Vec::new();
        for (title, id) in SERIES.iter().zip(&model.series) {
            let works = model
                .listed_by(viewer, creator.user_id)
                .iter()
                .filter(|w| w.series.iter().any(|part| part.id == *id))
                .count();
            if works > 0 {
                expected.push(((*title).to_owned(), works as i64));
            }
        }
        expected.sort();
        assert_eq!(shown, expected, "{}", creator.name);
    }
}

async fn tag_counts(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for kind in [TagKind::Fandom, TagKind::Freeform, TagKind::Rating] {
        let shown = store.tag_counts(kind, scope).await.unwrap();
        let shown: Vec<(String, i64)> = shown.into_iter().map(|(t, n)| (t.name, n)).collect();
        let mut expected: Vec<(String, i64)> = model
            .tag_names()
            .into_iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, name)| {
                let n = model.listed_with_tag(viewer, &name).len() as i64;
                (name, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        expected.sort();
        assert_eq!(shown, expected, "{kind:?} counts");
    }
}

/// No tag of a generated archive is wrangled: the bin holds each fandom and freeform with
/// listed works, most listed first.
async fn unwrangled_tags(store: &dyn Store, model: &Model, viewer: &Viewer) {
    let scope = ListingScope::for_viewer(viewer);
    for kind in [TagKind::Fandom, TagKind::Freeform] {
        let shown = store
            .unwrangled_tags(kind, scope, Page::first(1000))
            .await
            .unwrap();
        let shown: Vec<(String, i64)> = shown.into_iter().map(|(t, n)| (t.name, n)).collect();
        let mut expected: Vec<(String, i64)> = model
            .tag_names()
            .into_iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, name)| {
                let n = model.listed_with_tag(viewer, &name).len() as i64;
                (name, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        expected.sort_by_key(|(name, n)| (-n, quire_store::name_key(name)));
        assert_eq!(shown, expected, "{kind:?} bin");
    }
}

async fn every_read_path_agrees(store: &dyn Store, model: &Model) {
    for (who, viewer) in model.viewers() {
        for (path, check) in READ_PATHS {
            let _context = Context(format!("{path} for {who} ({viewer:?})"));
            check(store, model, &viewer).await;
        }
    }
}

/// Names the read path and viewer when a check fails.
struct Context(String);

impl Drop for Context {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("while checking {}", self.0);
        }
    }
}

#[test]
fn every_listing_and_count_agrees_with_can_view_on_sqlite() {
    archive_model::for_each_archive(CASES, |spec| async move {
        let db = TestDb::sqlite().await;
        let model = archive_model::build(&*db.store, spec).await;
        every_read_path_agrees(&*db.store, &model).await;
    });
}

#[test]
fn every_listing_and_count_agrees_with_can_view_on_postgres() {
    let available = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { TestDb::postgres().await.is_some() });
    if !available {
        return;
    }
    archive_model::for_each_archive(CASES, |spec| async move {
        let db = TestDb::postgres().await.expect("postgres went away");
        let model = archive_model::build(&*db.store, spec).await;
        every_read_path_agrees(&*db.store, &model).await;
    });
}
