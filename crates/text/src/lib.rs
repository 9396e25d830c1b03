//! Decoding, plain text and HTML to clean XHTML, word counts.
//!
//! Everything here is pure: bytes or strings in, strings out. The importer, the web forms and
//! the exporters share these functions so that a text is cleaned the same way wherever it
//! comes from.

pub mod decode;
pub mod escape;
pub mod format;
pub mod plain;
pub mod sanitize;
pub mod words;

pub use decode::{DecodeError, Decoded, decode, decode_with_label, normalize};
pub use escape::escape_text;
pub use format::TextFormat;
pub use plain::{is_scene_break, text_to_html, wrapped_text_to_html};
pub use sanitize::{html_to_text, sanitize_html};
pub use words::{word_count_html, word_count_text};
