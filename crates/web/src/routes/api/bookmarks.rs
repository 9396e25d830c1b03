//! Bookmarks through the API, as the web's bookmark form makes them: the token owner's
//! bookmark of a work (`create`, `replace`, `delete` at `/api/v1/works/{id}/bookmark`), and a
//! reader's bookmarks (`by_user`), their private ones to their own token alone. Every work
//! goes through the visibility rule: a bookmark of a work the reader may not see is not
//! there for them.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use quire_core::json::WorkJson;
use quire_core::visibility::{ListingScope, can_view};
use quire_core::{UserId, Work};
use quire_store::{Bookmark, BookmarkForm, Page, StoreError};
use serde::{Deserialize, Serialize};

use super::{
    ApiJson, ApiPath, ApiReader, ApiWriter, ListParams, PER_PAGE, next_cursor, unstorable,
    work_json,
};
use crate::error::{AppError, ErrorBody, FieldError, Missing};
use crate::routes::account;
use crate::routes::bookmarks::{Posted, has_works};
use crate::routes::works::visible_work;
use crate::state::AppState;

/// What a reader writes into a bookmark.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookmarkBody {
    /// Up to 5,000 characters of HTML, cleaned by the archive's allow-list.
    pub notes: Option<String>,
    /// The reader's own tags: up to 75 (the same name twice, in any case, counts once), each
    /// up to 150 characters, without commas.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Seen by its owner alone, and not counted on the work.
    #[serde(default)]
    pub private: bool,
    /// A recommendation.
    #[serde(default)]
    pub rec: bool,
}

/// A bookmark and the work it keeps.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BookmarkJson {
    pub id: i64,
    /// The bookmarker's login.
    pub login: String,
    /// Sanitized HTML.
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
    pub rec: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub work: WorkJson,
}

/// One page of a reader's bookmarks, newest first.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BookmarkList {
    pub bookmarks: Vec<BookmarkJson>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

fn json(bookmark: Bookmark, work: &Work, reader: &ApiReader) -> BookmarkJson {
    BookmarkJson {
        id: bookmark.id,
        login: bookmark.login,
        notes: bookmark.notes,
        tags: bookmark.tags,
        private: bookmark.private,
        rec: bookmark.rec,
        created_at: bookmark.created_at,
        updated_at: bookmark.updated_at,
        work: work_json(work, can_view(work, reader.viewer())),
    }
}

impl BookmarkBody {
    /// The bookmark to save, by the web form's rules, or a 422 naming the field.
    fn check(&self) -> Result<BookmarkForm, AppError> {
        let refuse = |field: &str, code: &'static str, message: String| {
            AppError::unprocessable(
                code,
                vec![FieldError {
                    field: field.to_owned(),
                    code: code.to_owned(),
                    message,
                }],
            )
        };
        if self
            .notes
            .iter()
            .chain(&self.tags)
            .any(|t| t.contains('\0'))
        {
            return Err(refuse(
                if self.notes.as_deref().is_some_and(|n| n.contains('\0')) {
                    "notes"
                } else {
                    "tags"
                },
                "text_nul",
                "The text contains a NUL character, which no text may hold.".to_owned(),
            ));
        }
        if let Some(tag) = self.tags.iter().find(|t| t.contains(',')) {
            return Err(refuse(
                "tags",
                "tag_comma",
                format!("The tag “{tag}” has a comma; tags cannot hold commas."),
            ));
        }
        let posted = Posted {
            notes: self.notes.clone().unwrap_or_default(),
            tags: self.tags.join(","),
            private: self.private.then(String::new),
            rec: self.rec.then(String::new),
        };
        posted
            .to_form()
            .map_err(|(field, code, message)| refuse(field, code, message))
    }
}

/// Saves `user`'s bookmark of the work and marks the pages counting it stale.
async fn save(
    state: &AppState,
    user: UserId,
    work: &Work,
    form: &BookmarkForm,
) -> Result<Bookmark, AppError> {
    let saved = match state.store.save_bookmark(user, work.id, form).await {
        Ok(saved) => saved,
        // A draft cannot be bookmarked, even by its creators.
        Err(StoreError::NotFound(_)) => return Err(AppError::not_found(Missing::Work)),
        Err(e) => return Err(e.into()),
    };
    Ok(saved)
}

fn created(writer: &ApiWriter, work: &Work, body: &BookmarkJson) -> Response {
    let mut response = writer.json(StatusCode::CREATED, body);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/works/{}/bookmark", work.id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

/// Bookmarks a work for the token's owner. A reader has one bookmark of a work: when there
/// is one already, this changes nothing (409 `bookmark_exists`; change it with `PUT`).
#[utoipa::path(
    post,
    path = "/api/v1/works/{id}/bookmark",
    tag = "bookmarks",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    request_body = BookmarkBody,
    security(("api_token" = ["write"])),
    responses(
        (status = 201, description = "The bookmark, made", body = BookmarkJson,
         headers(("Location" = String, description = "The bookmark's address at this API"))),
        (status = 400, description = "A malformed id, or a body that is not the JSON this takes", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No posted work the token's owner may see has this id", body = ErrorBody),
        (status = 409, description = "The reader has bookmarked this work already (`bookmark_exists`)", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (`notes_too_long`, `tag_too_long`, …)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
    ApiJson(body): ApiJson<BookmarkBody>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &writer.reader.reader, &raw_id).await?;
    let form = body.check()?;
    let user = writer.token.user.id;
    if state.store.bookmark(user, work.id).await?.is_some() {
        return Err(AppError::Conflict {
            code: "bookmark_exists",
            message: "You have bookmarked this work already: change the bookmark with PUT, or \
                      delete it first."
                .to_owned(),
        });
    }
    let saved = save(&state, user, &work, &form).await?;
    Ok(created(&writer, &work, &json(saved, &work, &writer.reader)))
}

/// Writes the token owner's bookmark of a work, making it when there is none.
#[utoipa::path(
    put,
    path = "/api/v1/works/{id}/bookmark",
    tag = "bookmarks",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    request_body = BookmarkBody,
    security(("api_token" = ["write"])),
    responses(
        (status = 200, description = "The bookmark, changed", body = BookmarkJson),
        (status = 201, description = "The bookmark, made", body = BookmarkJson,
         headers(("Location" = String, description = "The bookmark's address at this API"))),
        (status = 400, description = "A malformed id, or a body that is not the JSON this takes", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No posted work the token's owner may see has this id", body = ErrorBody),
        (status = 422, description = "Fields that cannot be taken (`notes_too_long`, `tag_too_long`, …)", body = ErrorBody),
    )
)]
pub async fn replace(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
    ApiJson(body): ApiJson<BookmarkBody>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &writer.reader.reader, &raw_id).await?;
    let form = body.check()?;
    let user = writer.token.user.id;
    let existed = state.store.bookmark(user, work.id).await?.is_some();
    let saved = save(&state, user, &work, &form).await?;
    let body = json(saved, &work, &writer.reader);
    if existed {
        Ok(writer.json(StatusCode::OK, &body))
    } else {
        Ok(created(&writer, &work, &body))
    }
}

/// Deletes the token owner's bookmark of a work.
#[utoipa::path(
    delete,
    path = "/api/v1/works/{id}/bookmark",
    tag = "bookmarks",
    params(("id" = i64, Path, minimum = 1, description = "The work's id")),
    security(("api_token" = ["write"])),
    responses(
        (status = 204, description = "The bookmark is deleted"),
        (status = 400, description = "A malformed id", body = ErrorBody),
        (status = 401, description = "No token, or one the archive does not know", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such work the token's owner may see, or no bookmark of it", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    writer: ApiWriter,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<Response, AppError> {
    let (work, _) = visible_work(&state, &writer.reader.reader, &raw_id).await?;
    if !state
        .store
        .delete_bookmark(writer.token.user.id, work.id)
        .await?
    {
        return Err(AppError::not_found(Missing::Bookmark));
    }
    Ok(writer.no_content())
}

/// A reader's bookmarks of works this reader may see, newest first; their private ones only
/// to a token (or session) of their own.
#[utoipa::path(
    get,
    path = "/api/v1/users/{login}/bookmarks",
    tag = "bookmarks",
    params(("login" = String, Path, description = "The reader's login"), ListParams),
    responses(
        (status = 200, description = "A page of bookmarks", body = BookmarkList),
        (status = 400, description = "A malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "No such reader, or none this reader may see", body = ErrorBody),
    )
)]
pub async fn by_user(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(login): ApiPath<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query?;
    let page = params.page()?;
    if unstorable(&login) {
        return Err(AppError::not_found(Missing::User));
    }
    let user = account(&state, &login).await?;
    let viewer = *reader.viewer();
    let own = viewer.user == Some(user.id);
    let mut bookmarks = state
        .store
        .bookmarks_by(user.id, own, Page::new(page, PER_PAGE).and_one_more())
        .await?;
    let has_more = bookmarks.len() > PER_PAGE as usize;
    bookmarks.truncate(PER_PAGE as usize);
    let ids: Vec<i64> = bookmarks.iter().map(|b| b.work_id).collect();
    let scope = ListingScope::for_viewer(&viewer);
    let mut works = state.store.works(&ids).await?;
    works.retain(|w| scope.admits(w, &viewer));
    let listed: Vec<BookmarkJson> = bookmarks
        .into_iter()
        .filter_map(|b| {
            let work = works.iter().find(|w| w.id == b.work_id)?;
            Some(json(b, work, &reader))
        })
        .collect();
    // As on their page: a reader with nothing this viewer may see does not exist for them.
    if listed.is_empty() && page == 1 && !own && !has_works(&state, &reader.reader, user.id).await?
    {
        return Err(AppError::not_found(Missing::User));
    }
    Ok(reader.json(&BookmarkList {
        bookmarks: listed,
        next_cursor: next_cursor(page, has_more),
    }))
}
