//! The work JSON of API v1 and of the import report (DESIGN.md, "Work JSON"): one shape,
//! built from a stored [`Work`] here, and from a parsed legacy work by the importer.

use crate::privacy::mask_emails;
use crate::series::SeriesId;
use crate::tag::TagKind;
use crate::work::{Work, WorkId, WorkStats};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A work as clients and import reports see it. E-mail addresses in `source.fields` are
/// masked: this shape is public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkJson {
    /// `None` for a work not stored (a dry run).
    pub id: Option<WorkId>,
    pub title: String,
    /// Creator names (pseuds), in order.
    pub authors: Vec<String>,
    pub rating: String,
    pub warnings: Vec<String>,
    pub categories: Vec<String>,
    pub fandoms: Vec<String>,
    pub relationships: Vec<String>,
    pub characters: Vec<String>,
    pub freeforms: Vec<String>,
    pub language: String,
    /// Sanitized HTML.
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub word_count: i64,
    pub chapter_count: i32,
    pub expected_chapters: Option<i32>,
    pub complete: bool,
    pub published: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub series: Vec<SeriesJson>,
    pub stats: StatsJson,
    pub source: Option<SourceJson>,
}

/// A work's place in a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesJson {
    /// `None` for a series not stored (a dry run).
    pub id: Option<SeriesId>,
    pub title: String,
    pub position: i32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsJson {
    pub hits: i64,
    pub kudos: i64,
    pub comments: i64,
    pub bookmarks: i64,
}

impl From<WorkStats> for StatsJson {
    fn from(s: WorkStats) -> Self {
        StatsJson {
            hits: s.hits,
            kudos: s.kudos,
            comments: s.comments,
            bookmarks: s.bookmarks,
        }
    }
}

/// Where an imported work came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceJson {
    pub archive: String,
    /// The source id: the path relative to the import root, with `#…` or `!…` where the
    /// file held several works.
    pub path: String,
    pub original_rating: Option<String>,
    /// Every header label and value, in original order; e-mail addresses masked.
    pub fields: Vec<(String, String)>,
}

impl SourceJson {
    /// The public form of a source: addresses in the fields masked.
    pub fn public(
        archive: &str,
        path: &str,
        original_rating: Option<&str>,
        fields: &[(String, String)],
    ) -> Self {
        SourceJson {
            archive: archive.to_owned(),
            path: path.to_owned(),
            original_rating: original_rating.map(mask_emails),
            fields: fields
                .iter()
                .map(|(label, value)| (label.clone(), mask_emails(value)))
                .collect(),
        }
    }
}

impl WorkJson {
    /// Tag names of one kind, in order.
    fn names(work: &Work, kind: TagKind) -> Vec<String> {
        work.tags_of(kind).map(|t| t.name.clone()).collect()
    }
}

impl From<&Work> for WorkJson {
    fn from(work: &Work) -> Self {
        WorkJson {
            id: Some(work.id),
            title: work.title.clone(),
            authors: work.creators.iter().map(|p| p.name.clone()).collect(),
            rating: work.rating.name().to_owned(),
            warnings: WorkJson::names(work, TagKind::ArchiveWarning),
            categories: WorkJson::names(work, TagKind::Category),
            fandoms: WorkJson::names(work, TagKind::Fandom),
            relationships: WorkJson::names(work, TagKind::Relationship),
            characters: WorkJson::names(work, TagKind::Character),
            freeforms: WorkJson::names(work, TagKind::Freeform),
            language: work.language.clone(),
            summary: work.summary.clone(),
            notes: work.notes.clone(),
            end_notes: work.end_notes.clone(),
            word_count: work.word_count,
            chapter_count: work.chapter_count,
            expected_chapters: work.expected_chapters,
            complete: work.complete,
            published: Some(work.published),
            updated: Some(work.updated),
            series: work
                .series
                .iter()
                .map(|s| SeriesJson {
                    id: Some(s.id),
                    title: s.title.clone(),
                    position: s.position,
                })
                .collect(),
            stats: work.stats.into(),
            source: work.source.as_ref().map(|s| {
                SourceJson::public(&s.archive, &s.path, s.original_rating.as_deref(), &s.fields)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_fields_are_public_with_addresses_masked() {
        let source = SourceJson::public(
            "Old Archive",
            "a.txt",
            Some("R"),
            &[("Email".into(), "kmarlowe@example.net".into())],
        );
        assert_eq!(source.fields[0].1, "k…@example.net");
    }
}
