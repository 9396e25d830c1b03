//! Posting from the web: a creator's forms for their own works (`works.rs`) and chapters
//! (`chapters.rs`), their drafts (`drafts.rs`), the tag fields' suggestions
//! (`autocomplete.rs`), what the forms share (`form.rs`), the work form's creators and
//! co-creators section (`creators.rs`), and its gifts and series (`associations.rs`).
//!
//! Every page needs a signed-in account (guests are sent to log in) and every POST its CSRF
//! token. A work is found through the visibility rule first: one the asker may not see is
//! "not found" (a draft, to everyone but its creators and admins), one they may see but did
//! not create is 403. Creators edit; admins may also delete. A change that worked redirects
//! (303) to the page that shows it; a form with problems comes back (422) with everything
//! typed kept and each problem next to its field.

pub(crate) mod associations;
pub(crate) mod autocomplete;
pub(crate) mod chapters;
pub(crate) mod creators;
pub(crate) mod drafts;
pub(crate) mod form;
pub(crate) mod schedule;
pub(crate) mod works;

use quire_core::{User, Work};
use quire_text::TextFormat;

use super::works::visible_work;
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;

/// The work of a path's id, when `user` (signed in, or speaking through an API token) is
/// one of its creators; 404 when they
/// may not see it, 403 when they may see it but did not create it.
pub(crate) async fn own_work(
    state: &AppState,
    reader: &Reader,
    user: &User,
    raw_id: &str,
) -> Result<Work, AppError> {
    let (work, _) = visible_work(state, reader, raw_id).await?;
    if work.is_created_by(user.id) {
        Ok(work)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Like [`own_work`], admins too: who may delete a work.
pub(crate) async fn deletable_work(
    state: &AppState,
    reader: &Reader,
    user: &User,
    raw_id: &str,
) -> Result<Work, AppError> {
    let (work, _) = visible_work(state, reader, raw_id).await?;
    if work.is_created_by(user.id) || user.is_admin {
        Ok(work)
    } else {
        Err(AppError::Forbidden)
    }
}

/// What a form's preview shows: its texts as they will be stored.
pub(crate) struct Preview {
    pub title: String,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub chapter_title: Option<String>,
    pub content: Option<String>,
}

/// The formats a form offers.
pub(crate) const FORMATS: [TextFormat; 3] = TextFormat::ALL;

/// The date posting happens on.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
