//! `/admin/invitations` (admins only): the invitation queue's length and head, a form to invite
//! the next N requests (each mailed a code), one to invite an address, and one to set how many
//! invitations a member may send. Every invitation and change is in the audit log.
//!
//! Sending the queue form twice sends nothing the second time: it names the request at the
//! head of the queue it was shown, and is refused once that request has been invited.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use quire_store::{Inviter, StoreError};
use serde::Deserialize;

use crate::auth::{CheckedForm, Duty, Staff};
use crate::error::AppError;
use crate::invitations::{Sender, Sent, day, refusal};
use crate::routes::forms::answer;
use crate::routes::signups::email_problem;
use crate::state::AppState;

/// The requests the page lists from the head of the queue.
const SHOWN: i64 = 20;

/// The most invitations one form sends, or a member may be given.
const MOST: i64 = 100;

#[derive(Template)]
#[template(path = "admin/invitations.html")]
struct InvitationsPage {
    csrf: String,
    waiting: i64,
    /// The oldest requests: address and the day they asked.
    next: Vec<(String, String)>,
    /// The address at the head of the queue, which the queue form carries.
    head: String,
    /// What the forms show after a form error: what was typed.
    count: String,
    email: String,
    login: String,
    left: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    head: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    email: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct AllowanceForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    left: String,
}

/// What the page shows besides the queue.
#[derive(Default)]
struct Shown {
    count: String,
    email: String,
    login: String,
    left: String,
    error: Option<String>,
    notice: Option<String>,
}

/// `GET /admin/invitations`.
pub async fn index(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Duty::Invite)?;
    page(&state, &staff, Shown::default()).await
}

/// `POST /admin/invitations/queue`: invites the next `count` requests.
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    CheckedForm(form): CheckedForm<QueueForm>,
) -> Result<Response, AppError> {
    staff.require(Duty::Invite)?;
    let refuse = |error: String| Shown {
        count: form.count.clone(),
        error: Some(error),
        ..Shown::default()
    };
    let count = match number(&form.count, 1) {
        Ok(count) => count,
        Err(error) => return page(&state, &staff, refuse(error)).await,
    };
    let Some(head) = state.store.invitation_queue(1).await?.pop() else {
        let error = "Nobody is waiting in the queue: nothing was sent.";
        return page(&state, &staff, refuse(error.to_owned())).await;
    };
    if head.email != form.head {
        let error = "The queue has moved on since this page was shown (the form was sent twice, \
                     or another admin sent invitations): nothing was sent. Check the queue below \
                     and send again if you still mean to.";
        return page(&state, &staff, refuse(error.to_owned())).await;
    }
    let run = sender(&state).invite_next(&staff.actor(), count).await?;
    let notice = match run.mailed.len() {
        0 => "No invitation was sent.".to_owned(),
        1 => format!("Sent 1 invitation: {}.", run.mailed.join(", ")),
        n => format!("Sent {n} invitations: {}.", run.mailed.join(", ")),
    };
    let error = (!run.failed.is_empty()).then(|| {
        let failed: Vec<&str> = run.failed.iter().map(|e| e.to.as_str()).collect();
        format!(
            "The mail to {} could not be sent ({}); they wait in the queue again.",
            failed.join(", "),
            run.failed[0].reason
        )
    });
    let shown = Shown {
        error,
        notice: Some(notice),
        ..Shown::default()
    };
    page(&state, &staff, shown).await
}

/// `POST /admin/invitations/address`: invites one address.
pub async fn address(
    State(state): State<AppState>,
    staff: Staff,
    CheckedForm(form): CheckedForm<AddressForm>,
) -> Result<Response, AppError> {
    staff.require(Duty::Invite)?;
    let email = form.email.trim().to_owned();
    let refuse = |error: String| Shown {
        email: email.clone(),
        error: Some(error),
        ..Shown::default()
    };
    if let Some(problem) = email_problem(&email) {
        return page(&state, &staff, refuse(problem)).await;
    }
    let by = Inviter::Staff(staff.actor());
    let shown = match sender(&state).invite_address(&by, None, &email).await? {
        Sent::Mailed => Shown {
            notice: Some(format!("Sent an invitation to {email}.")),
            ..Shown::default()
        },
        Sent::Refused(why) => refuse(refusal(why, &email)),
        Sent::MailFailed(e) => refuse(format!(
            "The invitation could not be mailed ({}), so none was sent.",
            e.reason
        )),
    };
    page(&state, &staff, shown).await
}

/// `POST /admin/invitations/allowance`: sets how many invitations a member may send.
pub async fn allowance(
    State(state): State<AppState>,
    staff: Staff,
    CheckedForm(form): CheckedForm<AllowanceForm>,
) -> Result<Response, AppError> {
    staff.require(Duty::Invite)?;
    let login = form.login.trim().to_owned();
    let refuse = |error: String| Shown {
        login: login.clone(),
        left: form.left.clone(),
        error: Some(error),
        ..Shown::default()
    };
    let left = match number(&form.left, 0) {
        Ok(left) => left,
        Err(error) => return page(&state, &staff, refuse(error)).await,
    };
    let Some(user) = state.store.user_by_login(&login).await? else {
        let error = format!("No account is called “{login}”.");
        return page(&state, &staff, refuse(error)).await;
    };
    let had = match state
        .store
        .set_invitations_left(&staff.actor(), user.id, left, crate::auth::tokens::now())
        .await
    {
        Ok(had) => had,
        Err(StoreError::NotFound(_)) => {
            let error = format!("No account is called “{login}”.");
            return page(&state, &staff, refuse(error)).await;
        }
        Err(e) => return Err(e.into()),
    };
    let notice = format!(
        "{} may now send {left} {} (had {had}).",
        user.login,
        if left == 1 {
            "invitation"
        } else {
            "invitations"
        }
    );
    let shown = Shown {
        notice: Some(notice),
        ..Shown::default()
    };
    page(&state, &staff, shown).await
}

/// A whole number from `least` to [`MOST`], or what is wrong with it.
fn number(raw: &str, least: i64) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (least..=MOST).contains(n))
        .ok_or_else(|| format!("Please give a whole number from {least} to {MOST}."))
}

fn sender(state: &AppState) -> Sender<'_> {
    Sender {
        store: &*state.store,
        mailer: &state.auth.mailer,
        site_name: &state.site_name,
        base_url: &state.auth.base_url,
    }
}

async fn page(state: &AppState, staff: &Staff, shown: Shown) -> Result<Response, AppError> {
    let next: Vec<(String, String)> = state
        .store
        .invitation_queue(SHOWN)
        .await?
        .into_iter()
        .map(|r| (r.email, day(r.requested_at)))
        .collect();
    let page = InvitationsPage {
        csrf: staff.csrf().to_owned(),
        waiting: state.store.queue_length().await?,
        head: next
            .first()
            .map(|(email, _)| email.clone())
            .unwrap_or_default(),
        next,
        count: if shown.count.is_empty() {
            "1".to_owned()
        } else {
            shown.count
        },
        email: shown.email,
        login: shown.login,
        left: shown.left,
        error: shown.error.clone(),
        notice: shown.notice,
    };
    answer(&page, shown.error.as_deref())
}
