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
    use super::login_slug;

    #[test]
    fn slugs_are_stable_and_plain() {
        assert_eq!(login_slug("K. Marlowe"), "k_marlowe");
        assert_eq!(login_slug("  Wren  Ashdown "), "wren_ashdown");
        assert_eq!(login_slug("Odile Fairweather"), "odile_fairweather");
        assert_eq!(login_slug("!!!"), "anonymous");
    }
}
