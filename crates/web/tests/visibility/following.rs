//! What readers follow in the visibility property test: each signed-in viewer's own
//! subscriptions, inbox and history list exactly the works `can_view` lets them see (works
//! they can no longer see drop out), and nobody else's are reachable.
//!
//! [`setup`] gives every signed-in viewer a visit to every work, a subscription to (and a
//! "marked for later" on) every posted one, and then posts a new chapter of every posted
//! work that has something to read, which fills the inboxes; the model is read back after.

use quire_core::visibility::{Access, can_view};
use quire_core::work::NewChapter;
use quire_core::{UserId, Work};
use quire_store::{Subscribable, Visit};

use super::archive_model::{Model, chapter_text};
use super::{Guest, TestApp, get, shows_exactly};

/// The accounts among the model's viewers, once each.
fn accounts(model: &Model) -> Vec<UserId> {
    let mut ids: Vec<UserId> = model
        .viewers()
        .into_iter()
        .filter_map(|(_, viewer)| viewer.user)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn login_of(model: &Model, user: UserId) -> String {
    if user == model.reader.id {
        return model.reader.login.clone();
    }
    if user == model.admin.id {
        return model.admin.login.clone();
    }
    model
        .creators
        .iter()
        .find(|p| p.user_id == user)
        .map(|p| p.login.clone())
        .expect("a viewer of the model")
}

/// Whether work `i` got a new chapter (and its subscribers an inbox entry) in [`setup`].
fn announced(model: &Model, i: usize) -> bool {
    model.works[i].posted && model.spec.works[i].chapters.iter().any(|posted| *posted)
}

pub async fn setup(app: &TestApp, model: &mut Model) {
    let store = app.store();
    let now = chrono::Utc::now();
    for user in accounts(model) {
        let visits: Vec<Visit> = model
            .works
            .iter()
            .map(|w| Visit {
                user,
                work: w.id,
                at: now,
                visits: 1,
            })
            .collect();
        store.record_visits(&visits).await.unwrap();
        for work in model.works.iter().filter(|w| w.posted) {
            store
                .subscribe(user, Subscribable::Work(work.id))
                .await
                .unwrap();
            store.mark_for_later(user, work.id, true).await.unwrap();
        }
    }
    for i in 0..model.works.len() {
        if !announced(model, i) {
            continue;
        }
        let work = &model.works[i];
        let j = model.spec.works[i].chapters.len();
        let chapter = NewChapter {
            // The work keeps its date, so that listings keep their order.
            published: work.updated,
            ..NewChapter::posted(&format!("<p>{}</p>", chapter_text(i, j)))
        };
        store.add_chapter(work.id, &chapter, None).await.unwrap();
        model.spec.works[i].chapters.push(true);
    }
    let ids: Vec<i64> = model.works.iter().map(|w| w.id).collect();
    model.works = store.works(&ids).await.unwrap();
    let mut chapters = Vec::new();
    for id in ids {
        chapters.push(store.chapter_index(id).await.unwrap());
    }
    model.chapters = chapters;
}

/// `/users/{login}/readings[?show=to-read]`, `/users/{login}/subscriptions` and
/// `/users/{login}/inbox`: the viewer's own list the works they may see; a guest is sent to
/// log in.
pub async fn pages(app: &TestApp, model: &Model, guest: &Guest) {
    let Some(user) = guest.viewer.user else {
        let login = &model.reader.login;
        for page in ["readings", "subscriptions", "inbox"] {
            let path = format!("/users/{login}/{page}");
            let page = get(app, guest, &path).await;
            assert_eq!(page.status, 303, "{path}");
            page.assert_hides("Tale Q");
        }
        return;
    };
    let login = login_of(model, user);
    let seen = |work: &Work| can_view(work, &guest.viewer) != Access::Hidden;
    let visited: Vec<&Work> = model.works.iter().filter(|w| seen(w)).collect();
    let followed: Vec<&Work> = visited.iter().copied().filter(|w| w.posted).collect();
    let told: Vec<&Work> = model
        .works
        .iter()
        .enumerate()
        .filter(|(i, w)| announced(model, *i) && !w.is_created_by(user) && seen(w))
        .map(|(_, w)| w)
        .collect();
    for (path, shown) in [
        (format!("/users/{login}/readings"), &visited),
        (format!("/users/{login}/readings?show=to-read"), &followed),
        (format!("/users/{login}/subscriptions"), &followed),
        (format!("/users/{login}/inbox"), &told),
    ] {
        let page = get(app, guest, &path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        shows_exactly(&page, model, shown);
        page.assert_hides("Text-W");
    }
    // Another viewer's lists are not theirs to see.
    let other = if user == model.reader.id {
        &model.admin.login
    } else {
        &model.reader.login
    };
    let path = format!("/users/{other}/inbox");
    assert_eq!(get(app, guest, &path).await.status, 403, "{path}");
}
