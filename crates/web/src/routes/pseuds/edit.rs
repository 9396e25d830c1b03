//! The owner's pseud forms: `new` and `create`, `edit` and `update` (name and description),
//! `make_default`, and `destroy` (its works move to the default pseud, as on AO3).
//!
//! Only the owner reaches them (403 for anyone else); names follow AO3's rules and are unique
//! per user in any case; a form with a problem comes back (422) with what was typed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_core::Pseud;
use quire_core::user::{PSEUD_DESCRIPTION_MAX, pseud_name_problem};
use quire_core::visibility::ListingScope;
use quire_store::{PseudForm, StoreError};
use quire_text::TextFormat;
use serde::Deserialize;

use crate::auth::{CheckedForm, SignedIn};
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer, done};
use crate::routes::settings::own;
use crate::state::AppState;
use crate::views::pseud_url;

#[derive(Template)]
#[template(path = "pseud_form.html")]
struct PseudFormPage {
    heading: String,
    action: String,
    csrf: String,
    login: String,
    name: String,
    description: String,
    error: Option<String>,
    notice: Option<String>,
}

/// The pseud form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct PseudFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

impl PseudFields {
    /// The pseud to store, or what is wrong with the form.
    fn check(&self) -> Result<PseudForm, String> {
        if let Some(problem) = pseud_name_problem(&self.name) {
            return Err(problem);
        }
        let length = self.description.chars().count();
        if length > PSEUD_DESCRIPTION_MAX {
            return Err(format!(
                "The description is {length} characters long; the limit is {PSEUD_DESCRIPTION_MAX}."
            ));
        }
        let description = TextFormat::Html.to_html(self.description.trim());
        Ok(PseudForm {
            name: self.name.trim().to_owned(),
            description: (!description.trim().is_empty()).then_some(description),
        })
    }
}

fn form(
    signed_in: &SignedIn,
    heading: String,
    action: String,
    fields: PseudFields,
    error: Option<String>,
) -> Result<Response, AppError> {
    let page = PseudFormPage {
        heading,
        action,
        csrf: signed_in.csrf_token().to_owned(),
        login: signed_in.user.login.clone(),
        name: fields.name,
        description: fields.description,
        error,
        notice: None,
    };
    answer(&page, page.error.as_deref())
}

/// One of the signed-in user's pseuds, by the path's name; 404 when they have none of it.
async fn own_pseud(state: &AppState, signed_in: &SignedIn, name: &str) -> Result<Pseud, AppError> {
    let info = state
        .store
        .pseud_named(
            signed_in.user.id,
            name,
            ListingScope {
                include_restricted: true,
            },
        )
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Pseud))?;
    Ok(info.pseud)
}

/// `GET /users/{login}/pseuds/new`.
pub async fn new(signed_in: SignedIn, Path(login): Path<String>) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let action = format!("/users/{}/pseuds/new", signed_in.user.login);
    form(
        &signed_in,
        "New Pseud".into(),
        action,
        PseudFields::default(),
        None,
    )
}

/// `POST /users/{login}/pseuds/new`.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(fields): CheckedForm<PseudFields>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let action = format!("/users/{}/pseuds/new", signed_in.user.login);
    let pseud = match fields.check() {
        Ok(pseud) => pseud,
        Err(e) => return form(&signed_in, "New Pseud".into(), action, fields, Some(e)),
    };
    match state.store.create_pseud(signed_in.user.id, &pseud).await {
        Ok(created) => Ok(done(&pseud_url(&created.login, &created.name))),
        Err(StoreError::Conflict(_)) => {
            let error = format!("You already have a pseud called “{}”.", pseud.name);
            form(&signed_in, "New Pseud".into(), action, fields, Some(error))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /users/{login}/pseuds/{name}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((login, name)): Path<(String, String)>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let info = state
        .store
        .pseud_named(
            signed_in.user.id,
            &name,
            ListingScope {
                include_restricted: true,
            },
        )
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Pseud))?;
    let url = pseud_url(&info.pseud.login, &info.pseud.name);
    let fields = PseudFields {
        name: info.pseud.name.clone(),
        description: info.description.unwrap_or_default(),
    };
    form(
        &signed_in,
        format!("Edit {}", info.pseud.name),
        format!("{url}/edit"),
        fields,
        None,
    )
}

/// `POST /users/{login}/pseuds/{name}/edit`.
pub async fn update(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((login, name)): Path<(String, String)>,
    CheckedForm(fields): CheckedForm<PseudFields>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let pseud = own_pseud(&state, &signed_in, &name).await?;
    let heading = format!("Edit {}", pseud.name);
    let action = format!("{}/edit", pseud_url(&pseud.login, &pseud.name));
    let changed = match fields.check() {
        Ok(changed) => changed,
        Err(e) => return form(&signed_in, heading, action, fields, Some(e)),
    };
    match state
        .store
        .update_pseud(signed_in.user.id, pseud.id, &changed)
        .await
    {
        Ok(_) => Ok(done(&pseud_url(&pseud.login, &changed.name))),
        Err(StoreError::Conflict(_)) => {
            let error = format!("You already have a pseud called “{}”.", changed.name);
            form(&signed_in, heading, action, fields, Some(error))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /users/{login}/pseuds/{name}/default`: works are posted as it from now on.
pub async fn make_default(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((login, name)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let pseud = own_pseud(&state, &signed_in, &name).await?;
    state
        .store
        .set_default_pseud(signed_in.user.id, pseud.id)
        .await?;
    Ok(done(&format!("/users/{}/pseuds", signed_in.user.login)))
}

/// `POST /users/{login}/pseuds/{name}/delete`: the default pseud cannot go (409).
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((login, name)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let pseud = own_pseud(&state, &signed_in, &name).await?;
    match state.store.delete_pseud(signed_in.user.id, pseud.id).await {
        Ok(_) => Ok(done(&format!("/users/{}/pseuds", signed_in.user.login))),
        Err(StoreError::Conflict(_)) => Err(AppError::Conflict {
            code: "pseud_is_default",
            message: "Your default pseud cannot be deleted: make another pseud the default first."
                .into(),
        }),
        Err(e) => Err(e.into()),
    }
}
