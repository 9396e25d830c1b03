//! Posting a chapter later: the chapter form's "Post this chapter later, at" time, read in
//! the creator's time zone (their preference), and `post_now` for a scheduled chapter.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDateTime, Utc};
use quire_core::work::NewChapter;

use super::chapters::own_chapter;
use super::form::Problems;
use super::today;
use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::routes::forms::done;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::zone::{Instant, Zone};

/// The time a `datetime-local` field holds (`2026-12-01T09:00`, seconds optional), as an
/// instant in `zone`, which must be after `now`; `None` with a problem on `post_at` otherwise.
pub(crate) fn read_post_at(
    raw: &str,
    zone: &Zone,
    now: DateTime<Utc>,
    problems: &mut Problems,
) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        problems.add(
            "post_at",
            "post_at_missing",
            "Give the date and time to post this chapter at.",
        );
        return None;
    }
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok());
    let Some(local) = local else {
        problems.add(
            "post_at",
            "post_at_invalid",
            format!("`{raw}` is not a date and time: give one like 2026-12-01T09:00."),
        );
        return None;
    };
    // A time the clocks jump over is refused rather than moved: the creator chooses the
    // hour their chapter posts at, not the server.
    let at = match zone.to_utc(local) {
        Instant::At(at) => at,
        Instant::Skipped => {
            problems.add(
                "post_at",
                "post_at_skipped",
                format!(
                    "There is no {} in {}: the clocks go forward over it that day. Choose a time before or after the change.",
                    local.format("%H:%M on %Y-%m-%d"),
                    zone.name
                ),
            );
            return None;
        }
    };
    if at <= now {
        problems.add(
            "post_at",
            "post_at_past",
            format!(
                "{} has passed: choose a time in the future to post this chapter later, or post it now.",
                zone.show(at.timestamp())
            ),
        );
        return None;
    }
    Some(at.timestamp())
}

/// `POST /works/{id}/chapters/{chapter_id}/post`: posts a scheduled (or any unposted)
/// chapter of a posted work now, as it is.
pub async fn post_now(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (work, chapter) =
        own_chapter(&state, &reader, &signed_in.user, &raw_id, &raw_chapter).await?;
    if !work.posted {
        return Err(AppError::invalid(
            "A draft's chapters are posted with the work: post the work.".to_owned(),
        ));
    }
    let url = format!("/works/{}/chapters/{}", work.id, chapter.id);
    if chapter.posted {
        return Ok(done(&url));
    }
    let edit = NewChapter {
        title: chapter.title,
        summary: chapter.summary,
        notes: chapter.notes,
        end_notes: chapter.end_notes,
        content: chapter.content,
        word_count: chapter.word_count,
        posted: true,
        published: Some(today()),
    };
    state.store.edit_chapter(work.id, chapter.id, &edit).await?;
    Ok(done(&url))
}
