//! Archive profiles: what an archivist tells the importer about one archive (`archive.toml`).

use quire_core::Rating;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::wrangling::ProfileWrangling;

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
/// [wrangling.synonyms]   # see crate::wrangling; or wrangling_file = "wrangling.toml"
/// "Willow/Spike" = "Spike/Willow"
/// [sites."old.example.org"]   # one site of a web crawl (see SiteProfile)
/// fandom = "Hollowmere"
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
    /// Wrangling for the archive's tags, applied once the works are stored.
    pub wrangling: ProfileWrangling,
    /// A TOML file (relative to the profile) with more wrangling, in the shape of the
    /// `[wrangling]` table; read by [`Profile::from_file`].
    pub wrangling_file: Option<String>,
    /// Per site of a web crawl (by host, with its port when not 80): what holds for that
    /// site's works only.
    pub sites: BTreeMap<String, SiteProfile>,
}

/// What an archivist tells the importer about one site of a web crawl: its name, its one
/// fandom, and how its own rating, category and warning labels map. Its maps are looked up
/// before the profile's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteProfile {
    /// The archive name of the site's works (when the profile names none for the import).
    pub archive: Option<String>,
    /// A single-fandom site's fandom: every work of the site is filed under it.
    pub fandom: Option<String>,
    /// Author for the site's works that name none.
    pub default_author: Option<String>,
    /// Language for the site's works that state none.
    pub default_language: Option<String>,
    /// The site's rating labels → AO3 ratings (the label is kept as the original rating).
    pub ratings: BTreeMap<String, Rating>,
    /// The site's category words → AO3 category names or freeform tags.
    pub categories: BTreeMap<String, String>,
    /// The site's warning texts → AO3 archive warnings or freeform tags.
    pub warnings: BTreeMap<String, String>,
    /// The site's header label aliases.
    pub labels: BTreeMap<String, String>,
    /// How the site writes numeric dates.
    pub date_order: Option<DateOrder>,
}

/// A profile file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("archive profile: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("cannot read {path}: {message}")]
    File { path: String, message: String },
}

impl Profile {
    /// Parses a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        Ok(toml::from_str(text)?)
    }

    /// Reads a profile file, with its wrangling file (relative to the profile) when it names
    /// one: its entries join the `[wrangling]` table's.
    pub fn from_file(path: &Path) -> Result<Self, ProfileError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| ProfileError::File {
                path: p.display().to_string(),
                message: e.to_string(),
            })
        };
        let mut profile = Profile::from_toml(&read(path)?)?;
        if let Some(file) = &profile.wrangling_file {
            let file = path.parent().unwrap_or(Path::new(".")).join(file);
            let more: ProfileWrangling =
                toml::from_str(&read(file.as_path())?).map_err(|e| ProfileError::File {
                    path: file.display().to_string(),
                    message: e.to_string().replace('\n', " ").trim().to_owned(),
                })?;
            let w = &mut profile.wrangling;
            w.canonical.extend(more.canonical);
            w.synonyms.extend(more.synonyms);
            w.parents.extend(more.parents);
            w.metas.extend(more.metas);
        }
        Ok(profile)
    }

    /// The profile for one site of a web crawl: this one with the site's settings (its
    /// `[sites."host"]` table, matched case-insensitively, with or without the port) over it.
    pub fn for_site(&self, host: &str) -> Profile {
        let mut profile = self.clone();
        let Some(site) = self.site(host) else {
            return profile;
        };
        fn over<V: Clone>(base: &mut BTreeMap<String, V>, site: &BTreeMap<String, V>) {
            for (k, v) in site {
                base.retain(|b, _| !b.trim().eq_ignore_ascii_case(k.trim()));
                base.insert(k.clone(), v.clone());
            }
        }
        over(&mut profile.ratings, &site.ratings);
        over(&mut profile.categories, &site.categories);
        over(&mut profile.warnings, &site.warnings);
        over(&mut profile.labels, &site.labels);
        if site.fandom.is_some() {
            profile.default_fandom.clone_from(&site.fandom);
        }
        if site.default_author.is_some() {
            profile.default_author.clone_from(&site.default_author);
        }
        if site.default_language.is_some() {
            profile.default_language.clone_from(&site.default_language);
        }
        if site.date_order.is_some() {
            profile.date_order = site.date_order;
        }
        profile
    }

    /// The settings of one site of a web crawl, if the profile has any.
    pub fn site(&self, host: &str) -> Option<&SiteProfile> {
        let bare = host.split(':').next().unwrap_or(host);
        self.sites
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(host))
            .or_else(|| {
                self.sites
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(bare))
            })
            .map(|(_, s)| s)
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

    #[test]
    fn reads_wrangling_inline_and_from_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("sunnydale.toml");
        std::fs::write(
            &profile,
            "wrangling_file = \"wrangling.toml\"\n[wrangling]\ncanonical = [\"Buffy\"]\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("wrangling.toml"),
            "[synonyms]\n\"Willow/Spike\" = \"Spike/Willow\"\n[metas]\n\"S6\" = [\"BtVS\"]\n",
        )
        .unwrap();
        let p = Profile::from_file(&profile).unwrap();
        assert_eq!(p.wrangling.canonical, ["Buffy"]);
        assert_eq!(p.wrangling.synonyms["Willow/Spike"], "Spike/Willow");
        assert_eq!(p.wrangling.metas["S6"], ["BtVS"]);

        std::fs::write(dir.path().join("wrangling.toml"), "[synonym]\n").unwrap();
        let err = Profile::from_file(&profile).unwrap_err().to_string();
        assert!(err.contains("wrangling.toml"), "{err}");
    }
}
