//! `/users/{login}/profile`: a user's profile (AO3's title and "About" text, and their pseuds),
//! and its owner's form to change it.
//!
//! The profile is the user's: a reader who may not know of the user (see
//! `pseuds::visible_user`) gets 404, and only the owner reaches the form (403 for others).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::user::{PROFILE_ABOUT_MAX, PROFILE_TITLE_MAX};
use quire_core::visibility::ListingScope;
use quire_store::Profile;
use quire_text::TextFormat;
use serde::Deserialize;

use super::forms::{answer, done};
use super::pseuds::visible_user;
use super::render;
use super::settings::own;
use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::pseud_url;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    login: String,
    title: Option<String>,
    /// Sanitized HTML.
    about: Option<String>,
    pseuds: Vec<(String, String)>,
    own: bool,
}

#[derive(Template)]
#[template(path = "profile_form.html")]
struct ProfileForm {
    csrf: String,
    login: String,
    title: String,
    about: String,
    error: Option<String>,
    notice: Option<String>,
}

/// The profile form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    about: String,
}

impl ProfileFields {
    fn check(&self) -> Result<Profile, String> {
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = title.chars().count();
        if length > PROFILE_TITLE_MAX {
            return Err(format!(
                "The title is {length} characters long; the limit is {PROFILE_TITLE_MAX}."
            ));
        }
        let length = self.about.chars().count();
        if length > PROFILE_ABOUT_MAX {
            return Err(format!(
                "“About” is {length} characters long; the limit is {PROFILE_ABOUT_MAX}."
            ));
        }
        let about = TextFormat::Html.to_html(self.about.trim());
        Ok(Profile {
            title: (!title.is_empty()).then_some(title),
            about: (!about.trim().is_empty()).then_some(about),
        })
    }
}

/// `GET /users/{login}/profile`.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    let (user, own) = visible_user(&state, &reader, signed_in.as_ref(), &login).await?;
    let profile = state.store.profile(user.id).await?;
    let scope = ListingScope::for_viewer(&reader.viewer);
    let pseuds = state.store.pseud_list(user.id, scope).await?;
    let page = ProfilePage {
        pseuds: pseuds
            .into_iter()
            .map(|p| {
                (
                    p.pseud.name.clone(),
                    pseud_url(&p.pseud.login, &p.pseud.name),
                )
            })
            .collect(),
        login: user.login,
        title: profile.title,
        about: profile.about,
        own,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

fn form(
    signed_in: &SignedIn,
    fields: ProfileFields,
    error: Option<String>,
) -> Result<Response, AppError> {
    let page = ProfileForm {
        csrf: signed_in.csrf_token().to_owned(),
        login: signed_in.user.login.clone(),
        title: fields.title,
        about: fields.about,
        error,
        notice: None,
    };
    answer(&page, page.error.as_deref())
}

/// `GET /users/{login}/profile/edit`.
pub async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let profile = state.store.profile(signed_in.user.id).await?;
    let fields = ProfileFields {
        title: profile.title.unwrap_or_default(),
        about: profile.about.unwrap_or_default(),
    };
    form(&signed_in, fields, None)
}

/// `POST /users/{login}/profile/edit`.
pub async fn update(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(fields): CheckedForm<ProfileFields>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let profile = match fields.check() {
        Ok(profile) => profile,
        Err(e) => return form(&signed_in, fields, Some(e)),
    };
    state.store.set_profile(signed_in.user.id, &profile).await?;
    Ok(done(&format!("/users/{}/profile", signed_in.user.login)))
}
