//! The work JSON of API v1 and of the import report (DESIGN.md, "Work JSON"): one shape,
//! built from a stored [`Work`] here, and from a parsed legacy work by the importer.

use crate::privacy::{mask_emails, mask_emails_opt};
use crate::series::SeriesId;
use crate::tag::TagKind;
use crate::work::{Work, WorkId, WorkStats};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A work as clients and import reports see it. This shape is public: e-mail addresses in
/// an imported work's title, summary, notes and `source` fields are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkJson {
    /// `None` for a work not stored (a dry run).
    #[schema(value_type = Option<i64>)]
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
    /// Who the work is for: each recipient's name (a pseud, or a name typed by the creator),
    /// in order; gifts their recipients refused are left out. Always given by the API; not
    /// part of an import report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gifts: Option<Vec<String>>,
    pub stats: StatsJson,
    pub source: Option<SourceJson>,
}

/// A work's place in a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SeriesJson {
    /// `None` for a series not stored (a dry run).
    #[schema(value_type = Option<i64>)]
    pub id: Option<SeriesId>,
    pub title: String,
    pub position: i32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
        // Imported text may hold anyone's address; what people post themselves is theirs to show.
        let imported = work.source.is_some();
        let public = |text: &str| {
            if imported {
                mask_emails(text)
            } else {
                text.to_owned()
            }
        };
        let public_opt = |text: &Option<String>| {
            if imported {
                mask_emails_opt(text.as_deref())
            } else {
                text.clone()
            }
        };
        WorkJson {
            id: Some(work.id),
            title: public(&work.title),
            authors: work.creators.iter().map(|p| p.name.clone()).collect(),
            rating: work.rating.name().to_owned(),
            warnings: WorkJson::names(work, TagKind::ArchiveWarning),
            categories: WorkJson::names(work, TagKind::Category),
            fandoms: WorkJson::names(work, TagKind::Fandom),
            relationships: WorkJson::names(work, TagKind::Relationship),
            characters: WorkJson::names(work, TagKind::Character),
            freeforms: WorkJson::names(work, TagKind::Freeform),
            language: work.language.clone(),
            summary: public_opt(&work.summary),
            notes: public_opt(&work.notes),
            end_notes: public_opt(&work.end_notes),
            word_count: work.word_count,
            chapter_count: work.chapter_count,
            expected_chapters: work.expected_chapters,
            complete: work.complete,
            published: work.published,
            updated: work.updated,
            series: work
                .series
                .iter()
                .map(|s| SeriesJson {
                    id: Some(s.id),
                    title: s.title.clone(),
                    position: s.position,
                })
                .collect(),
            gifts: Some(work.gifts.iter().map(|g| g.name.clone()).collect()),
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

    fn work(source: Option<crate::work::Source>) -> Work {
        let day = NaiveDate::from_ymd_opt(2004, 3, 14).expect("a date");
        Work {
            id: 1,
            title: "Letters to jo@example.org".into(),
            creators: vec![],
            rating: crate::Rating::GeneralAudiences,
            tags: vec![],
            language: "en".into(),
            summary: Some("<p>Write to jo@example.org</p>".into()),
            notes: Some("<p>Or to <a href=\"mailto:jo@example.org\">me</a></p>".into()),
            end_notes: Some("<p>jo@example.org</p>".into()),
            word_count: 10,
            chapter_count: 1,
            expected_chapters: Some(1),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: true,
            restricted: false,
            hidden_by_admin: false,
            series: vec![],
            gifts: Vec::new(),
            stats: WorkStats::default(),
            source,
        }
    }

    #[test]
    fn an_imported_works_text_is_public_with_addresses_masked() {
        let json = WorkJson::from(&work(Some(crate::work::Source {
            archive: "Old Archive".into(),
            path: "a.txt".into(),
            original_id: None,
            content_hash: "h".into(),
            fields: vec![],
            original_rating: None,
            imported_at: chrono::DateTime::UNIX_EPOCH,
        })));
        let text = serde_json::to_string(&json).expect("json");
        assert!(!text.contains("jo@"), "{text}");
        assert_eq!(
            json.summary.as_deref(),
            Some("<p>Write to j…@example.org</p>")
        );
        assert_eq!(json.title, "Letters to j…@example.org");
    }

    #[test]
    fn gifts_are_given_by_recipient_name() {
        let mut given = work(None);
        given.gifts = vec![
            crate::gift::Gift {
                name: "Wren".into(),
                login: Some("mira".into()),
            },
            crate::gift::Gift {
                name: "my sister".into(),
                login: None,
            },
        ];
        let json = WorkJson::from(&given);
        assert_eq!(
            json.gifts,
            Some(vec!["Wren".to_owned(), "my sister".to_owned()])
        );
        let text = serde_json::to_string(&WorkJson::from(&work(None))).expect("json");
        assert!(text.contains(r#""gifts":[]"#), "{text}");
    }

    #[test]
    fn a_posted_works_text_is_left_as_its_creator_wrote_it() {
        let json = WorkJson::from(&work(None));
        assert_eq!(
            json.summary.as_deref(),
            Some("<p>Write to jo@example.org</p>")
        );
    }
}
