//! The wrangling changes the tag edit page offers, as its forms name them (`action=merge`),
//! with what each says before (the preview page) and after (the notice), and how a refusal
//! reads. The rules are the store's ([`quire_store::Wrangle`]); `quire tags …` offers the same
//! changes.

use askama::Template;
use quire_store::{Wrangle, Wrangled, WranglingError};
use serde::Deserialize;

/// A change shown before it is made: what it will do and how many works it re-files, with a
/// form that posts the same fields again, confirmed.
#[derive(Template)]
#[template(path = "wrangle_preview.html")]
pub(crate) struct PreviewPage {
    pub csrf: String,
    /// The tag the change is about.
    pub name: String,
    pub cancel_url: String,
    pub action_url: String,
    /// The form's fields, sent again with `confirm=yes`.
    pub hidden: Vec<(&'static str, String)>,
    pub sentence: String,
    /// What the store's dry run did (`changed` is false when there is nothing to change).
    pub result: Wrangled,
}

/// The message of a refusal, with its stable code (and without the hint at the `quire tags`
/// command the store's message ends with, which the page's own forms replace).
pub(crate) fn refusal(e: &WranglingError) -> String {
    let mut message = e.to_string();
    if let Some(hint) = message.find(" (`quire ") {
        message.truncate(hint);
    }
    format!("{message}. (Error code: {})", e.code())
}

/// One form of the tag edit page (and `?done=` after it worked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Canonical,
    Merge,
    AddParent,
    RemoveParent,
    AddMeta,
    RemoveMeta,
    Rename,
}

impl Action {
    /// The form value and `?done=` value.
    pub const fn name(self) -> &'static str {
        match self {
            Action::Canonical => "canonical",
            Action::Merge => "merge",
            Action::AddParent => "add_parent",
            Action::RemoveParent => "remove_parent",
            Action::AddMeta => "add_meta",
            Action::RemoveMeta => "remove_meta",
            Action::Rename => "rename",
        }
    }

    /// The change to `tag`; `other` is the canonical, parent or meta tag, or the new name.
    pub fn change(self, tag: &str, other: &str) -> Wrangle {
        let (tag, other) = (tag.to_owned(), other.trim().to_owned());
        match self {
            Action::Canonical => Wrangle::MakeCanonical { tag },
            Action::Merge => Wrangle::Merge {
                synonym: tag,
                canonical: other,
            },
            Action::AddParent => Wrangle::AddParent {
                child: tag,
                parent: other,
            },
            Action::RemoveParent => Wrangle::RemoveParent {
                child: tag,
                parent: other,
            },
            Action::AddMeta => Wrangle::AddMeta {
                sub: tag,
                meta: other,
            },
            Action::RemoveMeta => Wrangle::RemoveMeta {
                sub: tag,
                meta: other,
            },
            Action::Rename => Wrangle::Rename { tag, to: other },
        }
    }

    /// What the change will do, for its preview.
    pub fn sentence(self, tag: &str, other: &str) -> String {
        let other = other.trim();
        match self {
            Action::Canonical => format!("“{tag}” will be a canonical tag."),
            Action::Merge => format!(
                "“{tag}” will be a synonym of “{other}”: its works will be listed under “{other}”."
            ),
            Action::AddParent => format!("“{tag}” will be a child tag of “{other}”."),
            Action::RemoveParent => format!("“{tag}” will no longer be a child tag of “{other}”."),
            Action::AddMeta => format!(
                "“{tag}” will be a sub-tag of “{other}”: its works will be listed under “{other}” too."
            ),
            Action::RemoveMeta => format!("“{tag}” will no longer be a sub-tag of “{other}”."),
            Action::Rename => format!("“{tag}” will be renamed “{other}”, keeping its works."),
        }
    }

    /// What the edit page says once the change is made.
    pub const fn notice(self) -> &'static str {
        match self {
            Action::Canonical => "The tag is canonical now.",
            Action::Merge => "The tag is a synonym now.",
            Action::AddParent => "The parent tag was added.",
            Action::RemoveParent => "The parent tag was removed.",
            Action::AddMeta => "The meta tag was added.",
            Action::RemoveMeta => "The meta tag was removed.",
            Action::Rename => "The tag was renamed.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_names_its_change_and_trims_the_other_tag() {
        assert_eq!(
            Action::Merge.change("Willow/Spike", " Spike/Willow "),
            Wrangle::Merge {
                synonym: "Willow/Spike".into(),
                canonical: "Spike/Willow".into(),
            }
        );
        assert_eq!(
            Action::Rename.change("Angst", "Angst (BtVS)"),
            Wrangle::Rename {
                tag: "Angst".into(),
                to: "Angst (BtVS)".into(),
            }
        );
        assert_eq!(Action::RemoveMeta.name(), "remove_meta");
    }
}
