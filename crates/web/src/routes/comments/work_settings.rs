//! `/works/{id}/comment_settings`: a creator's choice of who can comment on their work
//! (registered users only, everyone, nobody) and whether comments wait for their review.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_store::{CommentSettings, WhoCanComment};
use serde::Deserialize;

use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::routes::forms::{answer, done};
use crate::routes::works::visible_work;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::WorkView;

#[derive(Template)]
#[template(path = "comment_settings.html")]
struct SettingsPage {
    csrf: String,
    work: WorkView,
    who: &'static str,
    moderated: bool,
    guests_allowed: bool,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    #[serde(default)]
    who: String,
    moderated: Option<String>,
}

/// The work of the path, when the signed-in user created it.
async fn own_work(
    state: &AppState,
    reader: &Reader,
    signed_in: &SignedIn,
    raw_id: &str,
) -> Result<quire_core::Work, AppError> {
    let (work, _) = visible_work(state, reader, raw_id).await?;
    if !work.is_created_by(signed_in.user.id) {
        return Err(AppError::Forbidden);
    }
    Ok(work)
}

pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in, &raw_id).await?;
    let settings = state.store.comment_settings(work.id).await?;
    let page = SettingsPage {
        csrf: signed_in.csrf_token().to_owned(),
        work: WorkView::new(&work),
        who: settings.who.name(),
        moderated: settings.moderated,
        guests_allowed: state.options.guest_comments,
        error: None,
        notice: None,
    };
    answer(&page, None)
}

pub async fn update(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in, &raw_id).await?;
    let Some(who) = WhoCanComment::from_name(&posted.who) else {
        let page = SettingsPage {
            csrf: signed_in.csrf_token().to_owned(),
            work: WorkView::new(&work),
            who: WhoCanComment::default().name(),
            moderated: posted.moderated.is_some(),
            guests_allowed: state.options.guest_comments,
            error: Some("Choose who can comment: registered users, everyone or nobody.".into()),
            notice: None,
        };
        return answer(&page, Some("refused"));
    };
    state
        .store
        .set_comment_settings(
            work.id,
            CommentSettings {
                who,
                moderated: posted.moderated.is_some(),
            },
        )
        .await?;
    Ok(done(&format!("/works/{}#comments", work.id)))
}
