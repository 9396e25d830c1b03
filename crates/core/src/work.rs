//! Works and chapters, as stored and as posted.

use crate::gift::Gift;
use crate::rating::{ArchiveWarning, Category, Rating};
use crate::series::{SeriesId, SeriesPart};
use crate::tag::{Tag, TagKind};
use crate::user::{Pseud, PseudId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub type WorkId = i64;
pub type ChapterId = i64;

/// A work's metadata: everything a blurb or a meta block shows, without chapter text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    pub id: WorkId,
    pub title: String,
    pub creators: Vec<Pseud>,
    pub rating: Rating,
    /// Every tag of the work, all kinds, in the order they were given within each kind.
    pub tags: Vec<Tag>,
    pub language: String,
    /// Sanitized HTML.
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub word_count: i64,
    /// Posted chapters.
    pub chapter_count: i32,
    /// `None` is AO3's `?`.
    pub expected_chapters: Option<i32>,
    pub complete: bool,
    /// `None`: the date is unknown (an imported work whose files give none).
    pub published: Option<NaiveDate>,
    /// `None` when the published date is unknown and nothing later is known either.
    pub updated: Option<NaiveDate>,
    /// False for a draft.
    pub posted: bool,
    /// Archive members only.
    pub restricted: bool,
    pub hidden_by_admin: bool,
    pub series: Vec<SeriesPart>,
    /// Who the work is for, in order; refused gifts are left out.
    #[serde(default)]
    pub gifts: Vec<Gift>,
    pub stats: WorkStats,
    pub source: Option<Source>,
}

/// What a page, a feed or a download says for a date: the day, or "date unknown".
pub fn day_or_unknown(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| DATE_UNKNOWN.to_owned(), |d| d.to_string())
}

/// Said wherever a date is shown that the work's files never gave.
pub const DATE_UNKNOWN: &str = "date unknown";

impl Work {
    /// The work's tags of one kind, in order.
    pub fn tags_of(&self, kind: TagKind) -> impl Iterator<Item = &Tag> {
        self.tags.iter().filter(move |t| t.kind == kind)
    }

    /// True when the viewer's account is one of the work's creators.
    pub fn is_created_by(&self, user: UserId) -> bool {
        self.creators.iter().any(|p| p.user_id == user)
    }

    /// AO3's `N/M` chapter display (`3/?` for an open-ended work in progress).
    pub fn chapters_display(&self) -> String {
        match self.expected_chapters {
            Some(n) => format!("{}/{}", self.chapter_count, n),
            None => format!("{}/?", self.chapter_count),
        }
    }
}

/// Counters kept on the work row so that listings need no joins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkStats {
    pub hits: i64,
    pub kudos: i64,
    pub comments: i64,
    pub bookmarks: i64,
}

/// Where an imported work came from, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub archive: String,
    pub path: String,
    pub original_id: Option<String>,
    pub content_hash: String,
    /// Every header label and value, in original order and spelling.
    pub fields: Vec<(String, String)>,
    pub original_rating: Option<String>,
    pub imported_at: DateTime<Utc>,
}

/// What the visibility rule needs to know of a chapter.
pub trait ChapterPlace {
    fn work_id(&self) -> WorkId;
    fn posted(&self) -> bool;
}

impl ChapterPlace for Chapter {
    fn work_id(&self) -> WorkId {
        self.work_id
    }
    fn posted(&self) -> bool {
        self.posted
    }
}

impl ChapterPlace for ChapterHeading {
    fn work_id(&self) -> WorkId {
        self.work_id
    }
    fn posted(&self) -> bool {
        self.posted
    }
}

/// One chapter with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    pub id: ChapterId,
    pub work_id: WorkId,
    /// 1-based place among the work's chapters.
    pub position: i32,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    /// Sanitized HTML.
    pub content: String,
    pub word_count: i64,
    pub posted: bool,
    /// `None`: unknown (a chapter of a work whose files give no date).
    pub published: Option<NaiveDate>,
}

/// A chapter's entry in a work's chapter index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterHeading {
    pub id: ChapterId,
    pub work_id: WorkId,
    pub position: i32,
    pub title: Option<String>,
    pub posted: bool,
}

impl ChapterHeading {
    /// `1. Title` or `Chapter 1`, as AO3 writes it in the index.
    pub fn display(&self) -> String {
        match &self.title {
            Some(t) if !t.trim().is_empty() => format!("{}. {}", self.position, t),
            _ => format!("Chapter {}", self.position),
        }
    }
}

/// A work to insert. Text fields are already sanitized HTML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewWork {
    pub title: String,
    pub creators: Vec<PseudId>,
    pub rating: Rating,
    pub warnings: Vec<ArchiveWarning>,
    pub categories: Vec<Category>,
    /// Fandoms, relationships, characters and freeforms, in order.
    pub tags: Vec<(TagKind, String)>,
    pub language: String,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub expected_chapters: Option<i32>,
    pub complete: bool,
    /// `None`: the date is unknown (an import whose files give none).
    pub published: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub posted: bool,
    pub restricted: bool,
    pub stats: WorkStats,
    pub chapters: Vec<NewChapter>,
    /// Series the work belongs to, with its position in each.
    pub series: Vec<(SeriesId, i32)>,
    pub source: Option<NewSource>,
}

impl NewWork {
    /// Sum of the posted chapters' word counts: what readers can read, as AO3 counts it.
    pub fn word_count(&self) -> i64 {
        self.chapters
            .iter()
            .filter(|c| c.posted)
            .map(|c| c.word_count)
            .sum()
    }

    /// How many chapters are posted (the work row's `chapter_count`).
    pub fn posted_chapters(&self) -> i32 {
        i32::try_from(self.chapters.iter().filter(|c| c.posted).count()).unwrap_or(i32::MAX)
    }
}

/// What a creator edits of a work apart from its chapters (AO3's "Edit Work" form). Text
/// fields are already sanitized HTML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkMeta {
    pub title: String,
    pub rating: Rating,
    pub warnings: Vec<ArchiveWarning>,
    pub categories: Vec<Category>,
    /// Fandoms, relationships, characters and freeforms, in order.
    pub tags: Vec<(TagKind, String)>,
    pub language: String,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    /// `None` is AO3's `?`.
    pub expected_chapters: Option<i32>,
    /// Archive members only.
    pub restricted: bool,
}

impl WorkMeta {
    /// A new work of this metadata by `creators`, with its first chapter: a draft (its chapter
    /// unposted too) unless `post`, published `today`.
    pub fn into_new_work(
        self,
        creators: Vec<PseudId>,
        chapter: NewChapter,
        post: bool,
        today: NaiveDate,
    ) -> NewWork {
        let complete = self.expected_chapters == Some(1);
        NewWork {
            title: self.title,
            creators,
            rating: self.rating,
            warnings: self.warnings,
            categories: self.categories,
            tags: self.tags,
            language: self.language,
            summary: self.summary,
            notes: self.notes,
            end_notes: self.end_notes,
            expected_chapters: self.expected_chapters,
            complete,
            published: Some(today),
            updated: Some(today),
            posted: post,
            restricted: self.restricted,
            stats: WorkStats::default(),
            chapters: vec![NewChapter {
                posted: post,
                published: Some(today),
                ..chapter
            }],
            series: Vec::new(),
            source: None,
        }
    }

    /// The metadata of a stored work, to fill its edit form.
    pub fn of(work: &Work) -> WorkMeta {
        let names = |kind: TagKind| work.tags_of(kind).map(|t| t.name.clone());
        WorkMeta {
            title: work.title.clone(),
            rating: work.rating,
            warnings: names(TagKind::ArchiveWarning)
                .filter_map(|n| n.parse().ok())
                .collect(),
            categories: names(TagKind::Category)
                .filter_map(|n| n.parse().ok())
                .collect(),
            tags: work
                .tags
                .iter()
                .filter(|t| t.kind.is_free())
                .map(|t| (t.kind, t.name.clone()))
                .collect(),
            language: work.language.clone(),
            summary: work.summary.clone(),
            notes: work.notes.clone(),
            end_notes: work.end_notes.clone(),
            expected_chapters: work.expected_chapters,
            restricted: work.restricted,
        }
    }
}

/// A chapter to insert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewChapter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub content: String,
    pub word_count: i64,
    pub posted: bool,
    pub published: Option<NaiveDate>,
}

impl NewChapter {
    /// A posted chapter of already-clean HTML, its words counted by whitespace.
    pub fn posted(content: &str) -> Self {
        NewChapter {
            content: content.to_owned(),
            word_count: i64::try_from(content.split_whitespace().count()).unwrap_or(i64::MAX),
            posted: true,
            ..NewChapter::default()
        }
    }
}

/// Provenance of an imported work.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub archive: String,
    pub path: String,
    pub original_id: Option<String>,
    pub content_hash: String,
    pub fields: Vec<(String, String)>,
    pub original_rating: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_works_word_count_leaves_out_unposted_chapters() {
        let work = NewWork {
            chapters: vec![
                NewChapter::posted("one two three"),
                NewChapter {
                    posted: false,
                    ..NewChapter::posted("four five")
                },
            ],
            ..NewWork::default()
        };
        assert_eq!(work.word_count(), 3);
        assert_eq!(work.posted_chapters(), 1);
    }
}
