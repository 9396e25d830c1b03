//! AO3's fixed vocabularies: ratings, archive warnings and categories, under their exact names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Raised when a name is not one of AO3's fixed names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{name}`")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $ty:ident, $kind:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $ty { $($variant),+ }

        impl $ty {
            /// Every value, in AO3's display order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// AO3's exact name.
            pub const fn name(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| UnknownName { kind: $kind, name: s.to_owned() })
            }
        }

        impl TryFrom<String> for $ty {
            type Error = UnknownName;
            fn try_from(s: String) -> Result<Self, Self::Error> { s.parse() }
        }

        impl From<$ty> for &'static str {
            fn from(v: $ty) -> Self { v.name() }
        }
    };
}

named_enum!(
    /// A work's content rating.
    Rating, "rating", {
        GeneralAudiences => "General Audiences",
        TeenAndUpAudiences => "Teen And Up Audiences",
        Mature => "Mature",
        Explicit => "Explicit",
        NotRated => "Not Rated",
    }
);

named_enum!(
    /// One of AO3's six archive warnings.
    ArchiveWarning, "archive warning", {
        CreatorChoseNotToUse => "Creator Chose Not To Use Archive Warnings",
        GraphicViolence => "Graphic Depictions Of Violence",
        MajorCharacterDeath => "Major Character Death",
        NoneApply => "No Archive Warnings Apply",
        RapeNonCon => "Rape/Non-Con",
        Underage => "Underage Sex",
    }
);

named_enum!(
    /// A work's relationship category.
    Category, "category", {
        FF => "F/F",
        FM => "F/M",
        Gen => "Gen",
        MM => "M/M",
        Multi => "Multi",
        Other => "Other",
    }
);

impl Default for Rating {
    fn default() -> Self {
        Rating::NotRated
    }
}

impl Rating {
    /// Ratings whose text readers see only after consenting to adult content.
    pub const fn needs_adult_consent(self) -> bool {
        matches!(self, Rating::Mature | Rating::Explicit | Rating::NotRated)
    }

    /// AO3's short code, used for the rating symbol in blurbs.
    pub const fn short(self) -> &'static str {
        match self {
            Rating::GeneralAudiences => "G",
            Rating::TeenAndUpAudiences => "T",
            Rating::Mature => "M",
            Rating::Explicit => "E",
            Rating::NotRated => "NR",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_case_insensitively() {
        for r in Rating::ALL {
            assert_eq!(r.name().to_uppercase().parse::<Rating>(), Ok(*r));
        }
        assert_eq!("f/m".parse::<Category>(), Ok(Category::FM));
        assert!("Adult".parse::<Rating>().is_err());
    }

    #[test]
    fn serializes_as_ao3_names() {
        let json = serde_json_like(Rating::TeenAndUpAudiences);
        assert_eq!(json, "Teen And Up Audiences");
    }

    fn serde_json_like(r: Rating) -> &'static str {
        r.into()
    }

    #[test]
    fn adult_consent_ratings() {
        assert!(!Rating::GeneralAudiences.needs_adult_consent());
        assert!(!Rating::TeenAndUpAudiences.needs_adult_consent());
        assert!(Rating::Mature.needs_adult_consent());
        assert!(Rating::Explicit.needs_adult_consent());
        assert!(Rating::NotRated.needs_adult_consent());
    }
}
