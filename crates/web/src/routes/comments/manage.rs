//! One comment: `/comments/{id}` (the comment and its replies, with the reply form), its
//! author's edit form, and the deletes and moderation steps (freeze, hide, approve) of its
//! author and of the work's creators. Every one of them first finds the work through the
//! visibility rule, then the comment through [`Looker`]: what a viewer may not see is "not
//! found", what they see but may not change is 403.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use quire_core::Work;
use quire_core::visibility::Access;
use quire_store::{Comment, Moderation, StoreError};
use serde::Deserialize;

use super::create::{FormPage, Posted};
use super::{
    CommentsBox, Looker, Muted, closed_for, here, show_muted_param, text_error, to_html, views,
};
use crate::auth::{CheckedForm, SignedIn};
use crate::cache::WorkData;
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer, done};
use crate::routes::works::{gate, visible_data};
use crate::routes::{parse_id, render};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::WorkView;

#[derive(Template)]
#[template(path = "comment.html")]
struct ThreadPage {
    work: WorkView,
    comments: CommentsBox,
}

/// The comment of a path's id with its work's shared data, as this viewer may see them.
async fn visible_comment(
    state: &AppState,
    reader: &Reader,
    raw_id: &str,
) -> Result<(Comment, std::sync::Arc<WorkData>, Access), AppError> {
    let id = parse_id(raw_id, "comment")?;
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Comment))?;
    let (data, access) = visible_data(state, reader, &comment.work_id.to_string())
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::not_found(Missing::Comment),
            other => other,
        })?;
    if !Looker::of(&data.work, &reader.viewer).sees(&comment) {
        return Err(AppError::not_found(Missing::Comment));
    }
    Ok((comment, data, access))
}

/// `?show_muted=true` on a comment's page.
#[derive(Debug, Deserialize)]
pub struct ThreadParams {
    show_muted: Option<String>,
}

/// `GET /comments/{id}`: the comment, its replies and the reply form. A comment by a user the
/// reader muted is left out (its replies by others stay), with a note that says so.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    uri: Uri,
    Path(raw_id): Path<String>,
    params: Result<Query<ThreadParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let muted = Muted::of(
        signed_in.as_ref(),
        show_muted_param(params.show_muted.as_deref())?,
    );
    let (comment, data, access) = visible_comment(&state, &reader, &raw_id).await?;
    let work = &data.work;
    if access == Access::AdultGate {
        return gate(&reader, work, &uri);
    }
    let looker = Looker::of(work, &reader.viewer);
    let mut thread: HashSet<i64> = HashSet::from([comment.id]);
    let subtree: Vec<&Comment> = data
        .comments
        .iter()
        .filter(|c| {
            let inside = c.id == comment.id || c.parent_id.is_some_and(|p| thread.contains(&p));
            if inside {
                thread.insert(c.id);
            }
            inside
        })
        .collect();
    let mut closed = closed_for(data.comment_settings, &looker, state.options.guest_comments);
    if closed.is_none() && (comment.frozen || comment.deleted || comment.unreviewed) {
        closed = Some("This comment takes no replies.");
    }
    let mut comments = views(
        &subtree,
        &data.comments,
        (&looker, &muted),
        closed.is_none(),
        &data.index,
        false,
    );
    let seen: Vec<&Comment> = subtree.iter().copied().filter(|c| looker.sees(c)).collect();
    // Its depth is shown relative to the comment.
    for view in &mut comments {
        view.depth = (view.depth - comment.depth.min(quire_store::comments::MAX_DEPTH)).max(0);
    }
    let page = ThreadPage {
        work: WorkView::new(work),
        comments: CommentsBox {
            action: format!("/works/{}/comments", work.id),
            work_id: work.id,
            chapter_id: comment.chapter_id,
            parent_id: Some(comment.id),
            comments,
            member_form: closed.is_none() && looker.user.is_some(),
            guest_form: closed.is_none() && looker.user.is_none(),
            closed,
            moderated: data.comment_settings.moderated,
            owner: looker.creator,
            max_chars: quire_core::limits::COMMENT_MAX,
            here: here(&uri),
            muted_note: muted.note(&seen, &uri),
        },
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

fn edit_page(
    work: &Work,
    comment: &Comment,
    csrf: &str,
    text: String,
    error: Option<String>,
) -> FormPage {
    FormPage {
        heading: "Edit comment".to_owned(),
        work_title: work.title.clone(),
        work_url: format!("/works/{}", work.id),
        action: format!("/comments/{}/edit", comment.id),
        csrf: Some(csrf.to_owned()),
        chapter_id: String::new(),
        parent_id: String::new(),
        guest: false,
        name: String::new(),
        email: String::new(),
        text,
        submit: "Update",
        error,
        notice: None,
        max_chars: quire_core::limits::COMMENT_MAX,
    }
}

/// `GET /comments/{id}/edit`: the author's form, with the comment's text.
pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let (comment, data, _) = visible_comment(&state, &reader, &raw_id).await?;
    if !Looker::of(&data.work, &reader.viewer).may_edit(&comment) {
        return Err(AppError::Forbidden);
    }
    let page = edit_page(
        &data.work,
        &comment,
        signed_in.csrf_token(),
        comment.content.clone(),
        None,
    );
    answer(&page, None)
}

/// `POST /comments/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    let (comment, data, _) = visible_comment(&state, &reader, &raw_id).await?;
    if !Looker::of(&data.work, &reader.viewer).may_edit(&comment) {
        return Err(AppError::Forbidden);
    }
    if let Some(error) = text_error(&posted.comment) {
        let page = edit_page(
            &data.work,
            &comment,
            signed_in.csrf_token(),
            posted.comment,
            Some(error),
        );
        return answer(&page, Some("refused"));
    }
    match state
        .store
        .edit_comment(comment.id, &to_html(&posted.comment))
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(AppError::Forbidden),
        Err(e) => return Err(e.into()),
    }
    Ok(done(&format!("/comments/{}", comment.id)))
}

/// The delete and moderation forms carry only their token (and the step).
#[derive(Debug, Default, Deserialize)]
pub struct Step {
    #[serde(default)]
    action: String,
}

/// `POST /comments/{id}/delete`: by its author, a creator of the work or an admin.
pub async fn destroy(
    State(state): State<AppState>,
    reader: Reader,
    _signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Step>,
) -> Result<Response, AppError> {
    let (comment, data, _) = visible_comment(&state, &reader, &raw_id).await?;
    if !Looker::of(&data.work, &reader.viewer).may_delete(&comment) {
        return Err(AppError::Forbidden);
    }
    state.store.delete_comment(comment.id).await?;
    Ok(done(&format!("/works/{}#comments", data.work.id)))
}

/// `POST /comments/{id}/moderate`: `freeze`, `unfreeze`, `hide`, `unhide` or `approve`, by a
/// creator of the work (or an admin).
pub async fn moderate(
    State(state): State<AppState>,
    reader: Reader,
    _signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Step>,
) -> Result<Response, AppError> {
    let (comment, data, _) = visible_comment(&state, &reader, &raw_id).await?;
    if !Looker::of(&data.work, &reader.viewer).moderator {
        return Err(AppError::Forbidden);
    }
    let step = match posted.action.as_str() {
        "freeze" => Moderation::Freeze(true),
        "unfreeze" => Moderation::Freeze(false),
        "hide" => Moderation::Hide(true),
        "unhide" => Moderation::Hide(false),
        "approve" => Moderation::Approve,
        other => {
            return Err(AppError::invalid(format!(
                "`action` must be freeze, unfreeze, hide, unhide or approve, not `{other}`."
            )));
        }
    };
    state.store.moderate_comment(comment.id, step).await?;
    Ok(done(&format!("/comments/{}", comment.id)))
}
