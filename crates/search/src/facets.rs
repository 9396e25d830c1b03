//! Facet counts: for each tag kind, how many of the matching works are filed under each tag
//! (AO3's filter sidebar), counted in the same pass as the results.
//!
//! Each segment counts by term ordinal of the `{kind}_facet` fast fields (an array indexed by
//! ordinal, no hashing per document); names are looked up once per non-zero ordinal.

use std::collections::HashMap;
use std::ops::Range;

use quire_core::TagKind;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, RowId, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Top tags per kind for the current result set, most works first (ties by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// In [`TagKind::ALL`] order (or the order of the kinds asked for); each list holds at
    /// most the collector's limit.
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
    /// The kinds counted, and their fields' names in the same order.
    kinds: Vec<TagKind>,
    fields: Vec<String>,
    limit: usize,
    /// Segments of the searcher the collector runs on.
    segments: usize,
}

impl FacetCollector {
    /// Counts for a searcher of `segments` segments, keeping the `limit` most counted tags of
    /// each kind.
    pub fn new(limit: usize, segments: usize) -> FacetCollector {
        FacetCollector::of_kinds(&TagKind::ALL, limit, segments)
    }

    /// Counts of `kinds` only (the fandom directory needs no character counts).
    pub fn of_kinds(kinds: &[TagKind], limit: usize, segments: usize) -> FacetCollector {
        FacetCollector {
            kinds: kinds.to_vec(),
            fields: kinds.iter().map(|k| format!("{k}_facet")).collect(),
            limit,
            segments,
        }
    }
}

pub struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    /// Ordinals of the current run of rows, reused across blocks.
    buffer: Vec<u64>,
    limit: usize,
    /// Whether this is the searcher's only segment: its counts are then the final ones.
    only_segment: bool,
}

/// Adds one to the count of each ordinal in `rows` of `ords`.
fn count_rows(ords: &Column<u64>, rows: Range<RowId>, buffer: &mut Vec<u64>, counts: &mut [u32]) {
    if rows.is_empty() {
        return;
    }
    buffer.clear();
    buffer.resize((rows.end - rows.start) as usize, 0);
    ords.values.get_range(u64::from(rows.start), buffer);
    for ord in buffer.iter() {
        if let Some(n) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
            *n += 1;
        }
    }
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
        Ok(SegmentFacets {
            columns,
            counts,
            buffer: Vec::new(),
            limit: self.limit,
            only_segment: self.segments == 1,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFruit>) -> tantivy::Result<Facets> {
        let mut by_kind = Vec::with_capacity(self.kinds.len());
        for (i, kind) in self.kinds.iter().copied().enumerate() {
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
        self.collect_block(&[doc]);
    }

    /// Matching documents come in ascending blocks, and the ordinals of consecutive documents
    /// are consecutive rows of the column: each run of rows is decoded at once
    /// (`get_range`) instead of one value at a time.
    fn collect_block(&mut self, docs: &[DocId]) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            let ords = column.ords();
            let mut run = 0..0;
            for doc in docs {
                let rows = ords.index.value_row_ids(*doc);
                if rows.is_empty() {
                    continue;
                }
                if rows.start == run.end {
                    run.end = rows.end;
                } else {
                    count_rows(ords, run, &mut self.buffer, counts);
                    run = rows;
                }
            }
            count_rows(ords, run, &mut self.buffer, counts);
        }
    }

    /// Names are read from each column's dictionary in one ordered pass over the ordinals
    /// that need one, not one dictionary lookup per tag. With a single segment only the tags
    /// that can make the top `limit` need a name: those counted at least as often as the
    /// `limit`-th most counted tag (ties are then broken by name in `merge_fruits`).
    fn harvest(self) -> SegmentFruit {
        let mut out = Vec::with_capacity(self.columns.len());
        for (column, counts) in self.columns.iter().zip(&self.counts) {
            let mut named = HashMap::new();
            if let Some(column) = column {
                let floor = if self.only_segment {
                    floor_of_top(counts, self.limit)
                } else {
                    1
                };
                let ords: Vec<u64> = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n >= floor)
                    .map(|(ord, _)| ord as u64)
                    .collect();
                let mut found = ords.iter();
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    let Some(ord) = found.next() else { return };
                    let n = usize::try_from(*ord)
                        .ok()
                        .and_then(|o| counts.get(o))
                        .copied()
                        .unwrap_or(0);
                    named.insert(String::from_utf8_lossy(bytes).into_owned(), u64::from(n));
                });
            }
            out.push(named);
        }
        out
    }
}

/// The smallest count a tag needs to be among the `limit` most counted (at least 1).
fn floor_of_top(counts: &[u32], limit: usize) -> u32 {
    let mut nonzero: Vec<u32> = counts.iter().copied().filter(|n| *n > 0).collect();
    if limit == 0 || nonzero.len() <= limit {
        return 1;
    }
    let (_, nth, _) = nonzero.select_nth_unstable_by(limit - 1, |a, b| b.cmp(a));
    (*nth).max(1)
}

#[cfg(test)]
mod tests {
    use super::floor_of_top;

    #[test]
    fn the_floor_keeps_every_tag_tied_with_the_last_of_the_top() {
        // Top 3 by count: 9, 7, then a tie at 5 between two tags: both stay candidates, so
        // the tie can be broken by name afterwards.
        assert_eq!(floor_of_top(&[5, 0, 9, 1, 7, 5, 2], 3), 5);
    }

    #[test]
    fn with_few_tags_every_counted_tag_is_a_candidate() {
        assert_eq!(floor_of_top(&[0, 3, 0, 1], 10), 1);
        assert_eq!(floor_of_top(&[0, 0], 10), 1);
        assert_eq!(floor_of_top(&[4, 4, 4], 0), 1);
    }
}
