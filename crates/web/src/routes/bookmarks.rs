//! Bookmarks, as AO3 keeps them: a signed-in reader bookmarks a work they can see, with notes
//! (HTML through the allow-list sanitizer), their own tags, private or public, and a "rec"
//! mark. `/works/{id}/bookmarks` lists a work's public bookmarks; `/users/{login}/bookmarks`
//! a reader's, their private ones to themselves alone. Every listed work goes through the
//! visibility rule, as in any listing.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use quire_core::limits::{NOTES_MAX, TAG_NAME_MAX, TAGS_MAX};
use quire_core::visibility::ListingScope;
use quire_core::{Work, WorkId};
use quire_store::{Bookmark, BookmarkForm, Page, StoreError};
use serde::Deserialize;

use super::forms::{answer, done};
use super::works::visible_work;
use super::{PER_PAGE, PageParam, render};
use crate::auth::{CheckedForm, CsrfToken, SignedIn};
use crate::cache::Shows;
use crate::error::{AppError, Missing};
use crate::routes::account;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

/// One bookmark in a list: the work's blurb and what the bookmarker wrote.
struct BookmarkView {
    work: WorkView,
    login: String,
    /// Sanitized when saved.
    notes: Option<String>,
    tags: Vec<String>,
    private: bool,
    rec: bool,
    date: String,
}

#[derive(Template)]
#[template(path = "bookmarks.html")]
struct BookmarksPage {
    heading: String,
    bookmarks: Vec<BookmarkView>,
    pagination: Pagination,
}

#[derive(Template)]
#[template(path = "bookmark_form.html")]
struct FormPage {
    csrf: String,
    work: WorkView,
    /// What the form shows: the reader's bookmark, or what they just typed.
    notes: String,
    tags: String,
    private: bool,
    rec: bool,
    /// The reader has a bookmark of this work already (the page offers to delete it).
    saved: bool,
    error: Option<String>,
    notice: Option<String>,
}

/// The bookmark form as posted; checkboxes are absent when not ticked.
#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default)]
    pub(crate) tags: String,
    pub(crate) private: Option<String>,
    pub(crate) rec: Option<String>,
}

/// What is wrong with a bookmark: the field, a stable code (for the API) and a sentence.
pub(crate) type Refused = (&'static str, &'static str, String);

impl Posted {
    /// The bookmark to save, or what is wrong with the form.
    pub(crate) fn to_form(&self) -> Result<BookmarkForm, Refused> {
        let notes = self.notes.trim();
        if notes.chars().count() > NOTES_MAX {
            return Err((
                "notes",
                "notes_too_long",
                format!(
                    "Notes are {} characters long; the limit is {NOTES_MAX}.",
                    notes.chars().count()
                ),
            ));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in self
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if tag.chars().count() > TAG_NAME_MAX {
                return Err((
                    "tags",
                    "tag_too_long",
                    format!(
                        "The tag “{tag}” is too long; a tag may have {TAG_NAME_MAX} characters."
                    ),
                ));
            }
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.to_owned());
            }
        }
        if tags.len() > TAGS_MAX {
            return Err((
                "tags",
                "too_many_tags",
                format!(
                    "That is {} tags; a bookmark may have {TAGS_MAX}.",
                    tags.len()
                ),
            ));
        }
        let notes = quire_text::sanitize_html(notes);
        Ok(BookmarkForm {
            notes: (!notes.trim().is_empty()).then_some(notes),
            tags,
            private: self.private.is_some(),
            rec: self.rec.is_some(),
        })
    }
}

/// `GET /works/{id}/bookmark`: the reader's bookmark of the work, to write or change.
pub async fn edit(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &reader, &raw_id).await?;
    let saved = state.store.bookmark(signed_in.user.id, work.id).await?;
    let posted = saved.as_ref().map_or_else(Posted::default, |b| Posted {
        notes: b.notes.clone().unwrap_or_default(),
        tags: b.tags.join(", "),
        private: b.private.then(String::new),
        rec: b.rec.then(String::new),
    });
    form_page(&csrf, &work, &posted, saved.is_some(), None)
}

/// `POST /works/{id}/bookmark`: saves the bookmark; a form error keeps what was typed.
pub async fn save(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    csrf: CsrfToken,
    Path(raw_id): Path<String>,
    CheckedForm(posted): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &reader, &raw_id).await?;
    let form = match posted.to_form() {
        Ok(form) => form,
        Err((_, _, error)) => {
            let saved = state.store.bookmark(signed_in.user.id, work.id).await?;
            return form_page(&csrf, &work, &posted, saved.is_some(), Some(&error));
        }
    };
    match state
        .store
        .save_bookmark(signed_in.user.id, work.id, &form)
        .await
    {
        Ok(_) => {}
        Err(StoreError::NotFound(_)) => return Err(AppError::not_found(Missing::Work)),
        Err(e) => return Err(e.into()),
    }
    Ok(done(&own_bookmarks(&signed_in)))
}

/// `POST /works/{id}/bookmark/delete`.
pub async fn destroy(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(raw_id): Path<String>,
    CheckedForm(_): CheckedForm<Posted>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &reader, &raw_id).await?;
    state
        .store
        .delete_bookmark(signed_in.user.id, work.id)
        .await?;
    Ok(done(&own_bookmarks(&signed_in)))
}

/// `GET /works/{id}/bookmarks`: the work's public bookmarks.
pub async fn of_work(
    State(state): State<AppState>,
    reader: Reader,
    Path(raw_id): Path<String>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let number = param.number()?;
    let (work, _) = visible_work(&state, &reader, &raw_id).await?;
    let mut bookmarks = state
        .store
        .bookmarks_of(work.id, Page::new(number, PER_PAGE).and_one_more())
        .await?;
    let has_next = bookmarks.len() > PER_PAGE as usize;
    bookmarks.truncate(PER_PAGE as usize);
    let views = bookmarks
        .into_iter()
        .map(|b| view(&work, b))
        .collect::<Vec<_>>();
    let page = BookmarksPage {
        heading: format!("Bookmarks of {}", work.title),
        bookmarks: views,
        pagination: Pagination::open_ended(
            &format!("/works/{}/bookmarks", work.id),
            number,
            has_next,
        ),
    };
    let shows = Extension(Shows::Work(work.id));
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}

/// `GET /users/{login}/bookmarks`: a reader's bookmarks of works the viewer may see, their
/// private ones to themselves alone.
pub async fn by_user(
    State(state): State<AppState>,
    reader: Reader,
    Path(login): Path<String>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let number = param.number()?;
    let user = account(&state, &login).await?;
    let own = reader.viewer.user == Some(user.id);
    let mut bookmarks = state
        .store
        .bookmarks_by(user.id, own, Page::new(number, PER_PAGE).and_one_more())
        .await?;
    let has_next = bookmarks.len() > PER_PAGE as usize;
    bookmarks.truncate(PER_PAGE as usize);
    let ids: Vec<WorkId> = bookmarks.iter().map(|b| b.work_id).collect();
    let scope = ListingScope::for_viewer(&reader.viewer);
    let mut works = state.store.works(&ids).await?;
    works.retain(|w| scope.admits(w, &reader.viewer));
    let views = bookmarks
        .into_iter()
        .filter_map(|b| {
            let work = works.iter().find(|w| w.id == b.work_id)?;
            Some(view(work, b))
        })
        .collect::<Vec<_>>();
    // Like their user page, a reader with nothing this viewer may see does not exist for them.
    if views.is_empty() && number == 1 && !own && !has_works(&state, &reader, user.id).await? {
        return Err(AppError::not_found(Missing::User));
    }
    let page = BookmarksPage {
        heading: format!("Bookmarks by {}", user.login),
        bookmarks: views,
        pagination: Pagination::open_ended(
            &format!("/users/{}/bookmarks", user.login),
            number,
            has_next,
        ),
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

fn view(work: &Work, bookmark: Bookmark) -> BookmarkView {
    BookmarkView {
        work: WorkView::new(work),
        login: bookmark.login,
        notes: bookmark.notes,
        tags: bookmark.tags,
        private: bookmark.private,
        rec: bookmark.rec,
        date: bookmark.updated_at.format("%d %b %Y").to_string(),
    }
}

/// Whether the user has a work the viewer may see listed.
pub(crate) async fn has_works(
    state: &AppState,
    reader: &Reader,
    user: i64,
) -> Result<bool, AppError> {
    let scope = ListingScope::for_viewer(&reader.viewer);
    let (_, total) = state
        .store
        .works_by_user(user, scope, Page::first(1))
        .await?;
    Ok(total > 0)
}

fn own_bookmarks(signed_in: &SignedIn) -> String {
    format!("/users/{}/bookmarks", signed_in.user.login)
}

fn form_page(
    csrf: &CsrfToken,
    work: &Work,
    posted: &Posted,
    saved: bool,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let page = FormPage {
        csrf: csrf.value().to_owned(),
        work: WorkView::new(work),
        notes: posted.notes.clone(),
        tags: posted.tags.clone(),
        private: posted.private.is_some(),
        rec: posted.rec.is_some(),
        saved,
        error: error.map(str::to_owned),
        notice: None,
    };
    answer(&page, error)
}
