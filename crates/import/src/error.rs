//! Why a file could not be imported: one line naming the file and the reason.

/// A file (or a dump) that failed as a whole; nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ImportError {
    /// The file's path relative to the import root.
    pub path: String,
    pub reason: ErrorReason,
}

/// The reason, with a stable machine-readable code (see [`ErrorReason::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorReason {
    #[error("not a text or HTML file (binary data at byte {0})")]
    Binary(usize),
    #[error("empty file")]
    Empty,
    #[error("no story text found")]
    NoBody,
    #[error("cannot read the file ({0})")]
    Io(String),
    #[error("not an eFiction dump: {0}")]
    NotEfiction(String),
    #[error("unsupported file: {0}")]
    Unsupported(String),
    #[error("the eFiction dump holds no stories")]
    EmptyDump,
    #[error("unreadable zip archive ({0})")]
    BadArchive(String),
    #[error("file too large ({} MiB; story files over {} MiB are not imported)", .size >> 20, .limit >> 20)]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "not valid UTF-8 at byte {0}, though the rest of the file is: fix or re-encode the file"
    )]
    InvalidUtf8(usize),
    #[error("the HTML ends before </body></html>: the file looks cut short")]
    TruncatedHtml,
    /// An EPUB that cannot be read: a damaged zip, no package document, no content.
    #[error("damaged EPUB: {0}")]
    BadEpub(String),
    /// An EPUB whose text is encrypted.
    #[error("the EPUB is DRM-protected ({0}): its text cannot be read; import a copy without DRM")]
    EpubDrm(String),
    /// An eFiction chapter whose file path cannot be trusted; the whole story fails.
    #[error("{0}; the chapter file is not read and nothing of this story is stored")]
    ChapterFileRefused(String),
    /// A WARC record or mirrored page that cannot be read (cut short, damaged).
    #[error("{0}")]
    BadCapture(String),
}

impl ErrorReason {
    /// Stable code for reports and the API.
    pub const fn code(&self) -> &'static str {
        match self {
            ErrorReason::Binary(_) => "file_not_text",
            ErrorReason::Empty => "file_empty",
            ErrorReason::NoBody => "file_no_body",
            ErrorReason::Io(_) => "file_unreadable",
            ErrorReason::NotEfiction(_) => "dump_not_efiction",
            ErrorReason::Unsupported(_) => "file_unsupported",
            ErrorReason::EmptyDump => "dump_empty",
            ErrorReason::BadArchive(_) => "archive_unreadable",
            ErrorReason::TooLarge { .. } => "file_too_large",
            ErrorReason::InvalidUtf8(_) => "file_invalid_utf8",
            ErrorReason::TruncatedHtml => "html_truncated",
            ErrorReason::ChapterFileRefused(_) => "chapter_file_refused",
            ErrorReason::BadEpub(_) => "epub_unreadable",
            ErrorReason::EpubDrm(_) => "epub_drm",
            ErrorReason::BadCapture(_) => "capture_unreadable",
        }
    }
}

impl ImportError {
    /// An error for `path`; control characters in the path are shown as spaces so that the
    /// message stays on one line.
    pub fn new(path: impl Into<String>, reason: ErrorReason) -> Self {
        let path: String = path.into();
        let path = if path.chars().any(char::is_control) {
            path.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        } else {
            path
        };
        ImportError { path, reason }
    }
}

impl From<quire_text::DecodeError> for ErrorReason {
    fn from(e: quire_text::DecodeError) -> Self {
        match e {
            quire_text::DecodeError::Binary { offset } => ErrorReason::Binary(offset),
        }
    }
}
