//! Sorting by a string fast field (title, author) without one dictionary lookup per result.
//!
//! tantivy's `SortByString` turns each segment's top documents back into strings one
//! dictionary lookup at a time, each decompressing a dictionary block: for a deep page (page
//! 100 is the top 2,000) that costs far more than the search itself. Here each segment ranks
//! by term ordinal (ordinals sort like their strings), then names its top documents in one
//! ordered pass over the dictionary; segments are merged by the strings. The order is
//! tantivy's: the string, then the work id, in the same direction, documents without the
//! string last.

use std::collections::HashMap;

use tantivy::collector::sort_key::{Comparator, ComparatorEnum};
use tantivy::collector::{Collector, SegmentCollector, TopNComputer};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Order, Score, SegmentOrdinal, SegmentReader};

use crate::schema::sort;

/// The sort key: the string and the work id.
pub type Key = (Option<String>, Option<u64>);

/// Both parts of the key compared in the same direction.
type Compare = (ComparatorEnum, ComparatorEnum);

/// The `limit` documents after the first `offset`, by a string fast field then the id.
pub struct TopByString {
    field: String,
    order: Order,
    offset: usize,
    limit: usize,
}

impl TopByString {
    pub fn new(field: &str, order: Order, offset: usize, limit: usize) -> TopByString {
        TopByString {
            field: field.to_owned(),
            order,
            offset,
            limit,
        }
    }

    fn compare(&self) -> Compare {
        (self.order.into(), self.order.into())
    }
}

pub struct SegmentTop {
    column: Option<StrColumn>,
    ids: Column<u64>,
    segment: SegmentOrdinal,
    top: TopNComputer<(Option<u64>, Option<u64>), DocId, Compare>,
}

impl Collector for TopByString {
    type Fruit = Vec<(Key, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            column: reader.fast_fields().str(&self.field)?,
            ids: reader.fast_fields().u64(sort::ID)?,
            segment,
            top: TopNComputer::new_with_comparator(self.offset + self.limit, self.compare()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let compare = self.compare();
        let mut all: Vec<(Key, DocAddress)> = segments.into_iter().flatten().collect();
        // First ranked first; equal keys (never: ids are unique) by document address.
        all.sort_by(|a, b| compare.compare(&b.0, &a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(all.into_iter().skip(self.offset).take(self.limit).collect())
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<(Key, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let ord = self.column.as_ref().and_then(|c| c.ords().first(doc));
        self.top.push((ord, self.ids.first(doc)), doc);
    }

    fn harvest(self) -> Self::Fruit {
        let docs = self.top.into_vec();
        let mut ords: Vec<u64> = docs.iter().filter_map(|d| d.sort_key.0).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names: HashMap<u64, String> = HashMap::with_capacity(ords.len());
        if let Some(column) = &self.column {
            let mut next = ords.iter();
            // A damaged dictionary leaves the rest unnamed: those documents sort last.
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                if let Some(ord) = next.next() {
                    names.insert(*ord, String::from_utf8_lossy(bytes).into_owned());
                }
            });
        }
        docs.into_iter()
            .map(|d| {
                let (ord, id) = d.sort_key;
                let name = ord.and_then(|o| names.get(&o).cloned());
                let address = DocAddress {
                    segment_ord: self.segment,
                    doc_id: d.doc,
                };
                ((name, id), address)
            })
            .collect()
    }
}
