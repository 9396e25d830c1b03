//! The one listing service: a [`WorkQuery`] for a viewer, with their mutes, answered by the
//! search index (works, total, facet counts, works hidden by mutes), or by the database while
//! the index is being rebuilt, for the queries the database can answer. Tag pages, `/works`,
//! the search page, and the feeds and API use it.

use std::sync::Arc;

use quire_core::visibility::{ListingScope, Viewer};
use quire_core::{Work, WorkId};
use quire_search::query::PER_PAGE;
use quire_search::{Direction, Facets, MutedSet, Results, SortField, WorkQuery};
use quire_store::Page;

use crate::cache::Shows;
use crate::error::AppError;
use crate::search::ask;
use crate::state::AppState;

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The page's works, in order, each one the viewer may see listed.
    pub works: Vec<Work>,
    /// Matching works the viewer may see (mutes left out); `None` when the database answered
    /// a listing it does not count (all works, while the index is rebuilding).
    pub total: Option<u64>,
    /// Whether a page follows this one.
    pub has_next: bool,
    /// Facet counts per tag kind; `None` when the database answered.
    pub facets: Option<Facets>,
    /// Matching works the viewer's mutes hide ("N works hidden by your filters").
    pub hidden_by_mutes: u64,
}

impl Listing {
    /// True when the database answered because the index is not ready.
    pub fn from_database(&self) -> bool {
        self.facets.is_none()
    }

    /// What a page of this listing shows, for the page cache.
    pub fn shows(&self, query: &WorkQuery) -> Shows {
        listing_of(self.works.iter().map(|w| w.id), query)
    }
}

/// What a page listing `works` in the order of `query` shows.
fn listing_of(works: impl Iterator<Item = WorkId>, query: &WorkQuery) -> Shows {
    Shows::Listing {
        works: works.collect(),
        by_counts: matches!(
            query.effective_sort(),
            SortField::Hits | SortField::Kudos | SortField::Comments | SortField::Bookmarks
        ),
    }
}

/// The tags and creators `viewer` has muted (their blacklist); guests mute nothing.
pub async fn mutes_of(state: &AppState, viewer: &Viewer) -> Result<MutedSet, AppError> {
    let Some(user) = viewer.user else {
        return Ok(MutedSet::default());
    };
    Ok(quire_search::mutes::muted_set(state.store.as_ref(), user).await?)
}

/// Runs `query` for `viewer`, leaving out `muted` works. The query must be valid
/// ([`WorkQuery::validate`]). While the index is being rebuilt, queries the database cannot
/// answer are refused with [`AppError::SearchRebuilding`].
pub async fn find(
    state: &AppState,
    query: &WorkQuery,
    viewer: &Viewer,
    muted: &MutedSet,
) -> Result<Listing, AppError> {
    query.validate()?;
    let scope = ListingScope::for_viewer(viewer);
    let Some(index) = state.search.ready() else {
        return from_database(state, query, viewer, muted).await;
    };
    let (q, m) = (query.clone(), muted.clone());
    let search = ask(index, move |index| index.search(&q, scope, &m));
    // With the page cache on, what signed-in readers' listings share is kept too.
    let found = if state.options.page_cache {
        let shows = |results: &Results| listing_of(results.ids.iter().copied(), query);
        state
            .pages
            .search_results(query, scope, muted, shows, search)
            .await?
    } else {
        Arc::new((search.await?, Shows::Anything))
    };
    let results = &found.0;
    let works = load_in_order(state, &results.ids, scope, viewer).await?;
    Ok(Listing {
        works,
        total: Some(results.total),
        has_next: (query.offset() as u64 + u64::from(PER_PAGE)) < results.total,
        facets: Some(results.facets.clone()),
        hidden_by_mutes: results.hidden_by_mutes,
    })
}

/// The works of `ids` in that order, in at most one database call; a work that changed since it was
/// indexed is checked again, so that the page never lists what the viewer may not see.
async fn load_in_order(
    state: &AppState,
    ids: &[WorkId],
    scope: ListingScope,
    viewer: &Viewer,
) -> Result<Vec<Work>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut works = if state.options.page_cache {
        state.pages.blurbs(state.store.as_ref(), ids).await?
    } else {
        state.store.works(ids).await?
    };
    works.retain(|w| scope.admits(w, viewer));
    let mut ordered = Vec::with_capacity(works.len());
    for id in ids {
        if let Some(at) = works.iter().position(|w| w.id == *id) {
            ordered.push(works.swap_remove(at));
        }
    }
    Ok(ordered)
}

/// What the database can answer: every work, the works of one tag, or one creator's, most
/// recently updated first, without mutes.
async fn from_database(
    state: &AppState,
    query: &WorkQuery,
    viewer: &Viewer,
    muted: &MutedSet,
) -> Result<Listing, AppError> {
    if !muted.is_empty() || !database_can_answer(query) {
        return Err(AppError::SearchRebuilding);
    }
    let scope = ListingScope::for_viewer(viewer);
    let page = Page::new(query.page, PER_PAGE);
    if let Some(user) = query.creator {
        let (mut works, total) = state.store.works_by_user(user, scope, page).await?;
        works.retain(|w| scope.admits(w, viewer));
        let total = u64::try_from(total).unwrap_or(0);
        return Ok(Listing {
            works,
            total: Some(total),
            has_next: (query.offset() as u64 + u64::from(PER_PAGE)) < total,
            facets: None,
            hidden_by_mutes: 0,
        });
    }
    match query.include.first() {
        Some((_, name)) => {
            let Some((_, mut works, total)) = state.store.works_tagged(name, scope, page).await?
            else {
                return Ok(Listing {
                    total: Some(0),
                    ..Listing::default()
                });
            };
            works.retain(|w| scope.admits(w, viewer));
            let total = u64::try_from(total).unwrap_or(0);
            Ok(Listing {
                works,
                total: Some(total),
                has_next: (query.offset() as u64 + u64::from(PER_PAGE)) < total,
                facets: None,
                hidden_by_mutes: 0,
            })
        }
        None => {
            let mut works = state.store.recent_works(scope, page.and_one_more()).await?;
            let has_next = works.len() > PER_PAGE as usize;
            works.truncate(PER_PAGE as usize);
            works.retain(|w| scope.admits(w, viewer));
            Ok(Listing {
                works,
                total: None,
                has_next,
                facets: None,
                hidden_by_mutes: 0,
            })
        }
    }
}

/// Every work, one tag's works or one creator's, in the default order, and nothing else.
fn database_can_answer(q: &WorkQuery) -> bool {
    let plain = WorkQuery {
        include: q.include.clone(),
        creator: q.creator,
        page: q.page,
        sort: q.sort,
        direction: q.direction,
        ..WorkQuery::new()
    };
    *q == plain
        && q.include.len() + usize::from(q.creator.is_some()) <= 1
        && q.effective_sort() == SortField::Updated
        && q.effective_direction() == Direction::Descending
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::TagKind;

    #[test]
    fn the_database_answers_plain_listings_only() {
        let mut q = WorkQuery::new();
        assert!(database_can_answer(&q));
        q.include.push((TagKind::Fandom, "Lanterns".into()));
        q.page = 3;
        assert!(database_can_answer(&q));
        q.sort = Some(SortField::Updated);
        assert!(database_can_answer(&q));
        q.sort = Some(SortField::Kudos);
        assert!(!database_can_answer(&q));
        q.sort = None;
        q.complete = Some(true);
        assert!(!database_can_answer(&q));
        q.complete = None;
        q.include.push((TagKind::Freeform, "Fluff".into()));
        assert!(!database_can_answer(&q));
        // One creator's works, alone.
        let mine = WorkQuery {
            creator: Some(7),
            ..WorkQuery::new()
        };
        assert!(database_can_answer(&mine));
        let mut tagged = mine;
        tagged.include.push((TagKind::Fandom, "Lanterns".into()));
        assert!(!database_can_answer(&tagged));
    }
}
