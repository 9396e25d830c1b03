//! `/wrangling/{kind}`: AO3's unwrangled bin, for wranglers. The tags of one kind that are
//! neither canonical nor a synonym, most used first, each with its works (those the wrangler
//! may see) and a link to its edit page; and a form that creates a canonical tag of the kind
//! (a meta tag, or a fandom no work names yet), previewed first like every change.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::TagKind;
use quire_core::numbers::thousands;
use quire_core::visibility::ListingScope;
use quire_store::{Page, StoreError, Wrangle};
use serde::Deserialize;

use super::forms::{answer, done};
use super::tag_edit::edit_url;
use super::wrangle_action::{PreviewPage, refusal};
use super::{PER_PAGE, PageParam};
use crate::auth::{CheckedForm, CsrfToken, SignedIn, Wrangler};
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
    csrf: String,
    heading: &'static str,
    create_url: String,
    kinds: Vec<KindLink>,
    tags: Vec<BinTag>,
    pagination: Pagination,
    error: Option<String>,
    notice: Option<String>,
    /// The name typed into the create form when it was refused.
    typed: String,
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

/// The create form, or its preview's confirmation.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    confirm: Option<String>,
}

/// `/wrangling`: the bin of the first kind.
pub async fn index(_: Wrangler) -> Response {
    done(&bin_url(KINDS[0]))
}

pub async fn show(
    State(state): State<AppState>,
    Wrangler(signed_in): Wrangler,
    csrf: CsrfToken,
    Path(kind): Path<String>,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(param) = query?;
    let number = param.number()?;
    bin(
        &state,
        &signed_in,
        &csrf,
        wrangled_kind(&kind)?,
        number,
        None,
    )
    .await
}

/// Creates a canonical tag of the bin's kind: previewed, then made when confirmed.
pub async fn create(
    State(state): State<AppState>,
    Wrangler(signed_in): Wrangler,
    csrf: CsrfToken,
    Path(kind): Path<String>,
    CheckedForm(form): CheckedForm<CreateForm>,
) -> Result<Response, AppError> {
    let kind = wrangled_kind(&kind)?;
    let name = form.name.trim().to_owned();
    let change = Wrangle::CreateCanonical {
        tag: name.clone(),
        kind,
    };
    let confirmed = form.confirm.is_some();
    let outcome = if confirmed {
        state.store.wrangle(&change).await
    } else {
        state.store.preview_wrangle(&change).await
    };
    let result = match outcome {
        Ok(result) => result,
        Err(StoreError::Wrangling(e)) => {
            let refused = (name, refusal(&e));
            return bin(&state, &signed_in, &csrf, kind, 1, Some(refused)).await;
        }
        Err(e) => return Err(e.into()),
    };
    if confirmed {
        return Ok(done(&format!(
            "{}?done=canonical",
            edit_url(&result.tag.name)
        )));
    }
    let preview = PreviewPage {
        csrf: csrf.value().to_owned(),
        cancel_url: bin_url(kind),
        action_url: bin_url(kind),
        hidden: vec![("name", name.clone())],
        sentence: format!("“{name}” will be a canonical {} tag.", kind.as_str()),
        result,
        name,
    };
    answer(&preview, None)
}

/// The bin's page `number`; `refused` is the create form's name and why it was refused.
async fn bin(
    state: &AppState,
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    kind: TagKind,
    number: u32,
    refused: Option<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ListingScope::for_viewer(&signed_in.viewer(false));
    let page = Page::new(number, PER_PAGE);
    let mut rows = state
        .store
        .unwrangled_tags(kind, scope, page.and_one_more())
        .await?;
    let has_next = rows.len() > PER_PAGE as usize;
    rows.truncate(PER_PAGE as usize);
    let (typed, error) = refused.unzip();
    let page = BinPage {
        csrf: csrf.value().to_owned(),
        heading: kind.label(),
        create_url: bin_url(kind),
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
        error,
        notice: None,
        typed: typed.unwrap_or_default(),
    };
    answer(&page, page.error.as_deref())
}

/// A kind wranglers sort, by its name in the URL; else 400.
fn wrangled_kind(name: &str) -> Result<TagKind, AppError> {
    KINDS.into_iter().find(|k| k.as_str() == name).ok_or_else(|| {
        AppError::invalid(format!(
            "`{name}` is not a kind of tag wranglers sort: fandom, character, relationship or freeform."
        ))
    })
}

fn bin_url(kind: TagKind) -> String {
    format!("/wrangling/{}", kind.as_str())
}
