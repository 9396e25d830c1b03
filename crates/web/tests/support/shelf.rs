//! A shelf of five works that differ in every filter and sort, and reading which of them a
//! page lists.

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewSource, NewWork, WorkStats};
use quire_core::{ArchiveWarning, Category, Rating, TagKind};

use super::{Page, TestApp};

/// One work of the shelf below.
pub struct Shelf {
    title: &'static str,
    author: &'static str,
    fandoms: &'static [&'static str],
    relationship: &'static str,
    character: &'static str,
    freeform: &'static str,
    rating: Rating,
    warning: ArchiveWarning,
    category: Category,
    complete: bool,
    /// Words of its one chapter.
    words: usize,
    posted: (i32, u32),
    updated: (i32, u32),
    language: &'static str,
    kudos: i64,
    archive: Option<&'static str>,
}

/// Five works that differ in every filter.
pub const SHELF: [Shelf; 5] = [
    Shelf {
        title: "Lantern Keeper",
        author: "Wren Ashdown",
        fandoms: &["Lanterns"],
        relationship: "Mira/Tomas",
        character: "Mira",
        freeform: "Fluff",
        rating: Rating::GeneralAudiences,
        warning: ArchiveWarning::NoneApply,
        category: Category::FM,
        complete: true,
        words: 100,
        posted: (2001, 1),
        updated: (2001, 2),
        language: "en",
        kudos: 5,
        archive: None,
    },
    Shelf {
        title: "Harbour Lights",
        author: "Tomas Reed",
        fandoms: &["Harbour"],
        relationship: "Ada/Bex",
        character: "Ada",
        freeform: "Angst",
        rating: Rating::Mature,
        warning: ArchiveWarning::CreatorChoseNotToUse,
        category: Category::FF,
        complete: false,
        words: 300,
        posted: (2002, 1),
        updated: (2005, 1),
        language: "fr",
        kudos: 50,
        archive: Some("Old Harbour Archive"),
    },
    Shelf {
        title: "Crossing Paths",
        author: "Mira Vale",
        fandoms: &["Lanterns", "Harbour"],
        relationship: "Mira/Tomas",
        character: "Tomas",
        freeform: "Angst",
        rating: Rating::TeenAndUpAudiences,
        warning: ArchiveWarning::NoneApply,
        category: Category::Gen,
        complete: true,
        words: 500,
        posted: (2003, 1),
        updated: (2003, 6),
        language: "en",
        kudos: 20,
        archive: None,
    },
    Shelf {
        title: "Orchard Song",
        author: "Wren Ashdown",
        fandoms: &["Orchard"],
        relationship: "Ada/Bex",
        character: "Bex",
        freeform: "Fluff",
        rating: Rating::Explicit,
        warning: ArchiveWarning::NoneApply,
        category: Category::FF,
        complete: true,
        words: 700,
        posted: (2004, 1),
        updated: (2004, 1),
        language: "en",
        kudos: 1,
        archive: None,
    },
    Shelf {
        title: "Zephyr Notes",
        author: "Ada Quill",
        fandoms: &["Lanterns"],
        relationship: "Mira/Tomas",
        character: "Mira",
        freeform: "Angst",
        rating: Rating::GeneralAudiences,
        warning: ArchiveWarning::NoneApply,
        category: Category::FM,
        complete: false,
        words: 900,
        posted: (2005, 1),
        updated: (2006, 1),
        language: "en",
        kudos: 9,
        archive: None,
    },
];

fn day((year, month): (i32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap()
}

pub async fn shelve(app: &TestApp) {
    for w in &SHELF {
        let pseud = app
            .store()
            .archive_creator("Hollowmere", w.author)
            .await
            .unwrap();
        let mut tags: Vec<(TagKind, String)> = w
            .fandoms
            .iter()
            .map(|f| (TagKind::Fandom, (*f).to_owned()))
            .collect();
        tags.push((TagKind::Relationship, w.relationship.into()));
        tags.push((TagKind::Character, w.character.into()));
        tags.push((TagKind::Freeform, w.freeform.into()));
        let text = format!("<p>{}</p>", "word ".repeat(w.words).trim_end());
        let work = NewWork {
            title: w.title.to_owned(),
            creators: vec![pseud.id],
            rating: w.rating,
            warnings: vec![w.warning],
            categories: vec![w.category],
            tags,
            language: w.language.into(),
            summary: Some(format!("<p>A story called {}.</p>", w.title)),
            notes: None,
            end_notes: None,
            expected_chapters: Some(if w.complete { 1 } else { 2 }),
            complete: w.complete,
            published: Some(day(w.posted)),
            updated: Some(day(w.updated)),
            posted: true,
            restricted: false,
            stats: WorkStats {
                kudos: w.kudos,
                ..WorkStats::default()
            },
            chapters: vec![NewChapter::posted(&text)],
            series: vec![],
            source: w.archive.map(|archive| NewSource {
                archive: archive.to_owned(),
                path: format!("{}.txt", w.title),
                original_id: None,
                content_hash: w.title.to_owned(),
                fields: vec![],
                original_rating: None,
            }),
        };
        app.store().insert_work(&work).await.unwrap();
    }
}

/// The shelf's titles the page lists, in order.
pub fn titles(page: &Page) -> Vec<&'static str> {
    let mut found: Vec<(usize, &'static str)> = SHELF
        .iter()
        .filter_map(|w| {
            page.body
                .find(&format!(">{}</a> by", w.title))
                .map(|at| (at, w.title))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, t)| t).collect()
}

pub async fn listed(app: &TestApp, path: &str) -> Vec<&'static str> {
    let page = app.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    titles(&page)
}

pub async fn shelved_app() -> TestApp {
    let app = TestApp::start().await;
    shelve(&app).await;
    app
}
