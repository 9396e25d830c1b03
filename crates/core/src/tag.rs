//! Tags: AO3's seven tag kinds, and a tag as readers see it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub type TagId = i64;

/// Which of a work's tag lists a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Rating,
    ArchiveWarning,
    Category,
    Fandom,
    Relationship,
    Character,
    Freeform,
}

impl TagKind {
    pub const ALL: [TagKind; 7] = [
        TagKind::Rating,
        TagKind::ArchiveWarning,
        TagKind::Category,
        TagKind::Fandom,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ];

    /// The name stored in the database and used in the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            TagKind::Rating => "rating",
            TagKind::ArchiveWarning => "archive_warning",
            TagKind::Category => "category",
            TagKind::Fandom => "fandom",
            TagKind::Relationship => "relationship",
            TagKind::Character => "character",
            TagKind::Freeform => "freeform",
        }
    }

    /// The kinds a creator names freely (fandoms, relationships, characters, freeforms), as
    /// opposed to the fixed vocabularies of ratings, warnings and categories.
    pub const fn is_free(self) -> bool {
        matches!(
            self,
            TagKind::Fandom | TagKind::Relationship | TagKind::Character | TagKind::Freeform
        )
    }

    /// The heading AO3 gives the list, in the plural.
    pub const fn label(self) -> &'static str {
        match self {
            TagKind::Rating => "Rating",
            TagKind::ArchiveWarning => "Archive Warnings",
            TagKind::Category => "Categories",
            TagKind::Fandom => "Fandoms",
            TagKind::Relationship => "Relationships",
            TagKind::Character => "Characters",
            TagKind::Freeform => "Additional Tags",
        }
    }
}

impl fmt::Display for TagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TagKind {
    type Err = crate::rating::UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TagKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::rating::UnknownName {
                kind: "tag kind",
                name: s.to_owned(),
            })
    }
}

/// A tag as stored: its name is unique across kinds, case-insensitively, as on AO3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub id: TagId,
    pub kind: TagKind,
    pub name: String,
    pub canonical: bool,
}

/// AO3's escaping of tag names in URLs (`/` → `*s*`, `&` → `*a*`, `.` → `*d*`, `?` → `*q*`,
/// `#` → `*h*`), before percent-encoding.
pub fn escape_for_url(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '/' => out.push_str("*s*"),
            '&' => out.push_str("*a*"),
            '.' => out.push_str("*d*"),
            '?' => out.push_str("*q*"),
            '#' => out.push_str("*h*"),
            c => out.push(c),
        }
    }
    out
}

/// A tag's name as one URL path segment: AO3's escaping ([`escape_for_url`]), then
/// percent-encoding of everything but unreserved characters and the escapes' `*`.
pub fn url_segment(name: &str) -> String {
    let escaped = escape_for_url(name);
    let mut out = String::with_capacity(escaped.len());
    for b in escaped.bytes() {
        if b.is_ascii_alphanumeric() || b"-_~*!'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The inverse of [`escape_for_url`].
pub fn unescape_from_url(escaped: &str) -> String {
    escaped
        .replace("*s*", "/")
        .replace("*a*", "&")
        .replace("*d*", ".")
        .replace("*q*", "?")
        .replace("*h*", "#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_escaping_round_trips() {
        let name = "Mira/Tomas & Co. #1?";
        let escaped = escape_for_url(name);
        assert_eq!(escaped, "Mira*s*Tomas *a* Co*d* *h*1*q*");
        assert_eq!(unescape_from_url(&escaped), name);
    }

    #[test]
    fn kinds_round_trip() {
        for k in TagKind::ALL {
            assert_eq!(k.as_str().parse::<TagKind>(), Ok(k));
        }
    }
}
