//! The [`SeriesEditing`] part of the store: what a series' creators do to it from the web
//! (make one, add a work at its end, edit its title, summary and notes, reorder, remove a
//! work, delete it). Every `Store` is also `SeriesEditing`.
//!
//! A series' creators are the users who made it or added a work to it, and the creators of
//! its works (so that imported series have some). Each write is one transaction with a
//! `series` outbox entry, and a `work` entry for each work whose series navigation changes.

use async_trait::async_trait;
use quire_core::{SeriesId, UserId, WorkId};

use crate::Result;
use crate::store::{NewSeries, SeriesSummary};

/// A series' own fields, as its edit form sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesEdit {
    pub title: String,
    /// Sanitized HTML.
    pub summary: Option<String>,
    /// Sanitized HTML.
    pub notes: Option<String>,
    pub complete: bool,
}

#[async_trait]
pub trait SeriesEditing: Send + Sync {
    /// Makes a series whose creator is `creator`.
    async fn create_own_series(&self, series: &NewSeries, creator: UserId) -> Result<SeriesId>;

    /// The series `user` may edit, by title, with how many works each holds (any state):
    /// the posting form's "Add to series" choices. Their own list; no visibility applies.
    async fn series_of_creator(&self, user: UserId) -> Result<Vec<SeriesSummary>>;

    /// Whether `user` is one of the series' creators.
    async fn is_series_creator(&self, series: SeriesId, user: UserId) -> Result<bool>;

    /// Puts the work at the end of the series, and its creators among the series' creators.
    /// A posted work tells the series' subscribers (those it has not told yet). False when
    /// the work was in the series already (nothing changes). `NotFound` for an unknown series.
    async fn add_to_series(&self, series: SeriesId, work: WorkId) -> Result<bool>;

    /// Sets the series' title, summary, notes and complete flag. `NotFound` when unknown.
    async fn edit_series(&self, series: SeriesId, edit: &SeriesEdit) -> Result<()>;

    /// Puts the series' works in this order, which must name each of them once (`Invalid`
    /// otherwise, changing nothing).
    async fn reorder_series(&self, series: SeriesId, order: &[WorkId]) -> Result<()>;

    /// Takes the work out of the series, closing the gap. False when it was not in it.
    async fn remove_from_series(&self, series: SeriesId, work: WorkId) -> Result<bool>;

    /// Deletes the series; its works stay. False when there was none.
    async fn delete_series(&self, series: SeriesId) -> Result<bool>;
}
