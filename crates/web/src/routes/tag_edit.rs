//! `/tags/{name}/edit`: a tag's wrangling page for wranglers (AO3's tag edit page), and
//! `/tags/{name}/wrangle`, where its forms post. A change is previewed first ("this will
//! re-file N works", nothing changed), then made when the preview is confirmed; a refusal
//! shows the page again with the store's reason, and what was typed kept in its form.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::Tag;
use quire_core::tag::{escape_for_url, unescape_from_url};
use quire_store::wrangling::is_fixed_vocabulary;
use quire_store::{StoreError, TagWrangling};
use serde::Deserialize;

use super::forms::{answer, done};
use super::moved_to;
use super::tags::{kind_name, tag_page_url};
use super::wrangle_action::{Action, PreviewPage, refusal};
use crate::auth::{CheckedForm, CsrfToken, Wrangler};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::views::TagLink;

#[derive(Template)]
#[template(path = "tag_edit.html")]
struct EditPage {
    csrf: String,
    name: String,
    kind: &'static str,
    page_url: String,
    action_url: String,
    /// False for ratings, warnings and categories, which are not wrangled.
    wranglable: bool,
    canonical: bool,
    merger: Option<TagLink>,
    synonyms: Vec<TagLink>,
    parents: Vec<TagLink>,
    children: Vec<TagLink>,
    metas: Vec<TagLink>,
    subs: Vec<TagLink>,
    error: Option<String>,
    notice: Option<&'static str>,
    refused: Option<Refused>,
}

/// A form the store refused: which, what was typed into it, and why.
struct Refused {
    action: Action,
    typed: String,
    message: String,
}

impl EditPage {
    /// What the form for `action` shows in its field: what was typed, when it was refused.
    fn typed(&self, action: &str) -> &str {
        match &self.refused {
            Some(refused) if refused.action.name() == action => &refused.typed,
            _ => "",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditParams {
    /// The change just made, for the notice.
    done: Option<Action>,
}

/// One of the edit page's forms, or its preview's confirmation.
#[derive(Debug, Deserialize)]
pub struct WrangleForm {
    action: Action,
    /// The canonical, parent or meta tag, or the new name.
    #[serde(default)]
    other: String,
    /// Sent by the preview's confirm button.
    confirm: Option<String>,
}

pub async fn edit(
    State(state): State<AppState>,
    _: Wrangler,
    csrf: CsrfToken,
    Path(escaped): Path<String>,
    params: Result<Query<EditParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let wrangling = find(&state, &escaped).await?;
    if escaped != escape_for_url(&wrangling.tag.name) {
        return Ok(moved_to(&edit_url(&wrangling.tag.name), None));
    }
    let notice = params.done.map(Action::notice);
    page(&csrf, wrangling, None, notice)
}

/// Previews the form's change, or makes it when the preview was confirmed.
pub async fn wrangle(
    State(state): State<AppState>,
    _: Wrangler,
    csrf: CsrfToken,
    Path(escaped): Path<String>,
    CheckedForm(form): CheckedForm<WrangleForm>,
) -> Result<Response, AppError> {
    let wrangling = find(&state, &escaped).await?;
    let name = wrangling.tag.name.clone();
    let change = form.action.change(&name, &form.other);
    let confirmed = form.confirm.is_some();
    let outcome = if confirmed {
        state.store.wrangle(&change).await
    } else {
        state.store.preview_wrangle(&change).await
    };
    let result = match outcome {
        Ok(result) => result,
        Err(StoreError::Wrangling(e)) => {
            let refused = Refused {
                action: form.action,
                typed: form.other.trim().to_owned(),
                message: refusal(&e),
            };
            return page(&csrf, wrangling, Some(refused), None);
        }
        Err(e) => return Err(e.into()),
    };
    if confirmed {
        let url = format!("{}?done={}", edit_url(&result.tag.name), form.action.name());
        return Ok(done(&url));
    }
    let preview = PreviewPage {
        csrf: csrf.value().to_owned(),
        cancel_url: edit_url(&name),
        action_url: action_url(&name),
        hidden: vec![
            ("action", form.action.name().to_owned()),
            ("other", form.other.trim().to_owned()),
        ],
        sentence: form.action.sentence(&name, &form.other),
        result,
        name,
    };
    answer(&preview, None)
}

/// The tag named by the URL's segment; 404 when there is none.
async fn find(state: &AppState, escaped: &str) -> Result<TagWrangling, AppError> {
    state
        .store
        .tag_wrangling(&unescape_from_url(escaped))
        .await?
        .ok_or(AppError::not_found(Missing::Tag))
}

fn page(
    csrf: &CsrfToken,
    w: TagWrangling,
    refused: Option<Refused>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let links = |tags: Vec<Tag>| -> Vec<TagLink> {
        tags.into_iter()
            .map(|t| TagLink {
                url: edit_url(&t.name),
                name: t.name,
            })
            .collect()
    };
    let tag = w.tag;
    let page = EditPage {
        csrf: csrf.value().to_owned(),
        kind: kind_name(tag.kind),
        page_url: tag_page_url(&tag.name),
        action_url: action_url(&tag.name),
        wranglable: !is_fixed_vocabulary(tag.kind),
        canonical: tag.canonical,
        merger: w.merger.map(|m| TagLink {
            url: edit_url(&m.name),
            name: m.name,
        }),
        synonyms: links(w.synonyms),
        parents: links(w.parents),
        children: links(w.children),
        metas: links(w.metas),
        subs: links(w.subs),
        name: tag.name,
        error: refused.as_ref().map(|r| r.message.clone()),
        notice,
        refused,
    };
    answer(&page, page.error.as_deref())
}

/// `/tags/{name}/edit`.
pub(crate) fn edit_url(name: &str) -> String {
    format!("{}/edit", tag_page_url(name))
}

fn action_url(name: &str) -> String {
    format!("{}/wrangle", tag_page_url(name))
}
