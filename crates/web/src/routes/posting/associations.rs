//! The work form's "Associations" section: who the work is a gift for ("Gift this work to")
//! and the series it joins ("Add to series": one of the creator's own, or a new one by
//! title). Read with the rest of the form and checked against the store before anything is
//! stored (a recipient who blocked the creator, a series that is not theirs), so that a
//! refused form comes back whole; applied once the work is stored.

use quire_core::gift::{GIFT_NAME_MAX, GIFTS_MAX};
use quire_core::limits::TITLE_MAX;
use quire_core::{SeriesId, User, UserId, Work, WorkId};
use quire_store::{NewSeries, Recipient};

use super::form::{Fields, Problems, split_tags};
use crate::error::AppError;
use crate::state::AppState;

/// The section's fields as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct AssociationFields {
    /// Comma-separated recipients: pseud names, `Name (login)`, or names without an account.
    pub gifts: String,
    /// The id of one of the creator's series, or "".
    pub series: String,
    /// The title of a new series, or "".
    pub new_series: String,
}

impl AssociationFields {
    pub fn read(fields: &Fields) -> AssociationFields {
        AssociationFields {
            gifts: fields.one("gifts"),
            series: fields.one("series"),
            new_series: fields.one("new_series"),
        }
    }

    /// A stored work's gifts, to edit (a pseud as `Name (login)`, which names it alone).
    pub fn of(work: &Work) -> AssociationFields {
        let gifts: Vec<String> = work
            .gifts
            .iter()
            .map(|g| match &g.login {
                Some(login) => format!("{} ({login})", g.name),
                None => g.name.clone(),
            })
            .collect();
        AssociationFields {
            gifts: gifts.join(", "),
            ..AssociationFields::default()
        }
    }
}

/// A series the form offers, or the work is in.
pub(crate) struct SeriesChoice {
    pub id: String,
    pub title: String,
}

/// What the section shows: the fields, the creator's series to choose from, and (editing)
/// the series the work is in already, each with a link to manage it.
#[derive(Default)]
pub(crate) struct Associations {
    pub fields: AssociationFields,
    pub choices: Vec<SeriesChoice>,
    pub current: Vec<SeriesChoice>,
}

impl Associations {
    pub async fn load(
        state: &AppState,
        user: &User,
        fields: AssociationFields,
        work: Option<&Work>,
    ) -> Result<Associations, AppError> {
        let choices = state
            .store
            .series_of_creator(user.id)
            .await?
            .into_iter()
            .map(|s| SeriesChoice {
                id: s.id.to_string(),
                title: s.title,
            })
            .collect();
        let current = work
            .map(|w| {
                w.series
                    .iter()
                    .map(|s| SeriesChoice {
                        id: s.id.to_string(),
                        title: s.title.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Associations {
            fields,
            choices,
            current,
        })
    }
}

/// The series a work joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SeriesPlan {
    None,
    Existing(SeriesId),
    New(String),
}

/// What the section will store once the work is.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    recipients: Vec<Recipient>,
    series: SeriesPlan,
}

/// Checks the section; what is wrong goes into `problems`. `work` is the stored work when
/// editing (its creators give it; a new work's creator is `user`).
pub(crate) async fn check(
    state: &AppState,
    user: &User,
    fields: &AssociationFields,
    work: Option<&Work>,
    problems: &mut Problems,
) -> Result<Plan, AppError> {
    let names = split_tags(&fields.gifts);
    if names.len() > GIFTS_MAX {
        problems.add(
            "gifts",
            "gifts_too_many",
            format!("A work can be a gift to at most {GIFTS_MAX} people."),
        );
    }
    // Room for `Name (login)`.
    let longest = GIFT_NAME_MAX * 2 + 3;
    if names.iter().any(|n| n.chars().count() > longest) {
        problems.add(
            "gifts",
            "gift_name_too_long",
            format!("A recipient's name can be at most {GIFT_NAME_MAX} characters long."),
        );
    }
    let recipients = if problems.of("gifts").is_some() {
        Vec::new()
    } else {
        state.store.gift_recipients(&names).await?
    };
    let mut creators: Vec<UserId> = match work {
        Some(w) => w.creators.iter().map(|p| p.user_id).collect(),
        None => vec![user.id],
    };
    creators.sort_unstable();
    creators.dedup();
    for refusal in state
        .store
        .gift_refusals(work.map(|w| w.id), &creators, &recipients)
        .await?
    {
        problems.add("gifts", refusal.code(), refusal.message());
    }
    let series = series_plan(state, user, fields, problems).await?;
    Ok(Plan { recipients, series })
}

async fn series_plan(
    state: &AppState,
    user: &User,
    fields: &AssociationFields,
    problems: &mut Problems,
) -> Result<SeriesPlan, AppError> {
    let (chosen, title) = (fields.series.trim(), fields.new_series.trim());
    if !chosen.is_empty() && !title.is_empty() {
        problems.add(
            "series",
            "series_twice",
            "Choose one of your series or name a new one, not both.",
        );
        return Ok(SeriesPlan::None);
    }
    if !title.is_empty() {
        if title.chars().count() > TITLE_MAX {
            problems.add(
                "series",
                "series_title_too_long",
                format!("A series title can be at most {TITLE_MAX} characters long."),
            );
            return Ok(SeriesPlan::None);
        }
        return Ok(SeriesPlan::New(title.to_owned()));
    }
    if chosen.is_empty() {
        return Ok(SeriesPlan::None);
    }
    let id: Option<SeriesId> = chosen.parse().ok();
    let mine = state.store.series_of_creator(user.id).await?;
    match id.filter(|id| mine.iter().any(|s| s.id == *id)) {
        Some(id) => Ok(SeriesPlan::Existing(id)),
        None => {
            problems.add("series", "series_unknown", "Choose one of your own series.");
            Ok(SeriesPlan::None)
        }
    }
}

/// Stores the section for the stored `work`: joins the series (making a new one first),
/// then sets the gifts (`replace`: an edit; a new work without gifts has none to replace).
/// Marks the pages that show them stale on this node.
pub(crate) async fn apply(
    state: &AppState,
    user: &User,
    work: WorkId,
    plan: Plan,
    replace: bool,
) -> Result<(), AppError> {
    let series = match plan.series {
        SeriesPlan::None => None,
        SeriesPlan::Existing(id) => Some(id),
        SeriesPlan::New(title) => Some(
            state
                .store
                .create_own_series(
                    &NewSeries {
                        title,
                        ..NewSeries::default()
                    },
                    user.id,
                )
                .await?,
        ),
    };
    if let Some(series) = series {
        state.store.add_to_series(series, work).await?;
    }
    if replace || !plan.recipients.is_empty() {
        let refused = state.store.set_gifts(work, &plan.recipients).await?;
        if let Some(refusal) = refused.first() {
            // Refused between the check and now (a block made meanwhile).
            return Err(AppError::Conflict {
                code: refusal.code(),
                message: refusal.message(),
            });
        }
    }
    Ok(())
}
