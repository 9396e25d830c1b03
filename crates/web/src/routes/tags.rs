//! `/tags/{name}` (a tag's kind and wrangling) and `/tags/{name}/works` (its works, with the
//! filter sidebar). A synonym leads to its canonical tag, as on AO3.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use quire_core::TagKind;
use quire_core::numbers::thousands;
use quire_core::tag::{escape_for_url, unescape_from_url, url_segment};
use quire_core::visibility::{ListingScope, Viewer};
use quire_search::{FoundTag, WorkQuery};
use quire_store::Page;

use super::search::{SaveFilterForm, count, feed_url, listing_page, run};
use super::tag_edit::edit_url;
use super::{moved_to, render};
use crate::auth::SignedIn;
use crate::auth::wrangler::may_wrangle;
use crate::error::{AppError, Missing};
use crate::params::ListingParams;
use crate::search::ask;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{TagLink, tag_url};

#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage {
    name: String,
    kind: &'static str,
    works_url: String,
    works: String,
    /// For a synonym, the canonical tag it is merged into.
    merged_into: Option<TagLink>,
    /// The wrangling lists (empty while the index is rebuilding).
    synonyms: Vec<TagLink>,
    metas: Vec<TagLink>,
    subtags: Vec<TagLink>,
    parents: Vec<TagLink>,
    children: Vec<TagLink>,
    /// The tag's edit page, for wranglers.
    edit_url: Option<String>,
}

/// `/tags/{name}`: the tag's kind, canonical form, synonyms, parents, children, meta tags and
/// sub-tags, with a link to its works.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    Path(escaped): Path<String>,
) -> Result<Response, AppError> {
    let name = unescape_from_url(&escaped);
    let tag = find_tag(&state, &reader.viewer, &name).await?;
    // A synonym keeps its own page, which says what it is merged into.
    let page_name = tag.synonym.clone().unwrap_or_else(|| tag.name.clone());
    if escaped != escape_for_url(&page_name) {
        return Ok(moved_to(&tag_page_url(&page_name), None));
    }
    let works = count_listed(&state, &reader, &tag).await?;
    let canonical = tag.name.as_str();
    let (synonyms, metas, subtags, parents, children) = match state.search.ready() {
        Some(index) => index.with_graph(|g| {
            (
                g.synonyms_of(canonical),
                g.metas_of(canonical).to_vec(),
                g.subtags_of(canonical),
                g.parents_of(canonical),
                g.children(canonical).to_vec(),
            )
        })?,
        None => Default::default(),
    };
    let edit = match &signed_in {
        Some(signed_in) => may_wrangle(&state, signed_in)
            .await?
            .then(|| edit_url(&page_name)),
        None => None,
    };
    let links =
        |names: Vec<String>| -> Vec<TagLink> { names.iter().map(|n| tag_page_link(n)).collect() };
    let page = TagPage {
        kind: kind_name(tag.kind),
        works_url: tag_url(canonical),
        works: thousands(i64::try_from(works).unwrap_or(i64::MAX)),
        merged_into: tag.synonym.is_some().then(|| tag_page_link(canonical)),
        synonyms: links(synonyms),
        metas: links(metas),
        subtags: links(subtags),
        parents: links(parents),
        children: links(children),
        edit_url: edit,
        name: page_name,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

/// `/tags/{name}/works`: the tag's works (with its synonyms' and sub-tags'), filtered by the
/// query string.
pub async fn works(
    State(state): State<AppState>,
    reader: Reader,
    uri: Uri,
    Path(escaped): Path<String>,
    Extension(params): Extension<ListingParams>,
) -> Result<Response, AppError> {
    let name = unescape_from_url(&escaped);
    let tag = find_tag(&state, &reader.viewer, &name).await?;
    // Another spelling of the tag's name (its case, say), or a synonym, leads to its one URL,
    // so that spellings cannot each cost a fresh listing.
    if escaped != escape_for_url(&tag.name) {
        return Ok(moved_to(&tag_url(&tag.name), uri.query()));
    }
    let mut query = params.query.clone();
    query.include.insert(0, (tag.kind, tag.name.clone()));
    let save = SaveFilterForm::for_reader(&query);
    let listing = run(
        &state,
        &reader,
        &ListingParams {
            query,
            ..params.clone()
        },
    )
    .await?;
    // A tag whose every work is hidden from this viewer does not exist for them: its name
    // alone can say too much. (Filters that match nothing show the empty page.)
    if listing.total == Some(0) {
        count_listed(&state, &reader, &tag).await?;
    }
    let heading = format!("{} Works in {}", count(&listing), tag.name);
    let mut page = listing_page(
        &tag_url(&tag.name),
        heading,
        &params,
        &listing,
        Some(&tag.name),
    );
    let feed_path = format!("/tags/{}/feed.atom", url_segment(&tag.name));
    page.feed = Some(feed_url(&feed_path, &params.query));
    page.save = save;
    let shows = Extension(listing.shows(&params.query));
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}

/// The tag called `name`, from the index (resolving synonyms) or, while it is rebuilding,
/// from the database; 404 when there is none.
pub(crate) async fn find_tag(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
) -> Result<FoundTag, AppError> {
    let found = match state.search.ready() {
        Some(index) => {
            let name = name.to_owned();
            ask(index, move |index| index.find_tag(&name)).await?
        }
        None => {
            let scope = ListingScope::for_viewer(viewer);
            state
                .store
                .works_tagged(name, scope, Page::first(1))
                .await?
                .map(|(tag, _, _)| FoundTag {
                    kind: tag.kind,
                    name: tag.name,
                    synonym: None,
                })
        }
    };
    found.ok_or_else(|| AppError::not_found(Missing::Tag))
}

/// Works listed for this reader under the tag; 404 when none (see [`works`]).
async fn count_listed(state: &AppState, reader: &Reader, tag: &FoundTag) -> Result<u64, AppError> {
    let mut query = WorkQuery::new();
    query.include.push((tag.kind, tag.name.clone()));
    let params = ListingParams {
        query,
        show_muted: true,
    };
    let listing = run(state, reader, &params).await?;
    match listing.total {
        Some(0) => Err(AppError::not_found(Missing::Tag)),
        Some(n) => Ok(n),
        None => Ok(listing.works.len() as u64),
    }
}

fn tag_page_link(name: &str) -> TagLink {
    TagLink {
        name: name.to_owned(),
        url: tag_page_url(name),
    }
}

/// `/tags/{name}`, with AO3's escaping.
pub(crate) fn tag_page_url(name: &str) -> String {
    tag_url(name).trim_end_matches("/works").to_owned()
}

pub(crate) const fn kind_name(kind: TagKind) -> &'static str {
    match kind {
        TagKind::Rating => "Rating",
        TagKind::ArchiveWarning => "Archive Warning",
        TagKind::Category => "Category",
        TagKind::Fandom => "Fandom",
        TagKind::Relationship => "Relationship",
        TagKind::Character => "Character",
        TagKind::Freeform => "Additional Tag",
    }
}
