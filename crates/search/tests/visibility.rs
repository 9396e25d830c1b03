//! Results and facet counts go through the visibility rule: restricted works for signed-in
//! viewers only, drafts and admin-hidden works never, whoever asks.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use quire_core::visibility::ListingScope;
use quire_core::{Pseud, Rating, Tag, TagKind, Viewer, Work, WorkStats};
use quire_search::{MutedSet, SearchIndex, WorkQuery};

const CREATOR: i64 = 7;

fn work(id: i64, posted: bool, restricted: bool, hidden_by_admin: bool) -> Work {
    let day = NaiveDate::from_ymd_opt(2004, 3, 14).unwrap();
    Work {
        id,
        title: format!("Work {id}"),
        creators: vec![Pseud {
            id: 70,
            user_id: CREATOR,
            name: "Creator".into(),
            login: "creator".into(),
            is_default: true,
        }],
        rating: Rating::Explicit,
        tags: vec![Tag {
            id: 1,
            kind: TagKind::Fandom,
            name: "Sunhollow".into(),
            canonical: true,
        }],
        language: "en".into(),
        summary: None,
        notes: None,
        end_notes: None,
        word_count: 10,
        chapter_count: 1,
        expected_chapters: Some(1),
        complete: true,
        published: Some(day),
        updated: Some(day),
        posted,
        restricted,
        hidden_by_admin,
        series: vec![],
        gifts: Vec::new(),
        stats: WorkStats::default(),
        source: None,
    }
}

fn viewers() -> [(&'static str, Viewer); 4] {
    [
        ("guest", Viewer::GUEST),
        ("member", common::member()),
        (
            "creator",
            Viewer {
                user: Some(CREATOR),
                ..Viewer::GUEST
            },
        ),
        (
            "admin",
            Viewer {
                user: Some(1),
                is_admin: true,
                adult_consent: true,
            },
        ),
    ]
}

/// Every combination of the three flags, indexed directly (the store cannot hide a work yet).
fn index_of_every_kind_of_work() -> (tempfile::TempDir, SearchIndex, Vec<Work>) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("idx")).unwrap();
    let mut works = Vec::new();
    for bits in 0..16 {
        let mut w = work(bits + 1, bits & 1 != 0, bits & 2 != 0, bits & 4 != 0);
        // A posted work with no posted chapter is a draft to readers.
        w.chapter_count = i32::from(bits & 8 == 0);
        index.upsert(&w, None).unwrap();
        works.push(w);
    }
    index.commit(1).unwrap();
    (dir, index, works)
}

#[test]
fn guests_members_creators_and_admins_see_what_listing_scope_admits() {
    let (_dir, index, works) = index_of_every_kind_of_work();
    for (who, viewer) in viewers() {
        let scope = ListingScope::for_viewer(&viewer);
        let results = index
            .search(&WorkQuery::new(), scope, &MutedSet::default())
            .unwrap();
        let mut ids = results.ids.clone();
        ids.sort_unstable();
        let expected: Vec<i64> = works
            .iter()
            .filter(|w| scope.admits(w, &viewer))
            .map(|w| w.id)
            .collect();
        assert_eq!(ids, expected, "{who}");
        assert_eq!(results.total, expected.len() as u64, "{who}");
        assert_eq!(
            results.facets.of(TagKind::Fandom)[0].works,
            expected.len() as u64,
            "{who}: the fandom count"
        );
    }
}

#[test]
fn guests_see_one_work_and_members_two() {
    let (_dir, index, _) = index_of_every_kind_of_work();
    let count = |viewer: Viewer| {
        index
            .search(
                &WorkQuery::new(),
                ListingScope::for_viewer(&viewer),
                &MutedSet::default(),
            )
            .unwrap()
            .total
    };
    // Posted, public and not hidden: work 2 (bits 001). Restricted too: work 4 (bits 011).
    assert_eq!(count(Viewer::GUEST), 1);
    assert_eq!(count(common::member()), 2);
    let admin = viewers()[3].1;
    assert_eq!(
        count(admin),
        2,
        "admins see no drafts or hidden works in listings"
    );
}

#[test]
fn restricted_works_are_not_counted_for_guests_in_fandom_facets() {
    let (_dir, index, _) = index_of_every_kind_of_work();
    let results = index
        .search(
            &WorkQuery::new(),
            ListingScope::for_viewer(&Viewer::GUEST),
            &MutedSet::default(),
        )
        .unwrap();
    assert_eq!(results.facets.of(TagKind::Fandom)[0].works, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The index's visibility terms and `ListingScope::admits` agree on any set of works and
    /// any viewer, for listings, counts and facets.
    #[test]
    fn every_search_path_agrees_with_the_visibility_rule(
        flags in prop::collection::vec(
            (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
            1..12,
        ),
        viewer_kind in 0usize..4,
        muted_creator in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = SearchIndex::open(&dir.path().join("idx")).unwrap();
        let works: Vec<Work> = flags
            .iter()
            .enumerate()
            .map(|(i, (p, r, h, no_posted_chapter))| Work {
                chapter_count: i32::from(!no_posted_chapter),
                ..work(i as i64 + 1, *p, *r, *h)
            })
            .collect();
        for w in &works {
            index.upsert(w, None).unwrap();
        }
        index.commit(1).unwrap();
        let viewer = viewers()[viewer_kind].1;
        let scope = ListingScope::for_viewer(&viewer);
        let muted = MutedSet {
            tags: vec![],
            creators: if muted_creator { vec![CREATOR] } else { vec![] },
        };
        let admitted = works.iter().filter(|w| scope.admits(w, &viewer)).count() as u64;
        let results = index.search(&WorkQuery::new(), scope, &muted).unwrap();
        let (shown, hidden) = if muted_creator { (0, admitted) } else { (admitted, 0) };
        prop_assert_eq!(results.total, shown);
        prop_assert_eq!(results.ids.len() as u64, shown);
        prop_assert_eq!(results.hidden_by_mutes, hidden);
        let fandom = results.facets.of(TagKind::Fandom).first().map_or(0, |c| c.works);
        prop_assert_eq!(fandom, shown);
        for id in &results.ids {
            let w = works.iter().find(|w| w.id == *id).unwrap();
            prop_assert!(scope.admits(w, &viewer));
        }
    }
}
