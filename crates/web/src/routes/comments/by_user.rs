//! `/users/{login}/comments`: a user's latest comments, each on a work the viewer may read
//! (through `can_view`), and each one the viewer may see (hidden and unreviewed ones to the
//! work's creators and the commenter alone). A reader who muted the user sees none of them.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::WorkId;
use quire_core::visibility::{Access, can_view};

use super::{Looker, author};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::routes::account;
use crate::routes::render;
use crate::state::AppState;
use crate::viewer::Reader;

/// The most comments the page lists.
const SHOWN: i64 = 50;

struct Line {
    url: String,
    work_title: String,
    name: String,
    content: String,
    date: String,
    pending: bool,
}

#[derive(Template)]
#[template(path = "comments_by.html")]
struct CommentsByPage {
    login: String,
    comments: Vec<Line>,
    /// The reader muted this user: their comments are not listed.
    muted: bool,
    /// The reader's login, for the link to their mutes.
    viewer: String,
}

pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let user = account(&state, &login).await?;
    let muted = signed_in
        .as_ref()
        .is_some_and(|s| s.muted.contains(&user.id));
    let comments = if muted {
        Vec::new()
    } else {
        state.store.comments_by(user.id, SHOWN).await?
    };
    let mut ids: Vec<WorkId> = comments.iter().map(|c| c.work_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let works = state.store.works(&ids).await?;
    let lines = comments
        .iter()
        .filter_map(|c| {
            let work = works.iter().find(|w| w.id == c.work_id)?;
            let readable = can_view(work, &reader.viewer) == Access::Full;
            (readable && Looker::of(work, &reader.viewer).sees(c)).then(|| Line {
                url: format!("/comments/{}", c.id),
                work_title: work.title.clone(),
                name: author(c).0,
                content: c.content.clone(),
                date: c.created_at.format("%d %b %Y").to_string(),
                pending: c.unreviewed,
            })
        })
        .collect();
    let page = CommentsByPage {
        login: user.login,
        comments: lines,
        muted,
        viewer: signed_in.map(|s| s.user.login).unwrap_or_default(),
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}
