//! What tag pages and the fandom directory ask the index besides a [`crate::WorkQuery`]: which
//! kind a tag is and how its name is written, every tag of a kind with its work count, and
//! the wrangling the index files works under.

use std::sync::Arc;

use quire_core::TagKind;
use quire_core::visibility::ListingScope;
use tantivy::collector::TopDocs;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::error::{Result, SearchError};
use crate::facets::{FacetCollector, FacetCount};
use crate::graph::{TagGraph, tag_key};
use crate::index::SearchIndex;
use crate::schema::kind_index;

/// A tag the index knows, found by any spelling of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundTag {
    pub kind: TagKind,
    /// The tag's name as works write it; for a synonym, its canonical tag's name.
    pub name: String,
    /// The name asked for, when it is a synonym of [`FoundTag::name`].
    pub synonym: Option<String>,
}

impl SearchIndex {
    /// The kind and written name of the tag called `name` (any case), resolved to its canonical
    /// tag; `None` when no indexed work is filed under it. Visibility is not applied: callers
    /// run the listing for their viewer and treat an empty one as "no such tag".
    pub fn find_tag(&self, name: &str) -> Result<Option<FoundTag>> {
        let (canonical, synonym) = self.with_graph(|g| {
            let synonym = g.is_synonym(name).then(|| name.trim().to_owned());
            (g.canonical(name).to_owned(), synonym)
        })?;
        let key = tag_key(&canonical);
        let searcher = self.reader.searcher();
        for kind in TagKind::ALL {
            let term = Term::from_field_text(self.fields.tags[kind_index(kind)], &key);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let Some(doc) = first_doc(&searcher, &query)? else {
                continue;
            };
            let written = written_name(&searcher, doc, kind, &key)?;
            return Ok(Some(FoundTag {
                kind,
                name: written.unwrap_or(canonical),
                synonym,
            }));
        }
        Ok(None)
    }

    /// Every tag of `kind` (synonyms under their canonical tag) with the number of works
    /// listed for `scope` filed under it, most works first. Counted once per index generation:
    /// it visits every listed work.
    pub fn tag_directory(
        &self,
        kind: TagKind,
        scope: ListingScope,
    ) -> Result<Arc<Vec<FacetCount>>> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = (kind, scope.include_restricted);
        if let Some(directory) = self.directories.get(generation, &key) {
            return Ok(directory);
        }
        let field = self.fields.listed[usize::from(scope.include_restricted)];
        let listed = TermQuery::new(Term::from_field_bool(field, true), IndexRecordOption::Basic);
        let segments = searcher.segment_readers().len();
        let collector = FacetCollector::of_kinds(&[kind], usize::MAX, segments);
        let facets = searcher.search(&listed, &collector)?;
        let directory = Arc::new(facets.of(kind).to_vec());
        self.directories
            .keep(generation, key, Arc::clone(&directory));
        Ok(directory)
    }

    /// Runs `f` on the wrangling the index files works under.
    pub fn with_graph<R>(&self, f: impl FnOnce(&TagGraph) -> R) -> Result<R> {
        let graph = self.graph.read().map_err(|_| SearchError::Io {
            path: String::new(),
            source: std::io::Error::other("tag graph lock poisoned"),
        })?;
        Ok(f(&graph))
    }
}

fn first_doc(searcher: &Searcher, query: &dyn Query) -> Result<Option<DocAddress>> {
    let top = searcher.search(query, &TopDocs::with_limit(1).order_by_score())?;
    Ok(top.into_iter().next().map(|(_, doc)| doc))
}

/// The facet value of `doc` whose key is `key`: the name as the work writes it.
fn written_name(
    searcher: &Searcher,
    doc: DocAddress,
    kind: TagKind,
    key: &str,
) -> Result<Option<String>> {
    let segment = searcher.segment_reader(doc.segment_ord);
    let Some(column) = segment.fast_fields().str(&format!("{kind}_facet"))? else {
        return Ok(None);
    };
    let mut name = String::new();
    for ord in column.term_ords(doc.doc_id) {
        name.clear();
        if column.ord_to_str(ord, &mut name).unwrap_or(false) && tag_key(&name) == key {
            return Ok(Some(name));
        }
    }
    Ok(None)
}
