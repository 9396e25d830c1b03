//! `/api/v1/tags/{name}`: a tag, and the works carrying it.
//!
//! The name is written as in the pages' URLs (AO3's escaping: `/` as `*s*`, `&` as `*a*`, `.`
//! as `*d*`, `?` as `*q*`, `#` as `*h*`), in any case. A tag that no work this reader may see
//! carries does not exist for them: its name alone can say too much.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use quire_core::tag::{TagId, unescape_from_url, url_segment};
use quire_core::visibility::ListingScope;
use quire_core::{Tag, TagKind, Work};
use quire_search::WorkQuery;
use quire_store::Page;
use quire_store::wrangling::TagWrangling;
use serde::{Deserialize, Serialize};

use super::work_list::{WorkListParams, list_query};
use super::{ApiPath, ApiReader, ListParams, WorkList, listed, next_cursor, unstorable};
use crate::error::{AppError, ErrorBody, Missing};
use crate::listing;
use crate::state::AppState;

/// A tag, with its wrangling: the tags it is filed with, as far as this reader may see them.
/// Canonical tags are the archive's vocabulary and always shown; any other related tag only
/// when it carries a work the reader may see (else it does not exist for them).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TagJson {
    pub name: String,
    /// `rating`, `archive_warning`, `category`, `fandom`, `relationship`, `character` or
    /// `freeform`.
    pub kind: String,
    /// A canonical tag is the one its synonyms are filed under.
    pub canonical: bool,
    /// Works carrying the tag that this reader may see.
    pub works: i64,
    /// The tag's works, at this API.
    pub works_url: String,
    /// The tag's Atom feed.
    pub feed_url: String,
    /// The canonical tag this one is a synonym of.
    pub merger: Option<String>,
    /// Tags filed as synonyms of this one.
    pub synonyms: Vec<String>,
    /// Its parent tags (a character's fandom, say).
    pub parents: Vec<String>,
    /// Tags it is the parent of.
    pub children: Vec<String>,
    /// Its meta tags: a work with this tag is found under them.
    pub metas: Vec<String>,
    /// Its sub-tags: works with them are found under this one.
    pub subs: Vec<String>,
}

impl TagJson {
    pub fn new(tag: &Tag, works: i64) -> TagJson {
        let segment = url_segment(&tag.name);
        TagJson {
            name: tag.name.clone(),
            kind: tag.kind.as_str().to_owned(),
            canonical: tag.canonical,
            works,
            works_url: format!("/api/v1/tags/{segment}/works"),
            feed_url: format!("/tags/{segment}/feed.atom"),
            merger: None,
            synonyms: Vec::new(),
            parents: Vec::new(),
            children: Vec::new(),
            metas: Vec::new(),
            subs: Vec::new(),
        }
    }
}

/// A tag.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{name}",
    tag = "tags",
    params(("name" = String, Path, description = "The tag's name, escaped as in page URLs")),
    responses(
        (status = 200, description = "The tag", body = TagJson),
        (status = 404, description = "No such tag, or none of its works is one this reader \
          may see", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(escaped): ApiPath<String>,
) -> Result<Response, AppError> {
    let (tag, _, total) = tagged(&state, &reader, &escaped, Page::first(1)).await?;
    let mut json = TagJson::new(&tag, total);
    if let Some(wrangling) = state.store.tag_wrangling(&tag.name).await? {
        let seen = Visible::of(&state, &reader, &wrangling).await?;
        json.merger = wrangling.merger.iter().filter_map(|t| seen.name(t)).next();
        json.synonyms = seen.names(&wrangling.synonyms);
        json.parents = seen.names(&wrangling.parents);
        json.children = seen.names(&wrangling.children);
        json.metas = seen.names(&wrangling.metas);
        json.subs = seen.names(&wrangling.subs);
    }
    Ok(reader.json(&json))
}

/// The works carrying a tag (its synonyms and sub-tags too, as the tag's page lists them),
/// with every filter and sort of the works list.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{name}/works",
    tag = "tags",
    params(
        ("name" = String, Path, description = "The tag's name, escaped as in page URLs"),
        WorkListParams,
        ListParams,
    ),
    responses(
        (status = 200, description = "A page of works", body = WorkList),
        (status = 400, description = "A malformed, unknown or contradictory parameter", body = ErrorBody),
        (status = 404, description = "No such tag, or none of its works is one this reader \
          may see", body = ErrorBody),
        (status = 414, description = "A query string longer than the archive reads", body = ErrorBody),
    )
)]
pub async fn works(
    State(state): State<AppState>,
    reader: ApiReader,
    ApiPath(escaped): ApiPath<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    let (mut filters, page) = list_query(uri.query().unwrap_or_default())?;
    let (tag, _, _) = tagged(&state, &reader, &escaped, Page::new(1, 1)).await?;
    filters.include.insert(0, (tag.kind, tag.name));
    let query = WorkQuery { page, ..filters };
    let viewer = *reader.viewer();
    let muted = listing::mutes_of(&state, &viewer).await?;
    let found = listing::find(&state, &query, &viewer, &muted).await?;
    Ok(reader.json(&WorkList {
        works: listed(&found.works, &viewer),
        next_cursor: next_cursor(page, found.has_next),
    }))
}

/// The tags with a work this reader may see, among the kinds a tag's non-canonical relations
/// hold.
struct Visible(HashSet<TagId>);

impl Visible {
    async fn of(
        state: &AppState,
        reader: &ApiReader,
        wrangling: &TagWrangling,
    ) -> Result<Visible, AppError> {
        let related = || {
            wrangling
                .merger
                .iter()
                .chain(&wrangling.synonyms)
                .chain(&wrangling.parents)
                .chain(&wrangling.children)
                .chain(&wrangling.metas)
                .chain(&wrangling.subs)
        };
        let mut kinds: Vec<TagKind> = related().filter(|t| !t.canonical).map(|t| t.kind).collect();
        kinds.sort();
        kinds.dedup();
        let scope = ListingScope::for_viewer(reader.viewer());
        let mut seen = HashSet::new();
        for kind in kinds {
            let counts = state.store.tag_counts(kind, scope).await?;
            seen.extend(counts.iter().filter(|(_, n)| *n > 0).map(|(t, _)| t.id));
        }
        Ok(Visible(seen))
    }

    fn name(&self, tag: &Tag) -> Option<String> {
        (tag.canonical || self.0.contains(&tag.id)).then(|| tag.name.clone())
    }

    fn names(&self, tags: &[Tag]) -> Vec<String> {
        tags.iter().filter_map(|t| self.name(t)).collect()
    }
}

/// The tag, a page of its works and their number, or a 404.
async fn tagged(
    state: &AppState,
    reader: &ApiReader,
    escaped: &str,
    page: Page,
) -> Result<(Tag, Vec<Work>, i64), AppError> {
    let name = unescape_from_url(escaped);
    if unstorable(&name) {
        return Err(AppError::not_found(Missing::Tag));
    }
    let scope = ListingScope::for_viewer(reader.viewer());
    match state.store.works_tagged(&name, scope, page).await? {
        Some((tag, works, total)) if total > 0 => Ok((tag, works, total)),
        _ => Err(AppError::not_found(Missing::Tag)),
    }
}
