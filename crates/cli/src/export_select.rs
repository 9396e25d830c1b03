//! Which works `quire export --out DIR` writes: every work of the archive, or those a
//! [`WorkQuery`] (`--query`, `--fandom`) and `--creator` select.
//!
//! Without filters the works are read from the database by id, in batches, and no search
//! index is needed. With filters the data dir's search index answers, because it is what
//! applies a `WorkQuery` (tag wrangling, the search box, ranges) the way the archive's
//! listings do: it is caught up with the database first (built when missing, as `quire
//! serve` would), then asked for every matching id. Either way each work is read from the
//! database before it is written, and only posted works are exported.

use quire_core::{TagKind, UserId, WorkId};
use quire_search::follow::{follow, highest_work_id, load_tag_graph};
use quire_search::{INDEX_DIR, Opened, SearchIndex, WorkQuery};
use quire_store::Store;

use crate::Failure;
use crate::config::Config;

/// Works read from the database per round trip.
const BATCH: usize = 200;

/// The filters of the command line.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// A `/works` query string (`fandom=…&rating=…`).
    pub query: Option<String>,
    pub fandoms: Vec<String>,
    /// A creator's login.
    pub creator: Option<String>,
}

/// The works to consider, as ids to read in batches.
#[derive(Debug)]
pub enum Selection {
    /// Every id from 1 to the highest one the archive has used.
    All { max_id: WorkId },
    /// The ids the search index matched, ascending.
    Matched(Vec<WorkId>),
}

impl Selection {
    /// Ids to look at, for a progress bar.
    pub fn ids_to_scan(&self) -> u64 {
        match self {
            Selection::All { max_id } => u64::try_from(*max_id).unwrap_or(0),
            Selection::Matched(ids) => ids.len() as u64,
        }
    }

    /// The ids in ascending order, [`BATCH`] at a time.
    pub fn batches(&self) -> Box<dyn Iterator<Item = Vec<WorkId>> + '_> {
        match self {
            Selection::All { max_id } => {
                let max_id = *max_id;
                Box::new((1..=max_id).step_by(BATCH).map(move |first| {
                    (first..=max_id.min(first + BATCH as i64 - 1)).collect::<Vec<WorkId>>()
                }))
            }
            Selection::Matched(ids) => Box::new(ids.chunks(BATCH).map(<[WorkId]>::to_vec)),
        }
    }
}

/// Reads the filters (usage errors for a bad query string or an unknown creator) and finds
/// the works they select.
pub async fn select(
    config: &Config,
    store: &dyn Store,
    filters: &Filters,
) -> Result<Selection, Failure> {
    let query = work_query(filters)?;
    let creator = match &filters.creator {
        Some(login) => Some(creator_id(store, login).await?),
        None => None,
    };
    if query == WorkQuery::new() && creator.is_none() {
        let seq = store.last_change_seq().await?;
        let max_id = highest_work_id(store, seq)
            .await
            .map_err(Failure::runtime)?;
        return Ok(Selection::All { max_id });
    }
    let index = caught_up_index(config, store).await?;
    let ids = index
        .all_matching(&query, creator)
        .map_err(Failure::runtime)?;
    Ok(Selection::Matched(ids))
}

/// The `WorkQuery` of `--query` and `--fandom`, refused as the `/works` page refuses it. Its
/// sort is ignored (works are exported in id order); a page makes no sense and is refused.
fn work_query(filters: &Filters) -> Result<WorkQuery, Failure> {
    let mut query = match &filters.query {
        Some(text) => quire_search::params::parse(text)
            .map_err(|e| Failure::usage(format!("--query: {e}")))?,
        None => WorkQuery::new(),
    };
    if query.page != 1 {
        return Err(Failure::usage(
            "--query: `page` means nothing here: every matching work is exported",
        ));
    }
    query.sort = None;
    query.direction = None;
    for fandom in &filters.fandoms {
        query
            .include
            .push((TagKind::Fandom, fandom.trim().to_owned()));
    }
    query
        .validate()
        .map_err(|e| Failure::usage(format!("--fandom: {e}")))?;
    Ok(query)
}

async fn creator_id(store: &dyn Store, login: &str) -> Result<UserId, Failure> {
    let user = store
        .user_by_login(login)
        .await?
        .ok_or_else(|| Failure::usage(format!("--creator: there is no user `{login}`")))?;
    Ok(user.id)
}

/// The data dir's search index, holding every change the database has: built when missing,
/// caught up otherwise. A running server holds the index's writer and keeps it current
/// itself; then the index is used as it is, with the archive's current wrangling.
async fn caught_up_index(config: &Config, store: &dyn Store) -> Result<SearchIndex, Failure> {
    let dir = config.data.join(INDEX_DIR);
    let (index, opened) = SearchIndex::open(&dir).map_err(Failure::runtime)?;
    if let Opened::Created { reason } = &opened {
        eprintln!(
            "quire: building the search index at {} first ({reason})",
            dir.display()
        );
    }
    if let Err(e) = follow(&index, store).await {
        if index.applied_seq().is_none() {
            return Err(Failure::runtime(format!(
                "cannot build the search index at {}: {e}",
                dir.display()
            )));
        }
        tracing::warn!("search index not caught up ({e}); using it as it is");
        load_tag_graph(&index, store)
            .await
            .map_err(Failure::runtime)?;
    }
    Ok(index)
}
