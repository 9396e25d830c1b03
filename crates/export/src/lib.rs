//! Downloads of a work: EPUB 3 (with an EPUB 2 NCX), one self-contained HTML file, and plain
//! text with an old-archive header block; and Atom feeds of works ([`atom`]).
//!
//! Every format is built from a [`Book`]: a work and the chapters a reader may see. Deciding
//! who may see what is not done here — callers apply `quire_core::visibility` first — but a
//! book never holds an unposted chapter, whoever asks (as on AO3, downloads are of posted
//! chapters only). Output is deterministic: the same work gives the same bytes, so a download
//! can be cached and answered with an ETag.

pub mod atom;
mod epub;
mod error;
mod html;
mod links;
mod meta;
mod names;
mod preface;
pub mod testing;
mod txt;
mod xhtml;
mod xml;

pub use error::ExportError;
pub use names::{file_name, file_stem};

use quire_core::{Chapter, Work};

/// The download formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Epub,
    Html,
    Txt,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Epub, Format::Html, Format::Txt];

    /// The format a file extension names (`epub`, `html`, `txt`), case-insensitively.
    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(extension))
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Html => "html",
            Format::Txt => "txt",
        }
    }

    /// The `Content-Type` a download in this format is served with.
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Epub => "application/epub+zip",
            Format::Html => "text/html; charset=utf-8",
            Format::Txt => "text/plain; charset=utf-8",
        }
    }

    /// What readers call it, for link labels.
    pub const fn label(self) -> &'static str {
        match self {
            Format::Epub => "EPUB",
            Format::Html => "HTML",
            Format::Txt => "TXT",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Format, ExportError> {
        Format::from_extension(s).ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }
}

/// A work ready to be written out: its metadata and its posted chapters, in order.
#[derive(Debug, Clone)]
pub struct Book<'a> {
    pub work: &'a Work,
    chapters: Vec<&'a Chapter>,
    /// The archive's name: in the preface, and with the work id the EPUB's identifier.
    pub site_name: &'a str,
}

impl<'a> Book<'a> {
    /// The book of `work` with those of `chapters` that belong to it and are posted, ordered
    /// by position. `chapters` should already be what the reader may see (`can_view_chapter`).
    pub fn new(work: &'a Work, chapters: &'a [Chapter], site_name: &'a str) -> Book<'a> {
        let mut chapters: Vec<&Chapter> = chapters
            .iter()
            .filter(|c| c.posted && c.work_id == work.id)
            .collect();
        chapters.sort_by_key(|c| (c.position, c.id));
        Book {
            work,
            chapters,
            site_name,
        }
    }

    /// The chapters the book holds.
    pub fn chapters(&self) -> &[&'a Chapter] {
        &self.chapters
    }

    /// `Chapter 2: Title`, or `Chapter 2` for an untitled chapter. Chapters are numbered by
    /// their place in the book, so the numbers always count up from 1 without gaps (which is
    /// also what the plain-text importer reads as chapter headings).
    pub(crate) fn chapter_heading(number: usize, chapter: &Chapter) -> String {
        match chapter.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => format!("Chapter {number}: {title}"),
            _ => format!("Chapter {number}"),
        }
    }
}

/// Writes `book` in `format`.
pub fn render(format: Format, book: &Book<'_>) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Epub => epub::write(book),
        Format::Html => Ok(html::write(book).into_bytes()),
        Format::Txt => Ok(txt::write(book).into_bytes()),
    }
}
