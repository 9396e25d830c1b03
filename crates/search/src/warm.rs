//! Counting ahead of readers: the listings nearly every visitor opens (all works, the fandom
//! directory) are counted for both scopes as soon as the index changes, so that the first
//! reader after a change does not wait for a count over every work.

use quire_core::TagKind;
use quire_core::visibility::ListingScope;

use crate::error::Result;
use crate::index::SearchIndex;
use crate::query::WorkQuery;
use crate::search::MutedSet;

impl SearchIndex {
    /// The generation of the index searches see now; it changes with every commit.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// The number of segments searches visit (searched in parallel).
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Counts the unfiltered listing and the fandom directory for guests and members, keeping
    /// them for the current generation ([`SearchIndex::generation`]).
    pub fn warm(&self) -> Result<()> {
        for include_restricted in [false, true] {
            let scope = ListingScope { include_restricted };
            self.search(&WorkQuery::new(), scope, &MutedSet::default())?;
            self.tag_directory(TagKind::Fandom, scope)?;
        }
        Ok(())
    }
}
