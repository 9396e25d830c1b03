//! `/wrangling/{kind}`: AO3's unwrangled bin, for wranglers. The tags of one kind that are
//! neither canonical nor a synonym, most used first, each with its works (those the wrangler
//! may see) and a link to its edit page.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::TagKind;
use quire_core::numbers::thousands;
use quire_core::visibility::ListingScope;
use quire_store::Page;

use super::forms::{answer, done};
use super::tag_edit::edit_url;
use super::{PER_PAGE, PageParam};
use crate::auth::Wrangler;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::Pagination;

/// The kinds wranglers sort; ratings, warnings and categories are a fixed vocabulary.
const KINDS: [TagKind; 4] = [
    TagKind::Fandom,
    TagKind::Character,
    TagKind::Relationship,
    TagKind::Freeform,
];

#[derive(Template)]
#[template(path = "wrangling.html")]
struct BinPage {
    heading: &'static str,
    kinds: Vec<KindLink>,
    tags: Vec<BinTag>,
    pagination: Pagination,
}

struct KindLink {
    label: &'static str,
    url: String,
    current: bool,
}

struct BinTag {
    name: String,
    edit_url: String,
    works: String,
}

/// `/wrangling`: the bin of the first kind.
pub async fn index(_: Wrangler) -> Response {
    done(&bin_url(KINDS[0]))
}

pub async fn show(
    State(state): State<AppState>,
    Wrangler(signed_in): Wrangler,
    Path(kind): Path<String>,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let number = param.number()?;
    let kind = KINDS
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| {
            AppError::invalid(format!(
                "`{kind}` is not a kind of tag wranglers sort: fandom, character, relationship or freeform."
            ))
        })?;
    let scope = ListingScope::for_viewer(&signed_in.viewer(false));
    let page = Page::new(number, PER_PAGE);
    let mut rows = state
        .store
        .unwrangled_tags(kind, scope, page.and_one_more())
        .await?;
    let has_next = rows.len() > PER_PAGE as usize;
    rows.truncate(PER_PAGE as usize);
    let page = BinPage {
        heading: kind.label(),
        kinds: KINDS
            .into_iter()
            .map(|k| KindLink {
                label: k.label(),
                url: bin_url(k),
                current: k == kind,
            })
            .collect(),
        tags: rows
            .into_iter()
            .map(|(tag, works)| BinTag {
                edit_url: edit_url(&tag.name),
                works: thousands(works),
                name: tag.name,
            })
            .collect(),
        pagination: Pagination::open_ended(&bin_url(kind), number, has_next),
    };
    answer(&page, None)
}

fn bin_url(kind: TagKind) -> String {
    format!("/wrangling/{}", kind.as_str())
}
