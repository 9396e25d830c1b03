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
use crate::zone::Zone;

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    csrf: String,
    login: String,
    prefs: Preferences,
    error: Option<String>,
    notice: Option<String>,
    /// The time zones to choose from (the field also takes an offset such as `UTC+2`).
    zones: Vec<&'static str>,
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
        zones: Zone::choices().collect(),
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
    let (status, error, notice) = if !Zone::named(&prefs.time_zone).unknown {
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
        let error = format!(
            "`{}` is not a time zone this archive knows: choose one from the list, such as UTC or Europe/Paris, or an offset such as UTC+2.",
            prefs.time_zone
        );
        (StatusCode::UNPROCESSABLE_ENTITY, Some(error), None)
    };
    let page = PreferencesPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        prefs,
        error,
        notice,
        zones: Zone::choices().collect(),
    };
    Ok((status, render(&page)?).into_response())
}
