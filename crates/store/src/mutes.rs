//! A reader's blacklist (muted tags and creators) and saved filters, as the store keeps them.

use quire_core::{Tag, User};

/// What a reader muted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mutes {
    /// Muted tags, by name; works filed under them (their synonyms and sub-tags too) are hidden.
    pub tags: Vec<Tag>,
    /// Muted creators, by login; every work they (co-)created is hidden.
    pub creators: Vec<User>,
}

/// A named search a reader saved: a `WorkQuery` query string, as `quire_search::params`
/// writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFilter {
    pub id: i64,
    pub name: String,
    pub query: String,
}
