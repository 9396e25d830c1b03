//! Gifts: a work given to someone, as AO3's "For X" — to a pseud of an account, or to a
//! name of someone without one.

use serde::{Deserialize, Serialize};

/// A work's gift, as its page and blurbs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gift {
    /// The recipient's pseud name, or the name the creator typed.
    pub name: String,
    /// The recipient's login when the gift is to a pseud; `None` for a plain name.
    pub login: Option<String>,
}

impl Gift {
    /// The recipient's page, for a gift to an account.
    pub fn url(&self) -> Option<String> {
        self.login.as_ref().map(|login| format!("/users/{login}"))
    }
}

/// AO3 caps a work's gifts; more names than this is a form error.
pub const GIFTS_MAX: usize = 20;

/// The longest recipient name accepted (AO3's pseud limit).
pub const GIFT_NAME_MAX: usize = 40;
