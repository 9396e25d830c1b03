//! Subscriptions, as AO3 has them: a signed-in reader subscribes to a work (its new
//! chapters), a creator (their new works) or a series (its new works) with the Subscribe
//! button on its page, and sees and ends them on `/users/{login}/subscriptions`, which only
//! its owner may open. What a subscription brings lands in the inbox (`routes::inbox`).
//!
//! Nothing a guest's cached page shows changes with a subscription, so these writes touch
//! no cached page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use quire_core::visibility::{Access, ListingScope, can_view};
use quire_core::{UserId, WorkId};
use quire_store::{Page, Subscribable, Subscription};
use serde::Deserialize;

use super::forms::{answer, done};
use super::settings::own;
use super::works::visible_work;
use super::{PER_PAGE, PageParam, parse_id};
use crate::auth::{CheckedForm, SignedIn};
use crate::error::{AppError, Missing};
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::Pagination;

/// The Subscribe (or Unsubscribe) button of a work, creator or series page, for a signed-in
/// reader (`subscribe_button.html`).
pub(crate) struct SubscribeButton {
    pub action: String,
    /// `Work`, `User` or `Series`, as AO3 names the subscribable types.
    pub kind: &'static str,
    /// The work's or series' id, the creator's login.
    pub id: String,
    pub subscribed: bool,
    /// What it subscribes to, for the button's accessible name.
    pub what: String,
    /// `subscriptions` when the form returns to the list.
    pub from: &'static str,
}

impl SubscribeButton {
    pub(crate) fn new(
        login: &str,
        target: &Target,
        subscribed: bool,
        what: impl Into<String>,
    ) -> SubscribeButton {
        let (kind, id) = target.form_fields();
        let action = if subscribed {
            format!("/users/{login}/subscriptions/delete")
        } else {
            format!("/users/{login}/subscriptions")
        };
        SubscribeButton {
            action,
            kind,
            id,
            subscribed,
            what: what.into(),
            from: "",
        }
    }

    /// The button for `signed_in` on the page of `target`, which they may see; none for
    /// guests and for a creator's own page.
    pub(crate) async fn for_reader(
        state: &AppState,
        signed_in: Option<&SignedIn>,
        target: Target,
        what: impl Into<String>,
    ) -> Result<Option<SubscribeButton>, AppError> {
        let Some(account) = signed_in else {
            return Ok(None);
        };
        if matches!(&target, Target::Creator(id, _) if *id == account.user.id) {
            return Ok(None);
        }
        let subscribed = state
            .store
            .is_subscribed(account.user.id, target.subscribable())
            .await?;
        Ok(Some(SubscribeButton::new(
            &account.user.login,
            &target,
            subscribed,
            what,
        )))
    }

    pub(crate) fn label(&self) -> &'static str {
        if self.subscribed {
            "Unsubscribe"
        } else {
            "Subscribe"
        }
    }
}

/// What a subscription form names.
pub(crate) enum Target {
    Work(WorkId),
    /// A creator: their id and login.
    Creator(UserId, String),
    Series(i64),
}

impl Target {
    fn subscribable(&self) -> Subscribable {
        match self {
            Target::Work(id) => Subscribable::Work(*id),
            Target::Creator(id, _) => Subscribable::Creator(*id),
            Target::Series(id) => Subscribable::Series(*id),
        }
    }

    fn form_fields(&self) -> (&'static str, String) {
        match self {
            Target::Work(id) => ("Work", id.to_string()),
            Target::Creator(_, login) => ("User", login.clone()),
            Target::Series(id) => ("Series", id.to_string()),
        }
    }

    /// The target's own page.
    fn url(&self) -> String {
        match self {
            Target::Work(id) => format!("/works/{id}"),
            Target::Creator(_, login) => format!("/users/{login}"),
            Target::Series(id) => format!("/series/{id}"),
        }
    }
}

/// A subscribe or unsubscribe form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct SubscriptionForm {
    #[serde(default)]
    subscribable_type: String,
    #[serde(default)]
    subscribable_id: String,
    /// `subscriptions` when sent from the list, which it then returns to.
    #[serde(default)]
    from: String,
}

/// The form's target, or a 400 saying what is wrong with it; 404 for a creator or series
/// that does not exist.
async fn target_of(state: &AppState, form: &SubscriptionForm) -> Result<Target, AppError> {
    match form.subscribable_type.as_str() {
        "Work" => Ok(Target::Work(parse_id(&form.subscribable_id, "work")?)),
        "Series" => Ok(Target::Series(parse_id(&form.subscribable_id, "series")?)),
        "User" => {
            let user = state
                .store
                .user_by_login(form.subscribable_id.trim())
                .await?
                .ok_or_else(|| AppError::not_found(Missing::User))?;
            Ok(Target::Creator(user.id, user.login))
        }
        other => Err(AppError::invalid(format!(
            "`subscribable_type` must be Work, User or Series, not `{other}`."
        ))),
    }
}

/// 404 unless the reader may see the target: a work through `can_view`, a creator or a
/// series when it lists a work they may see (as their pages decide).
async fn must_see(state: &AppState, reader: &Reader, target: &Target) -> Result<(), AppError> {
    let scope = ListingScope::for_viewer(&reader.viewer);
    match target {
        Target::Work(id) => visible_work(state, reader, &id.to_string())
            .await
            .map(|_| ()),
        Target::Creator(id, _) => {
            let (_, total) = state
                .store
                .works_by_user(*id, scope, Page::first(1))
                .await?;
            if total == 0 {
                return Err(AppError::not_found(Missing::User));
            }
            Ok(())
        }
        Target::Series(id) => {
            let series = state
                .store
                .series(*id)
                .await?
                .ok_or_else(|| AppError::not_found(Missing::Series))?;
            let works = state.store.works(&series.work_ids).await?;
            if !works.iter().any(|w| scope.admits(w, &reader.viewer)) {
                return Err(AppError::not_found(Missing::Series));
            }
            Ok(())
        }
    }
}

/// `POST /users/{login}/subscriptions`: subscribes; sending it twice subscribes once.
pub async fn create(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<SubscriptionForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let target = target_of(&state, &form).await?;
    if matches!(&target, Target::Creator(id, _) if *id == signed_in.user.id) {
        return Err(AppError::invalid("You cannot subscribe to yourself."));
    }
    must_see(&state, &reader, &target).await?;
    state
        .store
        .subscribe(signed_in.user.id, target.subscribable())
        .await?;
    Ok(done(&target.url()))
}

/// `POST /users/{login}/subscriptions/delete`: ends a subscription (also to something the
/// reader can no longer see).
pub async fn destroy(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(login): Path<String>,
    CheckedForm(form): CheckedForm<SubscriptionForm>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let target = target_of(&state, &form).await?;
    state
        .store
        .unsubscribe(signed_in.user.id, target.subscribable())
        .await?;
    if form.from == "subscriptions" {
        return Ok(done(&list_url(&signed_in)));
    }
    Ok(done(&target.url()))
}

fn list_url(signed_in: &SignedIn) -> String {
    format!("/users/{}/subscriptions", signed_in.user.login)
}

/// One subscription in the list.
struct Row {
    kind: &'static str,
    title: String,
    url: String,
    button: SubscribeButton,
}

#[derive(Template)]
#[template(path = "subscriptions.html")]
struct SubscriptionsPage {
    login: String,
    rows: Vec<Row>,
    pagination: Pagination,
}

/// `GET /users/{login}/subscriptions`: the owner's subscriptions, newest first; works they
/// can no longer see are left out.
pub async fn index(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: SignedIn,
    Path(login): Path<String>,
    query: Result<Query<PageParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    own(&signed_in, &login)?;
    let Query(param) = query?;
    let number = param.number()?;
    let mut subscriptions = state
        .store
        .subscriptions(
            signed_in.user.id,
            Page::new(number, PER_PAGE).and_one_more(),
        )
        .await?;
    let has_next = subscriptions.len() > PER_PAGE as usize;
    subscriptions.truncate(PER_PAGE as usize);
    let work_ids: Vec<WorkId> = subscriptions
        .iter()
        .filter_map(|s| match s.target {
            Subscribable::Work(id) => Some(id),
            _ => None,
        })
        .collect();
    let works = state.store.works(&work_ids).await?;
    let me = &signed_in.user.login;
    let rows = subscriptions
        .into_iter()
        .filter_map(|s: Subscription| {
            let (kind, target, title) = match s.target {
                Subscribable::Work(id) => {
                    let work = works.iter().find(|w| w.id == id)?;
                    if can_view(work, &reader.viewer) == Access::Hidden {
                        return None;
                    }
                    ("Work", Target::Work(id), work.title.clone())
                }
                Subscribable::Creator(id) => {
                    let login = s.name?;
                    ("Creator", Target::Creator(id, login.clone()), login)
                }
                Subscribable::Series(id) => ("Series", Target::Series(id), s.name?),
            };
            let mut button = SubscribeButton::new(me, &target, true, title.clone());
            button.from = "subscriptions";
            Some(Row {
                kind,
                url: target.url(),
                title,
                button,
            })
        })
        .collect();
    let page = SubscriptionsPage {
        pagination: Pagination::open_ended(&list_url(&signed_in), number, has_next),
        login: signed_in.user.login.clone(),
        rows,
    };
    answer(&page, None)
}
