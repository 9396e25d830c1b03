//! What a parser produces: one work, plain data, ready to be reported or stored.

use crate::profile::Profile;
use chrono::NaiveDate;
use quire_core::json::{SeriesJson, SourceJson, StatsJson, WorkJson};
use quire_core::privacy::{mask_emails, mask_emails_opt};
use quire_core::work::{NewChapter, NewSource, NewWork};
use quire_core::{ArchiveWarning, Category, PseudId, Rating, TagKind, WorkStats};
use sha2::{Digest, Sha256};

/// AO3's fandom for works that name none.
pub const UNSPECIFIED_FANDOM: &str = "Unspecified Fandom";

/// The layout a work was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A plain-text story page (archive line, title, by line, header block, body), or a file
    /// with no header at all.
    PlainText,
    /// A mailing-list post: header block, separator, body.
    MailingList,
    /// Usenet or e-mail posts (an mbox or a single post with RFC 822 headers).
    Mbox,
    /// An archive's HTML story page (eFiction `viewstory.php` saves, hand-made pages).
    HtmlPage,
    /// An AO3 HTML download.
    Ao3Html,
    /// FanFicFare's TXT output.
    FanFicFareText,
    /// FanFicFare's HTML output.
    FanFicFareHtml,
    /// One story of an eFiction 3 dump.
    Efiction,
    /// An EPUB (AO3, FanFicFare, Quire's own, or any EPUB 2 or 3).
    Epub,
}

impl Format {
    /// A stable name for reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::PlainText => "plain_text",
            Format::MailingList => "mailing_list",
            Format::Mbox => "mbox",
            Format::HtmlPage => "html_page",
            Format::Ao3Html => "ao3_html",
            Format::FanFicFareText => "fanficfare_txt",
            Format::FanFicFareHtml => "fanficfare_html",
            Format::Efiction => "efiction",
            Format::Epub => "epub",
        }
    }
}

/// One chapter as read from a file: the store's insert form, its text sanitized HTML.
pub use quire_core::work::NewChapter as ParsedChapter;

/// A posted chapter of sanitized HTML, its words counted by Unicode word boundaries.
pub fn chapter_of(content: String) -> ParsedChapter {
    ParsedChapter {
        word_count: quire_text::word_count_html(&content),
        content,
        posted: true,
        ..ParsedChapter::default()
    }
}

/// One work read from a legacy file, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedWork {
    /// Path relative to the import root, plus `#<Message-ID>` for an mbox post or `#sid=<n>`
    /// for an eFiction story. With the archive name, the work's source identity.
    pub source_id: String,
    /// The file's path relative to the import root.
    pub path: String,
    pub format: Format,
    /// The archive name the file names (an archive line, an eFiction site name).
    pub archive: Option<String>,
    /// The id the work had in its archive (eFiction sid, AO3 work id, Message-ID).
    pub original_id: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    /// (author, address) pairs: stored, never shown publicly.
    pub author_emails: Vec<(String, String)>,
    pub rating: Rating,
    /// The rating text as written (`NC17. Because…`).
    pub original_rating: Option<String>,
    pub warnings: Vec<ArchiveWarning>,
    pub categories: Vec<Category>,
    /// Fandoms, relationships, characters and freeforms, in order.
    pub tags: Vec<(TagKind, String)>,
    /// ISO 639-1 code where known.
    pub language: String,
    /// Sanitized HTML.
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub chapters: Vec<ParsedChapter>,
    pub expected_chapters: Option<i32>,
    pub complete: bool,
    pub published: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    /// False for drafts (eFiction stories awaiting validation).
    pub posted: bool,
    /// (series title, position in it).
    pub series: Vec<(String, i32)>,
    /// Every header label and value, verbatim and in order.
    pub fields: Vec<(String, String)>,
    /// What an archivist should look at (`no fandom given`).
    pub needs_review: Vec<String>,
    /// What the import did that a person may want to know (`end marker `END` dropped`).
    pub report_notes: Vec<String>,
    /// The end marker dropped from the body, if any.
    pub end_marker: Option<String>,
    /// The encoding the file was read in.
    pub encoding: String,
    /// SHA-256 of the bytes the work was read from, hex.
    pub content_hash: String,
}

impl ParsedWork {
    /// An empty work read from `path`.
    pub fn new(path: &str, format: Format, encoding: &str, content_hash: String) -> Self {
        ParsedWork {
            source_id: path.to_owned(),
            path: path.to_owned(),
            format,
            archive: None,
            original_id: None,
            title: String::new(),
            authors: Vec::new(),
            author_emails: Vec::new(),
            rating: Rating::NotRated,
            original_rating: None,
            warnings: Vec::new(),
            categories: Vec::new(),
            tags: Vec::new(),
            language: String::new(),
            summary: None,
            notes: None,
            end_notes: None,
            chapters: Vec::new(),
            expected_chapters: None,
            complete: false,
            published: None,
            updated: None,
            posted: true,
            series: Vec::new(),
            fields: Vec::new(),
            needs_review: Vec::new(),
            report_notes: Vec::new(),
            end_marker: None,
            encoding: encoding.to_owned(),
            content_hash,
        }
    }

    /// Sum of the posted chapters' word counts: what readers can read, as the store counts.
    pub fn word_count(&self) -> i64 {
        self.chapters
            .iter()
            .filter(|c| c.posted)
            .map(|c| c.word_count)
            .sum()
    }

    /// The work's tags of one kind, in order.
    pub fn tags_of(&self, kind: TagKind) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// The first value of a field, by label (case-insensitive).
    pub fn field(&self, label: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }

    /// The fields as the public may see them: e-mail addresses masked.
    pub fn public_fields(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|(l, v)| (l.clone(), mask_emails(v)))
            .collect()
    }

    /// Adds a tag unless the work has it already (case-insensitively, within its kind).
    pub fn add_tag(&mut self, kind: TagKind, name: &str) {
        let name = name.trim();
        if name.is_empty()
            || self
                .tags
                .iter()
                .any(|(k, n)| *k == kind && n.eq_ignore_ascii_case(name))
        {
            return;
        }
        self.tags.push((kind, name.to_owned()));
    }

    pub fn add_warning(&mut self, w: ArchiveWarning) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    pub fn add_category(&mut self, c: Category) {
        if !self.categories.contains(&c) {
            self.categories.push(c);
        }
    }

    pub fn add_author(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() && !self.authors.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            self.authors.push(name.to_owned());
        }
    }

    /// Fills in what the file did not say, from the profile or AO3's defaults, and notes it
    /// for review. Every parser calls this last.
    pub fn finalize(&mut self, profile: &Profile) {
        if self.title.trim().is_empty() {
            let stem = std::path::Path::new(&self.path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.title = if stem.is_empty() {
                "Untitled".to_owned()
            } else {
                stem
            };
            self.needs_review
                .push("no title given: title taken from the file name".to_owned());
        }
        if self.authors.is_empty() {
            let author = profile
                .default_author
                .as_deref()
                .unwrap_or("Anonymous")
                .to_owned();
            self.authors.push(author);
            self.needs_review.push("no author given".to_owned());
        }
        if self.tags_of(TagKind::Fandom).is_empty() {
            let fandom = profile
                .default_fandom
                .as_deref()
                .unwrap_or(UNSPECIFIED_FANDOM)
                .to_owned();
            self.tags.insert(0, (TagKind::Fandom, fandom));
            self.needs_review.push("no fandom given".to_owned());
        }
        if self.warnings.is_empty() {
            self.warnings.push(ArchiveWarning::CreatorChoseNotToUse);
        }
        if self.language.trim().is_empty() {
            self.language = profile
                .default_language
                .clone()
                .unwrap_or_else(|| "en".to_owned());
        }
        if self.complete && self.expected_chapters.is_none() {
            self.expected_chapters = i32::try_from(self.chapters.len()).ok();
        }
        if self.published.is_none() {
            self.published = self.chapters.iter().filter_map(|c| c.published).min();
        }
        if self.updated.is_none() {
            self.updated = self
                .chapters
                .iter()
                .filter_map(|c| c.published)
                .max()
                .or(self.published);
        }
        if let (Some(p), Some(u)) = (self.published, self.updated)
            && u < p
        {
            self.updated = Some(p);
        }
        if self.published.is_none() {
            // Stored without a date: its pages say "date unknown", and it sorts last.
            self.needs_review
                .push("no date given: published date unknown".to_owned());
        }
    }

    /// Like [`ParsedWork::to_new_work`], moving the chapters' text out of the parsed work
    /// instead of copying it (the parsed work is left without chapters).
    pub fn take_new_work(&mut self, archive: &str, creators: Vec<PseudId>) -> NewWork {
        let chapters = std::mem::take(&mut self.chapters);
        let mut new = self.to_new_work(archive, creators);
        new.chapters = chapters
            .into_iter()
            .map(|c| NewChapter {
                posted: c.posted && self.posted,
                ..c
            })
            .collect();
        new
    }

    /// The insert form for the store. `archive` is the resolved archive name, `creators` the
    /// pseuds made for [`ParsedWork::authors`] (in order). A work whose file gives no date is
    /// stored without one ("date unknown"), never with the import day.
    pub fn to_new_work(&self, archive: &str, creators: Vec<PseudId>) -> NewWork {
        NewWork {
            title: self.title.clone(),
            creators,
            rating: self.rating,
            warnings: self.warnings.clone(),
            categories: self.categories.clone(),
            tags: self.tags.clone(),
            language: self.language.clone(),
            summary: self.summary.clone(),
            notes: self.notes.clone(),
            end_notes: self.end_notes.clone(),
            expected_chapters: self.expected_chapters,
            complete: self.complete,
            published: self.published,
            updated: self.updated.or(self.published),
            posted: self.posted,
            restricted: false,
            stats: WorkStats::default(),
            chapters: self
                .chapters
                .iter()
                .map(|c| NewChapter {
                    posted: c.posted && self.posted,
                    ..c.clone()
                })
                .collect(),
            source: Some(NewSource {
                archive: archive.to_owned(),
                path: self.source_id.clone(),
                original_id: self.original_id.clone(),
                content_hash: self.content_hash.clone(),
                fields: self.fields.clone(),
                original_rating: self.original_rating.clone(),
            }),
            // Series are resolved by title in the store ([`ParsedWork::series`]).
            ..NewWork::default()
        }
    }
}

impl ParsedWork {
    /// The work JSON of the import report for a work not (yet) stored: `id` null, series
    /// without ids, e-mail addresses masked. `archive` is the resolved archive name.
    pub fn to_json(&self, archive: &str) -> WorkJson {
        let names = |kind| self.tags_of(kind).into_iter().map(str::to_owned).collect();
        let chapters = self.chapters.iter().filter(|c| c.posted && self.posted);
        WorkJson {
            id: None,
            title: mask_emails(&self.title),
            authors: self.authors.clone(),
            rating: self.rating.name().to_owned(),
            warnings: self.warnings.iter().map(|w| w.name().to_owned()).collect(),
            categories: self
                .categories
                .iter()
                .map(|c| c.name().to_owned())
                .collect(),
            fandoms: names(TagKind::Fandom),
            relationships: names(TagKind::Relationship),
            characters: names(TagKind::Character),
            freeforms: names(TagKind::Freeform),
            language: self.language.clone(),
            summary: mask_emails_opt(self.summary.as_deref()),
            notes: mask_emails_opt(self.notes.as_deref()),
            end_notes: mask_emails_opt(self.end_notes.as_deref()),
            word_count: self.word_count(),
            chapter_count: i32::try_from(chapters.count()).unwrap_or(i32::MAX),
            expected_chapters: self.expected_chapters,
            complete: self.complete,
            published: self.published,
            updated: self.updated.or(self.published),
            series: self
                .series
                .iter()
                .map(|(title, position)| SeriesJson {
                    id: None,
                    title: title.clone(),
                    position: *position,
                })
                .collect(),
            gifts: None,
            stats: StatsJson::default(),
            source: Some(SourceJson::public(
                archive,
                &self.source_id,
                self.original_rating.as_deref(),
                &self.fields,
            )),
        }
    }
}

/// SHA-256 of some bytes, lowercase hex.
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
