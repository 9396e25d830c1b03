//! What can go wrong while writing a download.

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A format name or extension that is not `epub`, `html` or `txt`.
    #[error("unknown format `{0}`: use epub, html or txt")]
    UnknownFormat(String),
    /// The EPUB's zip container could not be written (only on an IO error of its buffer).
    #[error("cannot write the EPUB container: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the EPUB container: {0}")]
    Io(#[from] std::io::Error),
}
