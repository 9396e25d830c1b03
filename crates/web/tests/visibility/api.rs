//! The JSON API's read paths in the visibility property test: each says what `can_view`
//! says, for guests with and without consent.

use quire_core::TagKind;
use quire_core::visibility::{Access, can_view};
use serde_json::Value;

use super::archive_model::{self, Model, SERIES, chapter_text};
use super::{Guest, TestApp, get, shows_exactly};

fn json(page: &super::Page, path: &str) -> Value {
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    serde_json::from_str(&page.body).expect("JSON")
}

#[track_caller]
fn not_found(page: &super::Page, path: &str) {
    assert_eq!(page.status, 404, "{path}: {}", page.body);
    page.assert_hides("Tale Q");
}

pub async fn works_list(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/api/v1/works").await;
    let list = json(&page, "/api/v1/works");
    assert_eq!(list["next_cursor"], Value::Null);
    shows_exactly(&page, model, &model.listed(&guest.viewer));
    page.assert_hides("Text-W");
}

/// A work's JSON: 404 when hidden, else the work with exactly the chapters the guest may open,
/// and an adult work's notes only with consent.
pub async fn works(app: &TestApp, model: &Model, guest: &Guest) {
    for (work, index) in model.works.iter().zip(&model.chapters) {
        let path = format!("/api/v1/works/{}", work.id);
        let page = get(app, guest, &path).await;
        let access = can_view(work, &guest.viewer);
        if access == Access::Hidden {
            not_found(&page, &path);
            continue;
        }
        let body = json(&page, &path);
        assert_eq!(body["work"]["id"], work.id);
        let listed: Vec<i64> = body["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        let expected: Vec<i64> = index
            .iter()
            .filter(|c| archive_model::chapter_access(work, c, &guest.viewer) != Access::Hidden)
            .map(|c| c.id)
            .collect();
        assert_eq!(listed, expected, "{path}");
        page.assert_hides("Text-W");
    }
}

/// A chapter's text: 404 when hidden, 403 without consent to an adult work, else its text.
pub async fn chapters(app: &TestApp, model: &Model, guest: &Guest) {
    for (i, (work, index)) in model.works.iter().zip(&model.chapters).enumerate() {
        for (j, chapter) in index.iter().enumerate() {
            let path = format!("/api/v1/works/{}/chapters/{}", work.id, chapter.id);
            let page = get(app, guest, &path).await;
            match archive_model::chapter_access(work, chapter, &guest.viewer) {
                Access::Hidden => not_found(&page, &path),
                Access::AdultGate => {
                    assert_eq!(page.status, 403, "{path}");
                    page.assert_hides("Text-W");
                }
                Access::Full => {
                    json(&page, &path);
                    page.assert_shows(&chapter_text(i, j));
                }
            }
        }
    }
}

/// A tag's count and works: what the tag page says.
pub async fn tags(app: &TestApp, model: &Model, guest: &Guest) {
    for (_, name) in model.tag_names() {
        let segment = quire_core::tag::url_segment(&name);
        let shown = model.listed_with_tag(&guest.viewer, &name);
        let path = format!("/api/v1/tags/{segment}");
        let tag = get(app, guest, &path).await;
        let works_path = format!("/api/v1/tags/{segment}/works");
        let works = get(app, guest, &works_path).await;
        if shown.is_empty() {
            not_found(&tag, &path);
            not_found(&works, &works_path);
            continue;
        }
        assert_eq!(json(&tag, &path)["works"], shown.len(), "{path}");
        json(&works, &works_path);
        shows_exactly(&works, model, &shown);
    }
}

pub async fn users(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let shown = model.listed_by(&guest.viewer, creator.user_id);
        let path = format!("/api/v1/users/{}", creator.login);
        let user = get(app, guest, &path).await;
        let works_path = format!("/api/v1/users/{}/works", creator.login);
        let works = get(app, guest, &works_path).await;
        if shown.is_empty() {
            not_found(&works, &works_path);
            if user.status == 404 {
                continue;
            }
        } else {
            json(&works, &works_path);
            shows_exactly(&works, model, &shown);
        }
        let body = json(&user, &path);
        assert_eq!(body["works"], shown.len(), "{path}");
        for (series_title, id) in SERIES.iter().zip(&model.series) {
            let count = shown
                .iter()
                .filter(|w| w.series.iter().any(|part| part.id == *id))
                .count();
            let listed = body["series"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["title"] == *series_title);
            match (count, listed) {
                (0, None) => {}
                (n, Some(s)) => assert_eq!(s["works"], n, "{path}: {series_title}"),
                (n, None) => panic!("{path}: {series_title} missing ({n} works)"),
            }
        }
    }
}

pub async fn series(app: &TestApp, model: &Model, guest: &Guest) {
    for id in &model.series {
        let path = format!("/api/v1/series/{id}");
        let page = get(app, guest, &path).await;
        let mut shown = model.listed(&guest.viewer);
        shown.retain(|w| w.series.iter().any(|part| part.id == *id));
        if shown.is_empty() {
            not_found(&page, &path);
        } else {
            json(&page, &path);
            shows_exactly(&page, model, &shown);
            page.assert_hides("Text-W");
        }
    }
}

pub async fn fandoms(app: &TestApp, model: &Model, guest: &Guest) {
    let page = get(app, guest, "/api/v1/fandoms").await;
    let body = json(&page, "/api/v1/fandoms");
    let listed = body["fandoms"].as_array().unwrap();
    for (kind, name) in model.tag_names() {
        if kind != TagKind::Fandom {
            continue;
        }
        let count = model.listed_with_tag(&guest.viewer, &name).len();
        let entry = listed.iter().find(|f| f["name"] == name.as_str());
        match entry {
            Some(entry) => assert_eq!(entry["works"], count, "{name}"),
            None => assert_eq!(count, 0, "{name} missing"),
        }
    }
}

/// A reader's bookmarks (every posted work of the archive, bookmarked publicly): exactly the
/// works the viewer may see listed, or a 404 when that is none.
pub async fn bookmarks(app: &TestApp, model: &Model, guest: &Guest) {
    super::bookmarker(app, model).await;
    let path = format!("/api/v1/users/{}/bookmarks", super::BOOKMARKER);
    let page = get(app, guest, &path).await;
    let shown = model.listed(&guest.viewer);
    if shown.is_empty() && page.status == 404 {
        return;
    }
    json(&page, &path);
    shows_exactly(&page, model, &shown);
    page.assert_hides("Text-W");
}
