//! Every filter and sort of `WorkQuery` against a real index of a real SQLite archive,
//! checked against the oracle in `common` (the same filters in plain Rust on the works).
#![allow(clippy::unwrap_used)]

mod common;

use common::{Archive, archive, expected, expected_facets, member};
use quire_core::visibility::ListingScope;
use quire_core::{TagKind, Viewer};
use quire_search::params::parse;
use quire_search::{MutedSet, SortField, WorkQuery};

fn check(a: &Archive, qs: &str, viewer: &Viewer, muted: &MutedSet) -> u64 {
    let q = parse(qs).unwrap();
    let got = a
        .index
        .search(&q, ListingScope::for_viewer(viewer), muted)
        .unwrap();
    let (ids, total, hidden) = expected(&a.works, &q, viewer, muted, &a.graph);
    assert_eq!(got.ids, ids, "ids for `{qs}`");
    assert_eq!(got.total, total, "total for `{qs}`");
    assert_eq!(got.hidden_by_mutes, hidden, "hidden for `{qs}`");
    let facets = expected_facets(&a.works, &q, viewer, muted, &a.graph);
    for (kind, counts) in &got.facets.by_kind {
        let expected_here = facets.iter().filter(|((k, _), _)| k == kind).count();
        assert_eq!(
            counts.len(),
            expected_here.min(quire_search::FACET_LIMIT),
            "{kind} facets for `{qs}`"
        );
        for c in counts {
            assert_eq!(
                facets.get(&(*kind, c.name.clone())),
                Some(&c.works),
                "facet {kind} `{}` for `{qs}`",
                c.name
            );
        }
    }
    total
}

#[tokio::test]
async fn every_filter_matches_what_the_works_say() {
    let a = archive().await;
    let queries = [
        "",
        "rating=Explicit",
        "not_rating=Explicit&not_rating=Mature",
        "warning=Major+Character+Death",
        "not_warning=Graphic+Depictions+Of+Violence",
        "category=F%2FF",
        "fandom=Sunhollow",
        "fandom=Sunhollow&fandom=Tidewater",
        "not_fandom=Tidewater",
        "relationship=Ines%2FOdo",
        "character=Mira+Quell&not_relationship=Ines%2FOdo",
        "freeform=Fluff",
        "not_freeform=Angst&not_freeform=Slow+Burn",
        "crossover=only",
        "crossover=exclude",
        "complete=true",
        "complete=false",
        "words_from=100",
        "words_to=200",
        "words_from=100&words_to=300",
        "posted_from=2020-02-01",
        "posted_to=2020-03-01",
        "posted_from=2020-01-10&posted_to=2020-02-20",
        "updated_from=2020-05-01&updated_to=2020-09-01",
        "language=FR",
        "language=en&complete=true&crossover=exclude",
        "archive=old+archive",
        "archive=Nowhere",
        "fandom=No+Such+Fandom",
        "fandom=Tidewater&not_fandom=Sunhollow&freeform=Whump&complete=true",
    ];
    for viewer in [Viewer::GUEST, member()] {
        for qs in queries {
            let total = check(&a, qs, &viewer, &MutedSet::default());
            // Each filter cuts the archive somewhere: only the unknown names match nothing.
            let empty = qs.contains("No+Such") || qs.contains("Nowhere");
            assert_eq!(total == 0, empty, "`{qs}` listed {total} works");
        }
    }
    assert_eq!(
        check(&a, "fandom=No+Such+Fandom", &member(), &MutedSet::default()),
        0
    );
}

#[tokio::test]
async fn every_sort_in_both_directions_orders_like_the_works_say() {
    let a = archive().await;
    for sort in SortField::ALL {
        for order in ["", "&order=asc", "&order=desc"] {
            for page in ["", "&page=2"] {
                let qs = format!("sort={}{order}{page}", sort.as_str());
                check(&a, &qs, &member(), &MutedSet::default());
            }
        }
    }
}

#[tokio::test]
async fn a_page_past_the_results_is_empty_with_the_right_total() {
    let a = archive().await;
    let total = check(&a, "page=40", &member(), &MutedSet::default());
    assert!(total > 0);
    let got = a
        .index
        .search(
            &parse("page=40").unwrap(),
            ListingScope::for_viewer(&member()),
            &MutedSet::default(),
        )
        .unwrap();
    assert!(got.ids.is_empty());
}

#[tokio::test]
async fn each_facet_count_is_the_number_of_works_that_filter_lists() {
    let a = archive().await;
    for base in ["", "fandom=Tidewater", "complete=false&not_rating=Explicit"] {
        for viewer in [Viewer::GUEST, member()] {
            let scope = ListingScope::for_viewer(&viewer);
            let q = parse(base).unwrap();
            let results = a.index.search(&q, scope, &MutedSet::default()).unwrap();
            assert!(results.facets.by_kind.iter().any(|(_, c)| !c.is_empty()));
            for (kind, counts) in &results.facets.by_kind {
                for c in counts {
                    let mut narrowed = q.clone();
                    narrowed.include.push((*kind, c.name.clone()));
                    narrowed.page = 1;
                    let listed = a
                        .index
                        .search(&narrowed, scope, &MutedSet::default())
                        .unwrap();
                    assert_eq!(listed.total, c.works, "{kind} `{}` in `{base}`", c.name);
                }
            }
        }
    }
}

#[tokio::test]
async fn muted_tags_and_creators_are_never_shown_or_counted() {
    let a = archive().await;
    let mutes = [
        MutedSet {
            tags: vec!["angst".into()],
            creators: vec![],
        },
        MutedSet {
            tags: vec![],
            creators: vec![a.users[1]],
        },
        // Muting a meta tag mutes its sub-tags; muting a synonym mutes its canonical tag.
        MutedSet {
            tags: vec!["Hurt/Comfort".into(), "Tidewater (TV)".into()],
            creators: vec![a.users[2]],
        },
    ];
    for muted in &mutes {
        for qs in ["", "fandom=Sunhollow", "sort=kudos&page=2", "complete=true"] {
            for viewer in [Viewer::GUEST, member()] {
                check(&a, qs, &viewer, muted);
            }
            let q = parse(qs).unwrap();
            let got = a
                .index
                .search(&q, ListingScope::for_viewer(&member()), muted)
                .unwrap();
            for work in a.works.iter().filter(|w| got.ids.contains(&w.id)) {
                assert!(
                    !common::is_muted(work, muted, &a.graph),
                    "work {} shown",
                    work.id
                );
            }
            for (_, counts) in &got.facets.by_kind {
                for c in counts {
                    assert!(
                        !muted.tags.iter().any(|m| m.eq_ignore_ascii_case(&c.name)),
                        "muted tag `{}` counted",
                        c.name
                    );
                }
            }
        }
    }
    let hp = a
        .index
        .search(
            &WorkQuery::new(),
            ListingScope::for_viewer(&member()),
            &mutes[2],
        )
        .unwrap();
    assert!(hp.hidden_by_mutes > 0);
    assert!(
        hp.facets
            .of(TagKind::Fandom)
            .iter()
            .all(|c| c.name != "Tidewater")
    );
}
