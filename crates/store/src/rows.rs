//! Database rows and their conversion into domain types. Shared by both backends.

use crate::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use quire_core::work::{ChapterHeading, Source, WorkStats};
use quire_core::{Chapter, Pseud, Rating, Tag, TagKind, User, Work};

#[derive(sqlx::FromRow)]
pub struct WorkRow {
    pub id: i64,
    pub title: String,
    pub rating: String,
    pub language: String,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub word_count: i64,
    pub chapter_count: i32,
    pub expected_chapters: Option<i32>,
    pub complete: bool,
    pub published: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub posted: bool,
    pub restricted: bool,
    pub hidden_by_admin: bool,
    pub hits: i64,
    pub kudos: i64,
    pub comments: i64,
    pub bookmarks: i64,
}

impl WorkRow {
    /// The work without its creators, tags, series and source, which come from other tables.
    pub fn into_work(self) -> Result<Work> {
        let rating: Rating = self
            .rating
            .parse()
            .map_err(|e: quire_core::rating::UnknownName| StoreError::Invalid(e.to_string()))?;
        Ok(Work {
            id: self.id,
            title: self.title,
            creators: Vec::new(),
            rating,
            tags: Vec::new(),
            language: self.language,
            summary: self.summary,
            notes: self.notes,
            end_notes: self.end_notes,
            word_count: self.word_count,
            chapter_count: self.chapter_count,
            expected_chapters: self.expected_chapters,
            complete: self.complete,
            published: self.published,
            updated: self.updated,
            posted: self.posted,
            restricted: self.restricted,
            hidden_by_admin: self.hidden_by_admin,
            series: Vec::new(),
            gifts: Vec::new(),
            stats: WorkStats {
                hits: self.hits,
                kudos: self.kudos,
                comments: self.comments,
                bookmarks: self.bookmarks,
            },
            source: None,
        })
    }
}

/// A pseud with the work it is a creator of.
#[derive(sqlx::FromRow)]
pub struct CreatorRow {
    pub work_id: i64,
    #[sqlx(flatten)]
    pub pseud: PseudRow,
}

#[derive(sqlx::FromRow)]
pub struct PseudRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub login: String,
    pub is_default: bool,
}

impl From<PseudRow> for Pseud {
    fn from(r: PseudRow) -> Self {
        Pseud {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            login: r.login,
            is_default: r.is_default,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct WorkTagRow {
    pub work_id: i64,
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub canonical: bool,
}

impl WorkTagRow {
    pub fn into_tag(self) -> Result<Tag> {
        Ok(Tag {
            id: self.id,
            kind: self
                .kind
                .parse::<TagKind>()
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
            name: self.name,
            canonical: self.canonical,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SeriesPartRow {
    pub work_id: i64,
    pub id: i64,
    pub title: String,
    pub position: i32,
}

#[derive(sqlx::FromRow)]
pub struct SourceRow {
    pub work_id: i64,
    pub archive: String,
    pub path: String,
    pub original_id: Option<String>,
    pub content_hash: String,
    pub fields: String,
    pub original_rating: Option<String>,
    pub imported_at: DateTime<Utc>,
}

impl SourceRow {
    pub fn into_source(self) -> Result<Source> {
        let fields: Vec<(String, String)> = serde_json::from_str(&self.fields).map_err(|e| {
            StoreError::Invalid(format!("source fields of work {}: {e}", self.work_id))
        })?;
        Ok(Source {
            archive: self.archive,
            path: self.path,
            original_id: self.original_id,
            content_hash: self.content_hash,
            fields,
            original_rating: self.original_rating,
            imported_at: self.imported_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ChapterRow {
    pub id: i64,
    pub work_id: i64,
    pub position: i32,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub content: String,
    pub word_count: i64,
    pub posted: bool,
    pub published: Option<NaiveDate>,
}

impl From<ChapterRow> for Chapter {
    fn from(r: ChapterRow) -> Self {
        Chapter {
            id: r.id,
            work_id: r.work_id,
            position: r.position,
            title: r.title,
            summary: r.summary,
            notes: r.notes,
            end_notes: r.end_notes,
            content: r.content,
            word_count: r.word_count,
            posted: r.posted,
            published: r.published,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ChapterHeadingRow {
    pub id: i64,
    pub work_id: i64,
    pub position: i32,
    pub title: Option<String>,
    pub posted: bool,
}

impl From<ChapterHeadingRow> for ChapterHeading {
    fn from(r: ChapterHeadingRow) -> Self {
        ChapterHeading {
            id: r.id,
            work_id: r.work_id,
            position: r.position,
            title: r.title,
            posted: r.posted,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub is_admin: bool,
    pub claimed: bool,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            login: r.login,
            is_admin: r.is_admin,
            claimed: r.claimed,
        }
    }
}

/// Columns selected for a [`WorkRow`].
pub const WORK_COLUMNS: &str = "id, title, rating, language, summary, notes, end_notes, \
    word_count, chapter_count, expected_chapters, complete, published, updated, posted, \
    restricted, hidden_by_admin, hits, kudos, comments, bookmarks";

/// Columns selected for a [`ChapterRow`].
pub const CHAPTER_COLUMNS: &str = "id, work_id, position, title, summary, notes, end_notes, content, word_count, posted, published";

/// A tag with its wrangling columns.
#[derive(sqlx::FromRow)]
pub struct TagRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub canonical: bool,
    pub merger_id: Option<i64>,
}

impl TagRow {
    /// The columns, in [`TagRow`]'s order, of `tags` aliased `t`.
    pub const COLUMNS: &'static str = "t.id, t.kind, t.name, t.canonical, t.merger_id";

    pub fn into_tag(self) -> Result<Tag> {
        WorkTagRow {
            work_id: 0,
            id: self.id,
            kind: self.kind,
            name: self.name,
            canonical: self.canonical,
        }
        .into_tag()
    }
}
