//! `/users/{login}/works/drafts`: a creator's own drafts, which no listing shows. Only the
//! account itself may see it (another login is 403).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::visibility::{Access, can_view};

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::routes::render;
use crate::routes::settings::own;
use crate::state::AppState;
use crate::viewer::Reader;

struct DraftRow {
    url: String,
    title: String,
    chapters: usize,
    updated: String,
}

#[derive(Template)]
#[template(path = "drafts.html")]
struct DraftsPage {
    drafts: Vec<DraftRow>,
}

/// `GET /users/{login}/works/drafts`.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let mut drafts = Vec::new();
    for work in state.store.drafts_by_user(signed_in.user.id).await? {
        if can_view(&work, &reader.viewer) == Access::Hidden {
            continue;
        }
        let chapters = state.store.chapter_index(work.id).await?.len();
        drafts.push(DraftRow {
            url: format!("/works/{}", work.id),
            title: work.title,
            chapters,
            updated: quire_core::day_or_unknown(work.updated),
        });
    }
    Ok(render(&DraftsPage { drafts })?.into_response())
}
