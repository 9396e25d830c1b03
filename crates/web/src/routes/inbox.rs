//! `/users/{login}/inbox`: the updates a reader's subscriptions brought (a new chapter of a
//! work, a new work by a creator or in a series), newest first, read or unread, only to their
//! owner. Each entry is shown through the visibility rule as the work is now: a work the
//! reader can no longer see drops out of the list, and so does an entry whose chapter they
//! may not read.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::visibility::{Access, can_view, can_view_chapter};
use quire_core::{Work, WorkId};
use quire_store::{InboxEntry, InboxKind, Page};
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use super::{PER_PAGE, parse_id};
use crate::auth::{CheckedForm, SignedIn};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

/// One entry as shown.
struct EntryView {
    id: i64,
    /// What happened, before the link.
    lead: String,
    link_text: String,
    url: String,
    /// After the link (the work's creators).
    tail: String,
    date: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    login: String,
    unread_only: bool,
    entries: Vec<EntryView>,
    pagination: Pagination,
}

#[derive(Debug, Deserialize)]
pub struct InboxParams {
    filter: Option<String>,
    page: Option<String>,
}

/// An entry's button, as posted.
#[derive(Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    id: String,
    /// `read`, `unread` or `delete`.
    #[serde(default)]
    action: String,
}

/// `GET /users/{login}/inbox[?filter=unread]`.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(login): Path<String>,
    query: Result<Query<InboxParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let Query(params) = query?;
    let unread_only = match params.filter.as_deref() {
        None | Some("") | Some("all") => false,
        Some("unread") => true,
        Some(other) => {
            return Err(AppError::invalid(format!(
                "`filter` must be `unread` or `all`, not `{other}`."
            )));
        }
    };
    let number = super::PageParam { page: params.page }.number()?;
    let mut entries = state
        .store
        .inbox(
            signed_in.user.id,
            unread_only,
            Page::new(number, PER_PAGE).and_one_more(),
        )
        .await?;
    let has_next = entries.len() > PER_PAGE as usize;
    entries.truncate(PER_PAGE as usize);
    let mut ids: Vec<WorkId> = entries.iter().map(|e| e.work_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let works = state.store.works(&ids).await?;
    let views = entries
        .iter()
        .filter_map(|entry| {
            let work = works.iter().find(|w| w.id == entry.work_id)?;
            view(work, entry, &reader)
        })
        .collect();
    let filter = if unread_only { "?filter=unread" } else { "" };
    let base = format!("/users/{}/inbox{filter}", signed_in.user.login);
    let pagination = Pagination::open_ended(&base, number, has_next);
    let page = InboxPage {
        login: signed_in.user.login.clone(),
        unread_only,
        entries: views,
        pagination,
    };
    answer(&page, None)
}

/// The entry as the reader may see it now, or nothing.
fn view(work: &Work, entry: &InboxEntry, reader: &Reader) -> Option<EntryView> {
    if can_view(work, &reader.viewer) == Access::Hidden {
        return None;
    }
    let blurb = WorkView::new(work);
    let (lead, url) = match entry.kind {
        InboxKind::Chapter => {
            let chapter = entry.chapter?;
            if can_view_chapter(work, &chapter, &reader.viewer) == Access::Hidden {
                return None;
            }
            (
                format!("Chapter {} of", chapter.position),
                format!("/works/{}/chapters/{}", work.id, chapter.id),
            )
        }
        InboxKind::Series => {
            let (_, title) = entry.series.as_ref()?;
            (
                format!("New work in the series {title}:"),
                blurb.url.clone(),
            )
        }
        InboxKind::Work => ("New work:".to_owned(), blurb.url.clone()),
    };
    let tail = match entry.kind {
        InboxKind::Chapter => format!("by {} was posted.", blurb.byline()),
        _ => format!("by {}", blurb.byline()),
    };
    Some(EntryView {
        id: entry.id,
        lead,
        link_text: blurb.title,
        url,
        tail,
        date: entry.created_at.format("%d %b %Y").to_string(),
        unread: entry.unread,
    })
}

/// `POST /users/{login}/inbox`: marks one entry read or unread, or deletes it.
pub async fn update(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<EntryForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let id = parse_id(&form.id, "inbox entry")?;
    let user = signed_in.user.id;
    match form.action.as_str() {
        "read" => state.store.mark_inbox(user, &[id], false).await?,
        "unread" => state.store.mark_inbox(user, &[id], true).await?,
        "delete" => state.store.delete_inbox(user, &[id]).await?,
        other => {
            return Err(AppError::invalid(format!(
                "`action` must be read, unread or delete, not `{other}`."
            )));
        }
    };
    Ok(done(&inbox_url(&signed_in)))
}

/// `POST /users/{login}/inbox/read_all`: marks every entry read.
pub async fn read_all(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(_): CheckedForm<EntryForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    state.store.mark_inbox_all_read(signed_in.user.id).await?;
    Ok(done(&inbox_url(&signed_in)))
}

fn inbox_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/inbox", signed_in.user.login)
}
