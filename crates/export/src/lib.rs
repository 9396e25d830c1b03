//! EPUB, HTML, TXT and Atom export.
