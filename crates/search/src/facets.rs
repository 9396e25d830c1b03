//! Facet counts: for each tag kind, how many of the matching works are filed under each tag
//! (AO3's filter sidebar), counted in the same pass as the results.
//!
//! Each segment counts by term ordinal of the `{kind}_facet` fast fields (an array indexed by
//! ordinal, no hashing per document); names are looked up once per non-zero ordinal.

use std::collections::HashMap;

use quire_core::TagKind;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Top tags per kind for the current result set, most works first (ties by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// In [`TagKind::ALL`] order; each list holds at most the collector's limit.
    pub by_kind: Vec<(TagKind, Vec<FacetCount>)>,
}

/// One tag and the number of matching works filed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub name: String,
    pub works: u64,
}

impl Facets {
    /// The counts of one kind.
    pub fn of(&self, kind: TagKind) -> &[FacetCount] {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[][..], |(_, counts)| counts.as_slice())
    }
}

/// Counts the `{kind}_facet` fields of matching documents.
pub struct FacetCollector {
    /// Field names, in [`TagKind::ALL`] order.
    fields: Vec<String>,
    limit: usize,
}

impl FacetCollector {
    pub fn new(limit: usize) -> FacetCollector {
        FacetCollector {
            fields: TagKind::ALL.iter().map(|k| format!("{k}_facet")).collect(),
            limit,
        }
    }
}

pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
}

/// Per kind: tag name → works, for one segment.
type SegmentFruit = Vec<HashMap<String, u64>>;

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::with_capacity(self.fields.len());
        let mut counts = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = reader.fast_fields().str(field)?;
            let terms = column.as_ref().map_or(0, |c| c.num_terms());
            counts.push(vec![0; terms]);
            columns.push(column);
        }
        Ok(SegmentFacets { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFruit>) -> tantivy::Result<Facets> {
        let mut by_kind = Vec::with_capacity(TagKind::ALL.len());
        for (i, kind) in TagKind::ALL.into_iter().enumerate() {
            let mut merged: HashMap<String, u64> = HashMap::new();
            for segment in &segments {
                for (name, n) in segment.get(i).into_iter().flatten() {
                    *merged.entry(name.clone()).or_default() += n;
                }
            }
            let mut counts: Vec<FacetCount> = merged
                .into_iter()
                .map(|(name, works)| FacetCount { name, works })
                .collect();
            counts.sort_by(|a, b| b.works.cmp(&a.works).then_with(|| a.name.cmp(&b.name)));
            counts.truncate(self.limit);
            by_kind.push((kind, counts));
        }
        Ok(Facets { by_kind })
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            for ord in column.term_ords(doc) {
                if let Some(n) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut name = String::new();
        for (column, counts) in self.columns.iter().zip(&self.counts) {
            let mut named = HashMap::new();
            if let Some(column) = column {
                for (ord, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                    name.clear();
                    if column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                        named.insert(name.clone(), u64::from(*n));
                    }
                }
            }
            out.push(named);
        }
        out
    }
}
