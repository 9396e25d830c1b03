//! Dates as old archives write them: ISO first, numeric month-first unless impossible or the
//! profile says day-first, month names, RFC 822 mail dates (read in their own time zone).

use crate::profile::DateOrder;
use chrono::{DateTime, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// A date read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedDate {
    /// Only one reading is possible (or the profile said which).
    Sure(NaiveDate),
    /// Both month-first and day-first are possible; this is the month-first reading.
    Ambiguous(NaiveDate),
}

impl ParsedDate {
    pub fn date(self) -> NaiveDate {
        match self {
            ParsedDate::Sure(d) | ParsedDate::Ambiguous(d) => d,
        }
    }
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])").expect("valid regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})(?:$|[\s,T])").expect("valid regex")
});

/// Two-digit years at or above this are 19xx, below it 20xx, unless a profile says otherwise.
pub const DEFAULT_CENTURY_PIVOT: u8 = 70;

fn year(text: &str, pivot: u8) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    Some(match text.len() {
        2 if y >= i32::from(pivot) => 1900 + y,
        2 => 2000 + y,
        _ => y,
    })
}

/// Reads a date with a profile's settings: its `date_order`, and its `century_pivot` for
/// two-digit years (`94` is 1994 and `05` 2005 by default; a pivot of 0 makes every one 19xx).
pub fn parse_date_for(text: &str, profile: &crate::profile::Profile) -> Option<ParsedDate> {
    parse_date_with(
        text,
        profile.date_order,
        profile.century_pivot.unwrap_or(DEFAULT_CENTURY_PIVOT),
    )
}

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if w.len() < 3 {
        return None;
    }
    let month = names.iter().position(|n| w.starts_with(n))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let ok = full[month].starts_with(&w) || w == "sept";
    ok.then(|| u32::try_from(month + 1).unwrap_or(1))
}

/// Reads a date; `order` is the profile's `date_order` (None: month-first, ambiguity reported).
pub fn parse_date(text: &str, order: Option<DateOrder>) -> Option<ParsedDate> {
    parse_date_with(text, order, DEFAULT_CENTURY_PIVOT)
}

/// [`parse_date`] with a century pivot for two-digit years.
pub fn parse_date_with(text: &str, order: Option<DateOrder>, pivot: u8) -> Option<ParsedDate> {
    let t = text.trim();
    if t.is_empty() || t.starts_with("0000") {
        return None;
    }
    if let Some(c) = ISO.captures(t) {
        let d =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        return Some(ParsedDate::Sure(d));
    }
    if let Some(c) = NUMERIC.captures(t) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[3].parse().ok()?;
        let y = year(&c[4], pivot)?;
        let mdy = NaiveDate::from_ymd_opt(y, a, b);
        let dmy = NaiveDate::from_ymd_opt(y, b, a);
        return match order {
            Some(DateOrder::Dmy) => dmy.or(mdy).map(ParsedDate::Sure),
            Some(DateOrder::Mdy) => mdy.or(dmy).map(ParsedDate::Sure),
            None => match (mdy, dmy) {
                (Some(m), Some(d)) if m != d => Some(ParsedDate::Ambiguous(m)),
                (Some(m), _) => Some(ParsedDate::Sure(m)),
                (None, Some(d)) => Some(ParsedDate::Sure(d)),
                (None, None) => None,
            },
        };
    }
    if t.len() >= 9 && t.len() <= 11 && t.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = t.parse().ok()?;
        return DateTime::from_timestamp(secs, 0).map(|d| ParsedDate::Sure(d.date_naive()));
    }
    textual(t, pivot).map(ParsedDate::Sure)
}

/// `12 Oct 1996 21:14:03 -0500`, `Sat, 12 Oct 1996`, `October 12, 1996`, `12th March 2004`.
fn textual(t: &str, pivot: u8) -> Option<NaiveDate> {
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    let mi = words.iter().position(|w| month_of(w).is_some())?;
    let month = month_of(words[mi])?;
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let is_year = |w: &str| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    let (day, y) = if mi > 0 && number(words[mi - 1]).is_some() {
        let y = words.get(mi + 1).filter(|w| is_year(w) || w.len() == 2)?;
        (number(words[mi - 1])?, year(y, pivot)?)
    } else {
        let d = number(words.get(mi + 1)?)?;
        let y = words
            .get(mi + 2)
            .filter(|w| is_year(w) || (w.len() == 2 && w.bytes().all(|b| b.is_ascii_digit())))?;
        (d, year(y, pivot)?)
    };
    NaiveDate::from_ymd_opt(y, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_moves_the_century_of_two_digit_years() {
        let default = crate::profile::Profile::default();
        assert_eq!(
            parse_date_for("3/4/05", &default).map(ParsedDate::date),
            Some(d(2005, 3, 4))
        );
        let usenet = crate::profile::Profile {
            century_pivot: Some(0),
            ..crate::profile::Profile::default()
        };
        assert_eq!(
            parse_date_for("3/4/05", &usenet).map(ParsedDate::date),
            Some(d(1905, 3, 4))
        );
        assert_eq!(
            parse_date_for("October 26, 94", &usenet).map(ParsedDate::date),
            Some(d(1994, 10, 26))
        );
        assert_eq!(
            parse_date("3/4/05", None).map(ParsedDate::date),
            Some(d(2005, 3, 4))
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_usual_forms() {
        assert_eq!(
            parse_date("2004-03-14", None),
            Some(ParsedDate::Sure(d(2004, 3, 14)))
        );
        assert_eq!(
            parse_date("2008-09-20 18:45:00", None),
            Some(ParsedDate::Sure(d(2008, 9, 20)))
        );
        assert_eq!(
            parse_date("03/14/2004", None),
            Some(ParsedDate::Sure(d(2004, 3, 14)))
        );
        assert_eq!(
            parse_date("14/03/2004", None),
            Some(ParsedDate::Sure(d(2004, 3, 14)))
        );
        assert_eq!(
            parse_date("03/04/2004", None),
            Some(ParsedDate::Ambiguous(d(2004, 3, 4)))
        );
        assert_eq!(
            parse_date("03/04/2004", Some(DateOrder::Dmy)),
            Some(ParsedDate::Sure(d(2004, 4, 3)))
        );
        assert_eq!(
            parse_date("12 Oct 1996 21:14:03 -0500", None),
            Some(ParsedDate::Sure(d(1996, 10, 12)))
        );
        assert_eq!(
            parse_date("Sun, 13 Oct 1996 20:02:51 -0500", None),
            Some(ParsedDate::Sure(d(1996, 10, 13)))
        );
        assert_eq!(
            parse_date("October 12, 1996", None),
            Some(ParsedDate::Sure(d(1996, 10, 12)))
        );
        assert_eq!(
            parse_date("10/26/94", None),
            Some(ParsedDate::Sure(d(1994, 10, 26)))
        );
        assert_eq!(
            parse_date("26 Oct 1994", None),
            Some(ParsedDate::Sure(d(1994, 10, 26)))
        );
        assert_eq!(
            parse_date("26-Oct-94", None),
            Some(ParsedDate::Sure(d(1994, 10, 26)))
        );
        assert_eq!(
            parse_date("Oct. 26th, 94", None),
            Some(ParsedDate::Sure(d(1994, 10, 26)))
        );
        assert_eq!(parse_date("0000-00-00 00:00:00", None), None);
        assert_eq!(parse_date("soon", None), None);
        assert_eq!(
            parse_date("1079298600", None),
            Some(ParsedDate::Sure(d(2004, 3, 14)))
        );
    }
}
