//! `/works` (every work, with AO3's filter sidebar) and `/works/search` (the search form with
//! every `WorkQuery` field, and its results), both answered by the listing service.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quire_core::numbers::thousands;
use quire_search::{MutedSet, WorkQuery};

use super::render;
use crate::cache::Shows;
use crate::error::AppError;
use crate::filters::{FilterForm, listing_url, pagination};
use crate::listing::{self, Listing};
use crate::params::{ListingParams, SHOW_MUTED};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::{Pagination, WorkView};

/// A filtered listing with its sidebar.
#[derive(Template)]
#[template(path = "works.html")]
pub(crate) struct WorksPage {
    pub heading: String,
    /// Said when the database answered because the index is rebuilding.
    pub notice: Option<&'static str>,
    pub muted: Option<MutedNote>,
    pub works: Vec<WorkView>,
    pub pagination: Pagination,
    pub form: FilterForm,
    /// The listing without filters.
    pub clear_url: String,
    /// The listing's Atom feed, for `<link rel="alternate">`.
    pub feed: Option<String>,
    /// "Save these filters", for a signed-in reader.
    pub save: Option<SaveFilterForm>,
}

/// The form that keeps a listing's filters among the reader's saved filters.
pub(crate) struct SaveFilterForm {
    pub action: String,
    pub csrf: String,
    /// The whole query, as `/works?…` answers it.
    pub query: String,
}

impl SaveFilterForm {
    /// The form for the signed-in reader of this request, if any.
    pub(crate) fn for_reader(query: &WorkQuery) -> Option<SaveFilterForm> {
        crate::auth::session::greeting().map(|g| SaveFilterForm {
            action: format!("/users/{}/filters", g.login),
            csrf: g.csrf_token,
            query: quire_search::params::serialize(&WorkQuery {
                page: 1,
                ..query.clone()
            }),
        })
    }
}

/// "N works hidden by your filters", with the link that shows them (or hides them again).
pub(crate) struct MutedNote {
    pub text: String,
    pub link: String,
    pub link_text: &'static str,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    form: FilterForm,
    /// `None` before anything was asked.
    results: Option<Results>,
    /// The results' pages (none before anything was asked).
    pagination: Pagination,
}

struct Results {
    heading: String,
    notice: Option<&'static str>,
    muted: Option<MutedNote>,
    works: Vec<WorkView>,
}

const REBUILDING: &str = "The search index is rebuilding: this listing comes straight from the archive, without filters or counts, for a few minutes.";

/// `/works`: every work the reader may see, filtered and sorted by the query string.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    Extension(params): Extension<ListingParams>,
) -> Result<Response, AppError> {
    let listing = run(&state, &reader, &params).await?;
    let page = listing_page(
        "/works",
        format!("{} Works", count(&listing)),
        &params,
        &listing,
        None,
    );
    let page = WorksPage {
        feed: Some(feed_url("/works/feed.atom", &params.query)),
        ..page
    };
    let shows = Extension(listing.shows(&params.query));
    Ok((reader.response_headers(), shows, render(&page)?).into_response())
}

/// The Atom feed of a listing: `feed_path` with the listing's filters (not its sort or page).
pub(crate) fn feed_url(feed_path: &str, query: &WorkQuery) -> String {
    match super::feeds::feed_query(query) {
        filters if filters.is_empty() => feed_path.to_owned(),
        filters => format!("{feed_path}?{filters}"),
    }
}

/// `/works/search`: the form, and the results once something is asked.
pub async fn show(
    State(state): State<AppState>,
    reader: Reader,
    Extension(params): Extension<ListingParams>,
) -> Result<Response, AppError> {
    const PATH: &str = "/works/search";
    let asked = params.query != WorkQuery::new();
    let mut shows = Shows::Anything;
    let page = if asked {
        let listing = run(&state, &reader, &params).await?;
        shows = listing.shows(&params.query);
        SearchPage {
            form: FilterForm::new(PATH, &params.query, listing.facets.as_ref(), None),
            results: Some(Results {
                heading: format!("{} Found", count(&listing)),
                notice: listing.from_database().then_some(REBUILDING),
                muted: muted_note(PATH, &params, &listing),
                works: listing.works.iter().map(WorkView::new).collect(),
            }),
            pagination: pagination(PATH, &params.query, listing.total, listing.has_next),
        }
    } else {
        SearchPage {
            form: FilterForm::new(PATH, &params.query, None, None),
            results: None,
            pagination: pagination(PATH, &params.query, Some(0), false),
        }
    };
    Ok((reader.response_headers(), Extension(shows), render(&page)?).into_response())
}

/// The listing for this reader, with their mutes unless the page asked to show muted works.
pub(crate) async fn run(
    state: &AppState,
    reader: &Reader,
    params: &ListingParams,
) -> Result<Listing, AppError> {
    let muted = if params.show_muted {
        MutedSet::default()
    } else {
        listing::mutes_of(state, &reader.viewer).await?
    };
    listing::find(state, &params.query, &reader.viewer, &muted).await
}

/// The page of a filtered listing at `path`; `fixed_tag` is the tag the path itself names.
pub(crate) fn listing_page(
    path: &str,
    heading: String,
    params: &ListingParams,
    listing: &Listing,
    fixed_tag: Option<&str>,
) -> WorksPage {
    WorksPage {
        heading,
        notice: listing.from_database().then_some(REBUILDING),
        muted: muted_note(path, params, listing),
        works: listing.works.iter().map(WorkView::new).collect(),
        pagination: pagination(path, &params.query, listing.total, listing.has_next),
        form: FilterForm::new(path, &params.query, listing.facets.as_ref(), fixed_tag),
        clear_url: path.to_owned(),
        feed: None,
        save: SaveFilterForm::for_reader(&params.query),
    }
}

/// The total as the heading says it ("20+" when the database did not count).
pub(crate) fn count(listing: &Listing) -> String {
    match listing.total {
        Some(total) => thousands(i64::try_from(total).unwrap_or(i64::MAX)),
        None if listing.has_next => format!("{}+", listing.works.len()),
        None => listing.works.len().to_string(),
    }
}

fn muted_note(path: &str, params: &ListingParams, listing: &Listing) -> Option<MutedNote> {
    let url = listing_url(path, &params.query);
    if params.show_muted {
        return Some(MutedNote {
            text: "Your filters are off for this page.".to_owned(),
            link: url,
            link_text: "Hide muted works again",
        });
    }
    if listing.hidden_by_mutes == 0 {
        return None;
    }
    let n = listing.hidden_by_mutes;
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(MutedNote {
        text: format!(
            "{} work{} hidden by your filters.",
            thousands(i64::try_from(n).unwrap_or(i64::MAX)),
            if n == 1 { "" } else { "s" }
        ),
        link: format!("{url}{separator}{SHOW_MUTED}=true"),
        link_text: "Show them",
    })
}
