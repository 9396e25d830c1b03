//! What every reader of a work shares (its row, its chapter index, who left kudos, its
//! comments, hidden and unreviewed ones too, which each page filters for its viewer; the
//! chapters' text), kept in memory for the pages rendered for one reader: signed-in readers
//! never get the page cache, and with this a work page costs them the database round trips
//! of their own: their session, and their subscription and Marked for Later state. A work's
//! entry is fresh under the same marks as a cached page of the work ([`Shows::Work`]), a
//! chapter's under those of the work's text ([`Shows::Text`]), so neither is ever older than
//! the work's pages would be. A work in a series also keeps its series' works, slimmed to what
//! the visibility rule reads, so that the series navigation costs no query per reader; its
//! entry is then fresh under [`Shows::WorkBeside`]. A work whose counts alone changed (kudos,
//! a comment, a bookmark) reads again only what readers left on it ([`Responses`], three
//! statements), not its tags, creators, series and chapter index.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;
use quire_core::series::SeriesPart;
use quire_core::visibility::{Access, Viewer, can_view};
use quire_core::work::ChapterHeading;
use quire_core::{Chapter, ChapterId, Work, WorkId};
use quire_store::comments::Responses;
use quire_store::{Comment, CommentSettings, KudosList, Store, StoreError};

use super::{Kept, PageCache, Shows};

/// Works kept; a work's entry is a few KB.
const WORKS_KEPT: usize = 20_000;
/// Chapters kept, and the bytes of text they may hold.
const CHAPTERS_KEPT: usize = 20_000;
const CHAPTER_BYTES_KEPT: u64 = 128 << 20;

/// A work as the database gave it, before any viewer's rule is applied.
#[derive(Debug)]
pub struct WorkData {
    pub work: Work,
    pub index: Vec<ChapterHeading>,
    pub kudos: KudosList,
    /// Every comment, in thread order.
    pub comments: Vec<Comment>,
    pub comment_settings: CommentSettings,
    /// Each series the work is in, with all its works in order, for the series navigation.
    pub series: Arc<Vec<SeriesWorks>>,
    /// The logins of the work's creators nobody has claimed yet (creators met in an import).
    pub unclaimed: Vec<String>,
    /// What the work's pages show ([`WorkData::shows`]), worked out once: every reader's
    /// request checks it.
    shows: Shows,
}

/// A series a work is in, and every work of it in order (this one too), each kept with only
/// what the visibility rule reads: which of them a viewer may be sent to is decided per viewer.
#[derive(Debug)]
pub struct SeriesWorks {
    pub part: SeriesPart,
    pub works: Vec<Work>,
}

/// A work's neighbours in one series, as one viewer may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesNeighbours {
    pub part: SeriesPart,
    pub previous: Option<WorkId>,
    pub next: Option<WorkId>,
}

impl WorkData {
    /// The work with this id from the database (`None` when there is none).
    pub async fn load(store: &dyn Store, id: WorkId) -> Result<Option<Arc<WorkData>>, StoreError> {
        let Some(work) = store.work(id).await? else {
            return Ok(None);
        };
        let index = store.chapter_index(id).await?;
        let series = Arc::new(series_works(store, &work).await?);
        let unclaimed = unclaimed_creators(store, &work).await?;
        let Some(responses) = store.responses(id).await? else {
            return Ok(None);
        };
        let data = WorkData::with(work, index, series, unclaimed, responses);
        Ok(Some(Arc::new(data)))
    }

    /// This work with what readers left on it read again (`None` when it is gone): all that
    /// a change to its counts alone can have changed.
    async fn reload_responses(
        &self,
        store: &dyn Store,
    ) -> Result<Option<Arc<WorkData>>, StoreError> {
        let Some(responses) = store.responses(self.work.id).await? else {
            return Ok(None);
        };
        let data = WorkData::with(
            self.work.clone(),
            self.index.clone(),
            Arc::clone(&self.series),
            self.unclaimed.clone(),
            responses,
        );
        Ok(Some(Arc::new(data)))
    }

    fn with(
        mut work: Work,
        index: Vec<ChapterHeading>,
        series: Arc<Vec<SeriesWorks>>,
        unclaimed: Vec<String>,
        responses: Responses,
    ) -> WorkData {
        work.stats = responses.stats;
        let others: Box<[WorkId]> = series
            .iter()
            .flat_map(|s| s.works.iter().map(|w| w.id))
            .filter(|id| *id != work.id)
            .collect();
        let shows = if others.is_empty() {
            Shows::Work(work.id)
        } else {
            Shows::WorkBeside {
                work: work.id,
                others,
            }
        };
        WorkData {
            work,
            index,
            kudos: responses.kudos,
            comments: responses.comments,
            comment_settings: responses.comment_settings,
            series,
            unclaimed,
            shows,
        }
    }

    /// What the work's pages show: the work, and the works of its series, whose visibility
    /// decides the series navigation.
    pub fn shows(&self) -> Shows {
        self.shows.clone()
    }

    /// AO3's series navigation for `viewer`: for each series, the nearest works before and
    /// after this one that the visibility rule lets them reach (a draft or hidden work between
    /// is skipped).
    pub fn series_neighbours(&self, viewer: &Viewer) -> Vec<SeriesNeighbours> {
        let reachable = |w: &&Work| can_view(w, viewer) != Access::Hidden;
        self.series
            .iter()
            .map(|s| {
                let at = s.works.iter().position(|w| w.id == self.work.id);
                let (before, after) = match at {
                    Some(at) => (&s.works[..at], &s.works[at + 1..]),
                    None => (&s.works[..0], &s.works[..0]),
                };
                SeriesNeighbours {
                    part: s.part.clone(),
                    previous: before.iter().rev().find(reachable).map(|w| w.id),
                    next: after.iter().find(reachable).map(|w| w.id),
                }
            })
            .collect()
    }
}

/// The logins of `work`'s creators nobody has claimed yet.
async fn unclaimed_creators(store: &dyn Store, work: &Work) -> Result<Vec<String>, StoreError> {
    let mut unclaimed = Vec::new();
    for login in work.creators.iter().map(|p| &p.login) {
        if unclaimed.contains(login) {
            continue;
        }
        if let Some(user) = store.user_by_login(login).await?
            && !user.claimed
        {
            unclaimed.push(user.login);
        }
    }
    Ok(unclaimed)
}

/// The series `work` is in, each with its works (slimmed to what the visibility rule reads).
async fn series_works(store: &dyn Store, work: &Work) -> Result<Vec<SeriesWorks>, StoreError> {
    if work.series.is_empty() {
        return Ok(Vec::new());
    }
    let mut orders = Vec::with_capacity(work.series.len());
    let mut ids: Vec<WorkId> = Vec::new();
    for part in &work.series {
        let order = store
            .series(part.id)
            .await?
            .map(|s| s.work_ids)
            .unwrap_or_default();
        for id in &order {
            if *id != work.id && !ids.contains(id) {
                ids.push(*id);
            }
        }
        orders.push((part.clone(), order));
    }
    let others = store.works(&ids).await?;
    let slim = |w: &Work| Work {
        title: String::new(),
        tags: Vec::new(),
        summary: None,
        notes: None,
        end_notes: None,
        series: Vec::new(),
        gifts: Vec::new(),
        source: None,
        ..w.clone()
    };
    Ok(orders
        .into_iter()
        .map(|(part, order)| SeriesWorks {
            part,
            works: order
                .iter()
                .filter_map(|id| {
                    if *id == work.id {
                        Some(slim(work))
                    } else {
                        others.iter().find(|w| w.id == *id).map(slim)
                    }
                })
                .collect(),
        })
        .collect())
}

/// The shared part of work pages: works by id, chapters by id.
pub struct WorkCache {
    entries: Cache<WorkId, Arc<Kept<WorkData>>>,
    chapters: Cache<ChapterId, Arc<Kept<Chapter>>, TextSize>,
}

#[derive(Clone)]
struct TextSize;

impl Weighter<ChapterId, Arc<Kept<Chapter>>> for TextSize {
    fn weight(&self, _: &ChapterId, entry: &Arc<Kept<Chapter>>) -> u64 {
        let chapter = &entry.value;
        let notes = [
            &chapter.title,
            &chapter.summary,
            &chapter.notes,
            &chapter.end_notes,
        ];
        let text = notes
            .iter()
            .flat_map(|n| n.as_deref())
            .map(str::len)
            .sum::<usize>();
        (chapter.content.len() + text + 256) as u64
    }
}

impl Default for WorkCache {
    fn default() -> Self {
        WorkCache {
            entries: Cache::new(WORKS_KEPT),
            chapters: Cache::with_weighter(CHAPTERS_KEPT, CHAPTER_BYTES_KEPT, TextSize),
        }
    }
}

impl WorkCache {
    pub fn clear(&self) {
        self.entries.clear();
        self.chapters.clear();
    }

    /// The bytes of chapters' text kept.
    pub fn text_bytes(&self) -> u64 {
        self.chapters.weight()
    }
}

impl PageCache {
    /// Whether nothing but counts changed since `entry` was read: neither the work's content
    /// nor that of any work its series navigation weighs.
    fn only_counts_changed(&self, entry: &Kept<WorkData>) -> bool {
        let data = &entry.value;
        let series = data
            .series
            .iter()
            .flat_map(|s| s.works.iter().map(|w| w.id));
        std::iter::once(data.work.id)
            .chain(series)
            .all(|id| self.freshness.is_fresh(entry.started, &Shows::Text(id)))
    }

    /// The work with this id (`None` when there is none), from memory while nothing changed
    /// it, else read again.
    pub async fn work_data(
        &self,
        store: &dyn Store,
        id: WorkId,
    ) -> Result<Option<Arc<WorkData>>, StoreError> {
        let kept = self.works.entries.get(&id);
        if let Some(entry) = &kept
            && self.freshness.is_fresh(entry.started, &entry.value.shows)
        {
            return Ok(Some(Arc::clone(&entry.value)));
        }
        let started = self.freshness.now();
        // A change to its counts alone (kudos, comments, bookmarks, hits) leaves the rest.
        let read = match kept {
            Some(entry) if self.only_counts_changed(&entry) => {
                entry.value.reload_responses(store).await?
            }
            _ => WorkData::load(store, id).await?,
        };
        let Some(data) = read else {
            return Ok(None);
        };
        if self.freshness.is_fresh(started, &data.shows) {
            let entry = Kept {
                started,
                value: Arc::clone(&data),
            };
            self.works.entries.insert(id, Arc::new(entry));
        }
        Ok(Some(data))
    }

    /// Chapter `chapter` of `work` with its text (`None` when the work has no such chapter),
    /// from memory while nothing changed the work's content (kudos, comments and hits leave
    /// it), else read again.
    pub async fn chapter(
        &self,
        store: &dyn Store,
        work: WorkId,
        chapter: ChapterId,
    ) -> Result<Option<Chapter>, StoreError> {
        let shows = Shows::Text(work);
        if let Some(entry) = self.works.chapters.get(&chapter)
            && entry.value.work_id == work
            && self.freshness.is_fresh(entry.started, &shows)
        {
            return Ok(Some(Chapter::clone(&entry.value)));
        }
        let started = self.freshness.now();
        let Some(read) = store.chapter(work, chapter).await? else {
            return Ok(None);
        };
        if self.freshness.is_fresh(started, &shows) {
            let entry = Kept {
                started,
                value: Arc::new(read.clone()),
            };
            self.works.chapters.insert(chapter, Arc::new(entry));
        }
        Ok(Some(read))
    }
}
