//! The [`Pseuds`] part of the store: a user's several pseuds (the names works are published
//! under, AO3's rules), each with a description and its works, and the user's profile ("About"
//! text and title). Every `Store` is also `Pseuds`.
//!
//! Names are checked by the caller (`quire_core::user::check_pseud_name`) and texts sanitized
//! by it; the store keeps names unique per user case-insensitively (`Conflict`) and says
//! `NotFound` for a pseud that is not the user's. Writes that change what work pages or
//! listings show (a rename, a deletion that moves works) append a `work` outbox entry per work;
//! the rest a `user` entry.

use async_trait::async_trait;
use quire_core::visibility::ListingScope;
use quire_core::{Pseud, PseudId, UserId, Work, WorkId};

use crate::{Page, Result};

/// A pseud with what its page and the user's pseud list show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PseudInfo {
    pub pseud: Pseud,
    /// Sanitized HTML.
    pub description: Option<String>,
    /// Works credited to the pseud that the listing scope admits.
    pub works: i64,
}

/// A pseud to create, or what to change it to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PseudForm {
    pub name: String,
    /// Sanitized HTML.
    pub description: Option<String>,
}

/// A user's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub title: Option<String>,
    /// Sanitized HTML.
    pub about: Option<String>,
}

#[async_trait]
pub trait Pseuds: Send + Sync {
    /// The user's pseuds, the default first then by name, each with the number of its works
    /// `scope` lists.
    async fn pseud_list(&self, user: UserId, scope: ListingScope) -> Result<Vec<PseudInfo>>;

    /// One of the user's pseuds by name (any case), as [`Pseuds::pseud_list`] gives it.
    async fn pseud_named(
        &self,
        user: UserId,
        name: &str,
        scope: ListingScope,
    ) -> Result<Option<PseudInfo>>;

    /// Every user's pseuds of this name (any case), by login: whom a co-creator field names.
    async fn pseuds_called(&self, name: &str) -> Result<Vec<Pseud>>;

    /// Adds a pseud to a user. `Conflict` when the user has one of that name (any case).
    async fn create_pseud(&self, user: UserId, pseud: &PseudForm) -> Result<Pseud>;

    /// Renames a pseud and replaces its description. `NotFound` when it is not the user's,
    /// `Conflict` when another of theirs has the name. The works credited to it, whose
    /// pages show its name.
    async fn update_pseud(
        &self,
        user: UserId,
        id: PseudId,
        pseud: &PseudForm,
    ) -> Result<Vec<WorkId>>;

    /// Makes the pseud the user's default (the others stop being it). `NotFound` when it is
    /// not the user's.
    async fn set_default_pseud(&self, user: UserId, id: PseudId) -> Result<()>;

    /// Deletes a pseud; its works and comments move to the user's default pseud (a work
    /// that credits both keeps the default once), as AO3 does. `Conflict` for the default
    /// pseud, `NotFound` when it is not the user's. The works that moved.
    async fn delete_pseud(&self, user: UserId, id: PseudId) -> Result<Vec<WorkId>>;

    /// Listable works credited to the pseud, most recently updated first, with their number.
    async fn works_by_pseud(
        &self,
        pseud: PseudId,
        scope: ListingScope,
        page: Page,
    ) -> Result<(Vec<Work>, i64)>;

    /// The user's profile (empty when never written).
    async fn profile(&self, user: UserId) -> Result<Profile>;

    /// Replaces the user's profile.
    async fn set_profile(&self, user: UserId, profile: &Profile) -> Result<()>;
}
