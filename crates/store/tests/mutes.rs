//! A reader's blacklist and saved filters, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Rating, TagKind};
use quire_store::{Store, StoreError};

use harness::reader;

async fn tagged_work(store: &dyn Store, tags: &[&str]) {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Jonathan Levinson")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2001, 10, 2).unwrap();
    store
        .insert_work(&NewWork {
            title: "Superstar".into(),
            creators: vec![pseud.id],
            rating: Rating::GeneralAudiences,
            warnings: vec![],
            categories: vec![],
            tags: tags
                .iter()
                .map(|t| (TagKind::Freeform, (*t).to_owned()))
                .collect(),
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
            chapters: vec![NewChapter::posted("<p>Everyone loves Jonathan.</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap();
}

async fn a_reader_mutes_tags_and_creators_and_unmutes_them(store: &dyn Store) {
    tagged_work(store, &["Character Death", "Songfic"]).await;
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let jonathan = store
        .user_by_login("jonathan_levinson")
        .await
        .unwrap()
        .unwrap();

    assert_eq!(
        store.mute_tag(dawn.id, "songfic").await.unwrap().name,
        "Songfic"
    );
    store.mute_tag(dawn.id, "SONGFIC").await.unwrap();
    store.mute_tag(dawn.id, "Character Death").await.unwrap();
    store.mute_creator(dawn.id, jonathan.id).await.unwrap();

    let mutes = store.mutes(dawn.id).await.unwrap();
    let tags: Vec<&str> = mutes.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Character Death", "Songfic"]);
    assert_eq!(mutes.creators[0].login, "jonathan_levinson");
    // Mutes are one reader's only.
    assert_eq!(store.mutes(xander.id).await.unwrap(), Default::default());

    assert!(store.unmute_tag(dawn.id, "Songfic").await.unwrap());
    assert!(!store.unmute_tag(dawn.id, "Songfic").await.unwrap());
    assert!(store.unmute_creator(dawn.id, jonathan.id).await.unwrap());
    let mutes = store.mutes(dawn.id).await.unwrap();
    assert_eq!(mutes.tags.len(), 1);
    assert!(mutes.creators.is_empty());
}

async fn muting_what_does_not_exist_is_refused(store: &dyn Store) {
    let dawn = reader(store, "dawn").await;
    let err = store.mute_tag(dawn.id, "Mr. Gordo").await.unwrap_err();
    assert_eq!(err.code(), "tag_unknown");
    let err = store.mute_creator(dawn.id, 424_242).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound("creator")), "{err}");
    let err = store.mute_creator(dawn.id, dawn.id).await.unwrap_err();
    assert_eq!(err.code(), "conflict");
}

async fn saved_filters_are_kept_by_name_per_reader(store: &dyn Store) {
    let dawn = reader(store, "dawn").await;
    let buffy = reader(store, "buffy").await;
    store
        .save_filter(dawn.id, "Spuffy", "relationship=Buffy+Summers%2FSpike")
        .await
        .unwrap();
    store
        .save_filter(dawn.id, "Complete fluff", "freeform=Fluff&complete=true")
        .await
        .unwrap();
    // The same name in another case replaces it.
    let replaced = store
        .save_filter(dawn.id, "spuffy", "relationship=Spike%2FBuffy+Summers")
        .await
        .unwrap();
    assert_eq!(replaced.name, "spuffy");
    let filters = store.saved_filters(dawn.id).await.unwrap();
    let names: Vec<(&str, &str)> = filters
        .iter()
        .map(|f| (f.name.as_str(), f.query.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Complete fluff", "freeform=Fluff&complete=true"),
            ("spuffy", "relationship=Spike%2FBuffy+Summers"),
        ]
    );
    assert!(store.saved_filters(buffy.id).await.unwrap().is_empty());
    assert!(store.delete_saved_filter(dawn.id, "SPUFFY").await.unwrap());
    assert!(!store.delete_saved_filter(dawn.id, "SPUFFY").await.unwrap());
    assert_eq!(store.saved_filters(dawn.id).await.unwrap().len(), 1);
}

harness::stories!(
    a_reader_mutes_tags_and_creators_and_unmutes_them,
    muting_what_does_not_exist_is_refused,
    saved_filters_are_kept_by_name_per_reader,
);
