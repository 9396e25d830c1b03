//! Wrangling stories, run against SQLite and PostgreSQL alike: canonical tags, synonyms,
//! parents, meta tags and renames, what they announce in the outbox, and what they refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewWork};
use quire_core::{Rating, TagKind, WorkId};
use quire_store::{Store, StoreError, Wrangle, WranglingError};

/// Stores a work with these tags and returns its id.
async fn work(store: &dyn Store, title: &str, tags: &[(TagKind, &str)]) -> WorkId {
    let pseud = store
        .archive_creator("Sunnydale Archive", "Tara Maclay")
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2002, 5, 21).unwrap();
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
            posted: true,
            restricted: false,
            stats: Default::default(),
            chapters: vec![NewChapter::posted("<p>Once more, with feeling.</p>")],
            series: vec![],
            source: None,
        })
        .await
        .unwrap()
}

fn canonical(tag: &str) -> Wrangle {
    Wrangle::MakeCanonical { tag: tag.into() }
}

fn merge(synonym: &str, canonical: &str) -> Wrangle {
    Wrangle::Merge {
        synonym: synonym.into(),
        canonical: canonical.into(),
    }
}

fn meta(sub: &str, meta: &str) -> Wrangle {
    Wrangle::AddMeta {
        sub: sub.into(),
        meta: meta.into(),
    }
}

fn refusal(result: Result<quire_store::Wrangled, StoreError>) -> WranglingError {
    match result {
        Err(StoreError::Wrangling(e)) => e,
        other => panic!("expected a wrangling refusal, got {other:?}"),
    }
}

/// The `(entity, id)` outbox rows after `seq`.
async fn announced(store: &dyn Store, seq: i64) -> Vec<(String, i64)> {
    store
        .changes_after(seq, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.entity, c.entity_id))
        .collect()
}

async fn a_synonym_merges_into_a_canonical_tag_and_its_works_are_announced(store: &dyn Store) {
    let a = work(
        store,
        "Tabula Rasa",
        &[(TagKind::Relationship, "Willow/Spike")],
    )
    .await;
    let b = work(store, "Smashed", &[(TagKind::Relationship, "Spike/Willow")]).await;
    let _other = work(store, "Hush", &[(TagKind::Relationship, "Buffy/Riley")]).await;
    store.wrangle(&canonical("Spike/Willow")).await.unwrap();

    let seq = store.last_change_seq().await.unwrap();
    let done = store
        .wrangle(&merge("willow/spike", "Spike/Willow"))
        .await
        .unwrap();
    assert_eq!(done.tag.name, "Willow/Spike");
    assert!(!done.tag.canonical);
    assert_eq!(done.works, 1);
    let mut rows = announced(store, seq).await;
    rows.sort();
    assert_eq!(
        rows,
        [("tag".to_owned(), done.tag.id), ("work".to_owned(), a)]
    );

    let page = store.tag_wrangling("SPIKE/WILLOW").await.unwrap().unwrap();
    assert!(page.tag.canonical);
    let synonyms: Vec<&str> = page.synonyms.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(synonyms, ["Willow/Spike"]);
    let synonym = store.tag_wrangling("Willow/Spike").await.unwrap().unwrap();
    assert_eq!(synonym.merger.unwrap().name, "Spike/Willow");
    let all = store.wrangling().await.unwrap();
    assert_eq!(
        all.synonyms,
        [("Willow/Spike".to_owned(), "Spike/Willow".to_owned())]
    );
    // The work keeps its tag as written.
    let tags: Vec<String> = store
        .work(a)
        .await
        .unwrap()
        .unwrap()
        .tags
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert!(tags.contains(&"Willow/Spike".to_owned()));
    let _ = b;

    // Merging again changes nothing and announces nothing.
    let seq = store.last_change_seq().await.unwrap();
    let again = store
        .wrangle(&merge("Willow/Spike", "Spike/Willow"))
        .await
        .unwrap();
    assert_eq!(again.works, 0);
    assert!(announced(store, seq).await.is_empty());
}

async fn a_preview_counts_the_works_and_changes_nothing(store: &dyn Store) {
    for title in ["Restless", "Fear, Itself", "Grave"] {
        work(store, title, &[(TagKind::Freeform, "Angst")]).await;
    }
    work(
        store,
        "Tough Love",
        &[(TagKind::Freeform, "angst and hurt")],
    )
    .await;
    store.wrangle(&canonical("Angst")).await.unwrap();
    store.wrangle(&canonical("Angst and Hurt")).await.unwrap();
    let seq = store.last_change_seq().await.unwrap();

    let change = meta("Angst and Hurt", "Angst");
    let preview = store.preview_wrangle(&change).await.unwrap();
    assert_eq!(preview.works, 1);
    assert!(announced(store, seq).await.is_empty());
    assert!(store.wrangling().await.unwrap().metas.is_empty());

    let preview = store
        .preview_wrangle(&Wrangle::Rename {
            tag: "Angst".into(),
            to: "Angst (Buffyverse)".into(),
        })
        .await
        .unwrap();
    assert_eq!(preview.works, 3);
    assert_eq!(preview.tag.name, "Angst (Buffyverse)");
    assert!(
        store
            .tag_wrangling("Angst (Buffyverse)")
            .await
            .unwrap()
            .is_none()
    );

    // Refusals are refused in a preview too.
    assert_eq!(
        refusal(store.preview_wrangle(&merge("Angst", "Angst")).await),
        WranglingError::MergeIntoItself("Angst".into())
    );
}

async fn meta_tags_are_transitive_and_announce_every_work_below(store: &dyn Store) {
    let season = work(
        store,
        "Once More, with Feeling",
        &[(TagKind::Fandom, "BtVS Season 6")],
    )
    .await;
    let show = work(
        store,
        "Chosen",
        &[(TagKind::Fandom, "Buffy the Vampire Slayer")],
    )
    .await;
    let alias = work(store, "Normal Again", &[(TagKind::Fandom, "BtVS S6")]).await;
    for tag in ["BtVS Season 6", "Buffy the Vampire Slayer"] {
        store.wrangle(&canonical(tag)).await.unwrap();
    }
    // A meta tag no work carries is created.
    let created = Wrangle::CreateCanonical {
        tag: "Buffyverse".into(),
        kind: TagKind::Fandom,
    };
    assert!(store.wrangle(&created).await.unwrap().changed);
    assert!(!store.wrangle(&created).await.unwrap().changed);
    store
        .wrangle(&merge("BtVS S6", "BtVS Season 6"))
        .await
        .unwrap();
    store
        .wrangle(&meta("BtVS Season 6", "Buffy the Vampire Slayer"))
        .await
        .unwrap();

    let seq = store.last_change_seq().await.unwrap();
    let done = store
        .wrangle(&meta("Buffy the Vampire Slayer", "Buffyverse"))
        .await
        .unwrap();
    assert_eq!(done.works, 3);
    let mut works: Vec<i64> = announced(store, seq)
        .await
        .into_iter()
        .filter(|(e, _)| e == "work")
        .map(|(_, id)| id)
        .collect();
    works.sort_unstable();
    let mut want = vec![season, show, alias];
    want.sort_unstable();
    assert_eq!(works, want);

    let show = store
        .tag_wrangling("buffy the vampire slayer")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(show.metas[0].name, "Buffyverse");
    assert_eq!(show.subs[0].name, "BtVS Season 6");

    // Closing the circle is refused, and leaves the links as they were.
    assert_eq!(
        refusal(store.wrangle(&meta("Buffyverse", "BtVS Season 6")).await).code(),
        "meta_tag_cycle"
    );
    assert_eq!(store.wrangling().await.unwrap().metas.len(), 2);

    store
        .wrangle(&Wrangle::RemoveMeta {
            sub: "Buffy the Vampire Slayer".into(),
            meta: "Buffyverse".into(),
        })
        .await
        .unwrap();
    assert_eq!(store.wrangling().await.unwrap().metas.len(), 1);
}

async fn parents_join_fandoms_to_characters_and_file_no_works(store: &dyn Store) {
    work(
        store,
        "The Gift",
        &[
            (TagKind::Fandom, "Buffy the Vampire Slayer"),
            (TagKind::Character, "Dawn Summers"),
        ],
    )
    .await;
    for tag in ["Buffy the Vampire Slayer", "Dawn Summers"] {
        store.wrangle(&canonical(tag)).await.unwrap();
    }
    let change = Wrangle::AddParent {
        child: "Dawn Summers".into(),
        parent: "Buffy the Vampire Slayer".into(),
    };
    assert_eq!(store.wrangle(&change).await.unwrap().works, 0);
    let fandom = store
        .tag_wrangling("Buffy the Vampire Slayer")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fandom.children[0].name, "Dawn Summers");
    let dawn = store.tag_wrangling("Dawn Summers").await.unwrap().unwrap();
    assert_eq!(dawn.parents[0].name, "Buffy the Vampire Slayer");

    // A character cannot parent a fandom.
    let backwards = Wrangle::AddParent {
        child: "Buffy the Vampire Slayer".into(),
        parent: "Dawn Summers".into(),
    };
    assert_eq!(
        refusal(store.wrangle(&backwards).await).code(),
        "tag_parent_kind"
    );
    let wrong_kind = Wrangle::CreateCanonical {
        tag: "Dawn Summers".into(),
        kind: TagKind::Fandom,
    };
    assert_eq!(
        refusal(store.wrangle(&wrong_kind).await).code(),
        "tag_kind_mismatch"
    );
}

async fn a_rename_keeps_the_works_and_refuses_another_tags_name(store: &dyn Store) {
    let id = work(
        store,
        "Lies My Parents Told Me",
        &[(TagKind::Character, "Spike")],
    )
    .await;
    work(
        store,
        "Fool for Love",
        &[(TagKind::Character, "William the Bloody")],
    )
    .await;
    let done = store
        .wrangle(&Wrangle::Rename {
            tag: "spike".into(),
            to: "Spike (Buffyverse)".into(),
        })
        .await
        .unwrap();
    assert_eq!(done.works, 1);
    let tags = store.work(id).await.unwrap().unwrap().tags;
    assert!(tags.iter().any(|t| t.name == "Spike (Buffyverse)"));
    assert!(store.tag_wrangling("Spike").await.unwrap().is_none());

    let onto = Wrangle::Rename {
        tag: "Spike (Buffyverse)".into(),
        to: "william the bloody".into(),
    };
    assert_eq!(
        refusal(store.wrangle(&onto).await),
        WranglingError::NameTaken("william the bloody".into())
    );
    // A change of case alone is a rename of the tag onto itself.
    let case = Wrangle::Rename {
        tag: "Spike (Buffyverse)".into(),
        to: "SPIKE (Buffyverse)".into(),
    };
    assert_eq!(
        store.wrangle(&case).await.unwrap().tag.name,
        "SPIKE (Buffyverse)"
    );
}

async fn wrangling_refusals_have_stable_codes(store: &dyn Store) {
    work(
        store,
        "Conversations with Dead People",
        &[
            (TagKind::Character, "Willow Rosenberg"),
            (TagKind::Character, "Willow"),
            (TagKind::Freeform, "Witchcraft"),
        ],
    )
    .await;
    store.wrangle(&canonical("Willow Rosenberg")).await.unwrap();
    let cases = [
        (merge("Nobody Here", "Willow Rosenberg"), "tag_unknown"),
        (merge("Willow Rosenberg", "Willow"), "tag_not_canonical"),
        (merge("Witchcraft", "Willow Rosenberg"), "tag_kind_mismatch"),
        (
            merge("Willow Rosenberg", "willow rosenberg"),
            "tag_merge_into_itself",
        ),
        (
            meta("Willow Rosenberg", "Willow Rosenberg"),
            "meta_tag_cycle",
        ),
        (canonical("General Audiences"), "tag_fixed_vocabulary"),
    ];
    let seq = store.last_change_seq().await.unwrap();
    for (change, code) in cases {
        let refused = refusal(store.wrangle(&change).await);
        assert_eq!(refused.code(), code, "{change:?}: {refused}");
        assert_eq!(StoreError::Wrangling(refused).code(), code);
    }
    assert!(announced(store, seq).await.is_empty());
    assert!(
        store
            .tag_wrangling("Willow")
            .await
            .unwrap()
            .unwrap()
            .merger
            .is_none()
    );
}

async fn a_canonical_tag_merged_away_hands_over_its_synonyms_and_links(store: &dyn Store) {
    let old = work(store, "Bargaining", &[(TagKind::Character, "Buffy")]).await;
    work(store, "Afterlife", &[(TagKind::Character, "Buffy Summers")]).await;
    for tag in ["Buffy", "Buffy Summers"] {
        store.wrangle(&canonical(tag)).await.unwrap();
    }
    store
        .wrangle(&Wrangle::CreateCanonical {
            tag: "Slayers".into(),
            kind: TagKind::Character,
        })
        .await
        .unwrap();
    work(store, "Flooded", &[(TagKind::Character, "Buffy S.")]).await;
    store.wrangle(&merge("Buffy S.", "Buffy")).await.unwrap();
    store.wrangle(&meta("Buffy", "Slayers")).await.unwrap();

    let done = store
        .wrangle(&merge("Buffy", "Buffy Summers"))
        .await
        .unwrap();
    assert_eq!(done.works, 2, "works of Buffy and of its synonym");
    let canonical = store.tag_wrangling("Buffy Summers").await.unwrap().unwrap();
    let synonyms: Vec<&str> = canonical.synonyms.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(synonyms, ["Buffy", "Buffy S."]);
    assert_eq!(canonical.metas[0].name, "Slayers");
    let _ = old;
}

harness::stories!(
    a_synonym_merges_into_a_canonical_tag_and_its_works_are_announced,
    a_preview_counts_the_works_and_changes_nothing,
    meta_tags_are_transitive_and_announce_every_work_below,
    parents_join_fandoms_to_characters_and_file_no_works,
    a_rename_keeps_the_works_and_refuses_another_tags_name,
    wrangling_refusals_have_stable_codes,
    a_canonical_tag_merged_away_hands_over_its_synonyms_and_links,
);
