//! `WorkQuery`: the one filter model of tag pages, the search form, saved filters, feeds and
//! the API (DESIGN.md, "Search and browse"), and the checks that keep it meaningful.
//!
//! Its query-string form lives in [`crate::params`].

use chrono::NaiveDate;
use quire_core::{ArchiveWarning, Category, Rating, TagKind};

use crate::error::QueryError;

/// Works per page of results.
pub const PER_PAGE: u32 = 20;
/// The deepest page served: past it, narrow the filters instead.
pub const MAX_PAGE: u32 = 5_000;
/// The largest word count a range may name.
pub const MAX_WORDS: u64 = 1_000_000_000;
/// Include and exclude filters together.
pub const MAX_TAG_FILTERS: usize = 64;
/// AO3's limit on a tag's length, in characters.
pub const MAX_TAG_CHARS: usize = 150;
/// The full-text box, in characters.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// What to find, how to order it, and which page to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WorkQuery {
    /// Words to look for in titles, summaries, notes, tags and creator names.
    pub text: Option<String>,
    /// Also look for [`WorkQuery::text`] in the chapters' text.
    pub chapter_text: bool,
    /// Tags every result carries (or one wrangled under them), in the order given.
    pub include: Vec<(TagKind, String)>,
    /// Tags no result carries (nor one wrangled under them).
    pub exclude: Vec<(TagKind, String)>,
    pub crossover: Crossover,
    /// `Some(true)`: complete works only; `Some(false)`: works in progress only.
    pub complete: Option<bool>,
    pub words_from: Option<u64>,
    pub words_to: Option<u64>,
    pub posted_from: Option<NaiveDate>,
    pub posted_to: Option<NaiveDate>,
    pub updated_from: Option<NaiveDate>,
    pub updated_to: Option<NaiveDate>,
    /// A language code such as `en`, compared case-insensitively.
    pub language: Option<String>,
    /// The archive imported works came from (their source's archive name).
    pub archive: Option<String>,
    /// Works by this user (under any of their pseuds, as a co-creator too): a creator's own
    /// listing. Taken from the listing's path, never from a query string.
    pub creator: Option<quire_core::UserId>,
    /// `None`: best match when there is text to match, else date updated.
    pub sort: Option<SortField>,
    /// `None`: the sort's natural direction ([`SortField::default_direction`]).
    pub direction: Option<Direction>,
    /// 1-based.
    pub page: u32,
}

/// Works in more than one fandom.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Crossover {
    /// Crossovers and single-fandom works alike.
    #[default]
    Include,
    Exclude,
    Only,
}

/// AO3's sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    BestMatch,
    Author,
    Title,
    Posted,
    Updated,
    Words,
    Hits,
    Kudos,
    Comments,
    Bookmarks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Crossover {
    pub const ALL: [Crossover; 3] = [Crossover::Include, Crossover::Exclude, Crossover::Only];

    pub const fn as_str(self) -> &'static str {
        match self {
            Crossover::Include => "include",
            Crossover::Exclude => "exclude",
            Crossover::Only => "only",
        }
    }
}

impl SortField {
    pub const ALL: [SortField; 10] = [
        SortField::BestMatch,
        SortField::Author,
        SortField::Title,
        SortField::Posted,
        SortField::Updated,
        SortField::Words,
        SortField::Hits,
        SortField::Kudos,
        SortField::Comments,
        SortField::Bookmarks,
    ];

    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            SortField::BestMatch => "best",
            SortField::Author => "author",
            SortField::Title => "title",
            SortField::Posted => "posted",
            SortField::Updated => "updated",
            SortField::Words => "words",
            SortField::Hits => "hits",
            SortField::Kudos => "kudos",
            SortField::Comments => "comments",
            SortField::Bookmarks => "bookmarks",
        }
    }

    /// A-Z for names, newest/most first for the rest, as AO3 does.
    pub const fn default_direction(self) -> Direction {
        match self {
            SortField::Author | SortField::Title => Direction::Ascending,
            _ => Direction::Descending,
        }
    }
}

impl Direction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        }
    }
}

impl WorkQuery {
    /// The first page of everything, most recently updated first.
    pub fn new() -> WorkQuery {
        WorkQuery {
            page: 1,
            ..WorkQuery::default()
        }
    }

    /// The sort in force: the chosen one, else best match when there is text, else updated.
    /// Best match without text has nothing to rank by, so it falls back to updated too.
    pub fn effective_sort(&self) -> SortField {
        match (self.sort, self.text.is_some()) {
            (Some(SortField::BestMatch), false) | (None, false) => SortField::Updated,
            (None, true) => SortField::BestMatch,
            (Some(sort), _) => sort,
        }
    }

    pub fn effective_direction(&self) -> Direction {
        self.direction
            .unwrap_or_else(|| self.effective_sort().default_direction())
    }

    /// Index of the first work of the page among all results.
    pub fn offset(&self) -> usize {
        (self.page.max(1) as usize - 1) * PER_PAGE as usize
    }

    /// Refuses what cannot mean anything: out-of-range numbers, reversed ranges, a tag both
    /// included and excluded, names that are empty or too long, unknown ratings, warnings and
    /// categories. [`crate::params::parse`] calls it; callers that build a query in code
    /// should too.
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.page == 0 || self.page > MAX_PAGE {
            return Err(QueryError::OutOfRange {
                param: "page",
                value: self.page.to_string(),
                range: format!("1 to {MAX_PAGE}"),
            });
        }
        for (param, words) in [("words_from", self.words_from), ("words_to", self.words_to)] {
            if let Some(n) = words.filter(|n| *n > MAX_WORDS) {
                return Err(QueryError::OutOfRange {
                    param,
                    value: n.to_string(),
                    range: format!("0 to {MAX_WORDS}"),
                });
            }
        }
        reversed("words_from", self.words_from, "words_to", self.words_to)?;
        reversed("posted_from", self.posted_from, "posted_to", self.posted_to)?;
        reversed(
            "updated_from",
            self.updated_from,
            "updated_to",
            self.updated_to,
        )?;
        if let Some(text) = &self.text {
            check_text("q", text, MAX_TEXT_CHARS)?;
        }
        for (param, value) in [("language", &self.language), ("archive", &self.archive)] {
            if let Some(value) = value {
                check_text(param, value, MAX_TAG_CHARS)?;
            }
        }
        if self.include.len() + self.exclude.len() > MAX_TAG_FILTERS {
            return Err(QueryError::TooManyTags {
                max: MAX_TAG_FILTERS,
            });
        }
        for (kind, name) in self.include.iter().chain(&self.exclude) {
            check_tag(*kind, name)?;
        }
        for (kind, name) in &self.include {
            let excluded = self
                .exclude
                .iter()
                .any(|(k, n)| k == kind && n.to_lowercase() == name.to_lowercase());
            if excluded {
                return Err(QueryError::Contradiction(format!(
                    "the {} `{name}` is both included and excluded",
                    kind_noun(*kind)
                )));
            }
        }
        Ok(())
    }
}

/// `from` after `to` can match nothing: say so rather than show an empty page.
fn reversed<T: PartialOrd + std::fmt::Display>(
    from_name: &'static str,
    from: Option<T>,
    to_name: &'static str,
    to: Option<T>,
) -> Result<(), QueryError> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err(QueryError::Contradiction(format!(
            "{from_name} ({from}) is after {to_name} ({to})"
        ))),
        _ => Ok(()),
    }
}

fn check_text(param: &'static str, value: &str, max_chars: usize) -> Result<(), QueryError> {
    if value.trim().is_empty() || value.trim() != value {
        return Err(QueryError::InvalidValue {
            param: param.to_owned(),
            value: value.to_owned(),
            expected: "text without surrounding spaces",
        });
    }
    if value.chars().count() > max_chars {
        return Err(QueryError::OutOfRange {
            param,
            value: format!("{} characters", value.chars().count()),
            range: format!("at most {max_chars} characters"),
        });
    }
    Ok(())
}

fn check_tag(kind: TagKind, name: &str) -> Result<(), QueryError> {
    check_text(param_of(kind), name, MAX_TAG_CHARS)?;
    let known = match kind {
        TagKind::Rating => name.parse::<Rating>().is_ok_and(|r| r.name() == name),
        TagKind::ArchiveWarning => name
            .parse::<ArchiveWarning>()
            .is_ok_and(|w| w.name() == name),
        TagKind::Category => name.parse::<Category>().is_ok_and(|c| c.name() == name),
        _ => true,
    };
    if known {
        Ok(())
    } else {
        Err(QueryError::InvalidValue {
            param: param_of(kind).to_owned(),
            value: name.to_owned(),
            expected: "one of AO3's names for it",
        })
    }
}

/// The include parameter of a tag kind; the exclude one is `not_` and the same.
pub const fn param_of(kind: TagKind) -> &'static str {
    match kind {
        TagKind::Rating => "rating",
        TagKind::ArchiveWarning => "warning",
        TagKind::Category => "category",
        TagKind::Fandom => "fandom",
        TagKind::Relationship => "relationship",
        TagKind::Character => "character",
        TagKind::Freeform => "freeform",
    }
}

fn kind_noun(kind: TagKind) -> &'static str {
    match kind {
        TagKind::ArchiveWarning => "warning",
        TagKind::Freeform => "tag",
        other => param_of(other),
    }
}
