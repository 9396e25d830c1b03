//! An archive profile's wrangling for the tags its works bring (`[wrangling]`), applied through
//! the store once the import has stored its works: an archive's `Willow/Spike` and
//! `Spike/Willow` become one relationship.
//!
//! ```toml
//! [wrangling]
//! canonical = ["Buffy the Vampire Slayer"]
//! [wrangling.synonyms]          # synonym = canonical
//! "Willow/Spike" = "Spike/Willow"
//! [wrangling.parents]           # child = [parents]
//! "Spike/Willow" = ["Buffy the Vampire Slayer"]
//! [wrangling.metas]             # sub-tag = [meta tags]
//! "BtVS Season 6" = ["Buffy the Vampire Slayer"]
//! ```
//!
//! A canonical tag or meta tag the archive's works never name is created, of the kind of the
//! tag wrangled under it. Entries about tags the archive does not have are skipped (a profile
//! can serve several dumps); refusals (a cycle, two kinds) are reported, and the rest applied.

use std::collections::BTreeMap;

use quire_core::TagKind;
use quire_store::{Store, StoreError, Wrangle};
use serde::{Deserialize, Serialize};

/// The `[wrangling]` table of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileWrangling {
    /// Tags to make canonical.
    pub canonical: Vec<String>,
    /// Synonym → its canonical tag.
    pub synonyms: BTreeMap<String, String>,
    /// Child → its parents (a character's or relationship's fandoms).
    pub parents: BTreeMap<String, Vec<String>>,
    /// Sub-tag → its meta tags.
    pub metas: BTreeMap<String, Vec<String>>,
}

impl ProfileWrangling {
    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
            && self.synonyms.is_empty()
            && self.parents.is_empty()
            && self.metas.is_empty()
    }
}

/// What applying a profile's wrangling did, for the import report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WranglingReport {
    /// Wrangling changes that changed something.
    pub changes: u64,
    /// Works re-filed by them.
    pub works: i64,
    /// Entries naming a tag the archive does not have.
    pub skipped: Vec<String>,
    /// Entries refused, each with the reason.
    pub refused: Vec<String>,
}

/// Applies `wrangling` to the archive's tags.
pub async fn apply(
    store: &dyn Store,
    wrangling: &ProfileWrangling,
) -> Result<WranglingReport, StoreError> {
    let mut report = WranglingReport::default();
    for tag in &wrangling.canonical {
        let change = Wrangle::MakeCanonical { tag: tag.clone() };
        run(store, &change, &mut report).await?;
    }
    for (synonym, canonical) in &wrangling.synonyms {
        let Some(kind) = kind_of(store, synonym, &mut report).await? else {
            continue;
        };
        let changes = [
            Wrangle::CreateCanonical {
                tag: canonical.clone(),
                kind,
            },
            Wrangle::Merge {
                synonym: synonym.clone(),
                canonical: canonical.clone(),
            },
        ];
        run_all(store, &changes, &mut report).await?;
    }
    for (child, parents) in &wrangling.parents {
        for parent in parents {
            if kind_of(store, child, &mut report).await?.is_none()
                || kind_of(store, parent, &mut report).await?.is_none()
            {
                continue;
            }
            let changes = [
                Wrangle::MakeCanonical { tag: child.clone() },
                Wrangle::MakeCanonical {
                    tag: parent.clone(),
                },
                Wrangle::AddParent {
                    child: child.clone(),
                    parent: parent.clone(),
                },
            ];
            run_all(store, &changes, &mut report).await?;
        }
    }
    for (sub, metas) in &wrangling.metas {
        for meta in metas {
            let Some(kind) = kind_of(store, sub, &mut report).await? else {
                continue;
            };
            let changes = [
                Wrangle::MakeCanonical { tag: sub.clone() },
                Wrangle::CreateCanonical {
                    tag: meta.clone(),
                    kind,
                },
                Wrangle::AddMeta {
                    sub: sub.clone(),
                    meta: meta.clone(),
                },
            ];
            run_all(store, &changes, &mut report).await?;
        }
    }
    Ok(report)
}

/// The kind of an existing tag; `None` (and a skipped line) when the archive has none.
async fn kind_of(
    store: &dyn Store,
    name: &str,
    report: &mut WranglingReport,
) -> Result<Option<TagKind>, StoreError> {
    let found = store.tag_wrangling(name).await?.map(|w| w.tag.kind);
    if found.is_none() {
        let line = format!("`{}`: no such tag in the archive", name.trim());
        if !report.skipped.contains(&line) {
            report.skipped.push(line);
        }
    }
    Ok(found)
}

/// Runs changes in order, stopping at the first refusal (reported).
async fn run_all(
    store: &dyn Store,
    changes: &[Wrangle],
    report: &mut WranglingReport,
) -> Result<(), StoreError> {
    for change in changes {
        if !run(store, change, report).await? {
            break;
        }
    }
    Ok(())
}

/// Runs one change; false when it was refused (reported) or named an unknown tag (skipped).
async fn run(
    store: &dyn Store,
    change: &Wrangle,
    report: &mut WranglingReport,
) -> Result<bool, StoreError> {
    match store.wrangle(change).await {
        Ok(done) => {
            report.changes += u64::from(done.changed);
            report.works += done.works;
            Ok(true)
        }
        Err(StoreError::Wrangling(quire_store::WranglingError::UnknownTag(name))) => {
            report
                .skipped
                .push(format!("`{name}`: no such tag in the archive"));
            Ok(false)
        }
        Err(StoreError::Wrangling(refused)) => {
            report
                .refused
                .push(format!("{} ({})", refused, refused.code()));
            Ok(false)
        }
        Err(other) => Err(other),
    }
}
