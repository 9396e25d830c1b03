//! Users and their pseuds (the names works are published under).

use serde::{Deserialize, Serialize};

pub type UserId = i64;
pub type PseudId = i64;

/// An account. Imported creators are unclaimed users: no password, no e-mail shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub is_admin: bool,
    /// False for creators met in an import or made by `quire seed`, until someone claims them.
    pub claimed: bool,
}

/// A name a user publishes under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pseud {
    pub id: PseudId,
    pub user_id: UserId,
    pub name: String,
    /// The login of the user, for `/users/{login}` links.
    pub login: String,
    pub is_default: bool,
}

/// What a signed-in reader chose for how the archive shows works to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Read Mature, Explicit and Not Rated works without the adult-content interstitial.
    pub skip_adult_gate: bool,
    /// Hide archive warnings in blurbs and work headers (they can be shown on request).
    pub hide_warnings: bool,
    /// Hide additional tags (freeforms) in blurbs.
    pub hide_freeforms: bool,
    /// Read works in the archive's style, as `style=disable` does.
    pub hide_creator_styles: bool,
    /// An IANA time zone name (`Europe/Paris`); `UTC` by default.
    pub time_zone: String,
    /// Keep a history of the works read (AO3's "Turn on Viewing History"); on by default.
    pub history_enabled: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            skip_adult_gate: false,
            hide_warnings: false,
            hide_freeforms: false,
            hide_creator_styles: false,
            time_zone: "UTC".to_owned(),
            history_enabled: true,
        }
    }
}

/// A duty an account holds beyond reading and posting (admins are `User::is_admin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Tag wrangler: makes tags canonical, synonyms and sub-tags.
    Wrangler,
    /// Moderates comments and reports.
    Moderator,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Wrangler, Role::Moderator];

    /// The stored and command-line name: `wrangler`, `moderator`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Wrangler => "wrangler",
            Role::Moderator => "moderator",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// AO3's longest pseud name, in characters.
pub const PSEUD_NAME_MAX: usize = 40;
/// AO3's longest pseud description, in characters.
pub const PSEUD_DESCRIPTION_MAX: usize = 500;
/// AO3's longest profile title, in characters.
pub const PROFILE_TITLE_MAX: usize = 255;
/// AO3's longest "About" text, in characters.
pub const PROFILE_ABOUT_MAX: usize = 2_000;

/// Words the pseud pages' own addresses use (`/users/{login}/pseuds/new`, `…/{name}/edit`,
/// `…/default`, `…/delete`): a pseud of one of these names would hide a form or be hidden by it.
pub const RESERVED_PSEUD_NAMES: [&str; 4] = ["new", "edit", "default", "delete"];

/// What is wrong with a pseud name by AO3's rules (1–40 characters: letters, digits, spaces,
/// `_` and `-`, at least one letter or digit, not a word the pseud pages' addresses use), as a
/// sentence; `None` when it is fine. The name is checked as it will be stored, trimmed.
pub fn pseud_name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 {
        return Some("Give the pseud a name.".to_owned());
    }
    if length > PSEUD_NAME_MAX {
        return Some(format!(
            "The name is {length} characters long; the limit is {PSEUD_NAME_MAX}."
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '_' | '-')))
    {
        return Some(format!(
            "A pseud name can contain letters, numbers, spaces, underscores and dashes, not “{c}”."
        ));
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Some("A pseud name needs at least one letter or number.".to_owned());
    }
    if RESERVED_PSEUD_NAMES
        .iter()
        .any(|word| word.eq_ignore_ascii_case(name))
    {
        return Some(format!(
            "“{name}” is a word the archive's pseud pages use; choose another name."
        ));
    }
    None
}

/// AO3-style login slug for a creator name: lowercase letters, digits and `_`.
pub fn login_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    while slug.ends_with('_') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("anonymous");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::{login_slug, pseud_name_problem};

    #[test]
    fn pseud_names_follow_ao3s_rules() {
        for good in [
            "Wren",
            "wren_ashdown-2",
            "Odile Fairweather",
            "Émile",
            &"a".repeat(40),
            "newt",
            "new moon",
        ] {
            assert_eq!(pseud_name_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "   ",
            "-_-",
            "wren!",
            "<b>x</b>",
            "a.b",
            &"a".repeat(41),
            "new",
            "Edit",
            " delete ",
            "DEFAULT",
        ] {
            assert!(pseud_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_stable_and_plain() {
        assert_eq!(login_slug("K. Marlowe"), "k_marlowe");
        assert_eq!(login_slug("  Wren  Ashdown "), "wren_ashdown");
        assert_eq!(login_slug("Odile Fairweather"), "odile_fairweather");
        assert_eq!(login_slug("!!!"), "anonymous");
    }
}
