//! Keeping the index in step with the database: a full rebuild, and the outbox follower that
//! re-indexes the works the `changes` table names.
//!
//! The rebuild needs no store method of its own: every work ever created has a `work` row in
//! the outbox, so its highest id bounds the scan, and works are read by id in pages with
//! [`Store::works`] (ids of deleted works are simply not returned).
//!
//! Works are filed under the archive's wrangling ([`crate::TagGraph`]), read from the store
//! once (by the first rebuild or follow, unless [`SearchIndex::set_tag_graph`] gave one) and
//! again whenever a `tag` change arrives: a wrangling change names the tag, then each work
//! whose filing it changes, so the graph is fresh before those works are filed again.

use quire_core::{Work, WorkId};
use quire_store::{Change, Store};

use crate::error::Result;
use crate::graph::TagGraph;
use crate::index::SearchIndex;
use crate::schema::plain_text;

/// Works read from the database per round trip.
const WORKS_PER_BATCH: usize = 500;
/// Outbox rows applied per commit.
const CHANGES_PER_BATCH: i64 = 5_000;
/// Outbox rows read per round trip when only looking for the highest work id.
const SCAN_BATCH: i64 = 50_000;

/// What a rebuild is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Scanning ids up to `max_id` to index about `works` works.
    Started { works: u64, max_id: WorkId },
    /// `indexed` works written so far.
    Indexed { indexed: u64 },
}

/// What [`follow`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Works re-indexed or removed.
    pub works: u64,
    /// The outbox position the index now reflects.
    pub seq: i64,
    /// True when the index had never been filled and was rebuilt instead.
    pub rebuilt: bool,
    /// True when a change applied was more than a work's counts ([`Change::counts_only`]): a
    /// work may have joined or left listings, not only moved in those sorted by a count.
    pub content: bool,
}

/// Rebuilds the index from the database: every work, then the outbox position read before
/// the scan began (changes made during the scan are applied again by the next [`follow`];
/// re-indexing a work is idempotent). `chapter_text` makes documents carry their chapters'
/// text, at the cost of reading every chapter.
pub async fn rebuild(
    index: &SearchIndex,
    store: &dyn Store,
    chapter_text: bool,
    mut progress: impl FnMut(Progress),
) -> Result<u64> {
    let seq = store.last_change_seq().await?;
    if !index.has_tag_graph() {
        load_tag_graph(index, store).await?;
    }
    let works = u64::try_from(store.counts().await?.works).unwrap_or(0);
    let max_id = highest_work_id(store, seq).await?;
    progress(Progress::Started { works, max_id });
    index.clear(chapter_text)?;
    let mut indexed = 0u64;
    let mut next: WorkId = 1;
    while next <= max_id {
        let last = max_id.min(next + WORKS_PER_BATCH as i64 - 1);
        let ids: Vec<WorkId> = (next..=last).collect();
        let batch = store.works(&ids).await?;
        for work in &batch {
            upsert(index, store, work, chapter_text).await?;
        }
        indexed += batch.len() as u64;
        progress(Progress::Indexed { indexed });
        next = last + 1;
    }
    index.commit(seq)?;
    tracing::info!("search index rebuilt: {indexed} works, outbox position {seq}");
    Ok(indexed)
}

/// Whether a pass of [`follow_with`] applies changes to works' counts alone (kudos, comments,
/// bookmarks, hits): each applied pass is a tantivy commit, a new segment and merges, so a
/// steady stream of kudos is better applied a second at a time than ten times a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    Apply,
    /// A pass whose pending changes are all count changes leaves them for a later one.
    Wait,
}

/// Applies the outbox rows after the index's position (all there are when it starts, in
/// batches) and commits after each batch, so a restart resumes where it stopped. An index
/// that has never been filled is rebuilt first.
pub async fn follow(index: &SearchIndex, store: &dyn Store) -> Result<Applied> {
    follow_with(index, store, Counts::Apply).await
}

/// [`follow`], leaving count changes alone for later when `counts` says to wait (any other
/// change is applied at once, with the count changes before it).
pub async fn follow_with(
    index: &SearchIndex,
    store: &dyn Store,
    counts: Counts,
) -> Result<Applied> {
    let Some(mut seq) = index.applied_seq() else {
        let works = rebuild(index, store, index.has_chapter_text(), |_| {}).await?;
        return Ok(Applied {
            works,
            seq: index.applied_seq().unwrap_or(0),
            rebuilt: true,
            content: true,
        });
    };
    if !index.has_tag_graph() {
        load_tag_graph(index, store).await?;
    }
    let mut applied = Applied {
        seq,
        ..Applied::default()
    };
    loop {
        let changes = store.changes_after(seq, CHANGES_PER_BATCH).await?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(applied);
        };
        let content = changes.iter().any(|c| !c.counts_only());
        if counts == Counts::Wait && !content {
            return Ok(applied);
        }
        applied.works += apply(index, store, &changes).await?;
        applied.content |= content;
        index.commit(last)?;
        seq = last;
        applied.seq = last;
        // A short batch was all there was when it was read: what came since waits for the
        // next pass, or a steady stream of writes would keep this one committing forever.
        if changes.len() < CHANGES_PER_BATCH as usize {
            return Ok(applied);
        }
    }
}

/// Reads the archive's wrangling into the index's tag graph.
pub async fn load_tag_graph(index: &SearchIndex, store: &dyn Store) -> Result<()> {
    let wrangling = store.wrangling().await?;
    index.set_tag_graph(TagGraph::from(&wrangling));
    Ok(())
}

/// Re-indexes (or removes) each work the changes name, once per batch, under the wrangling
/// as it is after them.
async fn apply(index: &SearchIndex, store: &dyn Store, changes: &[Change]) -> Result<u64> {
    if changes.iter().any(|c| c.entity == "tag") {
        load_tag_graph(index, store).await?;
    }
    let mut ids: Vec<WorkId> = changes
        .iter()
        .filter(|c| c.entity == "work")
        .map(|c| c.entity_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let chapter_text = index.has_chapter_text();
    let mut count = 0;
    for chunk in ids.chunks(WORKS_PER_BATCH) {
        // A work's current row decides, whatever the op said: a work updated and then deleted
        // in one batch is simply gone.
        let works = store.works(chunk).await?;
        for id in chunk {
            match works.iter().find(|w| w.id == *id) {
                Some(work) => upsert(index, store, work, chapter_text).await?,
                None => index.delete(*id)?,
            }
            count += 1;
        }
    }
    Ok(count)
}

async fn upsert(
    index: &SearchIndex,
    store: &dyn Store,
    work: &Work,
    chapter_text: bool,
) -> Result<()> {
    let text = if chapter_text {
        let chapters = store.chapters(work.id).await?;
        let text: Vec<String> = chapters
            .iter()
            .filter(|c| c.posted)
            .map(|c| plain_text(&c.content))
            .collect();
        Some(text.join("\n"))
    } else {
        None
    };
    index.upsert(work, text.as_deref())
}

/// The highest work id the outbox has ever named up to `up_to` (a bound for scanning every
/// work by id, as [`rebuild`] and `quire export` do).
pub async fn highest_work_id(store: &dyn Store, up_to: i64) -> Result<WorkId> {
    let mut max = 0;
    let mut seq = 0;
    while seq < up_to {
        let changes = store.changes_after(seq, SCAN_BATCH).await?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            break;
        };
        max = changes
            .iter()
            .filter(|c| c.entity == "work")
            .map(|c| c.entity_id)
            .fold(max, WorkId::max);
        seq = last;
    }
    Ok(max)
}
