//! A creator's forms for a whole work: `new` and `create` (preview, save a draft, or post),
//! `edit` and `update`, `post` a draft, and `confirm_delete` and `delete`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use quire_core::work::ChapterHeading;
use quire_core::{ArchiveWarning, Category, Rating, Work};
use quire_store::{FormKey, StoreError};
use quire_text::TextFormat;

use super::associations::{self, AssociationFields, Associations};
use super::creators::CreatorFields;
use super::form::{Fields, Problems, WorkFields};
use super::{FORMATS, Preview, deletable_work, own_work, today};
use crate::auth::tokens::random_token;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::AppError;
use crate::routes::forms::{answer_refused, done};
use crate::routes::passwords::NoticePage;
use crate::routes::render;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::zone::Zone;

/// A chapter in the edit page's list.
pub(crate) struct ChapterRow {
    pub id: i64,
    pub position: i32,
    pub label: String,
    pub posted: bool,
    /// When an unposted chapter is scheduled to post, in the creator's time zone.
    pub scheduled: Option<String>,
}

/// The edit page's chapters, order form and work actions.
pub(crate) struct Manage {
    pub work_url: String,
    pub posted: bool,
    pub chapters: Vec<ChapterRow>,
}

#[derive(Template)]
#[template(path = "work_form.html")]
struct WorkForm {
    heading: String,
    action: String,
    is_new: bool,
    csrf: String,
    fields: WorkFields,
    /// Creator/Pseud(s) and co-creators (`creators.rs`).
    creators: CreatorFields,
    problems: Problems,
    preview: Option<Preview>,
    manage: Option<Manage>,
    /// Gifts and series (their own section and module).
    assoc: Associations,
    ratings: Vec<&'static str>,
    warnings: Vec<&'static str>,
    categories: Vec<&'static str>,
    formats: [TextFormat; 3],
}

impl WorkForm {
    fn new(heading: String, action: String, csrf: &CsrfToken, fields: WorkFields) -> WorkForm {
        WorkForm {
            heading,
            action,
            is_new: false,
            csrf: csrf.value().to_owned(),
            fields,
            creators: CreatorFields::default(),
            problems: Problems::default(),
            preview: None,
            manage: None,
            assoc: Associations::default(),
            ratings: Rating::ALL.iter().map(|r| r.name()).collect(),
            warnings: ArchiveWarning::ALL.iter().map(|w| w.name()).collect(),
            categories: Category::ALL.iter().map(|c| c.name()).collect(),
            formats: FORMATS,
        }
    }

    fn answer(&self) -> Result<Response, AppError> {
        answer_refused(self, !self.problems.is_empty())
    }
}

fn new_form(csrf: &CsrfToken, fields: WorkFields, creators: CreatorFields) -> WorkForm {
    WorkForm {
        is_new: true,
        creators,
        ..WorkForm::new(
            "Post New Work".to_owned(),
            "/works".to_owned(),
            csrf,
            fields,
        )
    }
}

async fn edit_form(
    state: &AppState,
    work: &Work,
    csrf: &CsrfToken,
    fields: WorkFields,
    time_zone: &str,
    creators: CreatorFields,
) -> Result<WorkForm, AppError> {
    let index = state.store.chapter_index(work.id).await?;
    let scheduled = state.store.scheduled_chapters(work.id).await?;
    let zone = Zone::named(time_zone);
    let work_url = format!("/works/{}", work.id);
    let chapters = index
        .iter()
        .map(|c| ChapterRow {
            scheduled: scheduled
                .iter()
                .find(|s| s.chapter == c.id)
                .map(|s| zone.show(s.post_at)),
            ..row(c)
        })
        .collect();
    Ok(WorkForm {
        creators,
        manage: Some(Manage {
            posted: work.posted,
            chapters,
            work_url: work_url.clone(),
        }),
        ..WorkForm::new(
            format!("Edit {}", work.title),
            format!("{work_url}/edit"),
            csrf,
            fields,
        )
    })
}

fn row(c: &ChapterHeading) -> ChapterRow {
    ChapterRow {
        id: c.id,
        position: c.position,
        label: c.display(),
        posted: c.posted,
        scheduled: None,
    }
}

/// `GET /works/new`: an empty form with a fresh one-time key.
pub async fn new(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
) -> Result<Response, AppError> {
    let creators = CreatorFields::new_work(&state, &signed_in.user, None).await?;
    let assoc =
        Associations::load(&state, &signed_in.user, AssociationFields::default(), None).await?;
    WorkForm {
        assoc,
        ..new_form(&csrf, WorkFields::blank(random_token()?), creators)
    }
    .answer()
}

/// `POST /works`: previews, saves a draft or posts, by the button pressed. The form's key
/// makes a second send of it answer the work the first made.
pub async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let sent = Fields(raw);
    let fields = WorkFields::read(&sent);
    let commit = sent.commit();
    let creators = CreatorFields::new_work(&state, &signed_in.user, Some(&sent)).await?;
    let checked = fields.check(true);
    let mut problems = checked.as_ref().err().cloned().unwrap_or_default();
    let credits = creators
        .check(&state, &signed_in.user, &sent, &mut problems)
        .await?;
    let typed = AssociationFields::read(&sent);
    let plan = associations::check(&state, &signed_in.user, &typed, None, &mut problems).await?;
    let assoc = Associations::load(&state, &signed_in.user, typed, None).await?;
    let (meta, chapter) = match checked {
        Ok(checked) if problems.is_empty() => checked,
        _ => {
            return WorkForm {
                problems,
                assoc,
                ..new_form(&csrf, fields, creators)
            }
            .answer();
        }
    };
    let chapter = chapter.ok_or_else(|| AppError::Internal("no chapter checked".into()))?;
    if commit == "preview" {
        let preview = Preview {
            title: meta.title.clone(),
            summary: meta.summary.clone(),
            notes: meta.notes.clone(),
            end_notes: meta.end_notes.clone(),
            chapter_title: chapter.title.clone(),
            content: Some(chapter.content.clone()),
        };
        return WorkForm {
            preview: Some(preview),
            assoc,
            ..new_form(&csrf, fields, creators)
        }
        .answer();
    }
    let post = match commit.as_str() {
        "post" => true,
        "draft" => false,
        other => return Err(unknown_button(other)),
    };
    if credits.pseuds.is_empty() {
        return Err(AppError::Internal("an account without a pseud".into()));
    }
    let work = meta.into_new_work(credits.pseuds, chapter, post, today());
    let key = (!fields.form_key.is_empty()).then(|| FormKey {
        user: signed_in.user.id,
        nonce: &fields.form_key,
    });
    let created = state.store.create_work(&work, key).await?;
    // A second send of the form answers the first's work and invites nobody again.
    if created.new && !credits.invite.is_empty() {
        state
            .store
            .invite_co_creators(created.id, signed_in.user.id, &credits.invite)
            .await?;
    }
    // A second send of the form answers the work the first made, gifts and series included.
    if created.new {
        associations::apply(&state, &signed_in.user, created.id, plan, false).await?;
    }
    Ok(done(&format!("/works/{}", created.id)))
}

pub(crate) fn unknown_button(value: &str) -> AppError {
    AppError::invalid(format!(
        "`commit` must name one of the form's buttons, not `{value}`."
    ))
}

/// `GET /works/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let creators = CreatorFields::edit_work(&state, &work, &signed_in.user, None).await?;
    let assoc = Associations::load(
        &state,
        &signed_in.user,
        AssociationFields::of(&work),
        Some(&work),
    )
    .await?;
    let zone = &signed_in.preferences.time_zone;
    let form = edit_form(&state, &work, &csrf, WorkFields::of(&work), zone, creators).await?;
    WorkForm { assoc, ..form }.answer()
}

/// `POST /works/{id}/edit`: previews or saves the work's metadata.
pub async fn update(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let sent = Fields(raw);
    let fields = WorkFields::read(&sent);
    let commit = sent.commit();
    let creators = CreatorFields::edit_work(&state, &work, &signed_in.user, Some(&sent)).await?;
    let checked = fields.check(false);
    let mut problems = checked.as_ref().err().cloned().unwrap_or_default();
    let credits = creators
        .check(&state, &signed_in.user, &sent, &mut problems)
        .await?;
    let typed = AssociationFields::read(&sent);
    let plan =
        associations::check(&state, &signed_in.user, &typed, Some(&work), &mut problems).await?;
    let assoc = Associations::load(&state, &signed_in.user, typed, Some(&work)).await?;
    let meta = match checked {
        Ok((meta, _)) if problems.is_empty() => meta,
        _ => {
            let zone = &signed_in.preferences.time_zone;
            let form = edit_form(&state, &work, &csrf, fields, zone, creators).await?;
            return WorkForm {
                problems,
                assoc,
                ..form
            }
            .answer();
        }
    };
    match commit.as_str() {
        "preview" => {
            let preview = Preview {
                title: meta.title.clone(),
                summary: meta.summary.clone(),
                notes: meta.notes.clone(),
                end_notes: meta.end_notes.clone(),
                chapter_title: None,
                content: None,
            };
            let form = edit_form(
                &state,
                &work,
                &csrf,
                fields,
                &signed_in.preferences.time_zone,
                creators,
            )
            .await?;
            WorkForm {
                preview: Some(preview),
                assoc,
                ..form
            }
            .answer()
        }
        "save" => {
            state.store.edit_work(work.id, &meta).await?;
            if credits.pseuds.is_empty() {
                return Err(AppError::Internal("an account without a pseud".into()));
            }
            state
                .store
                .set_own_pseuds(work.id, signed_in.user.id, &credits.pseuds)
                .await?;
            if !credits.invite.is_empty() {
                state
                    .store
                    .invite_co_creators(work.id, signed_in.user.id, &credits.invite)
                    .await?;
            }
            associations::apply(&state, &signed_in.user, work.id, plan, true).await?;
            Ok(done(&format!("/works/{}", work.id)))
        }
        other => Err(unknown_button(other)),
    }
}

/// `POST /works/{id}/post`: posts a draft with its chapters (a posted work stays as it is).
pub async fn post(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    match state.store.post_work(work.id, today()).await {
        Ok(()) => Ok(done(&format!("/works/{}", work.id))),
        Err(StoreError::Conflict(_)) => Ok(done(&format!("/works/{}", work.id))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub(crate) struct ConfirmDelete {
    pub heading: String,
    pub question: String,
    pub refusal: Option<String>,
    pub action: String,
    pub cancel_url: String,
    pub csrf: String,
}

/// `GET /works/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let work = deletable_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let page = ConfirmDelete {
        heading: format!("Delete {}", work.title),
        question: format!(
            "Are you sure you want to delete \u{201c}{}\u{201d}, with its chapters, kudos and \
             everything else of it? This cannot be undone.",
            work.title
        ),
        refusal: None,
        action: format!("/works/{}/delete", work.id),
        cancel_url: format!("/works/{}", work.id),
        csrf: csrf.value().to_owned(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /works/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = deletable_work(&state, &reader, &signed_in.user, &raw_id).await?;
    state.store.delete_work(work.id).await?;
    let page = NoticePage {
        heading: "Work deleted",
        message: format!("\u{201c}{}\u{201d} has been deleted.", work.title),
        next_url: format!("/users/{}", signed_in.user.login),
        next_label: "Go to your works",
    };
    Ok(render(&page)?.into_response())
}
