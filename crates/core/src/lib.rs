//! Quire's domain: works, chapters, creators, tags and series, AO3's limits, and the one
//! visibility rule every read path goes through. Nothing here does IO.

pub mod gift;
pub mod json;
pub mod limits;
pub mod numbers;
pub mod privacy;
pub mod rating;
pub mod series;
pub mod tag;
pub mod user;
pub mod visibility;
pub mod work;

pub use gift::Gift;
pub use rating::{ArchiveWarning, Category, Rating};
pub use series::{Series, SeriesId, SeriesPart};
pub use tag::{Tag, TagId, TagKind};
pub use user::{Preferences, Pseud, PseudId, Role, User, UserId};
pub use visibility::{Access, Viewer};
pub use work::{Chapter, ChapterId, DATE_UNKNOWN, Work, WorkId, WorkStats, day_or_unknown};
