//! `/users/{login}/invitations`: a member's invitations, as AO3 has them: how many they may
//! still send (admins grant them), a form to invite a friend by e-mail, and the invitations
//! they sent with whether each was used and by whom. Only the member sees it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use quire_store::Inviter;
use serde::Deserialize;

use super::forms::answer;
use super::settings::own;
use super::signups::email_problem;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::invitations::{Sender, Sent, day, refusal};
use crate::state::AppState;

struct SentRow {
    email: String,
    sent: String,
    /// `Not used yet`, or who signed up with it and when.
    status: String,
    used_by: Option<String>,
}

#[derive(Template)]
#[template(path = "invitations.html")]
struct InvitationsPage {
    csrf: String,
    login: String,
    left: i64,
    sent: Vec<SentRow>,
    /// What was typed, kept after a form error.
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

/// `GET /users/{login}/invitations`.
pub async fn index(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    page(&state, &signed_in, &csrf, String::new(), None, None).await
}

/// `POST /users/{login}/invitations`: mails a code to a friend, using up one invitation.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let email = form.email.trim().to_owned();
    if let Some(problem) = email_problem(&email) {
        return page(&state, &signed_in, &csrf, email, Some(problem), None).await;
    }
    let sender = Sender {
        store: &*state.store,
        mailer: &state.auth.mailer,
        site_name: &state.site_name,
        base_url: &state.auth.base_url,
    };
    let by = Inviter::Member(signed_in.user.id);
    let sent = sender
        .invite_address(&by, Some(&signed_in.user.login), &email)
        .await?;
    let (error, notice) = match sent {
        Sent::Mailed => (
            None,
            Some(format!("Your invitation is on its way to {email}.")),
        ),
        Sent::Refused(why) => (Some(refusal(why, &email)), None),
        Sent::MailFailed(_) => (
            Some(format!(
                "The invitation to {email} could not be mailed, so you still have it. Please try \
                 again later."
            )),
            None,
        ),
    };
    let kept = if error.is_some() {
        email
    } else {
        String::new()
    };
    page(&state, &signed_in, &csrf, kept, error, notice).await
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    email: String,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let user = signed_in.user.id;
    let sent = state
        .store
        .invitations_sent_by(user)
        .await?
        .into_iter()
        .map(|s| SentRow {
            status: match s.used_at {
                Some(at) => format!("Used on {}", day(at)),
                None => "Not used yet".to_owned(),
            },
            email: s.email,
            sent: day(s.sent_at),
            used_by: s.used_by,
        })
        .collect();
    let page = InvitationsPage {
        csrf: csrf.value().to_owned(),
        login: signed_in.user.login.clone(),
        left: state.store.invitations_left(user).await?,
        sent,
        email,
        error: error.clone(),
        notice,
    };
    answer(&page, error.as_deref())
}
