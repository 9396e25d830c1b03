//! The search box (plain words only, whatever is typed) and wrangling inheritance.
#![allow(clippy::unwrap_used)]

mod common;

use common::{archive, member};
use quire_core::TagKind;
use quire_core::visibility::ListingScope;
use quire_search::params::parse;
use quire_search::{MutedSet, Results, SortField, WorkQuery};

async fn search(a: &common::Archive, qs: &str) -> Results {
    a.index
        .search(
            &parse(qs).unwrap(),
            ListingScope::for_viewer(&member()),
            &MutedSet::default(),
        )
        .unwrap()
}

fn listable(a: &common::Archive) -> impl Iterator<Item = &quire_core::Work> {
    let viewer = member();
    a.works
        .iter()
        .filter(move |w| ListingScope::for_viewer(&viewer).admits(w, &viewer))
}

#[tokio::test]
async fn words_are_found_in_titles_summaries_tags_and_creator_names() {
    let a = archive().await;
    type Expect = fn(&quire_core::Work) -> bool;
    let cases: [(&str, Expect); 4] = [
        ("q=harbor", |w| w.title.contains("Harbor")),
        ("q=lighthouse", |w| {
            w.summary.as_deref().unwrap_or("").contains("lighthouse")
        }),
        ("q=whump", |w| w.tags.iter().any(|t| t.name == "Whump")),
        ("q=marlowe", |w| w.creators[0].name == "Alice Marlowe"),
    ];
    for (qs, expected) in cases {
        let got = search(&a, qs).await;
        let want = listable(&a).filter(|w| expected(w)).count() as u64;
        assert!(want > 0, "{qs}");
        assert_eq!(got.total, want, "{qs}");
    }
}

#[tokio::test]
async fn every_word_must_match_and_stems_match() {
    let a = archive().await;
    let both = search(&a, "q=quiet+harbors").await;
    let want = listable(&a)
        .filter(|w| w.title.starts_with("Quiet Harbor"))
        .count() as u64;
    assert_eq!(both.total, want);
    assert_eq!(search(&a, "q=harbor+zeppelin").await.total, 0);
}

#[tokio::test]
async fn best_match_ranks_title_words_first() {
    let a = archive().await;
    // "orchard" is a title word of some works and chapter-text word of others; without
    // chapter text only titles (and summaries) match.
    let got = search(&a, "q=orchard&sort=best").await;
    assert!(got.total > 0);
    let first = a.works.iter().find(|w| w.id == got.ids[0]).unwrap();
    assert!(first.title.starts_with("Orchard"), "{}", first.title);
    assert_eq!(
        parse("q=orchard").unwrap().effective_sort(),
        SortField::BestMatch
    );
}

#[tokio::test]
async fn tantivy_query_syntax_is_plain_words_or_nothing() {
    let a = archive().await;
    for qs in [
        "q=%22(((%5B",
        "q=title%3A*~%5E2",
        "q=AND+OR+NOT",
        "q=-",
        "q=*",
        "q=%5B1+TO+5%5D",
        "q=fandom%3ASunhollow",
        "q=%5C%5C%22",
    ] {
        let got = search(&a, qs).await;
        assert!(got.ids.len() as u64 <= got.total, "{qs}");
    }
    // Punctuation only: no words, so nothing matches (rather than everything).
    assert_eq!(search(&a, "q=%22(((%5B").await.total, 0);
    // `title:*~^2` is the words `title` and `2`: works whose text has both.
    let salt = search(&a, "q=salt%3A*~%5E0").await;
    let want = listable(&a).filter(|w| w.title == "Salt 0").count() as u64;
    assert_eq!(salt.total, want);
}

#[tokio::test]
async fn a_canonical_tag_matches_works_tagged_with_its_synonyms() {
    let a = archive().await;
    let tagged = |name: &str| {
        listable(&a)
            .filter(|w| w.tags_of(TagKind::Fandom).any(|t| t.name == name))
            .count() as u64
    };
    let canonical = search(&a, "fandom=Tidewater").await.total;
    let synonym_only = listable(&a)
        .filter(|w| {
            w.tags_of(TagKind::Fandom)
                .any(|t| t.name == "Tidewater (TV)")
                && !w.tags_of(TagKind::Fandom).any(|t| t.name == "Tidewater")
        })
        .count() as u64;
    assert!(synonym_only > 0);
    assert_eq!(canonical, tagged("Tidewater") + synonym_only);
    // Filtering by the synonym's name means its canonical tag.
    assert_eq!(search(&a, "fandom=tidewater+(tv)").await.total, canonical);
}

#[tokio::test]
async fn a_meta_tag_matches_its_sub_tags_transitively() {
    let a = archive().await;
    let universe = search(&a, "fandom=Coastal+Universe").await.total;
    assert_eq!(
        universe,
        listable(&a).count() as u64,
        "every work is in one of its fandoms"
    );
    let comfort = search(&a, "freeform=Hurt%2FComfort").await.total;
    let want = listable(&a)
        .filter(|w| {
            w.tags
                .iter()
                .any(|t| t.name == "Hurt/Comfort" || t.name == "Whump")
        })
        .count() as u64;
    assert_eq!(comfort, want);
    let excluded = search(&a, "not_freeform=Hurt%2FComfort").await.total;
    assert_eq!(excluded + comfort, listable(&a).count() as u64);
}

#[tokio::test]
async fn facets_show_canonical_tags_with_inherited_counts_and_no_synonyms() {
    let a = archive().await;
    let all = search(&a, "").await;
    let fandoms = all.facets.of(TagKind::Fandom);
    assert!(fandoms.iter().all(|c| c.name != "Tidewater (TV)"));
    let universe = fandoms
        .iter()
        .find(|c| c.name == "Coastal Universe")
        .unwrap();
    assert_eq!(universe.works, all.total);
    assert_eq!(fandoms[0].name, "Coastal Universe");
}

#[tokio::test]
async fn the_crossover_filter_counts_a_synonym_and_its_canonical_tag_as_one_fandom() {
    let a = archive().await;
    let only = search(&a, "crossover=only").await.total;
    let want = listable(&a)
        .filter(|w| w.tags_of(TagKind::Fandom).count() > 1)
        .count() as u64;
    assert_eq!(only, want);
    let q = WorkQuery {
        crossover: quire_search::Crossover::Exclude,
        ..WorkQuery::new()
    };
    let excluded = a
        .index
        .search(
            &q,
            ListingScope::for_viewer(&member()),
            &MutedSet::default(),
        )
        .unwrap()
        .total;
    assert_eq!(excluded + only, listable(&a).count() as u64);
}
