//! `/users/{login}/muted`: a reader's blacklist (the tags and creators whose works they never
//! want to see in a listing, a search, a feed or a count; a muted user's comments too), and its
//! add and remove forms, which the Mute button by each comment also sends.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_store::{StoreError, WranglingError};
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mutes.html")]
struct MutesPage {
    csrf: String,
    login: String,
    tags: Vec<String>,
    creators: Vec<String>,
    error: Option<String>,
    notice: Option<String>,
}

/// One tag or one creator (by login), as the add and remove forms send them; the Mute button
/// by a comment also says which page to come back to.
#[derive(Debug, Deserialize)]
pub struct MuteForm {
    #[serde(default)]
    tag: String,
    #[serde(default)]
    creator: String,
    #[serde(default)]
    return_to: String,
}

impl MuteForm {
    /// Where to go once done: back to the work or comment page the form came from, else the
    /// list of mutes. Only those pages of this archive: never elsewhere.
    fn next(&self, signed_in: &SignedIn) -> String {
        let back = &self.return_to;
        let ours = (back.starts_with("/works/") || back.starts_with("/comments/"))
            && !back.contains(['\\', '\r', '\n', '\t']);
        if ours {
            back.clone()
        } else {
            mutes_url(signed_in)
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, &csrf, None).await
}

/// Mutes the tag or creator named in the form; an unknown name is a form error.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<MuteForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let user = signed_in.user.id;
    let (tag, creator) = (form.tag.trim(), form.creator.trim());
    let outcome = match (tag.is_empty(), creator.is_empty()) {
        (false, true) => state.store.mute_tag(user, tag).await.map(|_| tag),
        (true, false) => match state.store.user_by_login(creator).await? {
            Some(muted) if muted.id == user => {
                return page(&state, &signed_in, &csrf, Some("You cannot mute yourself.")).await;
            }
            Some(muted) => state
                .store
                .mute_creator(user, muted.id)
                .await
                .map(|()| creator),
            None => Err(StoreError::NotFound("creator")),
        },
        _ => {
            let message = "Name one tag or one creator to mute.";
            return page(&state, &signed_in, &csrf, Some(message)).await;
        }
    };
    match outcome {
        Ok(_) => Ok(done(&form.next(&signed_in))),
        Err(StoreError::NotFound(_) | StoreError::Wrangling(WranglingError::UnknownTag(_))) => {
            let (what, name) = if tag.is_empty() {
                ("creator", creator)
            } else {
                ("tag", tag)
            };
            let message = format!("There is no {what} called “{name}” in this archive.");
            page(&state, &signed_in, &csrf, Some(&message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Unmutes the tag or creator named in the form.
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<MuteForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let user = signed_in.user.id;
    let (tag, creator) = (form.tag.trim(), form.creator.trim());
    let removed = if !tag.is_empty() {
        match state.store.unmute_tag(user, tag).await {
            Ok(removed) => removed,
            Err(StoreError::Wrangling(WranglingError::UnknownTag(_))) => false,
            Err(e) => return Err(e.into()),
        }
    } else if let Some(muted) = state.store.user_by_login(creator).await? {
        state.store.unmute_creator(user, muted.id).await?
    } else {
        false
    };
    if !removed {
        return page(&state, &signed_in, &csrf, Some("That was not muted.")).await;
    }
    Ok(done(&form.next(&signed_in)))
}

fn mutes_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/muted", signed_in.user.login)
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let mutes = state.store.mutes(signed_in.user.id).await?;
    let page = MutesPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        tags: mutes.tags.into_iter().map(|t| t.name).collect(),
        creators: mutes.creators.into_iter().map(|u| u.login).collect(),
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}
