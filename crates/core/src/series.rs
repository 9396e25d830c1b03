//! Series: ordered sets of works.

use crate::work::WorkId;
use serde::{Deserialize, Serialize};

pub type SeriesId = i64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub id: SeriesId,
    pub title: String,
    pub summary: Option<String>,
    /// Sanitized HTML.
    #[serde(default)]
    pub notes: Option<String>,
    pub complete: bool,
    /// Works in order; only those the viewer may see are kept by the web layer.
    pub work_ids: Vec<WorkId>,
}

/// A work's place in a series, as shown in its meta block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPart {
    pub id: SeriesId,
    pub title: String,
    pub position: i32,
}
