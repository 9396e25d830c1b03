//! `/users/{login}/preferences`: how the archive shows works to this reader.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use quire_core::Preferences;
use serde::Deserialize;

use super::render;
use super::settings::own;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    csrf: String,
    login: String,
    prefs: Preferences,
    error: Option<String>,
    notice: Option<String>,
}

/// Checkboxes are sent only when ticked.
#[derive(Debug, Deserialize)]
pub struct PreferencesForm {
    skip_adult_gate: Option<String>,
    hide_warnings: Option<String>,
    hide_freeforms: Option<String>,
    hide_creator_styles: Option<String>,
    history_enabled: Option<String>,
    #[serde(default)]
    time_zone: String,
}

/// An IANA-looking zone name (`UTC`, `Europe/Paris`, `America/Argentina/Buenos_Aires`).
fn plausible_time_zone(tz: &str) -> bool {
    !tz.is_empty()
        && tz.len() <= 64
        && tz
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
}

pub async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let page = PreferencesPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        prefs: state.store.preferences(signed_in.user.id).await?,
        error: None,
        notice: None,
    };
    Ok(render(&page)?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<PreferencesForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let prefs = Preferences {
        skip_adult_gate: form.skip_adult_gate.is_some(),
        hide_warnings: form.hide_warnings.is_some(),
        hide_freeforms: form.hide_freeforms.is_some(),
        hide_creator_styles: form.hide_creator_styles.is_some(),
        time_zone: form.time_zone.trim().to_owned(),
        history_enabled: form.history_enabled.is_some(),
    };
    let (status, error, notice) = if plausible_time_zone(&prefs.time_zone) {
        state
            .store
            .set_preferences(signed_in.user.id, &prefs)
            .await?;
        (
            StatusCode::OK,
            None,
            Some("Your preferences were saved.".to_owned()),
        )
    } else {
        let error = "The time zone must be a name such as UTC or Europe/Paris.".to_owned();
        (StatusCode::UNPROCESSABLE_ENTITY, Some(error), None)
    };
    let page = PreferencesPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        prefs,
        error,
        notice,
    };
    Ok((status, render(&page)?).into_response())
}
