//! Running a [`WorkQuery`]: the tantivy query built from it (never parsed from user text), the
//! visibility rule and the reader's mutes applied, one page of ids, the total and the facets.

use std::ops::Bound;

use quire_core::visibility::ListingScope;
use quire_core::{TagKind, UserId, WorkId};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Order, Searcher, Term};

use crate::error::Result;
use crate::facets::{FacetCollector, Facets};
use crate::graph::{TagGraph, tag_key};
use crate::index::SearchIndex;
use crate::query::{Crossover, Direction, PER_PAGE, SortField, WorkQuery};
use crate::schema::{Fields, day_number, kind_index, sort};
use crate::string_sort::TopByString;
use crate::tallies::{Tally, TallyKey};

/// Tags listed per kind in facet counts.
pub const FACET_LIMIT: usize = 10;
/// Words of the search box that count; the rest are ignored.
const MAX_TERMS: usize = 32;
/// Title words weigh more than summary or tag words for best match.
const TITLE_BOOST: f32 = 3.0;

/// A reader's blacklist: works carrying one of these tags (or a tag wrangled under one), or
/// by one of these creators, are left out of results and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MutedSet {
    /// Tag names, any kind, any case.
    pub tags: Vec<String>,
    pub creators: Vec<UserId>,
}

impl MutedSet {
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.creators.is_empty()
    }
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    /// The page's works, in order.
    pub ids: Vec<WorkId>,
    /// Matching works the viewer may see, mutes left out.
    pub total: u64,
    pub facets: Facets,
    /// Matching works the viewer may see that their mutes hide ("N works hidden by your
    /// filters").
    pub hidden_by_mutes: u64,
}

impl SearchIndex {
    /// Runs `query` for a viewer whose listings follow `scope`, leaving out `muted` works.
    /// The query is assumed valid ([`WorkQuery::validate`]); a page past the results is empty.
    pub fn search(
        &self,
        query: &WorkQuery,
        scope: ListingScope,
        muted: &MutedSet,
    ) -> Result<Results> {
        let graph = self
            .graph
            .read()
            .map_err(|_| crate::error::SearchError::Io {
                path: String::new(),
                source: std::io::Error::other("tag graph lock poisoned"),
            })?;
        let f = &self.fields;
        let mut clauses = visibility(f, scope);
        clauses.extend(filters(f, query, &graph));
        if let Some(text) = &query.text {
            clauses.push((Occur::Must, self.text_query(text, query.chapter_text)?));
        }
        let mute = mute_query(f, muted, &graph);
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = TallyKey::new(query, scope, muted);
        let kept = self.tallies.get(generation, &key);

        let hidden_by_mutes = match (&mute, &kept) {
            (_, Some(tally)) => tally.hidden_by_mutes,
            (Some(mute), None) => {
                let mut hidden = clone_clauses(&clauses);
                hidden.push((Occur::Must, mute.box_clone()));
                searcher.search(&BooleanQuery::new(hidden), &Count)? as u64
            }
            (None, None) => 0,
        };
        if let Some(mute) = mute {
            clauses.push((Occur::MustNot, mute));
        }
        let visible = BooleanQuery::new(clauses);
        let (ids, counted) = page(&searcher, &visible, query, kept.is_none())?;
        let tally = match (kept, counted) {
            (Some(tally), _) => tally,
            (None, Some((total, facets))) => {
                let tally = Tally {
                    total,
                    facets,
                    hidden_by_mutes,
                };
                self.tallies.keep(generation, key, tally.clone());
                tally
            }
            (None, None) => Tally {
                total: 0,
                facets: Facets::default(),
                hidden_by_mutes,
            },
        };
        Ok(Results {
            ids,
            total: tally.total,
            facets: tally.facets,
            hidden_by_mutes: tally.hidden_by_mutes,
        })
    }

    /// The search box as plain words: each word (as the text fields tokenize it) must appear
    /// in the title, the summary/notes/tags/creators, or the chapter text when asked. Nothing of
    /// the input is read as query syntax; input without words matches nothing.
    pub(crate) fn text_query(&self, text: &str, chapter_text: bool) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut analyzer = self.index.tokenizer_for_field(f.title)?;
        let mut words: Vec<String> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() && words.len() < MAX_TERMS {
            let word = stream.token().text.clone();
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut fields: Vec<(Field, f32)> = vec![(f.title, TITLE_BOOST), (f.meta_text, 1.0)];
        if chapter_text {
            fields.push((f.body, 1.0));
        }
        let per_word = words
            .iter()
            .map(|word| {
                let any_field = fields
                    .iter()
                    .map(|(field, boost)| {
                        let term = TermQuery::new(
                            Term::from_field_text(*field, word),
                            IndexRecordOption::WithFreqs,
                        );
                        let q: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), *boost));
                        (Occur::Should, q)
                    })
                    .collect();
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(any_field));
                (Occur::Must, q)
            })
            .collect();
        Ok(Box::new(BooleanQuery::new(per_word)))
    }
}

pub(crate) type Clauses = Vec<(Occur, Box<dyn Query>)>;

fn clone_clauses(clauses: &Clauses) -> Clauses {
    clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect()
}

/// A filter: matches or not, adds nothing to the best-match score.
fn filter(q: impl Query) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(q), 0.0))
}

pub(crate) fn term(t: Term) -> Box<dyn Query> {
    filter(TermQuery::new(t, IndexRecordOption::Basic))
}

/// [`ListingScope`] as one index term: the work met every `LISTING_CONDITIONS` for this scope
/// when it was indexed. `scope_matches_listing_scope` in the tests holds this to
/// `ListingScope::admits`.
fn visibility(f: &Fields, scope: ListingScope) -> Clauses {
    let field = f.listed[usize::from(scope.include_restricted)];
    vec![(Occur::Must, term(Term::from_field_bool(field, true)))]
}

fn tag_term(f: &Fields, graph: &TagGraph, kind: TagKind, name: &str) -> Term {
    Term::from_field_text(f.tags[kind_index(kind)], &tag_key(graph.canonical(name)))
}

pub(crate) fn filters(f: &Fields, q: &WorkQuery, graph: &TagGraph) -> Clauses {
    let mut clauses: Clauses = Vec::new();
    for (kind, name) in &q.include {
        clauses.push((Occur::Must, term(tag_term(f, graph, *kind, name))));
    }
    for (kind, name) in &q.exclude {
        clauses.push((Occur::MustNot, term(tag_term(f, graph, *kind, name))));
    }
    let crossovers = || {
        filter(RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.fandom_count, 2)),
            Bound::Unbounded,
        ))
    };
    match q.crossover {
        Crossover::Include => {}
        Crossover::Exclude => clauses.push((Occur::MustNot, crossovers())),
        Crossover::Only => clauses.push((Occur::Must, crossovers())),
    }
    if let Some(complete) = q.complete {
        clauses.push((
            Occur::Must,
            term(Term::from_field_bool(f.complete, complete)),
        ));
    }
    if q.words_from.is_some() || q.words_to.is_some() {
        let bound = |n: Option<u64>| {
            n.map_or(Bound::Unbounded, |n| {
                Bound::Included(Term::from_field_u64(f.words, n))
            })
        };
        let range = RangeQuery::new(bound(q.words_from), bound(q.words_to));
        clauses.push((Occur::Must, filter(range)));
    }
    for (field, from, to) in [
        (f.posted_day, q.posted_from, q.posted_to),
        (f.updated_day, q.updated_from, q.updated_to),
    ] {
        if from.is_none() && to.is_none() {
            continue;
        }
        let bound = |d: Option<chrono::NaiveDate>| {
            d.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(field, day_number(d)))
            })
        };
        clauses.push((Occur::Must, filter(RangeQuery::new(bound(from), bound(to)))));
    }
    if let Some(language) = &q.language {
        clauses.push((
            Occur::Must,
            term(Term::from_field_text(f.language, &tag_key(language))),
        ));
    }
    if let Some(archive) = &q.archive {
        clauses.push((
            Occur::Must,
            term(Term::from_field_text(f.archive, &tag_key(archive))),
        ));
    }
    if let Some(user) = q.creator {
        let user = u64::try_from(user).unwrap_or(u64::MAX);
        clauses.push((Occur::Must, term(Term::from_field_u64(f.creator, user))));
    }
    clauses
}

/// Any muted tag (of any kind, through wrangling) or muted creator; `None` without mutes.
fn mute_query(f: &Fields, muted: &MutedSet, graph: &TagGraph) -> Option<Box<dyn Query>> {
    if muted.is_empty() {
        return None;
    }
    let mut any: Clauses = Vec::new();
    for name in &muted.tags {
        for kind in TagKind::ALL {
            any.push((Occur::Should, term(tag_term(f, graph, kind, name))));
        }
    }
    for user in &muted.creators {
        let user = u64::try_from(*user).unwrap_or(0);
        any.push((Occur::Should, term(Term::from_field_u64(f.creator, user))));
    }
    Some(Box::new(BooleanQuery::new(any)))
}

/// The page of ids and, when `count` asks for them, the total and the facets, in one pass
/// over the matches.
fn page(
    searcher: &Searcher,
    query: &dyn Query,
    q: &WorkQuery,
    count: bool,
) -> Result<(Vec<WorkId>, Counted)> {
    let top = || TopDocs::with_limit(PER_PAGE as usize).and_offset(q.offset());
    let order = match q.effective_direction() {
        Direction::Ascending => Order::Asc,
        Direction::Descending => Order::Desc,
    };
    // Ties (same kudos, same title) go by work id in the same direction, so pages never
    // overlap or skip.
    let id = (SortByStaticFastValue::<u64>::for_field(sort::ID), order);
    let u64_field = |name: &str| {
        top().order_by((
            (SortByStaticFastValue::<u64>::for_field(name), order),
            id.clone(),
        ))
    };
    let run = Run {
        searcher,
        query,
        count,
    };
    let (docs, counted) = match q.effective_sort() {
        SortField::BestMatch => {
            run.collect(top().order_by(((SortBySimilarityScore, order), id.clone())))?
        }
        SortField::Author => run.collect(by_string(sort::AUTHOR, order, q.offset()))?,
        SortField::Title => run.collect(by_string(sort::TITLE, order, q.offset()))?,
        // The day and the id in one column (`schema::day_order`): ties by id come with it.
        SortField::Posted => run.collect(by_order(top(), sort::POSTED_ORDER, order))?,
        SortField::Updated => run.collect(by_order(top(), sort::UPDATED_ORDER, order))?,
        SortField::Words => run.collect(u64_field(sort::WORDS))?,
        SortField::Hits => run.collect(u64_field(sort::HITS))?,
        SortField::Kudos => run.collect(u64_field(sort::KUDOS))?,
        SortField::Comments => run.collect(u64_field(sort::COMMENTS))?,
        SortField::Bookmarks => run.collect(u64_field(sort::BOOKMARKS))?,
    };
    let mut ids = Vec::with_capacity(docs.len());
    for doc in docs {
        let column = searcher
            .segment_reader(doc.segment_ord)
            .fast_fields()
            .u64(sort::ID)?;
        if let Some(id) = column.first(doc.doc_id) {
            ids.push(i64::try_from(id).unwrap_or(0));
        }
    }
    Ok((ids, counted))
}

fn by_order(
    top: TopDocs,
    field: &str,
    order: Order,
) -> impl Collector<Fruit = Vec<(Option<u64>, DocAddress)>> {
    top.order_by((SortByStaticFastValue::<u64>::for_field(field), order))
}

fn by_string(field: &str, order: Order, offset: usize) -> TopByString {
    TopByString::new(field, order, offset, PER_PAGE as usize)
}

/// The total and the facets of a result set, when the search counted them.
type Counted = Option<(u64, Facets)>;

/// One search of a page, with or without counting the matches.
struct Run<'a> {
    searcher: &'a Searcher,
    query: &'a dyn Query,
    count: bool,
}

impl Run<'_> {
    fn collect<K: 'static>(
        &self,
        top: impl Collector<Fruit = Vec<(K, DocAddress)>>,
    ) -> Result<(Vec<DocAddress>, Counted)> {
        let addresses = |docs: Vec<(K, DocAddress)>| docs.into_iter().map(|(_, doc)| doc).collect();
        if !self.count {
            return Ok((addresses(self.searcher.search(self.query, &top)?), None));
        }
        let segments = self.searcher.segment_readers().len();
        let (docs, total, facets) = self.searcher.search(
            self.query,
            &(top, Count, FacetCollector::new(FACET_LIMIT, segments)),
        )?;
        Ok((addresses(docs), Some((total as u64, facets))))
    }
}
