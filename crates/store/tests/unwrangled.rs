//! The unwrangled bin (AO3's list of tags no wrangler has handled yet), run against SQLite and
//! PostgreSQL alike: which tags it holds, their counts through the visibility rule, its order
//! and its pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::visibility::ListingScope;
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Rating, TagKind};
use quire_store::{Page, Store, Wrangle};

/// How a test work is shown to readers.
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Public,
    Restricted,
    Draft,
}

async fn work(store: &dyn Store, title: &str, shown: Shown, tags: &[(TagKind, &str)]) {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Tara Maclay")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2003, 5, 20).unwrap();
    store
        .insert_work(&NewWork {
            title: title.into(),
            creators: vec![pseud.id],
            rating: Rating::GeneralAudiences,
            warnings: vec![],
            categories: vec![],
            tags: tags.iter().map(|(k, n)| (*k, (*n).to_owned())).collect(),
            language: "en".into(),
            summary: None,
            notes: None,
            end_notes: None,
            expected_chapters: Some(1),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: shown != Shown::Draft,
            restricted: shown == Shown::Restricted,
            stats: Default::default(),
            chapters: vec![NewChapter::posted("<p>Where do we go from here?</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap();
}

const GUESTS: ListingScope = ListingScope {
    include_restricted: false,
};
const MEMBERS: ListingScope = ListingScope {
    include_restricted: true,
};

async fn bin(
    store: &dyn Store,
    kind: TagKind,
    scope: ListingScope,
    page: Page,
) -> Vec<(String, i64)> {
    store
        .unwrangled_tags(kind, scope, page)
        .await
        .unwrap()
        .into_iter()
        .map(|(tag, works)| {
            assert!(!tag.canonical);
            assert_eq!(tag.kind, kind);
            (tag.name, works)
        })
        .collect()
}

fn pairs(expected: &[(&str, i64)]) -> Vec<(String, i64)> {
    expected
        .iter()
        .map(|(n, c)| ((*n).to_owned(), *c))
        .collect()
}

async fn the_bin_lists_unwrangled_tags_most_used_first_through_the_visibility_rule(
    store: &dyn Store,
) {
    use Shown::{Draft, Public, Restricted};
    use TagKind::{Freeform, Relationship};
    work(store, "Chosen", Public, &[(Relationship, "Spike/Willow")]).await;
    work(store, "Grave", Public, &[(Relationship, "Willow/Spike")]).await;
    work(
        store,
        "Tabula Rasa",
        Public,
        &[(Relationship, "Willow/Spike")],
    )
    .await;
    work(store, "Hush", Public, &[(Relationship, "Buffy/Riley")]).await;
    work(
        store,
        "Restless",
        Restricted,
        &[(Relationship, "Xander/Anya")],
    )
    .await;
    work(
        store,
        "Restless 2",
        Restricted,
        &[(Relationship, "Xander/Anya")],
    )
    .await;
    work(store, "Bargaining", Draft, &[(Relationship, "Tara/Willow")]).await;
    work(store, "Smashed", Public, &[(Freeform, "Angst")]).await;

    let first = Page::first(20);
    assert_eq!(
        bin(store, Relationship, GUESTS, first).await,
        pairs(&[("Willow/Spike", 2), ("Buffy/Riley", 1), ("Spike/Willow", 1)])
    );
    // Restricted works count for members; a draft's tag is never shown.
    assert_eq!(
        bin(store, Relationship, MEMBERS, first).await,
        pairs(&[
            ("Willow/Spike", 2),
            ("Xander/Anya", 2),
            ("Buffy/Riley", 1),
            ("Spike/Willow", 1),
        ])
    );
    assert_eq!(
        bin(store, Freeform, GUESTS, first).await,
        pairs(&[("Angst", 1)])
    );
    assert!(bin(store, TagKind::Fandom, MEMBERS, first).await.is_empty());

    // Pages.
    assert_eq!(
        bin(store, Relationship, MEMBERS, Page::new(2, 3)).await,
        pairs(&[("Spike/Willow", 1)])
    );
    assert!(
        bin(store, Relationship, MEMBERS, Page::new(3, 3))
            .await
            .is_empty()
    );

    // Wrangled tags leave the bin: canonical ones, and their synonyms.
    store
        .wrangle(&Wrangle::MakeCanonical {
            tag: "spike/willow".into(),
        })
        .await
        .unwrap();
    store
        .wrangle(&Wrangle::Merge {
            synonym: "Willow/Spike".into(),
            canonical: "Spike/Willow".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        bin(store, Relationship, GUESTS, first).await,
        pairs(&[("Buffy/Riley", 1)])
    );
    // Made canonical again, a synonym stops being one, but stays wrangled.
    store
        .wrangle(&Wrangle::MakeCanonical {
            tag: "Willow/Spike".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        bin(store, Relationship, GUESTS, first).await,
        pairs(&[("Buffy/Riley", 1)])
    );
}

harness::stories!(the_bin_lists_unwrangled_tags_most_used_first_through_the_visibility_rule);
