//! `/fandoms`: every fandom with works the viewer can read, alphabetically, counted by the
//! search index (by the database while the index is rebuilding).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use quire_core::TagKind;
use quire_core::visibility::ListingScope;

use super::render;
use crate::error::AppError;
use crate::search::ask;
use crate::state::AppState;
use crate::viewer::Reader;
use crate::views::tag_url;
use quire_core::numbers::thousands;

struct FandomLink {
    name: String,
    url: String,
    count: String,
}

/// Fandoms under one initial.
struct Group {
    letter: String,
    /// `A`–`Z`, or `other`, for the heading's id.
    anchor: String,
    fandoms: Vec<FandomLink>,
}

#[derive(Template)]
#[template(path = "fandoms.html")]
struct FandomsPage {
    total: String,
    groups: Vec<Group>,
}

pub async fn index(State(state): State<AppState>, reader: Reader) -> Result<Response, AppError> {
    let scope = ListingScope::for_viewer(&reader.viewer);
    let counts: Vec<(String, i64)> = match state.search.ready() {
        Some(index) => ask(index, move |index| {
            index.tag_directory(TagKind::Fandom, scope)
        })
        .await?
        .iter()
        .map(|c| (c.name.clone(), i64::try_from(c.works).unwrap_or(i64::MAX)))
        .collect(),
        None => state
            .store
            .tag_counts(TagKind::Fandom, scope)
            .await?
            .into_iter()
            .map(|(tag, n)| (tag.name, n))
            .collect(),
    };
    let mut by_letter: BTreeMap<String, Vec<(String, FandomLink)>> = BTreeMap::new();
    for (name, count) in &counts {
        let key = sort_key(name);
        let letter = match key.chars().next() {
            Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
            _ => "#".to_owned(),
        };
        by_letter.entry(letter).or_default().push((
            key,
            FandomLink {
                name: name.clone(),
                url: tag_url(name),
                count: thousands(*count),
            },
        ));
    }
    let groups = by_letter
        .into_iter()
        .map(|(letter, mut fandoms)| {
            fandoms.sort_by(|a, b| a.0.cmp(&b.0));
            Group {
                anchor: if letter == "#" {
                    "other".to_owned()
                } else {
                    letter.clone()
                },
                letter,
                fandoms: fandoms.into_iter().map(|(_, link)| link).collect(),
            }
        })
        .collect();
    let page = FandomsPage {
        total: thousands(counts.len() as i64),
        groups,
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

/// What a fandom is sorted by: its name in lowercase, without a leading "The ".
fn sort_key(name: &str) -> String {
    let trimmed = name.strip_prefix("The ").unwrap_or(name);
    trimmed.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn fandoms_sort_by_their_first_real_word() {
        assert_eq!(sort_key("The Quiet Harbour (TV)"), "quiet harbour (tv)");
        assert_eq!(sort_key("Lanterns"), "lanterns");
    }
}
