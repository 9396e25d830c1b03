//! `/works/{id}`: a work, chapter by chapter or whole, behind the adult-content gate where its
//! rating asks for one.

use askama::Template;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use quire_core::visibility::{Access, can_view, can_view_chapter};
use quire_core::work::ChapterHeading;
use quire_core::{Chapter, ChapterId, Tag, TagKind, Work, WorkId};
use quire_store::Following;
use serde::Deserialize;

use super::comments::{CommentsBox, Muted, WorkBox, show_muted_param, work_box};
use super::kudos::{KudosBox, kudos_box};
use super::subscriptions::{SubscribeButton, Target};
use super::{parse_id, render};
use crate::auth::SignedIn;
use crate::cache::{Shows, WorkData};
use crate::error::{AppError, Missing};
use crate::hits::WorkShown;
use crate::params::true_or_false;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{WorkView, public_chapter, tag_url};

#[derive(Debug, Deserialize)]
pub struct WorkParams {
    view_full_work: Option<String>,
    style: Option<String>,
    show_muted: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ChapterParams {
    style: Option<String>,
    show_muted: Option<String>,
}

/// AO3's `style=disable`: the work's text without the creator's formatting (centering, fonts,
/// sizes), in the archive's plain reading style.
fn plain_style(raw: Option<&str>) -> Result<bool, AppError> {
    match raw {
        None | Some("creator") => Ok(false),
        Some("disable") => Ok(true),
        Some(other) => Err(AppError::invalid(format!(
            "`style` must be `disable` or `creator`, not `{other}`."
        ))),
    }
}

/// `url` with `style=disable` added when the reader hides the creator's style.
fn styled(url: String, plain: bool) -> String {
    if !plain {
        return url;
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}style=disable")
}

/// AO3's navigation in one series: "« Previous Work  Part N of the S series  Next Work »".
struct SeriesNav {
    title: String,
    url: String,
    position: i32,
    previous_url: Option<String>,
    next_url: Option<String>,
}

/// An entry of the chapter index.
struct ChapterLink {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    work: WorkView,
    rating_url: String,
    chapters: Vec<Chapter>,
    chapter_nav: Vec<ChapterLink>,
    full_work: bool,
    /// The other reading mode: "Entire Work" or "Chapter by Chapter".
    mode_url: String,
    plain_style: bool,
    style_toggle_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    show_work_notes: bool,
    show_end_notes: bool,
    kudos: KudosBox,
    comments: CommentsBox,
    /// The reader is one of the work's creators: the page links their edit forms.
    owner: bool,
    draft: bool,
    /// A signed-in reader's Subscribe and Mark for Later buttons.
    following: Option<Following>,
    subscribe: Option<SubscribeButton>,
    /// The reader is an admin: the page has the form to hide the work, or show it again.
    admin: bool,
    hidden: bool,
    /// For each series of the work, its neighbours the reader may go to.
    series_nav: Vec<SeriesNav>,
    /// For a signed-in reader, each unclaimed creator's login and claim page.
    claims: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "adult.html")]
struct AdultGatePage {
    work: WorkView,
    proceed_url: String,
}

#[derive(Template)]
#[template(path = "navigate.html")]
struct NavigatePage {
    work: WorkView,
    chapter_nav: Vec<ChapterLink>,
}

/// `/works/{id}`: the whole work when it has one chapter or `view_full_work=true`, else its
/// first chapter.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    uri: Uri,
    Path(raw_id): Path<String>,
    params: Result<Query<WorkParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let plain = plain_style(params.style.as_deref())?
        || (params.style.is_none() && reader.hide_creator_styles);
    let show_muted = show_muted_param(params.show_muted.as_deref())?;
    let full_work = true_or_false("view_full_work", params.view_full_work.as_deref())?;
    let (work, index, data) = match readable_work(&state, &reader, &raw_id).await? {
        Readable::Gate(work) => return gate(&reader, &work, &uri),
        Readable::Open(work, index, data) => (work, index, data),
    };
    let load = async {
        Ok::<Vec<Chapter>, AppError>(if full_work && index.len() > 1 {
            state.store.chapters(work.id).await?
        } else {
            let first = index
                .first()
                .ok_or_else(|| AppError::not_found(Missing::Work))?;
            let chapter = read_chapter(&state, work.id, first.id).await?;
            chapter.into_iter().collect()
        })
    };
    let (chapters, following) =
        tokio::try_join!(load, following(&state, signed_in.as_ref(), &work))?;
    let chapters: Vec<Chapter> = chapters
        .into_iter()
        .filter(|c| can_view_chapter(&work, c, &reader.viewer) == Access::Full)
        .collect();
    let kudos = kudos_box(signed_in.as_ref(), &work, data.kudos.clone());
    let whole = full_work || index.len() == 1;
    let shown: Vec<i64> = chapters.iter().map(|c| c.id).collect();
    let comments = work_box(
        &state,
        &WorkBox {
            work: &work,
            viewer: &reader.viewer,
            muted: Muted::of(signed_in.as_ref(), show_muted),
            comments: &data.comments,
            settings: data.comment_settings,
            index: &index,
            shown: &shown,
            whole,
            uri: &uri,
        },
    );
    let page = work_page(
        &work,
        &index,
        chapters,
        whole,
        plain,
        (kudos, comments),
        signed_in.as_ref(),
    )
    .with_following(signed_in.as_ref(), following)
    .with_shared(&data, &reader, signed_in.as_ref());
    Ok(text_shown(
        &reader,
        &work,
        data.shows(),
        (reader.response_headers(), render(&page)?),
    ))
}

/// `/works/{id}/chapters/{chapter_id}`: one chapter, by its own id.
pub async fn chapter(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    uri: Uri,
    Path((raw_id, raw_chapter)): Path<(String, String)>,
    params: Result<Query<ChapterParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let plain = plain_style(params.style.as_deref())?
        || (params.style.is_none() && reader.hide_creator_styles);
    let show_muted = show_muted_param(params.show_muted.as_deref())?;
    let chapter_id = parse_id(&raw_chapter, "chapter")?;
    let (work, index, data) = match readable_work(&state, &reader, &raw_id).await? {
        Readable::Gate(work) => {
            // The gate only stands before a chapter the reader could read once they consent;
            // any other chapter id is "not found", as can_view_chapter says.
            return match readable_work(&state, &reader.consenting(), &raw_id).await? {
                Readable::Open(_, index, _) if index.iter().any(|c| c.id == chapter_id) => {
                    gate(&reader, &work, &uri)
                }
                _ => Err(AppError::not_found(Missing::Chapter)),
            };
        }
        Readable::Open(work, index, data) => (work, index, data),
    };
    let (chapter, following) = tokio::try_join!(
        read_chapter(&state, work.id, chapter_id),
        following(&state, signed_in.as_ref(), &work)
    )?;
    let chapter = chapter
        .filter(|c| can_view_chapter(&work, c, &reader.viewer) == Access::Full)
        .ok_or_else(|| AppError::not_found(Missing::Chapter))?;
    let kudos = kudos_box(signed_in.as_ref(), &work, data.kudos.clone());
    let comments = work_box(
        &state,
        &WorkBox {
            work: &work,
            viewer: &reader.viewer,
            muted: Muted::of(signed_in.as_ref(), show_muted),
            comments: &data.comments,
            settings: data.comment_settings,
            index: &index,
            shown: &[chapter.id],
            whole: index.len() == 1,
            uri: &uri,
        },
    );
    let page = work_page(
        &work,
        &index,
        vec![chapter],
        index.len() == 1,
        plain,
        (kudos, comments),
        signed_in.as_ref(),
    )
    .with_following(signed_in.as_ref(), following)
    .with_shared(&data, &reader, signed_in.as_ref());
    Ok(text_shown(
        &reader,
        &work,
        data.shows(),
        (reader.response_headers(), render(&page)?),
    ))
}

/// One chapter of a work with its text: shared in memory with the page cache on (see
/// `cache::works`), else from the database.
async fn read_chapter(
    state: &AppState,
    work: WorkId,
    chapter: ChapterId,
) -> Result<Option<Chapter>, AppError> {
    Ok(if state.options.page_cache {
        state
            .pages
            .chapter(state.store.as_ref(), work, chapter)
            .await?
    } else {
        state.store.chapter(work, chapter).await?
    })
}

/// `/works/{id}/navigate`: the chapter index.
pub async fn navigate(
    State(state): State<AppState>,
    reader: Reader,
    uri: Uri,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let (work, index, _) = match readable_work(&state, &reader, &raw_id).await? {
        Readable::Gate(work) => return gate(&reader, &work, &uri),
        Readable::Open(work, index, data) => (work, index, data),
    };
    let page = NavigatePage {
        work: WorkView::new(&work),
        chapter_nav: chapter_links(&index),
    };
    let shows = Extension(Shows::Work(work.id));
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}

enum Readable {
    /// The viewer must consent first.
    Gate(Work),
    /// The work, the chapters the viewer may read, and what every reader of it shares (who
    /// left kudos, its comments).
    Open(Work, Vec<ChapterHeading>, Arc<WorkData>),
}

/// Loads a work and decides, through `can_view`, what the viewer gets of it.
async fn readable_work(
    state: &AppState,
    reader: &Reader,
    raw_id: &str,
) -> Result<Readable, AppError> {
    let (data, access) = visible_data(state, reader, raw_id).await?;
    let work = data.work.clone();
    if access == Access::AdultGate {
        return Ok(Readable::Gate(work));
    }
    // can_view hides a work with no posted chapter from whoever may not read unposted ones,
    // so the index is never empty here.
    let index: Vec<ChapterHeading> = data
        .index
        .iter()
        .filter(|c| can_view_chapter(&work, *c, &reader.viewer) == Access::Full)
        .cloned()
        .collect();
    Ok(Readable::Open(work, index, data))
}

/// The work of a path's id and what the viewer may see of it ([`Access::Full`] or
/// [`Access::AdultGate`]); unknown ids and works `can_view` hides are "not found".
pub(crate) async fn visible_work(
    state: &AppState,
    reader: &Reader,
    raw_id: &str,
) -> Result<(Work, Access), AppError> {
    let (data, access) = visible_data(state, reader, raw_id).await?;
    Ok((data.work.clone(), access))
}

/// [`visible_work`] with the work's chapter index and kudos: from memory while the work is
/// unchanged (see `cache::works`), unless the page cache is off.
pub(crate) async fn visible_data(
    state: &AppState,
    reader: &Reader,
    raw_id: &str,
) -> Result<(Arc<WorkData>, Access), AppError> {
    let id = parse_id(raw_id, "work")?;
    let data = if state.options.page_cache {
        state.pages.work_data(state.store.as_ref(), id).await?
    } else {
        WorkData::load(state.store.as_ref(), id).await?
    };
    let data = data.ok_or_else(|| AppError::not_found(Missing::Work))?;
    match can_view(&data.work, &reader.viewer) {
        Access::Hidden => Err(AppError::not_found(Missing::Work)),
        access => Ok((data, access)),
    }
}

/// The interstitial, whose "Proceed" repeats this request with `view_adult=true`. The link is
/// built from the path and query only: a request line in absolute form
/// (`GET http://elsewhere/works/5`) must not send the reader elsewhere.
pub(crate) fn gate(reader: &Reader, work: &Work, uri: &Uri) -> Result<Response, AppError> {
    let proceed_url = match uri.query() {
        Some(query) => format!("{}?{query}&view_adult=true", uri.path()),
        None => format!("{}?view_adult=true", uri.path()),
    };
    let page = AdultGatePage {
        work: WorkView::new(work),
        proceed_url,
    };
    let shows = Extension(Shows::Work(work.id));
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}

/// A page with the work's text: it shows the work (and what else `shows` says: a work page's
/// series neighbours), and is a hit unless its reader is one of the work's creators.
pub(crate) fn text_shown(
    reader: &Reader,
    work: &Work,
    shows: Shows,
    page: impl IntoResponse,
) -> Response {
    let mut response = page.into_response();
    if !response.status().is_success() {
        return response;
    }
    let extensions = response.extensions_mut();
    extensions.insert(shows);
    if !reader
        .viewer
        .user
        .is_some_and(|user| work.is_created_by(user))
    {
        extensions.insert(WorkShown(work.id));
    }
    response
}

impl WorkPage {
    /// The page with the reader's Subscribe and Mark for Later buttons.
    fn with_following(
        mut self,
        signed_in: Option<&SignedIn>,
        following: Option<Following>,
    ) -> Self {
        self.subscribe = following.zip(signed_in).map(|(f, account)| {
            SubscribeButton::new(
                &account.user.login,
                &Target::Work(self.work.id),
                f.subscribed,
                self.work.title.clone(),
            )
        });
        self.following = following;
        self
    }

    /// The page with what the work's shared data gives each reader: the series navigation
    /// (through the visibility rule, for this reader) and, for a signed-in reader, a claim
    /// link for each unclaimed creator. Guests get neither claim links nor anything of their
    /// own, so the cached guest page is the same for every guest.
    fn with_shared(
        mut self,
        data: &WorkData,
        reader: &Reader,
        signed_in: Option<&SignedIn>,
    ) -> Self {
        self.series_nav = data
            .series_neighbours(&reader.viewer)
            .into_iter()
            .map(|n| SeriesNav {
                title: n.part.title,
                url: format!("/series/{}", n.part.id),
                position: n.part.position,
                previous_url: n.previous.map(|id| format!("/works/{id}")),
                next_url: n.next.map(|id| format!("/works/{id}")),
            })
            .collect();
        if signed_in.is_some() {
            self.claims = data
                .unclaimed
                .iter()
                .map(|login| (login.clone(), format!("/users/{login}/claim")))
                .collect();
        }
        self
    }
}

/// Whether a signed-in reader follows the work (Subscribe and Mark for Later buttons): read
/// with the session when the path named the work, else while the chapter text is; none for
/// guests, drafts and the work's own creators.
async fn following(
    state: &AppState,
    signed_in: Option<&SignedIn>,
    work: &Work,
) -> Result<Option<Following>, AppError> {
    match signed_in {
        Some(account) if work.posted && !work.is_created_by(account.user.id) => {
            Ok(Some(match account.following(work.id) {
                Some(following) => following,
                None => state.store.following(account.user.id, work.id).await?,
            }))
        }
        _ => Ok(None),
    }
}

fn chapter_links(index: &[ChapterHeading]) -> Vec<ChapterLink> {
    index
        .iter()
        .map(|c| ChapterLink {
            id: c.id,
            label: c.display(),
        })
        .collect()
}

fn work_page(
    work: &Work,
    index: &[ChapterHeading],
    chapters: Vec<Chapter>,
    whole: bool,
    plain: bool,
    (kudos, comments): (KudosBox, CommentsBox),
    signed_in: Option<&SignedIn>,
) -> WorkPage {
    let view = WorkView::new(work);
    let chapters: Vec<Chapter> = chapters
        .into_iter()
        .map(|c| public_chapter(work, c))
        .collect();
    let chapter_url = |c: &ChapterHeading| styled(format!("{}/chapters/{}", view.url, c.id), plain);
    let (prev_url, next_url) = match (whole, chapters.first()) {
        (false, Some(current)) => {
            let at = index.iter().position(|c| c.id == current.id);
            (
                at.and_then(|i| i.checked_sub(1))
                    .and_then(|i| index.get(i))
                    .map(chapter_url),
                at.and_then(|i| index.get(i + 1)).map(chapter_url),
            )
        }
        _ => (None, None),
    };
    let mode_url = if whole {
        index.first().map(chapter_url).unwrap_or_default()
    } else {
        styled(format!("{}?view_full_work=true", view.url), plain)
    };
    // The page itself in the other style.
    let here = match (whole, chapters.first()) {
        (true, _) if index.len() > 1 => format!("{}?view_full_work=true", view.url),
        (false, Some(current)) if index.len() > 1 => {
            format!("{}/chapters/{}", view.url, current.id)
        }
        _ => view.url.clone(),
    };
    let is_first = chapters.first().map(|c| c.id) == index.first().map(|c| c.id);
    let is_last = chapters.last().map(|c| c.id) == index.last().map(|c| c.id);
    let rating_tag = work
        .tags_of(TagKind::Rating)
        .next()
        .map(|t: &Tag| t.name.as_str());
    WorkPage {
        rating_url: tag_url(rating_tag.unwrap_or(work.rating.name())),
        work: view,
        chapter_nav: chapter_links(index),
        full_work: whole,
        mode_url,
        plain_style: plain,
        style_toggle_url: styled(here, !plain),
        prev_url,
        next_url,
        show_work_notes: whole || is_first,
        show_end_notes: whole || is_last,
        chapters,
        kudos,
        comments,
        owner: signed_in.is_some_and(|s| work.is_created_by(s.user.id)),
        draft: !work.posted,
        following: None,
        subscribe: None,
        admin: signed_in.is_some_and(|s| s.user.is_admin),
        hidden: work.hidden_by_admin,
        series_nav: Vec::new(),
        claims: Vec::new(),
    }
}
