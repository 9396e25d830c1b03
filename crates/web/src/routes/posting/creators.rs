//! The work form's creators section: "Creator/Pseud(s)", which of one's own pseuds a new work
//! is posted as (the default pseud unless others are ticked), and "Add co-creators", other
//! users' pseuds invited onto the work, credited only once they accept
//! (`routes::co_creators`).
//!
//! A co-creator is named by pseud, or as `pseud (login)` where several users share the name.
//! An unknown or ambiguous name, one's own pseud, and a user who blocked the creator are form
//! errors next to the field, with what was typed kept.

use quire_core::{Pseud, PseudId, User, Work};

use super::form::{Fields, Problems};
use crate::error::AppError;
use crate::state::AppState;

/// Most co-creators one form may invite.
const MAX_CO_CREATORS: usize = 20;

/// One of the creator's pseuds in the picker.
#[derive(Debug, Clone)]
pub(crate) struct PseudChoice {
    pub id: PseudId,
    pub name: String,
    pub chosen: bool,
}

/// The section's fields as shown or typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct CreatorFields {
    /// The picker of one's own pseuds.
    pub choices: Vec<PseudChoice>,
    /// "Add co-creators", as typed.
    pub co_creators: String,
    /// The edit form: the other users' pseuds credited on the work, and whether there are
    /// any (then "Remove me as co-creator" shows).
    pub current: Vec<String>,
    pub shared: bool,
}

/// Who the checked form credits now and whom it invites.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credits {
    pub pseuds: Vec<PseudId>,
    pub invite: Vec<PseudId>,
}

impl CreatorFields {
    /// The new-work form's section: the default pseud ticked, or those of `sent`.
    pub async fn new_work(
        state: &AppState,
        user: &User,
        sent: Option<&Fields>,
    ) -> Result<CreatorFields, AppError> {
        let pseuds = state.store.pseuds_of(user.id).await?;
        Ok(CreatorFields {
            choices: picker(pseuds, sent, |p| p.is_default),
            co_creators: sent.map(|f| f.one("co_creators")).unwrap_or_default(),
            ..CreatorFields::default()
        })
    }

    /// The edit form's section for `work`, edited by `user`: their pseuds credited on it now
    /// ticked (or those of `sent`), and the other users' pseuds listed, which the form keeps.
    pub async fn edit_work(
        state: &AppState,
        work: &Work,
        user: &User,
        sent: Option<&Fields>,
    ) -> Result<CreatorFields, AppError> {
        let pseuds = state.store.pseuds_of(user.id).await?;
        let credited = |p: &Pseud| work.creators.iter().any(|c| c.id == p.id);
        Ok(CreatorFields {
            choices: picker(pseuds, sent, credited),
            current: work
                .creators
                .iter()
                .filter(|p| p.user_id != user.id)
                .map(|p| format!("{} ({})", p.name, p.login))
                .collect(),
            shared: work.creators.iter().any(|p| p.user_id != user.id),
            co_creators: sent.map(|f| f.one("co_creators")).unwrap_or_default(),
        })
    }

    /// Whom the section credits and invites; what is wrong goes into `problems`.
    pub async fn check(
        &self,
        state: &AppState,
        user: &User,
        sent: &Fields,
        problems: &mut Problems,
    ) -> Result<Credits, AppError> {
        let mut credits = Credits::default();
        let ticked = sent.all("pseud_ids");
        for raw in &ticked {
            match self.choices.iter().find(|c| raw.trim() == c.id.to_string()) {
                Some(choice) if !credits.pseuds.contains(&choice.id) => {
                    credits.pseuds.push(choice.id);
                }
                Some(_) => {}
                None => problems.add(
                    "pseud_ids",
                    "pseud_unknown",
                    "Choose among your own pseuds.",
                ),
            }
        }
        if ticked.is_empty() && !sent.one("pseuds_shown").is_empty() {
            problems.add(
                "pseud_ids",
                "pseud_missing",
                "Choose at least one of your pseuds.",
            );
        }
        if ticked.is_empty() {
            // A form without the picker (or an older one) keeps what the picker would have
            // ticked: the default pseud of a new work, the pseuds credited on an edited one.
            credits
                .pseuds
                .extend(self.choices.iter().filter(|c| c.chosen).map(|c| c.id));
        }
        let names = co_creator_names(&self.co_creators);
        if names.len() > MAX_CO_CREATORS {
            problems.add(
                "co_creators",
                "co_creators_too_many",
                format!("Invite at most {MAX_CO_CREATORS} co-creators at a time."),
            );
            return Ok(credits);
        }
        for (name, login) in names {
            let mut found = state.store.pseuds_called(&name).await?;
            if let Some(login) = &login {
                found.retain(|p| p.login.eq_ignore_ascii_case(login));
            }
            let shown = match &login {
                Some(login) => format!("{name} ({login})"),
                None => name.clone(),
            };
            let pseud = match found.as_slice() {
                [] => {
                    problems.add(
                        "co_creators",
                        "co_creator_unknown",
                        format!("There is no pseud called “{shown}”."),
                    );
                    continue;
                }
                [one] => one.clone(),
                [..] => {
                    problems.add(
                        "co_creators",
                        "co_creator_ambiguous",
                        format!(
                            "Several users have a pseud called “{name}”: write it as “{name} (login)”."
                        ),
                    );
                    continue;
                }
            };
            if pseud.user_id == user.id {
                problems.add(
                    "co_creators",
                    "co_creator_self",
                    format!("“{shown}” is your own pseud: choose it among your pseuds instead."),
                );
                continue;
            }
            let blocks = state.store.blocked_users(pseud.user_id).await?;
            if blocks.iter().any(|b| b.id == user.id) {
                problems.add(
                    "co_creators",
                    "co_creator_blocked",
                    format!("You cannot invite “{shown}” as a co-creator: they have blocked you."),
                );
                continue;
            }
            if !credits.invite.contains(&pseud.id) {
                credits.invite.push(pseud.id);
            }
        }
        Ok(credits)
    }
}

/// The picker of `pseuds`: those `sent` ticked, or when no form was sent with the picker,
/// those `ticked_first` says.
fn picker(
    pseuds: Vec<Pseud>,
    sent: Option<&Fields>,
    ticked_first: impl Fn(&Pseud) -> bool,
) -> Vec<PseudChoice> {
    let ticked: Vec<String> = sent.map(|f| f.all("pseud_ids")).unwrap_or_default();
    // A form sent with the picker keeps what was ticked, even nothing.
    let picked = sent.is_some_and(|f| !f.one("pseuds_shown").is_empty());
    pseuds
        .into_iter()
        .map(|p| PseudChoice {
            chosen: if ticked.is_empty() && !picked {
                ticked_first(&p)
            } else {
                ticked.iter().any(|t| t.trim() == p.id.to_string())
            },
            id: p.id,
            name: p.name,
        })
        .collect()
}

/// The co-creator field's names, each as (pseud, login if given): `Wren, Mira (mira_k)`.
fn co_creator_names(text: &str) -> Vec<(String, Option<String>)> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(
            |entry| match entry.strip_suffix(')').and_then(|e| e.rsplit_once('(')) {
                Some((name, login)) if !name.trim().is_empty() => {
                    (name.trim().to_owned(), Some(login.trim().to_owned()))
                }
                _ => (entry.to_owned(), None),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::co_creator_names;

    #[test]
    fn co_creators_are_named_by_pseud_or_pseud_and_login() {
        assert_eq!(
            co_creator_names(" Wren , Mira (mira_k),, (odd)"),
            [
                ("Wren".to_owned(), None),
                ("Mira".to_owned(), Some("mira_k".to_owned())),
                ("(odd)".to_owned(), None),
            ]
        );
    }
}
