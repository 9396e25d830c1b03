//! Every work a [`WorkQuery`]'s filters select, not one page of them: what `quire export`
//! writes when given filters.
//!
//! This is the operator's selection, not a reader's listing: no visibility scope and no mutes
//! are applied here (the caller reads each work from the store and decides, as the single-work
//! export does: posted works only), and the query's sort and page mean nothing (ids come back
//! in ascending order, so a rerun meets the works in the same order).

use quire_core::{UserId, WorkId};
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, BooleanQuery, Occur};
use tantivy::{DocAddress, Term};

use crate::error::{Result, SearchError};
use crate::index::SearchIndex;
use crate::query::WorkQuery;
use crate::schema::sort;
use crate::search::{Clauses, filters, term};

impl SearchIndex {
    /// The ids of every indexed work matching `query`'s filters and text (and created by
    /// `creator`, when given), drafts and restricted works included, in ascending order. The
    /// query is assumed valid ([`WorkQuery::validate`]).
    pub fn all_matching(&self, query: &WorkQuery, creator: Option<UserId>) -> Result<Vec<WorkId>> {
        let f = &self.fields;
        // A query of exclusions only would match nothing in tantivy: start from every work.
        let mut clauses: Clauses = vec![(Occur::Must, Box::new(AllQuery))];
        {
            let graph = self.graph.read().map_err(|_| SearchError::Io {
                path: String::new(),
                source: std::io::Error::other("tag graph lock poisoned"),
            })?;
            clauses.extend(filters(f, query, &graph));
        }
        if let Some(text) = &query.text {
            clauses.push((Occur::Must, self.text_query(text, query.chapter_text)?));
        }
        if let Some(user) = creator {
            let user = u64::try_from(user).unwrap_or(0);
            clauses.push((Occur::Must, term(Term::from_field_u64(f.creator, user))));
        }
        let searcher = self.reader.searcher();
        let docs = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
        let mut docs: Vec<DocAddress> = docs.into_iter().collect();
        docs.sort_unstable();
        let mut ids = Vec::with_capacity(docs.len());
        let mut segment = None;
        for doc in docs {
            let column = match &segment {
                Some((ord, column)) if *ord == doc.segment_ord => column,
                _ => {
                    let reader = searcher.segment_reader(doc.segment_ord);
                    let column = reader.fast_fields().u64(sort::ID)?;
                    &segment.insert((doc.segment_ord, column)).1
                }
            };
            if let Some(id) = column.first(doc.doc_id) {
                ids.push(i64::try_from(id).unwrap_or(0));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}
