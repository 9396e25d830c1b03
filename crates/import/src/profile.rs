//! Archive profiles: what an archivist tells the importer about one archive (`archive.toml`).

use quire_core::Rating;
use serde::Deserialize;
use std::collections::BTreeMap;

/// How to read a numeric date like `03/04/2004`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month first (`03/14/2004`), the default.
    #[default]
    Mdy,
    /// Day first (`14/03/2004`).
    Dmy,
}

/// Settings for one archive. Every field is optional.
///
/// ```toml
/// archive = "Lanterns of Hollowmere"
/// default_fandom = "Lanterns of Hollowmere"
/// default_language = "en"
/// date_order = "dmy"
/// [ratings]
/// "FR15" = "Teen And Up Audiences"
/// [categories]
/// "Fluff" = "Gen"        # an AO3 category name, or any other text for a freeform
/// [warnings]
/// "Death" = "Major Character Death"
/// [labels]
/// "Ship Name" = "Pairing"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The archive name, used for source identity.
    pub archive: Option<String>,
    /// Fandom for works that name none (else AO3's `Unspecified Fandom`).
    pub default_fandom: Option<String>,
    /// Language for works that state none (else `en`).
    pub default_language: Option<String>,
    /// Author for works that name none (else `Anonymous`).
    pub default_author: Option<String>,
    /// Original rating text (whole, or its first token), case-insensitive → AO3 rating.
    pub ratings: BTreeMap<String, Rating>,
    /// Category word → AO3 category name, or any other text for a freeform tag.
    pub categories: BTreeMap<String, String>,
    /// Warning text → AO3 archive warning name, or any other text for a freeform tag.
    pub warnings: BTreeMap<String, String>,
    /// Header label alias → the known label it means (`"Ship Name" = "Pairing"`).
    pub labels: BTreeMap<String, String>,
    /// How to read numeric dates.
    pub date_order: Option<DateOrder>,
    /// Two-digit years at or above this are 19xx, below it 20xx (default 70; 0 reads every
    /// two-digit year as 19xx, for an archive of Usenet-era files).
    pub century_pivot: Option<u8>,
    /// eFiction sub-categories become freeform tags (they are always kept in fields).
    pub subcategories_as_freeforms: bool,
}

/// A profile file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("archive profile: {0}")]
pub struct ProfileError(#[from] toml::de::Error);

impl Profile {
    /// Parses a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        Ok(toml::from_str(text)?)
    }

    /// Looks a key up case-insensitively in one of the maps.
    pub(crate) fn lookup<'a, V>(map: &'a BTreeMap<String, V>, key: &str) -> Option<&'a V> {
        let key = key.trim();
        map.iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_profile_from_toml() {
        let p = Profile::from_toml(
            r#"
archive = "Old Archive"
default_fandom = "Hollowmere"
date_order = "dmy"
[ratings]
"FR15" = "Teen And Up Audiences"
[labels]
"Ship Name" = "Pairing"
"#,
        )
        .unwrap();
        assert_eq!(p.archive.as_deref(), Some("Old Archive"));
        assert_eq!(p.date_order, Some(DateOrder::Dmy));
        assert_eq!(
            Profile::lookup(&p.ratings, "fr15"),
            Some(&Rating::TeenAndUpAudiences)
        );
        assert!(Profile::from_toml("rating = 3").is_err());
    }
}
