//! The query string of a `WorkQuery`: exact round trips, clear refusals, no panics.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use proptest::prelude::*;
use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_search::params::{MAX_QUERY_BYTES, parse, serialize};
use quire_search::query::{MAX_PAGE, MAX_WORDS};
use quire_search::{Crossover, Direction, QueryError, SortField, WorkQuery};

#[test]
fn the_plain_listing_is_the_empty_query_string() {
    assert_eq!(parse("").unwrap(), WorkQuery::new());
    assert_eq!(serialize(&WorkQuery::new()), "");
}

#[test]
fn every_parameter_is_read() {
    let q = parse(
        "q=sea+glass&body=true&fandom=Tidewater&fandom=Sunhollow&not_freeform=Angst\
         &rating=explicit&not_warning=Major+Character+Death&category=F%2FM\
         &relationship=Mira%2FTomas&character=Ines&crossover=only&complete=false\
         &words_from=1000&words_to=5000&posted_from=2020-01-01&posted_to=2021-12-31\
         &updated_from=2020-02-01&updated_to=2022-01-01&language=en&archive=Old+Archive\
         &sort=kudos&order=asc&page=3",
    )
    .unwrap();
    assert_eq!(q.text.as_deref(), Some("sea glass"));
    assert!(q.chapter_text);
    assert_eq!(
        q.include,
        [
            (TagKind::Fandom, "Tidewater".to_owned()),
            (TagKind::Fandom, "Sunhollow".to_owned()),
            (TagKind::Rating, "Explicit".to_owned()),
            (TagKind::Category, "F/M".to_owned()),
            (TagKind::Relationship, "Mira/Tomas".to_owned()),
            (TagKind::Character, "Ines".to_owned()),
        ]
    );
    assert_eq!(
        q.exclude,
        [
            (TagKind::Freeform, "Angst".to_owned()),
            (TagKind::ArchiveWarning, "Major Character Death".to_owned()),
        ]
    );
    assert_eq!(q.crossover, Crossover::Only);
    assert_eq!(q.complete, Some(false));
    assert_eq!((q.words_from, q.words_to), (Some(1000), Some(5000)));
    assert_eq!(q.posted_from, NaiveDate::from_ymd_opt(2020, 1, 1));
    assert_eq!(q.updated_to, NaiveDate::from_ymd_opt(2022, 1, 1));
    assert_eq!(q.language.as_deref(), Some("en"));
    assert_eq!(q.archive.as_deref(), Some("Old Archive"));
    assert_eq!(q.sort, Some(SortField::Kudos));
    assert_eq!(q.direction, Some(Direction::Ascending));
    assert_eq!(q.page, 3);
    assert_eq!(parse(&serialize(&q)).unwrap(), q);
}

#[test]
fn blank_form_fields_are_ignored() {
    let q = parse("q=&fandom=&not_character=+&words_from=&sort=&page=").unwrap();
    assert_eq!(q, WorkQuery::new());
}

#[test]
fn unknown_parameters_are_refused_by_name() {
    let err = parse("fandom=X&colour=blue&work_search%5Bquery%5D=y&colour=red").unwrap_err();
    assert_eq!(
        err,
        QueryError::UnknownParameters {
            names: vec!["colour".into(), "work_search[query]".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown search parameters: colour, work_search[query]"
    );
}

#[test]
fn a_single_parameter_given_twice_is_refused() {
    assert_eq!(
        parse("sort=kudos&sort=hits").unwrap_err(),
        QueryError::Repeated("sort".into())
    );
}

#[test]
fn including_and_excluding_the_same_tag_is_a_contradiction() {
    let err = parse("freeform=Fluff&not_freeform=fluff").unwrap_err();
    assert_eq!(err.code(), "query_contradiction");
    assert_eq!(
        err.to_string(),
        "contradictory filters: the tag `Fluff` is both included and excluded"
    );
}

#[test]
fn reversed_ranges_are_contradictions() {
    for qs in [
        "words_from=500&words_to=100",
        "posted_from=2021-01-01&posted_to=2020-01-01",
        "updated_from=2021-01-01&updated_to=2020-01-01",
    ] {
        assert_eq!(parse(qs).unwrap_err().code(), "query_contradiction", "{qs}");
    }
}

#[test]
fn out_of_range_numbers_are_refused() {
    for qs in [
        "page=0".to_owned(),
        format!("page={}", MAX_PAGE + 1),
        "page=99999999999999999999999".to_owned(),
        format!("words_to={}", MAX_WORDS + 1),
        "words_from=184467440737095516160".to_owned(),
    ] {
        assert_eq!(parse(&qs).unwrap_err().code(), "query_out_of_range", "{qs}");
    }
}

#[test]
fn malformed_values_say_what_was_expected() {
    let cases = [
        ("words_from=-5", "`words_from=-5`: expected a whole number"),
        ("page=two", "`page=two`: expected a whole number"),
        (
            "posted_from=2020-13-01",
            "`posted_from=2020-13-01`: expected a date as YYYY-MM-DD",
        ),
        (
            "sort=rating",
            "`sort=rating`: expected best, author, title, posted, updated, words, hits, kudos, comments or bookmarks",
        ),
        (
            "crossover=maybe",
            "`crossover=maybe`: expected include, exclude or only",
        ),
        (
            "complete=perhaps",
            "`complete=perhaps`: expected true or false",
        ),
        (
            "rating=Adult",
            "`rating=Adult`: expected one of AO3's names for it",
        ),
    ];
    for (qs, message) in cases {
        let err = parse(qs).unwrap_err();
        assert_eq!(err.code(), "query_invalid_value", "{qs}");
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn a_ten_kilobyte_query_string_is_refused() {
    let qs = format!("q={}", "a".repeat(10 * 1024));
    assert_eq!(
        parse(&qs).unwrap_err(),
        QueryError::TooLong {
            len: qs.len(),
            max: MAX_QUERY_BYTES
        }
    );
}

#[test]
fn too_many_tag_filters_are_refused() {
    let qs: Vec<String> = (0..65).map(|i| format!("freeform=t{i}")).collect();
    assert_eq!(
        parse(&qs.join("&")).unwrap_err().code(),
        "query_too_many_tags"
    );
}

#[test]
fn over_long_tags_and_text_are_refused() {
    assert_eq!(
        parse(&format!("fandom={}", "x".repeat(151)))
            .unwrap_err()
            .code(),
        "query_out_of_range"
    );
    assert_eq!(
        parse(&format!("q={}", "x ".repeat(600)))
            .unwrap_err()
            .code(),
        "query_out_of_range"
    );
}

#[test]
fn tantivy_syntax_is_just_text_to_the_parser() {
    let q = parse("q=%22(((%5B&fandom=title%3A*~%5E2").unwrap();
    assert_eq!(q.text.as_deref(), Some("\"(((["));
    assert_eq!(q.include, [(TagKind::Fandom, "title:*~^2".to_owned())]);
    assert_eq!(parse(&serialize(&q)).unwrap(), q);
}

fn name() -> impl Strategy<Value = String> {
    // Any characters, trimmed, non-empty: the shape parse leaves a name in.
    "[^\\s]([^\\u{0}-\\u{1f}]{0,30}[^\\s])?".prop_filter("trimmed", |s| s.trim() == s)
}

fn tag() -> impl Strategy<Value = (TagKind, String)> {
    prop_oneof![
        prop::sample::select(Rating::ALL).prop_map(|r| (TagKind::Rating, r.name().to_owned())),
        prop::sample::select(ArchiveWarning::ALL)
            .prop_map(|w| (TagKind::ArchiveWarning, w.name().to_owned())),
        prop::sample::select(Category::ALL).prop_map(|c| (TagKind::Category, c.name().to_owned())),
        (
            prop::sample::select(vec![
                TagKind::Fandom,
                TagKind::Relationship,
                TagKind::Character,
                TagKind::Freeform
            ]),
            name()
        ),
    ]
}

fn day() -> impl Strategy<Value = NaiveDate> + Clone {
    (1i32..=9999, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn range<T>(s: T) -> impl Strategy<Value = (Option<T::Value>, Option<T::Value>)>
where
    T: Strategy + Clone,
    T::Value: PartialOrd + Clone,
{
    (proptest::option::of(s.clone()), proptest::option::of(s)).prop_map(|(a, b)| match (a, b) {
        (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
        other => other,
    })
}

prop_compose! {
    fn work_query()(
        text in proptest::option::of(name()),
        chapter_text in any::<bool>(),
        include in prop::collection::vec(tag(), 0..6),
        exclude in prop::collection::vec(tag(), 0..6),
        crossover in prop::sample::select(Crossover::ALL.to_vec()),
        complete in proptest::option::of(any::<bool>()),
        words in range(0..=MAX_WORDS),
        posted in range(day()),
        updated in range(day()),
        language in proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
        archive in proptest::option::of(name()),
        sort in proptest::option::of(prop::sample::select(SortField::ALL.to_vec())),
        direction in proptest::option::of(prop::sample::select(vec![Direction::Ascending, Direction::Descending])),
        page in 1..=MAX_PAGE,
    ) -> WorkQuery {
        let exclude = exclude
            .into_iter()
            .filter(|(k, n)| !include.iter().any(|(ik, i)| ik == k && i.to_lowercase() == n.to_lowercase()))
            .collect();
        WorkQuery {
            text, chapter_text, include, exclude, crossover, complete,
            words_from: words.0, words_to: words.1,
            posted_from: posted.0, posted_to: posted.1,
            updated_from: updated.0, updated_to: updated.1,
            language, archive, creator: None, sort, direction, page,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_valid_query_round_trips(q in work_query()) {
        prop_assert_eq!(q.validate(), Ok(()));
        let qs = serialize(&q);
        prop_assert_eq!(parse(&qs), Ok(q.clone()));
        prop_assert_eq!(serialize(&parse(&qs).unwrap()), qs);
    }

    #[test]
    fn any_string_is_parsed_or_refused_without_panic(s in ".{0,300}") {
        let _ = parse(&s);
    }

    #[test]
    fn any_parameter_soup_is_parsed_or_refused_without_panic(
        pairs in prop::collection::vec(
            (prop::sample::select(vec!["q", "page", "sort", "order", "fandom", "not_fandom",
                "rating", "words_from", "words_to", "posted_from", "complete", "crossover", "x"]),
             ".{0,20}"),
            0..12)
    ) {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            s.append_pair(k, v);
        }
        if let Ok(q) = parse(&s.finish()) {
            prop_assert_eq!(parse(&serialize(&q)), Ok(q));
        }
    }
}
