//! Every page that lists, counts or shows works agrees with `can_view`, for guests with and
//! without adult consent and for signed-in readers, creators and admins (by a real session
//! cookie), on generated archives (drafts, restricted and admin-hidden works,
//! works whose chapters are all unposted, co-creators, series, tags), over real HTTP, on
//! SQLite and PostgreSQL. The store-level twin is `crates/store/tests/visibility.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "visibility/api.rs"]
mod api;

#[path = "visibility/following.rs"]
mod following;

#[path = "visibility/pseuds.rs"]
mod pseuds;

#[path = "../../store/tests/archive_model/mod.rs"]
mod archive_model;

use std::future::Future;
use std::pin::Pin;

use archive_model::{Model, SERIES, chapter_text, title};
use quire_core::visibility::{Access, Viewer, can_view};
use quire_core::{TagKind, Work};
use quire_store::NewSession;
use quire_store::testing::TestDb;
use support::{Page, TestApp, WorkSpec};

/// Generated archives per backend.
const CASES: u32 = 24;

/// A viewer as the pages know them: by their cookies (a session for those signed in, the
/// consent cookie for those who consented).
struct Guest {
    name: String,
    viewer: Viewer,
    cookie: Option<String>,
}

/// Every viewer of the model ([`Model::viewers`]), each signed-in one with a session of
/// their own in the store.
async fn guests(app: &TestApp, model: &Model) -> Vec<Guest> {
    let mut guests = Vec::new();
    for (n, (name, viewer)) in model.viewers().into_iter().enumerate() {
        let mut cookies = Vec::new();
        if let Some(user) = viewer.user {
            let token = format!("{:064x}", n + 1);
            let now = chrono::Utc::now().timestamp();
            app.store()
                .create_session(&NewSession {
                    token_hash: quire_web::auth::tokens::hash_token(&token),
                    user,
                    now,
                    expires_at: now + 3_600,
                    user_agent: None,
                })
                .await
                .unwrap();
            cookies.push(format!("quire_session={token}"));
        }
        if viewer.adult_consent {
            cookies.push("view_adult=true".to_owned());
        }
        guests.push(Guest {
            name,
            viewer,
            cookie: (!cookies.is_empty()).then(|| cookies.join("; ")),
        });
    }
    guests
}

type Check =
    for<'a> fn(&'a TestApp, &'a Model, &'a Guest) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Every page that lists, counts or shows works. Every new read path (search, feeds, the API,
/// downloads) must be added here, and its store query to `crates/store/tests/visibility.rs`.
const PAGES: &[(&str, Check)] = &[
    ("/", |a, m, g| Box::pin(home(a, m, g))),
    ("/fandoms", |a, m, g| Box::pin(fandoms(a, m, g))),
    ("/wrangling/{kind}", |a, m, g| Box::pin(wrangling(a, m, g))),
    ("/tags/{name}/works", |a, m, g| Box::pin(tag_pages(a, m, g))),
    ("/tags/{name}", |a, m, g| Box::pin(tag_info_pages(a, m, g))),
    ("/works and /works/search", |a, m, g| {
        Box::pin(search_pages(a, m, g))
    }),
    ("/works?{tag filter} and its facets", |a, m, g| {
        Box::pin(filtered_pages(a, m, g))
    }),
    ("/users/{login}", |a, m, g| Box::pin(user_pages(a, m, g))),
    (
        "/users/{login}/pseuds[/{name}] and /users/{login}/profile",
        |a, m, g| Box::pin(pseuds::pages(a, m, g)),
    ),
    ("/series/{id}", |a, m, g| Box::pin(series_pages(a, m, g))),
    ("/users/{login}/series", |a, m, g| {
        Box::pin(user_series_pages(a, m, g))
    }),
    ("/users/{login}/gifts", |a, m, g| {
        Box::pin(gift_pages(a, m, g))
    }),
    ("/works/{id}", |a, m, g| Box::pin(work_pages(a, m, g))),
    ("/works/{id}/chapters/{id}", |a, m, g| {
        Box::pin(chapter_pages(a, m, g))
    }),
    ("/works/{id}/navigate", |a, m, g| {
        Box::pin(navigate_pages(a, m, g))
    }),
    ("/downloads/{id}/{file}", |a, m, g| {
        Box::pin(downloads(a, m, g))
    }),
    (
        "/users/{login}/bookmarks and /works/{id}/bookmarks",
        |a, m, g| Box::pin(bookmark_pages(a, m, g)),
    ),
    (
        "/comments/{id}, a work's comments, /users/{login}/comments",
        |a, m, g| Box::pin(comment_pages(a, m, g)),
    ),
    ("/tags/{name}/feed.atom", |a, m, g| {
        Box::pin(tag_feeds(a, m, g))
    }),
    ("/works/feed.atom[?{tag filter}]", |a, m, g| {
        Box::pin(listing_feeds(a, m, g))
    }),
    ("/users/{login}/works/feed.atom", |a, m, g| {
        Box::pin(user_feeds(a, m, g))
    }),
    ("/series/{id}/feed.atom", |a, m, g| {
        Box::pin(series_feeds(a, m, g))
    }),
    ("/works/{id}/edit and the chapter forms", |a, m, g| {
        Box::pin(posting_forms(a, m, g))
    }),
    ("/users/{login}/works/drafts", |a, m, g| {
        Box::pin(draft_pages(a, m, g))
    }),
    (
        "/users/{login}/readings, /subscriptions and /inbox",
        |a, m, g| Box::pin(following::pages(a, m, g)),
    ),
    ("/admin", |a, m, g| Box::pin(admin_pages(a, m, g))),
    ("/api/v1/works", |a, m, g| {
        Box::pin(api::works_list(a, m, g))
    }),
    ("/api/v1/works/{id}", |a, m, g| {
        Box::pin(api::works(a, m, g))
    }),
    ("/api/v1/works/{id}/chapters/{id}", |a, m, g| {
        Box::pin(api::chapters(a, m, g))
    }),
    ("/api/v1/tags/{name}[/works]", |a, m, g| {
        Box::pin(api::tags(a, m, g))
    }),
    ("/api/v1/users/{login}[/works]", |a, m, g| {
        Box::pin(api::users(a, m, g))
    }),
    ("/api/v1/series/{id}", |a, m, g| {
        Box::pin(api::series(a, m, g))
    }),
    ("/api/v1/fandoms", |a, m, g| Box::pin(api::fandoms(a, m, g))),
    ("/api/v1/users/{login}/bookmarks", |a, m, g| {
        Box::pin(api::bookmarks(a, m, g))
    }),
];

async fn get(app: &TestApp, guest: &Guest, path: &str) -> Page {
    app.get_with(path, guest.cookie.as_deref()).await
}

/// Asserts what a viewer refused the text gets: 404 when the work is hidden from them, else the
/// adult-content gate with no chapter text.
#[track_caller]
fn refused(page: &Page, access: Access, path: &str) {
    if access == Access::Hidden {
        assert_eq!(page.status, 404, "{path}");
    } else {
        assert_eq!(page.status, 200, "{path}");
        page.assert_shows("Adult content");
        page.assert_hides("Text-W");
    }
}

/// Asserts that the page shows the titles of `shown` and of no other work of the archive.
#[track_caller]
fn shows_exactly(page: &Page, model: &Model, shown: &[&Work]) {
    for (i, work) in model.works.iter().enumerate() {
        if shown.iter().any(|w| w.id == work.id) {
            page.assert_shows(&title(i));
        } else {
            page.assert_hides(&title(i));
        }
    }
}

async fn home(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/").await;
    assert_eq!(page.status, 200);
    shows_exactly(&page, model, &model.listed(&guest.viewer));
}

async fn fandoms(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/fandoms").await;
    assert_eq!(page.status, 200);
    for (kind, name) in model.tag_names() {
        if kind != TagKind::Fandom {
            continue;
        }
        let count = model.listed_with_tag(&guest.viewer, &name).len();
        if count > 0 {
            page.assert_shows(&format!(">{name}</a> ({count})"));
        } else {
            page.assert_hides(&format!(">{name}</a>"));
        }
    }
}

/// The unwrangled bin: admins (who may wrangle) see each tag with the works listed for them;
/// everyone else gets a 403. No tag of a generated archive is wrangled.
async fn wrangling(app: &TestApp, model: &Model, guest: &Guest) {
    for kind in [TagKind::Fandom, TagKind::Freeform] {
        let page = get(app, guest, &format!("/wrangling/{kind}")).await;
        if !guest.viewer.is_admin {
            assert_eq!(page.status, 403);
            continue;
        }
        assert_eq!(page.status, 200);
        for (_, name) in model.tag_names().into_iter().filter(|(k, _)| *k == kind) {
            let count = model.listed_with_tag(&guest.viewer, &name).len();
            if count > 0 {
                page.assert_shows(&format!(">{name}</a></td><td>{count}</td>"));
            } else {
                page.assert_hides(&format!(">{name}</a>"));
            }
        }
    }
}

async fn tag_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for (_, name) in model.tag_names() {
        let page = get(
            app,
            guest,
            &format!("/tags/{}/works", name.replace(' ', "%20")),
        )
        .await;
        let shown = model.listed_with_tag(&guest.viewer, &name);
        if !model.tag_exists(&name) {
            assert_eq!(page.status, 404, "{name}");
        } else if shown.is_empty() {
            // A tag only hidden works carry may be answered as "not found" too.
            assert!(
                page.status == 404 || page.body.contains(&format!("0 Works in {name}")),
                "{name}: {} {}",
                page.status,
                page.body
            );
        } else {
            assert_eq!(page.status, 200);
            page.assert_shows(&format!("{} Works in {name}", shown.len()));
            shows_exactly(&page, model, &shown);
        }
    }
}

/// The tag page counts the works the guest may see, and is not found when there are none.
async fn tag_info_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for (_, name) in model.tag_names() {
        let page = get(app, guest, &format!("/tags/{}", name.replace(' ', "%20"))).await;
        let shown = model.listed_with_tag(&guest.viewer, &name).len();
        if shown == 0 {
            assert_eq!(page.status, 404, "{name}");
        } else {
            assert_eq!(page.status, 200, "{name}");
            page.assert_shows(&format!("{shown} works</a>"));
        }
    }
}

/// Every listed work, whatever the sort, and no other, in `/works` and the search page.
async fn search_pages(app: &TestApp, model: &Model, guest: &Guest) {
    let shown = model.listed(&guest.viewer);
    for path in [
        "/works",
        "/works?sort=title",
        "/works?sort=kudos&order=asc",
        "/works?sort=author",
        "/works/search?sort=posted",
        "/works/search?q=Tale",
    ] {
        let page = get(app, guest, path).await;
        assert_eq!(page.status, 200, "{path}");
        shows_exactly(&page, model, &shown);
    }
    get(app, guest, "/works")
        .await
        .assert_shows(&format!("{} Works", shown.len()));
    get(app, guest, "/works/search?q=Tale")
        .await
        .assert_shows(&format!("{} Found", shown.len()));
}

/// Each tag as a filter lists exactly the guest's works with it, and the sidebar's count of
/// each tag is that number (no count, or no box, when none).
async fn filtered_pages(app: &TestApp, model: &Model, guest: &Guest) {
    let all = get(app, guest, "/works").await;
    for (kind, name) in model.tag_names() {
        let shown = model.listed_with_tag(&guest.viewer, &name);
        let n = shown.len();
        if n > 0 {
            all.assert_shows(&format!(">{name} ({n})</label>"));
        } else {
            all.assert_hides(&format!(">{name} ("));
        }
        let param = match kind {
            TagKind::Fandom => "fandom",
            TagKind::Freeform => "freeform",
            _ => "rating",
        };
        let path = format!("/works?{param}={}", name.replace(' ', "%20"));
        let page = get(app, guest, &path).await;
        assert_eq!(page.status, 200, "{path}");
        page.assert_shows(&format!("{n} Works"));
        shows_exactly(&page, model, &shown);
    }
}

async fn user_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let page = get(app, guest, &format!("/users/{}", creator.login)).await;
        let shown = model.listed_by(&guest.viewer, creator.user_id);
        if shown.is_empty() && page.status == 404 {
            // A creator with nothing to show may be answered as "not found".
            continue;
        }
        assert_eq!(page.status, 200);
        page.assert_shows(&format!("Works ({})", shown.len()));
        shows_exactly(&page, model, &shown);
        for (series_title, id) in SERIES.iter().zip(&model.series) {
            let works = shown
                .iter()
                .filter(|w| w.series.iter().any(|part| part.id == *id))
                .count();
            let link = format!("/series/{id}\">{series_title}</a>");
            match works {
                0 => page.assert_hides(&link),
                1 => page.assert_shows(&format!("{link} (1 work)")),
                n => page.assert_shows(&format!("{link} ({n} works)")),
            }
        }
    }
}

async fn series_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for id in &model.series {
        let page = get(app, guest, &format!("/series/{id}")).await;
        let mut shown = model.listed(&guest.viewer);
        shown.retain(|w| w.series.iter().any(|part| part.id == *id));
        if shown.is_empty() {
            assert_eq!(page.status, 404);
        } else {
            assert_eq!(page.status, 200);
            shows_exactly(&page, model, &shown);
        }
    }
}

/// A creator's series page lists the series holding a work of theirs the viewer may see.
async fn user_series_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let path = format!("/users/{}/series", creator.login);
        let page = get(app, guest, &path).await;
        assert_eq!(page.status, 200, "{path}");
        let shown = model.listed_by(&guest.viewer, creator.user_id);
        for (series_title, id) in SERIES.iter().zip(&model.series) {
            let link = format!("/series/{id}\">{series_title}</a>");
            if shown
                .iter()
                .any(|w| w.series.iter().any(|part| part.id == *id))
            {
                page.assert_shows(&link);
            } else {
                page.assert_hides(&link);
            }
        }
    }
}

/// The reader every work of the archive is given to, made the first time it is asked for.
const GIFTEE: &str = "vis-giftee";

async fn giftee(app: &TestApp, model: &Model) {
    let store = app.store();
    if store.user_by_login(GIFTEE).await.unwrap().is_some() {
        return;
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
    app.caught_up().await;
}

/// A recipient's gifts page lists exactly the works given to them the viewer may see listed.
async fn gift_pages(app: &TestApp, model: &Model, guest: &Guest) {
    giftee(app, model).await;
    let page = get(app, guest, &format!("/users/{GIFTEE}/gifts")).await;
    assert_eq!(page.status, 200);
    shows_exactly(&page, model, &model.listed(&guest.viewer));
}

/// The work page, chapter by chapter and whole: 404 when hidden, the gate when consent is
/// needed, else the text of the chapters the viewer may read (posted ones; unposted ones too
/// for creators and admins) and never another's, and the word count of what is posted.
async fn work_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for (i, work) in model.works.iter().enumerate() {
        let posted: Vec<usize> = (0..model.spec.works[i].chapters.len())
            .filter(|j| {
                archive_model::chapter_access(work, &model.chapters[i][*j], &guest.viewer)
                    == Access::Full
            })
            .collect();
        for (path, texts) in [
            (
                format!("/works/{}", work.id),
                posted.first().copied().into_iter().collect::<Vec<_>>(),
            ),
            (
                format!("/works/{}?view_full_work=true", work.id),
                posted.clone(),
            ),
        ] {
            let page = get(app, guest, &path).await;
            match can_view(work, &guest.viewer) {
                access @ (Access::Hidden | Access::AdultGate) => refused(&page, access, &path),
                Access::Full => {
                    assert_eq!(page.status, 200, "{path}");
                    for j in 0..model.spec.works[i].chapters.len() {
                        if texts.contains(&j) {
                            page.assert_shows(&chapter_text(i, j));
                        } else {
                            page.assert_hides(&chapter_text(i, j));
                        }
                    }
                    page.assert_shows(&format!("<dt>Words:</dt><dd>{}</dd>", work.word_count));
                }
            }
        }
    }
}

/// Every download format: 404 when hidden, the gate when consent is needed, else the text of
/// the posted chapters and never an unposted one's. A download is what is published: the
/// creators and admins who may read an unposted work on its page get no file of it (404).
async fn downloads(app: &TestApp, model: &Model, guest: &Guest) {
    for (i, work) in model.works.iter().enumerate() {
        let chapters = &model.spec.works[i].chapters;
        for format in ["html", "txt", "epub"] {
            let path = format!("/downloads/{}/Work.{format}", work.id);
            let page = get(app, guest, &path).await;
            let published = archive_model::listed(work, &Viewer::GUEST.with_adult_consent(true))
                || archive_model::listed(
                    work,
                    &Viewer {
                        user: Some(0),
                        ..Viewer::GUEST.with_adult_consent(true)
                    },
                );
            match can_view(work, &guest.viewer) {
                access @ (Access::Hidden | Access::AdultGate) => refused(&page, access, &path),
                Access::Full if !published && page.status == 404 => {}
                // An EPUB's chapters are deflated: its text is checked in the export crate.
                Access::Full if format == "epub" => assert_eq!(page.status, 200, "{path}"),
                Access::Full => {
                    assert_eq!(page.status, 200, "{path}");
                    for (j, posted) in chapters.iter().enumerate() {
                        if *posted {
                            page.assert_shows(&chapter_text(i, j));
                        } else {
                            page.assert_hides(&chapter_text(i, j));
                        }
                    }
                }
            }
        }
    }
}

async fn chapter_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for (i, (work, index)) in model.works.iter().zip(&model.chapters).enumerate() {
        for (j, chapter) in index.iter().enumerate() {
            let path = format!("/works/{}/chapters/{}", work.id, chapter.id);
            let page = get(app, guest, &path).await;
            match archive_model::chapter_access(work, chapter, &guest.viewer) {
                access @ (Access::Hidden | Access::AdultGate) => refused(&page, access, &path),
                Access::Full => {
                    assert_eq!(page.status, 200, "{path}");
                    page.assert_shows(&chapter_text(i, j));
                }
            }
        }
    }
}

/// The reader who bookmarks every posted work of the archive (publicly), made the first time
/// it is asked for.
const BOOKMARKER: &str = "vis-bookmarker";

async fn bookmarker(app: &TestApp, model: &Model) {
    if app
        .store()
        .user_by_login(BOOKMARKER)
        .await
        .unwrap()
        .is_some()
    {
        return;
    }
    let user = app
        .store()
        .create_user(&quire_store::NewUser {
            login: BOOKMARKER.into(),
            ..quire_store::NewUser::default()
        })
        .await
        .unwrap();
    for work in model.works.iter().filter(|w| w.posted) {
        let form = quire_store::BookmarkForm {
            notes: Some(format!("Notes on {}", work.id)),
            ..quire_store::BookmarkForm::default()
        };
        app.store()
            .save_bookmark(user.id, work.id, &form)
            .await
            .unwrap();
    }
}

/// A reader's bookmarks list exactly the works the viewer may see listed; a work's bookmarks
/// page is there exactly when the work is.
async fn bookmark_pages(app: &TestApp, model: &Model, guest: &Guest) {
    bookmarker(app, model).await;
    let page = get(app, guest, &format!("/users/{BOOKMARKER}/bookmarks")).await;
    let shown = model.listed(&guest.viewer);
    if !(shown.is_empty() && page.status == 404) {
        assert_eq!(page.status, 200);
        shows_exactly(&page, model, &shown);
    }
    for (i, work) in model.works.iter().enumerate() {
        let path = format!("/works/{}/bookmarks", work.id);
        let page = get(app, guest, &path).await;
        if can_view(work, &guest.viewer) == Access::Hidden {
            assert_eq!(page.status, 404, "{path}");
            page.assert_hides(&title(i));
        } else {
            assert_eq!(page.status, 200, "{path}");
            page.assert_shows(&title(i));
        }
    }
}

/// The reader who comments on the first posted chapter of every posted work, made the first
/// time it is asked for; the comments' ids, by work.
const COMMENTER: &str = "vis-commenter";

async fn commenter(app: &TestApp, model: &Model) -> Vec<Option<i64>> {
    let store = app.store();
    let user = match store.user_by_login(COMMENTER).await.unwrap() {
        Some(user) => user,
        None => store
            .create_user(&quire_store::NewUser {
                login: COMMENTER.into(),
                ..quire_store::NewUser::default()
            })
            .await
            .unwrap(),
    };
    let pseud = store.pseuds_of(user.id).await.unwrap().remove(0);
    let mut ids = Vec::new();
    for (i, work) in model.works.iter().enumerate() {
        let chapter = model.chapters[i].iter().find(|c| c.posted);
        let (true, Some(chapter)) = (work.posted, chapter) else {
            ids.push(None);
            continue;
        };
        let outcome = store
            .add_comment(&quire_store::NewComment {
                work: work.id,
                chapter: chapter.id,
                parent: None,
                by: quire_store::Commenter::Pseud {
                    user: user.id,
                    pseud: pseud.id,
                },
                content: format!("<p>Remark-W{i}-R</p>"),
                guests_allowed: true,
            })
            .await
            .unwrap();
        ids.push(match outcome {
            quire_store::Commented::Added { id, .. } | quire_store::Commented::Duplicate(id) => {
                Some(id)
            }
            quire_store::Commented::Refused(r) => panic!("{r:?}"),
        });
    }
    // The comments reach the node's pages through its outbox follower, as another node's do.
    app.caught_up().await;
    ids
}

/// A comment's page is there exactly when its work is (behind the gate where the work is),
/// and a work's whole page shows its comments exactly when it shows its text.
async fn comment_pages(app: &TestApp, model: &Model, guest: &Guest) {
    let ids = commenter(app, model).await;
    for (i, (work, id)) in model.works.iter().zip(&ids).enumerate() {
        let remark = format!("Remark-W{i}-R");
        let access = can_view(work, &guest.viewer);
        if let Some(id) = id {
            let path = format!("/comments/{id}");
            let page = get(app, guest, &path).await;
            match access {
                Access::Hidden => assert_eq!(page.status, 404, "{path}"),
                Access::AdultGate => {
                    assert_eq!(page.status, 200, "{path}");
                    page.assert_shows("Adult content");
                }
                Access::Full => {
                    assert_eq!(page.status, 200, "{path}");
                    page.assert_shows(&remark);
                    page.assert_shows(&title(i));
                }
            }
            if access != Access::Full {
                page.assert_hides(&remark);
            }
        }
        let listed = get(app, guest, &format!("/users/{COMMENTER}/comments")).await;
        assert_eq!(listed.status, 200);
        if access == Access::Full && id.is_some() {
            listed.assert_shows(&remark);
        } else {
            listed.assert_hides(&remark);
        }
        // (A URL no other check asks for: its cached guest page is rendered after the
        // comments were made.)
        let path = format!("/works/{}?view_full_work=true&style=disable", work.id);
        let page = get(app, guest, &path).await;
        if access == Access::Full && id.is_some() {
            page.assert_shows(&remark);
        } else {
            page.assert_hides(&remark);
        }
    }
}

/// The chapter index links exactly the chapters the guest may read.
async fn navigate_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for (work, index) in model.works.iter().zip(&model.chapters) {
        let path = format!("/works/{}/navigate", work.id);
        let page = get(app, guest, &path).await;
        match can_view(work, &guest.viewer) {
            Access::Hidden => assert_eq!(page.status, 404, "{path}"),
            Access::AdultGate => {
                assert_eq!(page.status, 200, "{path}");
                page.assert_shows("Adult content");
            }
            Access::Full => {
                assert_eq!(page.status, 200, "{path}");
                for chapter in index {
                    let link = format!("href=\"/works/{}/chapters/{}\"", work.id, chapter.id);
                    if archive_model::chapter_access(work, chapter, &guest.viewer) == Access::Full {
                        page.assert_shows(&link);
                    } else {
                        page.assert_hides(&link);
                    }
                }
            }
        }
    }
}

/// A work's posting forms (the work's, a new chapter's, each chapter's): guests are sent to
/// log in; a work the viewer may not see is "not found"; one they may see but did not create
/// is 403; its creators get the forms, each chapter's with that chapter's text, unposted
/// ones too.
async fn posting_forms(app: &TestApp, model: &Model, guest: &Guest) {
    for (i, (work, index)) in model.works.iter().zip(&model.chapters).enumerate() {
        let mut paths = vec![
            (format!("/works/{}/edit", work.id), None),
            (format!("/works/{}/chapters/new", work.id), None),
        ];
        paths.extend(index.iter().enumerate().map(|(j, c)| {
            (
                format!("/works/{}/chapters/{}/edit", work.id, c.id),
                Some(j),
            )
        }));
        for (path, chapter) in paths {
            let page = get(app, guest, &path).await;
            match guest.viewer.user {
                None => {
                    assert_eq!(page.status, 303, "{path}");
                    assert_eq!(page.header("location"), Some("/users/login"), "{path}");
                }
                Some(_) if can_view(work, &guest.viewer) == Access::Hidden => {
                    assert_eq!(page.status, 404, "{path}");
                }
                Some(user) if !work.is_created_by(user) => {
                    assert_eq!(page.status, 403, "{path}");
                }
                Some(_) => {
                    assert_eq!(page.status, 200, "{path}");
                    for j in 0..model.spec.works[i].chapters.len() {
                        if chapter == Some(j) {
                            page.assert_shows(&chapter_text(i, j));
                        } else {
                            page.assert_hides(&chapter_text(i, j));
                        }
                    }
                }
            }
        }
    }
}

/// A creator's drafts page: theirs alone (guests log in, others get 403), listing exactly
/// their works that are not posted.
async fn draft_pages(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let path = format!("/users/{}/works/drafts", creator.login);
        let page = get(app, guest, &path).await;
        match guest.viewer.user {
            None => assert_eq!(page.status, 303, "{path}"),
            Some(user) if user != creator.user_id => assert_eq!(page.status, 403, "{path}"),
            Some(user) => {
                assert_eq!(page.status, 200, "{path}");
                let drafts: Vec<&Work> = model
                    .works
                    .iter()
                    .filter(|w| !w.posted && w.is_created_by(user))
                    .filter(|w| can_view(w, &guest.viewer) != Access::Hidden)
                    .collect();
                shows_exactly(&page, model, &drafts);
            }
        }
    }
}

/// The admin area lists the works hidden by an admin, to admins alone; everyone else gets a
/// 403 there, and on the pages that show reports and the log.
async fn admin_pages(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/admin").await;
    if !guest.viewer.is_admin {
        assert_eq!(page.status, 403);
        page.assert_hides("Tale Q");
        for path in ["/admin/reports", "/admin/log"] {
            assert_eq!(get(app, guest, path).await.status, 403, "{path}");
        }
        return;
    }
    assert_eq!(page.status, 200);
    let hidden: Vec<&Work> = model.works.iter().filter(|w| w.hidden_by_admin).collect();
    shows_exactly(&page, model, &hidden);
}

/// A feed is the guest's listing whoever asks (consent or not), holds blurbs and never a
/// chapter's text, and is a 404 when that listing is empty.
#[track_caller]
fn feed_shows(page: &Page, model: &Model, shown: &[&Work], path: &str) {
    if shown.is_empty() {
        assert_eq!(page.status, 404, "{path}");
        return;
    }
    assert_eq!(page.status, 200, "{path}");
    shows_exactly(page, model, shown);
    page.assert_hides("Text-W");
}

async fn tag_feeds(app: &TestApp, model: &Model, guest: &Guest) {
    for (_, name) in model.tag_names() {
        let path = format!("/tags/{}/feed.atom", quire_core::tag::url_segment(&name));
        let page = get(app, guest, &path).await;
        feed_shows(
            &page,
            model,
            &model.listed_with_tag(&Viewer::GUEST, &name),
            &path,
        );
    }
}

/// The feed of every work, and of each tag filter: the guest's listing, empty rather than 404.
async fn listing_feeds(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/works/feed.atom").await;
    assert_eq!(page.status, 200);
    shows_exactly(&page, model, &model.listed(&Viewer::GUEST));
    page.assert_hides("Text-W");
    for (kind, name) in model.tag_names() {
        let param = match kind {
            TagKind::Fandom => "fandom",
            TagKind::Freeform => "freeform",
            _ => "rating",
        };
        let path = format!("/works/feed.atom?{param}={}", name.replace(' ', "%20"));
        let page = get(app, guest, &path).await;
        assert_eq!(page.status, 200, "{path}");
        shows_exactly(&page, model, &model.listed_with_tag(&Viewer::GUEST, &name));
        page.assert_hides("Text-W");
    }
}

async fn user_feeds(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let path = format!("/users/{}/works/feed.atom", creator.login);
        let page = get(app, guest, &path).await;
        feed_shows(
            &page,
            model,
            &model.listed_by(&Viewer::GUEST, creator.user_id),
            &path,
        );
    }
}

async fn series_feeds(app: &TestApp, model: &Model, guest: &Guest) {
    for id in &model.series {
        let path = format!("/series/{id}/feed.atom");
        let page = get(app, guest, &path).await;
        let mut shown = model.listed(&Viewer::GUEST);
        shown.retain(|w| w.series.iter().any(|part| part.id == *id));
        feed_shows(&page, model, &shown, &path);
    }
}

/// Names the page and guest when a check fails.
struct Context(String);

impl Drop for Context {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("while checking {}", self.0);
        }
    }
}

async fn every_page_agrees(app: &TestApp, model: &Model) {
    for guest in &guests(app, model).await {
        for (path, check) in PAGES {
            let _context = Context(format!("{path} for {}", guest.name));
            check(app, model, guest).await;
        }
    }
}

#[tokio::test]
async fn a_posted_work_with_no_posted_chapter_is_a_draft_to_guests() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Validated Story", "Not yet.").with_unposted_last_chapter())
        .await;
    assert_eq!(app.get(&format!("/works/{id}")).await.status, 404);
    app.get("/").await.assert_hides("Validated Story");
    let fandoms = app.get("/fandoms").await;
    fandoms.assert_hides("Lanterns of Hollowmere");
    let user = app.get("/users/wren_ashdown").await;
    if user.status == 200 {
        user.assert_shows("Works (0)");
        user.assert_hides("Validated Story");
    }
}

#[tokio::test]
async fn the_adult_gate_does_not_stand_before_an_unposted_chapter() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Night Market", "")
                .rated(quire_core::Rating::Explicit)
                .chapters(vec![(None, "Open stalls."), (None, "Closed stalls.")])
                .with_unposted_last_chapter(),
        )
        .await;
    let index = app.store().chapter_index(id).await.unwrap();
    let posted = app
        .get(&format!("/works/{id}/chapters/{}", index[0].id))
        .await;
    assert_eq!(posted.status, 200);
    posted.assert_shows("Adult content");
    let unposted = app
        .get(&format!("/works/{id}/chapters/{}", index[1].id))
        .await;
    assert_eq!(unposted.status, 404);
    let unknown = app.get(&format!("/works/{id}/chapters/987654")).await;
    assert_eq!(unknown.status, 404);
}

#[test]
fn every_page_agrees_with_can_view_on_sqlite() {
    archive_model::for_each_archive(CASES, |spec| async move {
        let app = TestApp::start().await;
        let mut model = archive_model::build(app.store(), spec).await;
        following::setup(&app, &mut model).await;
        every_page_agrees(&app, &model).await;
    });
}

#[test]
fn every_page_agrees_with_can_view_on_postgres() {
    let available = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { TestDb::postgres().await.is_some() });
    if !available {
        return;
    }
    archive_model::for_each_archive(CASES, |spec| async move {
        let app = TestApp::start_on(TestDb::postgres().await.expect("postgres went away")).await;
        let mut model = archive_model::build(app.store(), spec).await;
        following::setup(&app, &mut model).await;
        every_page_agrees(&app, &model).await;
    });
}
