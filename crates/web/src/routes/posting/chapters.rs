//! A creator's forms for one chapter: `new` and `create`, `edit` and `update` (each with a
//! preview; on a posted work a chapter can be saved unposted and posted later),
//! `confirm_delete` and `delete`, and `reorder` from the work's edit page. A chapter of a
//! posted work can also be scheduled ("Post Later", `schedule.rs`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use quire_core::work::NewChapter;
use quire_core::{ChapterId, Work};
use quire_store::{FormKey, StoreError};
use quire_text::TextFormat;

use super::form::{ChapterFields, Fields, Problems};
use super::schedule::read_post_at;
use super::works::{ConfirmDelete, unknown_button};
use super::{FORMATS, Preview, own_work, today};
use crate::auth::tokens::random_token;
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::error::{AppError, Missing};
use crate::routes::forms::{answer_refused, done};
use crate::routes::{parse_id, render};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::zone::Zone;

#[derive(Template)]
#[template(path = "chapter_form.html")]
struct ChapterForm {
    heading: String,
    action: String,
    work_url: String,
    work_title: String,
    work_posted: bool,
    is_new: bool,
    /// Offer "Post" next to "Save Without Posting": an unposted chapter of a posted work.
    can_post: bool,
    csrf: String,
    form_key: String,
    /// The format chosen, as sent.
    text_format: String,
    fields: ChapterFields,
    problems: Problems,
    preview: Option<Preview>,
    formats: [TextFormat; 3],
    /// "Post this chapter later, at": the time as typed (or as scheduled), in `zone`.
    post_at: String,
    /// The creator's time zone, as the form names it.
    zone: String,
    /// The preference names a zone the server does not know: times are UTC.
    zone_unknown: bool,
    /// When the chapter is scheduled to post, for the edit form.
    scheduled: Option<String>,
}

impl ChapterForm {
    fn new(work: &Work, csrf: &CsrfToken, zone: &Zone, fields: ChapterFields) -> ChapterForm {
        let work_url = format!("/works/{}", work.id);
        ChapterForm {
            heading: "New Chapter".to_owned(),
            action: format!("{work_url}/chapters"),
            work_url,
            work_title: work.title.clone(),
            work_posted: work.posted,
            is_new: true,
            can_post: work.posted,
            csrf: csrf.value().to_owned(),
            form_key: String::new(),
            text_format: TextFormat::Html.as_str().to_owned(),
            fields,
            problems: Problems::default(),
            preview: None,
            formats: FORMATS,
            post_at: String::new(),
            zone: zone.name.clone(),
            zone_unknown: zone.unknown,
            scheduled: None,
        }
    }

    fn answer(&self) -> Result<Response, AppError> {
        answer_refused(self, !self.problems.is_empty())
    }
}

/// What a chapter form sent: its fields, format and button, and the chapter to store or
/// the form to show again (with its problems or its preview).
enum Sent {
    Store {
        chapter: NewChapter,
        /// The button: `post`, `draft`, `save` or `schedule`.
        commit: String,
        form_key: String,
        /// For `schedule`: when to post it (Unix seconds).
        post_at: Option<i64>,
    },
    Show(Box<ChapterForm>),
}

fn read(form: ChapterForm, raw: Vec<(String, String)>, zone: &Zone) -> Result<Sent, AppError> {
    let sent = Fields(raw);
    let fields = ChapterFields::read(&sent, false);
    let format_raw = sent.one("format");
    let commit = sent.commit();
    let mut problems = Problems::default();
    let format = format_raw.parse::<TextFormat>().unwrap_or_else(|e| {
        problems.add("format", "format_unknown", format!("{e}."));
        TextFormat::Html
    });
    let chapter = fields.check(format, &mut problems);
    let post_at_raw = sent.one("post_at");
    let post_at = if commit == "schedule" && form.can_post {
        read_post_at(&post_at_raw, zone, Utc::now(), &mut problems)
    } else {
        None
    };
    let form = ChapterForm {
        text_format: format_raw,
        form_key: sent.one("form_key"),
        fields,
        post_at: post_at_raw,
        ..form
    };
    if !problems.is_empty() {
        return Ok(Sent::Show(Box::new(ChapterForm { problems, ..form })));
    }
    if commit == "preview" {
        let preview = Preview {
            title: String::new(),
            summary: chapter.summary.clone(),
            notes: chapter.notes.clone(),
            end_notes: chapter.end_notes.clone(),
            chapter_title: chapter.title.clone(),
            content: Some(chapter.content),
        };
        return Ok(Sent::Show(Box::new(ChapterForm {
            preview: Some(preview),
            ..form
        })));
    }
    let schedule = commit == "schedule" && form.can_post;
    if !(matches!(commit.as_str(), "post" | "draft" | "save") || schedule) {
        return Err(unknown_button(&commit));
    }
    Ok(Sent::Store {
        chapter,
        commit,
        form_key: form.form_key,
        post_at,
    })
}

/// `GET /works/{id}/chapters/new`.
pub async fn new(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let zone = Zone::named(&signed_in.preferences.time_zone);
    ChapterForm {
        form_key: random_token()?,
        ..ChapterForm::new(&work, &csrf, &zone, ChapterFields::default())
    }
    .answer()
}

/// `POST /works/{id}/chapters`: previews, or adds the chapter (posted with "Post", kept
/// unposted until its time with "Post Later"; a draft's chapters wait for the work). The
/// form's key makes a second send answer the chapter the first made.
pub async fn create(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let zone = Zone::named(&signed_in.preferences.time_zone);
    let form = ChapterForm::new(&work, &csrf, &zone, ChapterFields::default());
    let (chapter, commit, form_key, post_at) = match read(form, raw, &zone)? {
        Sent::Show(form) => return form.answer(),
        Sent::Store {
            chapter,
            commit,
            form_key,
            post_at,
        } => (chapter, commit, form_key, post_at),
    };
    let chapter = NewChapter {
        posted: !matches!(commit.as_str(), "draft" | "schedule"),
        published: Some(today()),
        ..chapter
    };
    let key = (!form_key.is_empty()).then(|| FormKey {
        user: signed_in.user.id,
        nonce: &form_key,
    });
    let created = state.store.add_chapter(work.id, &chapter, key).await?;
    if let Some(at) = post_at {
        schedule(&state, &work, created.id, Some(at)).await?;
    }
    Ok(done(&format!("/works/{}/chapters/{}", work.id, created.id)))
}

/// The chapter of a path's ids, of a work `user` created.
pub(crate) async fn own_chapter(
    state: &AppState,
    reader: &Reader,
    user: &quire_core::User,
    raw_id: &str,
    raw_chapter: &str,
) -> Result<(Work, quire_core::Chapter), AppError> {
    let work = own_work(state, reader, user, raw_id).await?;
    let id: ChapterId = parse_id(raw_chapter, "chapter")?;
    let chapter = state
        .store
        .chapter(work.id, id)
        .await?
        .ok_or_else(|| AppError::not_found(Missing::Chapter))?;
    Ok((work, chapter))
}

/// Sets or clears a chapter's time; a chapter posted meanwhile (by the poster, or another
/// tab) is left as it is.
async fn schedule(
    state: &AppState,
    work: &Work,
    chapter: ChapterId,
    post_at: Option<i64>,
) -> Result<(), AppError> {
    match state
        .store
        .schedule_chapter(work.id, chapter, post_at)
        .await
    {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    state: &AppState,
    work: &Work,
    chapter: &quire_core::Chapter,
    csrf: &CsrfToken,
    zone: &Zone,
) -> Result<ChapterForm, AppError> {
    let post_at = if chapter.posted {
        None
    } else {
        state
            .store
            .scheduled_chapters(work.id)
            .await?
            .into_iter()
            .find(|s| s.chapter == chapter.id)
            .map(|s| s.post_at)
    };
    Ok(ChapterForm {
        heading: format!("Edit Chapter {}", chapter.position),
        action: format!("/works/{}/chapters/{}/edit", work.id, chapter.id),
        is_new: false,
        can_post: work.posted && !chapter.posted,
        post_at: post_at.map(|at| zone.field(at)).unwrap_or_default(),
        scheduled: post_at.map(|at| zone.show(at)),
        ..ChapterForm::new(work, csrf, zone, ChapterFields::of(chapter))
    })
}

/// `GET /works/{id}/chapters/{chapter_id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (work, chapter) =
        own_chapter(&state, &reader, &signed_in.user, &raw_id, &raw_chapter).await?;
    let zone = Zone::named(&signed_in.preferences.time_zone);
    edit_form(&state, &work, &chapter, &csrf, &zone)
        .await?
        .answer()
}

/// `POST /works/{id}/chapters/{chapter_id}/edit`: previews or saves; "Post" posts an
/// unposted chapter of a posted work, "Post Later" (re)schedules it, and "Save Without
/// Posting" takes it off the schedule.
pub async fn update(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (work, chapter) =
        own_chapter(&state, &reader, &signed_in.user, &raw_id, &raw_chapter).await?;
    let zone = Zone::named(&signed_in.preferences.time_zone);
    let form = edit_form(&state, &work, &chapter, &csrf, &zone).await?;
    let (edit, commit, post_at) = match read(form, raw, &zone)? {
        Sent::Show(form) => return form.answer(),
        Sent::Store {
            chapter,
            commit,
            post_at,
            ..
        } => (chapter, commit, post_at),
    };
    let edit = NewChapter {
        posted: commit == "post",
        published: Some(today()),
        ..edit
    };
    state.store.edit_chapter(work.id, chapter.id, &edit).await?;
    if !chapter.posted && matches!(commit.as_str(), "draft" | "schedule") {
        schedule(&state, &work, chapter.id, post_at).await?;
    }
    Ok(done(&format!("/works/{}/chapters/{}", work.id, chapter.id)))
}

/// `GET /works/{id}/chapters/{chapter_id}/delete`: asks first; a work's only chapter cannot
/// go (the work can).
pub async fn confirm_delete(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (work, chapter) =
        own_chapter(&state, &reader, &signed_in.user, &raw_id, &raw_chapter).await?;
    let only = state.store.chapter_index(work.id).await?.len() == 1;
    let page = ConfirmDelete {
        heading: format!("Delete Chapter {}", chapter.position),
        question: format!(
            "Are you sure you want to delete chapter {} of \u{201c}{}\u{201d}? This cannot be undone.",
            chapter.position, work.title
        ),
        refusal: only.then(|| ONLY_CHAPTER.to_owned()),
        action: format!("/works/{}/chapters/{}/delete", work.id, chapter.id),
        cancel_url: format!("/works/{}/edit", work.id),
        csrf: csrf.value().to_owned(),
    };
    let status = if only {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}

const ONLY_CHAPTER: &str =
    "This is the work's only chapter, so it cannot be deleted on its own. Delete the work instead.";

/// `POST /works/{id}/chapters/{chapter_id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (work, chapter) =
        own_chapter(&state, &reader, &signed_in.user, &raw_id, &raw_chapter).await?;
    match state.store.delete_chapter(work.id, chapter.id).await {
        Ok(()) => Ok(done(&format!("/works/{}/edit", work.id))),
        Err(StoreError::Conflict(_)) => {
            let page = ConfirmDelete {
                heading: format!("Delete Chapter {}", chapter.position),
                question: String::new(),
                refusal: Some(ONLY_CHAPTER.to_owned()),
                action: String::new(),
                cancel_url: format!("/works/{}/edit", work.id),
                csrf: csrf.value().to_owned(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /works/{id}/chapters/order`: the edit page's positions, one `chapter` and one
/// `position` field per chapter, in the page's order. Chapters are sorted by the positions
/// typed (ties keep the page's order).
pub async fn reorder(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(raw): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let work = own_work(&state, &reader, &signed_in.user, &raw_id).await?;
    let sent = Fields(raw);
    let ids = sent.all("chapter");
    let positions = sent.all("position");
    if ids.len() != positions.len() {
        return Err(AppError::invalid(
            "Each `chapter` needs one `position`.".to_owned(),
        ));
    }
    let mut order: Vec<(i64, usize, ChapterId)> = Vec::with_capacity(ids.len());
    for (i, (id, place)) in ids.iter().zip(&positions).enumerate() {
        let id = parse_id(id, "chapter")?;
        let place: i64 = place.trim().parse().map_err(|_| {
            AppError::invalid(format!(
                "`{place}` is not a chapter position: give a number."
            ))
        })?;
        order.push((place, i, id));
    }
    order.sort_unstable();
    let order: Vec<ChapterId> = order.into_iter().map(|(_, _, id)| id).collect();
    match state.store.reorder_chapters(work.id, &order).await {
        Ok(()) => Ok(done(&format!("/works/{}/edit", work.id))),
        Err(StoreError::Invalid(message)) => Err(AppError::invalid(format!("{message}."))),
        Err(e) => Err(e.into()),
    }
}
