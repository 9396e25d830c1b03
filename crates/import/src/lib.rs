//! Legacy archive import: format detection and parsers for old fan-fiction archives
//! (plain-text story pages, mailing-list and Usenet posts, archive and AO3 HTML, FanFicFare,
//! eFiction 3 dumps, web mirrors and WARC crawls), the rating/warning/category maps and archive profiles; and the
//! [`pipeline`] that stores parsed works in an archive and reports on them.
//!
//! Parsing never panics and never stores anything: every file gives works or a one-line
//! error. What to keep is decided by the pipeline (source identity, content hash), which
//! alone talks to the store.

pub mod ao3;
pub mod body;
pub mod dates;
pub mod detect;
mod dom;
pub mod efiction;
pub mod epub;
pub mod error;
pub mod fanficfare;
pub mod header;
mod html_header;
pub mod html_page;
mod html_print;
mod html_segments;
mod html_title;
pub mod mailbox;
pub mod mbox;
pub mod mirror;
pub mod opening;
pub mod pipeline;
pub mod plaintext;
pub mod profile;
pub mod rating_map;
pub mod walk;
pub mod work;
pub mod wrangling;
pub mod zip_archive;

pub use detect::{Detected, detect};
pub use error::{ErrorReason, ImportError};
pub use profile::{DateOrder, Profile, SiteProfile};
pub use walk::{
    Entry, count_files, parse_bytes, parse_file, parse_path, parse_path_each, parse_path_sites,
};
pub use work::{Format, ParsedChapter, ParsedWork};
