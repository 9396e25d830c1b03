//! Legacy archive import: format detection and parsers.
