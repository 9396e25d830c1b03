//! A [`WorkQuery`] as a query string, so that every listing is a shareable URL.
//!
//! The parameters (all optional; empty values, as a GET form sends for blank fields, are
//! ignored):
//!
//! | parameter | meaning |
//! |---|---|
//! | `q` | words to find in titles, summaries, notes, tags and creator names |
//! | `body` | `true`: also in the chapters' text |
//! | `rating`, `warning`, `category`, `fandom`, `relationship`, `character`, `freeform` | include this tag (repeat for more; every one must match) |
//! | `not_rating`, `not_warning`, … `not_freeform` | exclude this tag (repeatable) |
//! | `crossover` | `include` (default), `exclude` or `only` (works in more than one fandom) |
//! | `complete` | `true`: complete works only; `false`: works in progress only |
//! | `words_from`, `words_to` | word-count range, inclusive |
//! | `posted_from`, `posted_to`, `updated_from`, `updated_to` | date ranges, `YYYY-MM-DD`, inclusive |
//! | `language` | language code, e.g. `en` |
//! | `archive` | the archive imported works came from |
//! | `sort` | `best`, `author`, `title`, `posted`, `updated`, `words`, `hits`, `kudos`, `comments`, `bookmarks` |
//! | `order` | `asc` or `desc` (default: A–Z for author and title, else highest/newest first) |
//! | `page` | 1 to [`crate::query::MAX_PAGE`] |
//!
//! [`serialize`] writes the parameters in this order, tags in the order given; [`parse`] of
//! its output gives the same `WorkQuery` back.

use chrono::NaiveDate;
use quire_core::{ArchiveWarning, Category, Rating, TagKind};

use crate::error::QueryError;
use crate::query::{Crossover, Direction, SortField, WorkQuery, param_of};

/// The longest query string accepted, in bytes: far above any real form, far below abuse.
pub const MAX_QUERY_BYTES: usize = 4_096;

/// Reads a query string (without the `?`). Refuses unknown or repeated parameters, values
/// that do not parse, and whatever [`WorkQuery::validate`] refuses.
pub fn parse(query_string: &str) -> Result<WorkQuery, QueryError> {
    if query_string.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong {
            len: query_string.len(),
            max: MAX_QUERY_BYTES,
        });
    }
    let mut query = WorkQuery::new();
    let mut seen: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (key, value) in form_urlencoded::parse(query_string.trim_start_matches('?').as_bytes()) {
        let value = value.trim();
        if let Some(kind) = tag_kind(&key) {
            if !value.is_empty() {
                query.include.push((kind, tag_value(kind, &key, value)?));
            }
            continue;
        }
        if let Some(kind) = key.strip_prefix("not_").and_then(tag_kind) {
            if !value.is_empty() {
                query.exclude.push((kind, tag_value(kind, &key, value)?));
            }
            continue;
        }
        if !is_single(&key) {
            if !unknown.contains(&key.to_string()) {
                unknown.push(key.into_owned());
            }
            continue;
        }
        if seen.iter().any(|s| *s == key) {
            return Err(QueryError::Repeated(key.into_owned()));
        }
        seen.push(key.to_string());
        if !value.is_empty() {
            set_single(&mut query, &key, value)?;
        }
    }
    if !unknown.is_empty() {
        return Err(QueryError::UnknownParameters { names: unknown });
    }
    query.validate()?;
    Ok(query)
}

/// Writes a query string (without the `?`) that [`parse`] reads back as `query`. Default
/// values are left out, so the plain listing is the empty string.
pub fn serialize(query: &WorkQuery) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(text) = &query.text {
        out.append_pair("q", text);
    }
    if query.chapter_text {
        out.append_pair("body", "true");
    }
    for (kind, name) in &query.include {
        out.append_pair(param_of(*kind), name);
    }
    for (kind, name) in &query.exclude {
        out.append_pair(&format!("not_{}", param_of(*kind)), name);
    }
    if query.crossover != Crossover::Include {
        out.append_pair("crossover", query.crossover.as_str());
    }
    if let Some(complete) = query.complete {
        out.append_pair("complete", if complete { "true" } else { "false" });
    }
    for (key, n) in [
        ("words_from", query.words_from),
        ("words_to", query.words_to),
    ] {
        if let Some(n) = n {
            out.append_pair(key, &n.to_string());
        }
    }
    for (key, day) in [
        ("posted_from", query.posted_from),
        ("posted_to", query.posted_to),
        ("updated_from", query.updated_from),
        ("updated_to", query.updated_to),
    ] {
        if let Some(day) = day {
            out.append_pair(key, &day.format("%Y-%m-%d").to_string());
        }
    }
    if let Some(language) = &query.language {
        out.append_pair("language", language);
    }
    if let Some(archive) = &query.archive {
        out.append_pair("archive", archive);
    }
    if let Some(sort) = query.sort {
        out.append_pair("sort", sort.as_str());
    }
    if let Some(direction) = query.direction {
        out.append_pair("order", direction.as_str());
    }
    if query.page != 1 {
        out.append_pair("page", &query.page.to_string());
    }
    out.finish()
}

const SINGLE: [&str; 15] = [
    "q",
    "body",
    "crossover",
    "complete",
    "words_from",
    "words_to",
    "posted_from",
    "posted_to",
    "updated_from",
    "updated_to",
    "language",
    "archive",
    "sort",
    "order",
    "page",
];

fn is_single(key: &str) -> bool {
    SINGLE.contains(&key)
}

fn tag_kind(key: &str) -> Option<TagKind> {
    TagKind::ALL.into_iter().find(|k| param_of(*k) == key)
}

/// Ratings, warnings and categories take AO3's names in any case, stored as AO3 spells them.
fn tag_value(kind: TagKind, key: &str, value: &str) -> Result<String, QueryError> {
    let fixed = match kind {
        TagKind::Rating => value.parse::<Rating>().map(Rating::name),
        TagKind::ArchiveWarning => value.parse::<ArchiveWarning>().map(ArchiveWarning::name),
        TagKind::Category => value.parse::<Category>().map(Category::name),
        _ => return Ok(value.to_owned()),
    };
    fixed
        .map(str::to_owned)
        .map_err(|_| QueryError::InvalidValue {
            param: key.to_owned(),
            value: value.to_owned(),
            expected: "one of AO3's names for it",
        })
}

fn set_single(query: &mut WorkQuery, key: &str, value: &str) -> Result<(), QueryError> {
    match key {
        "q" => query.text = Some(value.to_owned()),
        "body" => query.chapter_text = boolean(key, value)?,
        "crossover" => {
            query.crossover = one_of(
                key,
                value,
                &Crossover::ALL,
                |c| c.as_str(),
                "include, exclude or only",
            )?;
        }
        "complete" => query.complete = Some(boolean(key, value)?),
        "words_from" => query.words_from = Some(number(key, value)?),
        "words_to" => query.words_to = Some(number(key, value)?),
        "posted_from" => query.posted_from = Some(date(key, value)?),
        "posted_to" => query.posted_to = Some(date(key, value)?),
        "updated_from" => query.updated_from = Some(date(key, value)?),
        "updated_to" => query.updated_to = Some(date(key, value)?),
        "language" => query.language = Some(value.to_owned()),
        "archive" => query.archive = Some(value.to_owned()),
        "sort" => {
            query.sort = Some(one_of(
                key,
                value,
                &SortField::ALL,
                |s| s.as_str(),
                "best, author, title, posted, updated, words, hits, kudos, comments or bookmarks",
            )?);
        }
        "order" => {
            query.direction = Some(one_of(
                key,
                value,
                &[Direction::Ascending, Direction::Descending],
                |d| d.as_str(),
                "asc or desc",
            )?);
        }
        "page" => {
            let page = number(key, value)?;
            query.page = u32::try_from(page).map_err(|_| QueryError::OutOfRange {
                param: "page",
                value: value.to_owned(),
                range: format!("1 to {}", crate::query::MAX_PAGE),
            })?;
        }
        _ => {}
    }
    Ok(())
}

fn invalid(key: &str, value: &str, expected: &'static str) -> QueryError {
    QueryError::InvalidValue {
        param: key.to_owned(),
        value: value.to_owned(),
        expected,
    }
}

fn one_of<T: Copy>(
    key: &str,
    value: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    expected: &'static str,
) -> Result<T, QueryError> {
    all.iter()
        .copied()
        .find(|v| name(*v).eq_ignore_ascii_case(value))
        .ok_or_else(|| invalid(key, value, expected))
}

fn boolean(key: &str, value: &str) -> Result<bool, QueryError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "yes" => Ok(true),
        "false" | "0" | "off" | "no" => Ok(false),
        _ => Err(invalid(key, value, "true or false")),
    }
}

fn number(key: &str, value: &str) -> Result<u64, QueryError> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(key, value, "a whole number"));
    }
    // All digits, so the only failure left is overflow: out of range rather than malformed.
    value.parse::<u64>().map_err(|_| QueryError::OutOfRange {
        param: static_name(key),
        value: value.to_owned(),
        range: "a smaller number".to_owned(),
    })
}

fn date(key: &str, value: &str) -> Result<NaiveDate, QueryError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| invalid(key, value, "a date as YYYY-MM-DD"))
}

/// The `'static` spelling of a known single parameter, for error messages.
fn static_name(key: &str) -> &'static str {
    SINGLE
        .iter()
        .copied()
        .find(|k| *k == key)
        .unwrap_or("number")
}
