//! `POST /works/{id}/comments`: a new comment on a chapter, or a reply (`parent_id`).
//!
//! A signed-in user's form carries the session's token; a guest's form is on the shared
//! (cached) work page, which cannot carry a per-reader token, so it is taken only from a
//! same-origin post, as guests' kudos are. A form error answers 422 with what was typed;
//! the same comment sent twice is one comment.

use askama::Template;
use axum::extract::{Form, FromRequest, Path, Request, State};
use axum::response::{IntoResponse, Response};
use quire_core::visibility::Access;
use quire_store::{Commented, Commenter, NewComment, Refusal};
use serde::Deserialize;

use super::{Looker, comment_url, text_error, to_html};
use crate::auth::SignedIn;
use crate::auth::csrf::CheckedForm;
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer, done};
use crate::routes::kudos::same_origin;
use crate::routes::works::visible_data;
use crate::routes::{parse_id, render};
use crate::state::AppState;
use crate::viewer::Reader;

/// Guests' names are at most this long.
const NAME_MAX: usize = 100;
/// And their e-mail addresses.
const EMAIL_MAX: usize = 254;

/// The comment form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub chapter_id: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
}

/// A comment form shown again with what was typed (a form error), or to edit a comment.
#[derive(Template)]
#[template(path = "comment_form.html")]
pub struct FormPage {
    pub heading: String,
    pub work_title: String,
    pub work_url: String,
    pub action: String,
    /// The session's token; guests' posts are checked by their origin.
    pub csrf: Option<String>,
    pub chapter_id: String,
    pub parent_id: String,
    pub guest: bool,
    pub name: String,
    pub email: String,
    pub text: String,
    pub submit: &'static str,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub max_chars: usize,
}

#[derive(Template)]
#[template(path = "kudos_left.html")]
struct HeldPage {
    heading: &'static str,
    message: &'static str,
    work_url: String,
    work_title: String,
}

/// What a refusal tells the commenter.
pub fn refusal_message(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::CommentsOff => "Sorry, this work doesn't allow comments.",
        Refusal::GuestsNotAllowed => {
            "Sorry, this work doesn't allow non-Archive users to comment. Log in to comment."
        }
        Refusal::Frozen => "Sorry, you cannot reply to a frozen comment.",
        Refusal::Blocked => {
            "Sorry, you have been blocked by one of this work's creators or by the author of the comment you are replying to, so you cannot comment here."
        }
        Refusal::ParentGone => "Sorry, the comment you are replying to is not there any more.",
    }
}

fn guest_error(name: &str, email: &str) -> Option<String> {
    let name_chars = name.chars().count();
    if name_chars == 0 {
        return Some("Please enter your name.".to_owned());
    }
    if name_chars > NAME_MAX {
        return Some(format!("Your name may have {NAME_MAX} characters at most."));
    }
    let plausible = email.len() <= EMAIL_MAX
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !plausible {
        return Some("Please enter a valid e-mail address.".to_owned());
    }
    None
}

/// `POST /works/{id}/comments`.
pub async fn create(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(raw_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let posted = match &signed_in {
        Some(_) => {
            let CheckedForm(posted) = CheckedForm::<Posted>::from_request(request, &state).await?;
            posted
        }
        None => {
            if !same_origin(request.headers()) {
                return Err(AppError::CsrfRejected);
            }
            let Form(posted) = Form::<Posted>::from_request(request, &state)
                .await
                .map_err(|e| AppError::invalid(e.body_text()))?;
            posted
        }
    };
    // The work and its chapter index from memory while they are unchanged.
    let (data, access) = visible_data(&state, &reader, &raw_id).await?;
    let work = &data.work;
    if access != Access::Full {
        return Err(AppError::AdultConsentRequired {
            rating: work.rating.name(),
        });
    }
    let chapter = parse_id(posted.chapter_id.trim(), "chapter")?;
    let parent = match posted.parent_id.trim() {
        "" => None,
        raw => Some(parse_id(raw, "comment")?),
    };
    let looker = Looker::of(work, &reader.viewer);
    if let Some(parent) = parent {
        // A reply only to a comment this viewer sees.
        let seen = state
            .store
            .comment(parent)
            .await?
            .filter(|c| c.work_id == work.id && looker.sees(c));
        if seen.is_none() {
            return Err(AppError::not_found(Missing::Comment));
        }
    }
    let (name, email) = (posted.name.trim(), posted.email.trim());
    let error = text_error(&posted.comment).or_else(|| {
        signed_in
            .is_none()
            .then(|| guest_error(name, email))
            .flatten()
    });
    if let Some(error) = error {
        let page = FormPage {
            heading: format!("Comment on {}", work.title),
            work_title: work.title.clone(),
            work_url: format!("/works/{}", work.id),
            action: format!("/works/{}/comments", work.id),
            csrf: signed_in.as_ref().map(|s| s.csrf_token().to_owned()),
            chapter_id: chapter.to_string(),
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            guest: signed_in.is_none(),
            name: posted.name.clone(),
            email: posted.email.clone(),
            text: posted.comment.clone(),
            submit: "Comment",
            error: Some(error),
            notice: None,
            max_chars: quire_core::limits::COMMENT_MAX,
        };
        return answer(&page, Some("refused"));
    }
    let by = match &signed_in {
        Some(account) => Commenter::Account {
            user: account.user.id,
        },
        None => Commenter::Guest {
            name: name.to_owned(),
            email: email.to_owned(),
        },
    };
    let outcome = state
        .store
        .add_comment(&NewComment {
            work: work.id,
            chapter,
            parent,
            by,
            content: to_html(&posted.comment),
            guests_allowed: state.options.guest_comments,
        })
        .await?;
    let chapters = data.index.len();
    let id = match outcome {
        Commented::Refused(refusal) => {
            return Err(AppError::CommentRefused(refusal_message(refusal)));
        }
        Commented::Duplicate(id) => id,
        Commented::Added { id, unreviewed } => {
            if unreviewed && signed_in.is_none() {
                let page = HeldPage {
                    heading: "Comment received",
                    message: "Your comment was received! It will appear publicly after the work's creator has approved it.",
                    work_url: format!("/works/{}", work.id),
                    work_title: work.title.clone(),
                };
                return Ok((reader.response_headers(), render(&page)?).into_response());
            }
            id
        }
    };
    Ok(done(&comment_url(work.id, chapter, chapters, id)))
}
