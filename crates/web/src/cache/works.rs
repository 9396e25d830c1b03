//! What every reader of a work shares (its row, its chapter index, who left kudos, its
//! comments, hidden and unreviewed ones too, which each page filters for its viewer; the
//! chapters' text), kept in memory for the pages rendered for one reader: signed-in readers
//! never get the page cache, and with this a work page costs them the database round trips
//! of their own: their session, and their subscription and Marked for Later state. A work's
//! entry is fresh under the same marks as a cached page of the work ([`Shows::Work`]), a
//! chapter's under those of the work's text ([`Shows::Text`]), so neither is ever older than
//! the work's pages would be. A work whose counts alone changed (kudos, a comment, a bookmark)
//! reads again only what readers left on it ([`Responses`], three statements), not its tags,
//! creators, series and chapter index.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;
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
}

impl WorkData {
    /// The work with this id from the database (`None` when there is none).
    pub async fn load(store: &dyn Store, id: WorkId) -> Result<Option<Arc<WorkData>>, StoreError> {
        let Some(work) = store.work(id).await? else {
            return Ok(None);
        };
        let index = store.chapter_index(id).await?;
        let Some(responses) = store.responses(id).await? else {
            return Ok(None);
        };
        Ok(Some(Arc::new(WorkData::with(work, index, responses))))
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
        let data = WorkData::with(self.work.clone(), self.index.clone(), responses);
        Ok(Some(Arc::new(data)))
    }

    fn with(mut work: Work, index: Vec<ChapterHeading>, responses: Responses) -> WorkData {
        work.stats = responses.stats;
        WorkData {
            work,
            index,
            kudos: responses.kudos,
            comments: responses.comments,
            comment_settings: responses.comment_settings,
        }
    }
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
}

impl PageCache {
    /// The work with this id (`None` when there is none), from memory while nothing changed
    /// it, else read again.
    pub async fn work_data(
        &self,
        store: &dyn Store,
        id: WorkId,
    ) -> Result<Option<Arc<WorkData>>, StoreError> {
        let shows = Shows::Work(id);
        let kept = self.works.entries.get(&id);
        if let Some(entry) = &kept
            && self.freshness.is_fresh(entry.started, &shows)
        {
            return Ok(Some(Arc::clone(&entry.value)));
        }
        let started = self.freshness.now();
        // A change to its counts alone (kudos, comments, bookmarks, hits) leaves the rest.
        let read = match kept {
            Some(entry) if self.freshness.is_fresh(entry.started, &Shows::Text(id)) => {
                entry.value.reload_responses(store).await?
            }
            _ => WorkData::load(store, id).await?,
        };
        let Some(data) = read else {
            return Ok(None);
        };
        if self.freshness.is_fresh(started, &shows) {
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
