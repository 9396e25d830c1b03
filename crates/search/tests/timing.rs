//! A rough latency figure on a real index: `QUIRE_SEARCH_TIMING_DIR=<data>/search-index
//! cargo test -p quire-search --test timing -- --ignored --nocapture` after `quire seed` and
//! `quire reindex`. Ignored by default: it needs a seeded archive.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use quire_core::TagKind;
use quire_core::visibility::ListingScope;
use quire_search::params::parse;
use quire_search::{MutedSet, SearchIndex, WorkQuery};

#[test]
#[ignore = "needs QUIRE_SEARCH_TIMING_DIR: a seeded, reindexed archive"]
fn timing_of_typical_queries() {
    let dir = std::env::var("QUIRE_SEARCH_TIMING_DIR").unwrap();
    let (index, _) = SearchIndex::open(std::path::Path::new(&dir)).unwrap();
    let guest = ListingScope {
        include_restricted: false,
    };
    let start = Instant::now();
    let all = index
        .search(&WorkQuery::new(), guest, &MutedSet::default())
        .unwrap();
    println!(
        "everything, first count: {:.1} ms over {} segments",
        start.elapsed().as_secs_f64() * 1000.0,
        index.segments()
    );
    let top = |kind: TagKind, n: usize| -> Vec<String> {
        all.facets
            .of(kind)
            .iter()
            .take(n)
            .map(|c| c.name.clone())
            .collect()
    };
    let fandom = &top(TagKind::Fandom, 1)[0];
    let freeforms = top(TagKind::Freeform, 10);
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let muted = MutedSet {
        tags: freeforms[5..].to_vec(),
        creators: vec![],
    };
    let queries = [
        ("everything, updated", String::new()),
        (
            "biggest fandom by kudos",
            format!("fandom={}&sort=kudos", enc(fandom)),
        ),
        (
            "fandom + 3 include + 2 exclude",
            format!(
                "fandom={}&freeform={}&freeform={}&not_freeform={}&not_freeform={}&complete=true",
                enc(fandom),
                enc(&freeforms[0]),
                enc(&freeforms[1]),
                enc(&freeforms[2]),
                enc(&freeforms[3])
            ),
        ),
        (
            "full text + rating",
            "q=love+storm&rating=Explicit".to_owned(),
        ),
        (
            "title words + rating",
            "q=kingdom+shore&rating=Explicit".to_owned(),
        ),
        ("page 500", "page=500".to_owned()),
        ("title sort page 100", "sort=title&page=100".to_owned()),
    ];
    println!("{} works listed for guests", all.total);
    for (name, qs) in &queries {
        let q = parse(qs).unwrap();
        for (who, mutes) in [("guest", MutedSet::default()), ("5 mutes", muted.clone())] {
            let mut times = Vec::new();
            let mut total = 0;
            for _ in 0..20 {
                let start = Instant::now();
                total = index.search(&q, guest, &mutes).unwrap().total;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            // The first run counts the result set; the others reuse its counts.
            let first = times.remove(0);
            times.sort_by(f64::total_cmp);
            println!(
                "{name:32} {who:8} {total:>7} works  first {first:6.1} ms  then p50 {:6.1} ms  max {:6.1} ms",
                times[9], times[18]
            );
        }
    }
    for run in ["first", "then"] {
        let start = Instant::now();
        let fandoms = index.tag_directory(TagKind::Fandom, guest).unwrap().len();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("fandom directory ({fandoms} fandoms) {run:5} {ms:6.1} ms");
    }
}
