//! The search index and the `WorkQuery` filter model (DESIGN.md, "Search and browse").
//!
//! - [`WorkQuery`] is the one filter model; [`params`] reads and writes it as a query string.
//! - [`SearchIndex`] is a tantivy index in the data dir's `search-index/`, one document per
//!   work, derived from the database and rebuildable at any time ([`follow::rebuild`]).
//! - [`follow::follow`] keeps it in step with the `changes` outbox.
//! - [`TagGraph`] is the wrangling the indexer files works under, so that a canonical or meta
//!   tag matches its synonyms and sub-tags with one term lookup.
//! - [`SearchIndex::search`] applies the visibility rule (through
//!   [`quire_core::visibility::ListingScope`]) and the reader's mutes to results and facet
//!   counts alike; [`mutes::muted_set`] reads a reader's mutes from the store.
//! - [`SearchIndex::all_matching`] is every work a query's filters select, for bulk export.

mod error;
pub mod facets;
pub mod follow;
pub mod graph;
mod index;
mod lookup;
pub mod mutes;
pub mod params;
pub mod query;
mod schema;
mod search;
mod selection;
mod string_sort;
mod tallies;
mod warm;

pub use error::{QueryError, Result, SearchError};
pub use facets::{FacetCount, Facets};
pub use graph::TagGraph;
pub use index::{INDEX_DIR, Opened, SearchIndex};
pub use lookup::FoundTag;
pub use query::{Crossover, Direction, SortField, WorkQuery};
pub use search::{FACET_LIMIT, MutedSet, Results};
