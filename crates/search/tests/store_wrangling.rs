//! The index follows wrangling done in the store: synonyms and meta tags (transitively) find
//! the works under them once the outbox is followed, facets show canonical names, and a
//! reader's mutes (read from the store) hide synonyms and sub-tags of a muted tag.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use quire_core::visibility::{ListingScope, Viewer};
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Rating, TagKind, WorkId};
use quire_search::follow::follow;
use quire_search::mutes::{muted_set, save_filter};
use quire_search::{MutedSet, Results, SearchIndex, WorkQuery};
use quire_store::testing::TestDb;
use quire_store::{NewUser, Store, Wrangle};

struct Archive {
    db: TestDb,
    index: SearchIndex,
    _dir: tempfile::TempDir,
    season: WorkId,
    alias: WorkId,
    show: WorkId,
    other: WorkId,
}

async fn work(store: &dyn Store, title: &str, fandom: &str) -> WorkId {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Anya Jenkins")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2003, 1, 7).unwrap();
    store
        .insert_work(&NewWork {
            title: title.into(),
            creators: vec![pseud.id],
            rating: Rating::GeneralAudiences,
            warnings: vec![],
            categories: vec![],
            tags: vec![(TagKind::Fandom, fandom.into())],
            language: "en".into(),
            summary: None,
            notes: None,
            end_notes: None,
            expected_chapters: Some(1),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: true,
            restricted: false,
            stats: Default::default(),
            chapters: vec![NewChapter::posted("<p>Bunnies.</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap()
}

/// Four works, indexed before any wrangling, then wrangled: `BtVS S6` is a synonym of `BtVS
/// Season 6`, a sub-tag of `Buffy the Vampire Slayer`, itself a sub-tag of `Buffyverse` (a
/// tag no work carries).
async fn wrangled_archive() -> Archive {
    let db = TestDb::sqlite().await;
    let store = &*db.store;
    let season = work(store, "Once More, with Feeling", "BtVS Season 6").await;
    let alias = work(store, "Normal Again", "BtVS S6").await;
    let show = work(store, "Chosen", "Buffy the Vampire Slayer").await;
    let other = work(store, "Not Fade Away", "Angel: the Series").await;
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("search-index")).unwrap();
    follow(&index, store).await.unwrap();
    assert_eq!(search(&index, "Buffyverse", &MutedSet::default()).total, 0);

    let changes = [
        Wrangle::MakeCanonical {
            tag: "BtVS Season 6".into(),
        },
        Wrangle::MakeCanonical {
            tag: "Buffy the Vampire Slayer".into(),
        },
        Wrangle::CreateCanonical {
            tag: "Buffyverse".into(),
            kind: TagKind::Fandom,
        },
        Wrangle::Merge {
            synonym: "BtVS S6".into(),
            canonical: "BtVS Season 6".into(),
        },
        Wrangle::AddMeta {
            sub: "BtVS Season 6".into(),
            meta: "Buffy the Vampire Slayer".into(),
        },
        Wrangle::AddMeta {
            sub: "Buffy the Vampire Slayer".into(),
            meta: "Buffyverse".into(),
        },
    ];
    for change in &changes {
        store.wrangle(change).await.unwrap();
    }
    let applied = follow(&index, store).await.unwrap();
    assert!(!applied.rebuilt);
    Archive {
        db,
        index,
        _dir: dir,
        season,
        alias,
        show,
        other,
    }
}

fn search(index: &SearchIndex, fandom: &str, muted: &MutedSet) -> Results {
    let mut query = WorkQuery::new();
    if !fandom.is_empty() {
        query.include.push((TagKind::Fandom, fandom.into()));
    }
    let viewer = Viewer::GUEST;
    index
        .search(&query, ListingScope::for_viewer(&viewer), muted)
        .unwrap()
}

fn sorted(mut ids: Vec<WorkId>) -> Vec<WorkId> {
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_canonical_tag_finds_its_synonyms_works_once_the_outbox_is_followed() {
    let a = wrangled_archive().await;
    let got = search(&a.index, "btvs season 6", &MutedSet::default());
    assert_eq!(sorted(got.ids), sorted(vec![a.season, a.alias]));
    // The synonym itself resolves to its canonical tag.
    assert_eq!(search(&a.index, "BtVS S6", &MutedSet::default()).total, 2);
}

#[tokio::test]
async fn a_meta_tag_of_a_meta_tag_finds_every_work_below_it() {
    let a = wrangled_archive().await;
    let got = search(&a.index, "Buffyverse", &MutedSet::default());
    assert_eq!(sorted(got.ids), sorted(vec![a.season, a.alias, a.show]));
    let got = search(&a.index, "Buffy the Vampire Slayer", &MutedSet::default());
    assert_eq!(got.total, 3);
}

#[tokio::test]
async fn facet_counts_name_the_canonical_tag_not_the_synonym() {
    let a = wrangled_archive().await;
    let all = search(&a.index, "", &MutedSet::default());
    let fandoms: Vec<(&str, u64)> = all
        .facets
        .of(TagKind::Fandom)
        .iter()
        .map(|f| (f.name.as_str(), f.works))
        .collect();
    assert!(fandoms.contains(&("BtVS Season 6", 2)), "{fandoms:?}");
    assert!(fandoms.contains(&("Buffyverse", 3)), "{fandoms:?}");
    assert!(
        !fandoms.iter().any(|(name, _)| *name == "BtVS S6"),
        "{fandoms:?}"
    );
}

#[tokio::test]
async fn undoing_a_meta_link_refiles_the_works_below_it() {
    let a = wrangled_archive().await;
    let store = &*a.db.store;
    store
        .wrangle(&Wrangle::RemoveMeta {
            sub: "Buffy the Vampire Slayer".into(),
            meta: "Buffyverse".into(),
        })
        .await
        .unwrap();
    follow(&a.index, store).await.unwrap();
    assert_eq!(
        search(&a.index, "Buffyverse", &MutedSet::default()).total,
        0
    );
    assert_eq!(
        search(&a.index, "Buffy the Vampire Slayer", &MutedSet::default()).total,
        3
    );
}

#[tokio::test]
async fn muting_a_canonical_tag_hides_its_synonyms_and_sub_tags() {
    let a = wrangled_archive().await;
    let store = &*a.db.store;
    let reader = store
        .create_user(&NewUser {
            login: "dawn".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    store
        .mute_tag(reader.id, "buffy the vampire slayer")
        .await
        .unwrap();
    let muted = muted_set(store, reader.id).await.unwrap();
    assert_eq!(muted.tags, ["Buffy the Vampire Slayer"]);
    let got = search(&a.index, "", &muted);
    assert_eq!(got.ids, [a.other]);
    assert_eq!(got.hidden_by_mutes, 3);

    // A muted creator hides all of their works.
    let creator = store.work(a.other).await.unwrap().unwrap().creators[0].user_id;
    store.mute_creator(reader.id, creator).await.unwrap();
    let muted = muted_set(store, reader.id).await.unwrap();
    assert_eq!(search(&a.index, "", &muted).total, 0);
}

#[tokio::test]
async fn saved_filters_are_checked_and_kept_as_a_listing_writes_them() {
    let a = wrangled_archive().await;
    let store = &*a.db.store;
    let reader = store
        .create_user(&NewUser {
            login: "willow".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let saved = save_filter(store, reader.id, "  Season six ", "fandom=BtVS+Season+6")
        .await
        .unwrap();
    assert_eq!(saved.name, "Season six");
    let query = quire_search::params::parse(&saved.query).unwrap();
    assert_eq!(
        query.include,
        [(TagKind::Fandom, "BtVS Season 6".to_owned())]
    );

    for (name, qs, code) in [
        ("Spells", "sort=spellbook", "query_invalid_value"),
        ("Spells", "wand=oak", "query_unknown_parameter"),
        ("   ", "fandom=Angel", "query_invalid_value"),
    ] {
        match save_filter(store, reader.id, name, qs).await {
            Err(quire_search::SearchError::Query(e)) => assert_eq!(e.code(), code, "{qs}"),
            other => panic!("{qs}: expected a refusal, got {other:?}"),
        }
    }
    let names: Vec<String> = store
        .saved_filters(reader.id)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, ["Season six"]);
}
