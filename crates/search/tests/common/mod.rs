//! A small archive seeded in a real SQLite store, indexed in a real tantivy index in a temp
//! dir, and an oracle: the same filters evaluated in plain Rust on the works themselves.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;

use chrono::NaiveDate;
use quire_core::visibility::ListingScope;
use quire_core::work::{NewChapter, NewSource, NewWork};
use quire_core::{ArchiveWarning, Category, Rating, TagKind, UserId, Viewer, Work, WorkStats};
use quire_search::graph::tag_key;
use quire_search::query::PER_PAGE;
use quire_search::{Crossover, Direction, MutedSet, SearchIndex, SortField, TagGraph, WorkQuery};
use quire_store::NewUser;
use quire_store::testing::TestDb;

pub const WORKS: usize = 40;
pub const CREATORS: [&str; 3] = ["Alice Marlowe", "bob", "Carol Vance"];

pub struct Archive {
    pub db: TestDb,
    pub index: SearchIndex,
    pub dir: tempfile::TempDir,
    pub works: Vec<Work>,
    pub users: Vec<UserId>,
    pub graph: TagGraph,
}

/// The wrangling the archive is indexed with.
pub fn graph() -> TagGraph {
    let mut g = TagGraph::new();
    g.add_synonym("Tidewater (TV)", "Tidewater")
        .add_meta("Coastal Universe", "Tidewater")
        .add_meta("Coastal Universe", "Sunhollow")
        .add_meta("Hurt/Comfort", "Whump")
        .add_parent("Tidewater", "Mira Quell");
    g
}

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(n as u64 * 3)
}

/// The i-th work: every attribute cycles with a different period, so filters cut the
/// archive in different places.
pub fn new_work(i: usize, creator: i64) -> NewWork {
    let fandoms: Vec<&str> = match i % 4 {
        0 => vec!["Sunhollow"],
        1 => vec!["Tidewater"],
        2 => vec!["Tidewater (TV)"],
        _ => vec!["Sunhollow", "Tidewater"],
    };
    let mut tags: Vec<(TagKind, String)> = fandoms
        .iter()
        .map(|f| (TagKind::Fandom, (*f).to_owned()))
        .collect();
    tags.push((
        TagKind::Relationship,
        ["Mira Quell/Tomas Ardent", "Ines/Odo"][i % 2].into(),
    ));
    tags.push((
        TagKind::Character,
        ["Mira Quell", "Tomas Ardent", "Ines"][i % 3].into(),
    ));
    tags.push((
        TagKind::Freeform,
        ["Fluff", "Whump", "Hurt/Comfort", "Angst", "Slow Burn"][i % 5].into(),
    ));
    let words = (i + 1) * 37 % 500 + 10;
    let content = format!(
        "<p>{} {}</p>",
        ["tide", "lantern", "orchard"][i % 3],
        "word ".repeat(words - 1)
    );
    NewWork {
        title: format!(
            "{} {i}",
            ["Salt", "ember", "Quiet Harbor", "Orchard"][i % 4]
        ),
        creators: vec![creator],
        rating: Rating::ALL[i % Rating::ALL.len()],
        warnings: match i % 3 {
            0 => vec![ArchiveWarning::NoneApply],
            1 => vec![ArchiveWarning::GraphicViolence],
            _ => vec![
                ArchiveWarning::CreatorChoseNotToUse,
                ArchiveWarning::MajorCharacterDeath,
            ],
        },
        categories: vec![Category::ALL[i % Category::ALL.len()]],
        tags,
        language: if i % 6 == 5 { "fr".into() } else { "en".into() },
        summary: Some(format!(
            "<p>A story about {} &amp; more.</p>",
            ["a lighthouse", "the sea", "old letters", "a storm"][i % 4]
        )),
        notes: None,
        end_notes: None,
        expected_chapters: Some(1),
        complete: i.is_multiple_of(2),
        published: Some(day(i)),
        updated: Some(day(i) + chrono::Days::new((i % 5) as u64 * 40)),
        posted: i % 10 != 7,
        restricted: i % 10 == 3,
        stats: WorkStats {
            hits: (i as i64 * 100) % 1300,
            kudos: (i as i64 * 7) % 23,
            comments: i as i64 % 5,
            bookmarks: (i as i64 * 3) % 11,
        },
        chapters: vec![NewChapter::posted(&content)],
        series: vec![],
        source: i.is_multiple_of(7).then(|| NewSource {
            archive: "Old Archive".into(),
            path: format!("stories/{i}.txt"),
            original_id: None,
            content_hash: format!("h{i}"),
            fields: vec![],
            original_rating: None,
        }),
    }
}

pub async fn archive() -> Archive {
    let db = TestDb::sqlite().await;
    let mut users = Vec::new();
    let mut pseuds = Vec::new();
    for name in CREATORS {
        let user = db
            .store
            .create_user(&NewUser {
                login: quire_core::user::login_slug(name),
                pseuds: vec![name.to_owned()],
                ..NewUser::default()
            })
            .await
            .unwrap();
        pseuds.push(db.store.pseuds_of(user.id).await.unwrap()[0].id);
        users.push(user.id);
    }
    let new: Vec<NewWork> = (0..WORKS).map(|i| new_work(i, pseuds[i % 3])).collect();
    let ids = db.store.insert_works(&new).await.unwrap();
    let works = db.store.works(&ids).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(&dir.path().join("search-index")).unwrap();
    index.set_tag_graph(graph());
    quire_search::follow::follow(&index, &*db.store)
        .await
        .unwrap();
    Archive {
        db,
        index,
        dir,
        works,
        users,
        graph: graph(),
    }
}

pub fn member() -> Viewer {
    Viewer {
        user: Some(999),
        ..Viewer::GUEST
    }
}

/// The names a work is filed under, per kind, as the oracle sees them.
fn filed_under(work: &Work, kind: TagKind, graph: &TagGraph) -> Vec<String> {
    work.tags_of(kind)
        .flat_map(|t| graph.filter_tags(&t.name))
        .collect()
}

fn filed(work: &Work, kind: TagKind, name: &str, graph: &TagGraph) -> bool {
    let wanted = tag_key(graph.canonical(name));
    filed_under(work, kind, graph)
        .iter()
        .any(|n| tag_key(n) == wanted)
}

pub fn is_muted(work: &Work, muted: &MutedSet, graph: &TagGraph) -> bool {
    muted.creators.iter().any(|u| work.is_created_by(*u))
        || muted
            .tags
            .iter()
            .any(|m| TagKind::ALL.iter().any(|k| filed(work, *k, m, graph)))
}

/// The oracle: does `work` match the query's filters (not its text)?
pub fn matches(work: &Work, q: &WorkQuery, graph: &TagGraph) -> bool {
    let fandoms: std::collections::HashSet<String> = work
        .tags_of(TagKind::Fandom)
        .map(|t| tag_key(graph.canonical(&t.name)))
        .collect();
    let crossover_ok = match q.crossover {
        Crossover::Include => true,
        Crossover::Exclude => fandoms.len() <= 1,
        Crossover::Only => fandoms.len() > 1,
    };
    let words = work.word_count as u64;
    q.include.iter().all(|(k, n)| filed(work, *k, n, graph))
        && !q.exclude.iter().any(|(k, n)| filed(work, *k, n, graph))
        && crossover_ok
        && q.complete.is_none_or(|c| work.complete == c)
        && q.words_from.is_none_or(|n| words >= n)
        && q.words_to.is_none_or(|n| words <= n)
        && q.posted_from
            .is_none_or(|d| work.published.is_some_and(|p| p >= d))
        && q.posted_to
            .is_none_or(|d| work.published.is_some_and(|p| p <= d))
        && q.updated_from
            .is_none_or(|d| work.updated.is_some_and(|u| u >= d))
        && q.updated_to
            .is_none_or(|d| work.updated.is_some_and(|u| u <= d))
        && q.language
            .as_ref()
            .is_none_or(|l| tag_key(l) == tag_key(&work.language))
        && q.archive.as_ref().is_none_or(|a| {
            work.source
                .as_ref()
                .is_some_and(|s| tag_key(&s.archive) == tag_key(a))
        })
}

/// The works (ids, in order) and total the index should answer for a query without text.
pub fn expected(
    works: &[Work],
    q: &WorkQuery,
    viewer: &Viewer,
    muted: &MutedSet,
    graph: &TagGraph,
) -> (Vec<i64>, u64, u64) {
    let scope = ListingScope::for_viewer(viewer);
    let visible: Vec<&Work> = works
        .iter()
        .filter(|w| scope.admits(w, viewer) && matches(w, q, graph))
        .collect();
    let hidden = visible.iter().filter(|w| is_muted(w, muted, graph)).count() as u64;
    let mut listed: Vec<&Work> = visible
        .into_iter()
        .filter(|w| !is_muted(w, muted, graph))
        .collect();
    listed.sort_by(|a, b| {
        let ord = sort_key(a, q.effective_sort()).cmp(&sort_key(b, q.effective_sort()));
        let ord = ord.then(a.id.cmp(&b.id));
        match q.effective_direction() {
            Direction::Ascending => ord,
            Direction::Descending => ord.reverse(),
        }
    });
    let total = listed.len() as u64;
    let page: Vec<i64> = listed
        .iter()
        .skip(q.offset())
        .take(PER_PAGE as usize)
        .map(|w| w.id)
        .collect();
    (page, total, hidden)
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Text(String),
    Number(i64),
}

pub fn sort_key(w: &Work, sort: SortField) -> Key {
    match sort {
        SortField::Author => Key::Text(w.creators[0].name.to_lowercase()),
        SortField::Title => Key::Text(w.title.to_lowercase()),
        // The corpus's works all have dates.
        SortField::Posted => Key::Number(w.published.map_or(0, |d| d.num_days_from_ce_i64())),
        SortField::Updated | SortField::BestMatch => {
            Key::Number(w.updated.map_or(0, |d| d.num_days_from_ce_i64()))
        }
        SortField::Words => Key::Number(w.word_count),
        SortField::Hits => Key::Number(w.stats.hits),
        SortField::Kudos => Key::Number(w.stats.kudos),
        SortField::Comments => Key::Number(w.stats.comments),
        SortField::Bookmarks => Key::Number(w.stats.bookmarks),
    }
}

trait Days {
    fn num_days_from_ce_i64(&self) -> i64;
}
impl Days for NaiveDate {
    fn num_days_from_ce_i64(&self) -> i64 {
        i64::from(chrono::Datelike::num_days_from_ce(self))
    }
}

/// Facet counts the oracle expects: per kind, names (synonyms left out) → listed works.
pub fn expected_facets(
    works: &[Work],
    q: &WorkQuery,
    viewer: &Viewer,
    muted: &MutedSet,
    graph: &TagGraph,
) -> HashMap<(TagKind, String), u64> {
    let scope = ListingScope::for_viewer(viewer);
    let mut counts = HashMap::new();
    for w in works
        .iter()
        .filter(|w| scope.admits(w, viewer) && matches(w, q, graph) && !is_muted(w, muted, graph))
    {
        for kind in TagKind::ALL {
            let mut names = filed_under(w, kind, graph);
            names.retain(|n| !graph.is_synonym(n));
            names.sort();
            names.dedup();
            for n in names {
                *counts.entry((kind, n)).or_default() += 1;
            }
        }
    }
    counts
}
