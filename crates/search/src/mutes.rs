//! A reader's blacklist and saved filters, between the store and the index: their mutes as the
//! [`MutedSet`] every search of theirs applies, and saved filters checked before they are kept.

use quire_core::UserId;
use quire_store::{SavedFilter, Store};

use crate::error::{QueryError, Result};
use crate::params;
use crate::search::MutedSet;

/// The longest saved filter name, in characters.
pub const MAX_FILTER_NAME: usize = 100;

/// The works a reader muted, for [`crate::SearchIndex::search`]. A muted canonical tag hides
/// its synonyms and sub-tags too: the index files those works under it.
pub async fn muted_set(store: &dyn Store, user: UserId) -> Result<MutedSet> {
    let mutes = store.mutes(user).await?;
    Ok(MutedSet {
        tags: mutes.tags.into_iter().map(|t| t.name).collect(),
        creators: mutes.creators.into_iter().map(|u| u.id).collect(),
    })
}

/// Saves a named filter after checking its query string as a listing would (unknown
/// parameters, bad values, contradictions are refused); it is kept in the canonical form
/// [`params::serialize`] writes.
pub async fn save_filter(
    store: &dyn Store,
    user: UserId,
    name: &str,
    query_string: &str,
) -> Result<SavedFilter> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_FILTER_NAME {
        return Err(QueryError::InvalidValue {
            param: "name".to_owned(),
            value: trimmed.chars().take(MAX_FILTER_NAME).collect(),
            expected: "a name of 1 to 100 characters",
        }
        .into());
    }
    let query = params::parse(query_string.trim_start_matches('?'))?;
    query.validate()?;
    Ok(store
        .save_filter(user, trimmed, &params::serialize(&query))
        .await?)
}
