//! A reader's time zone (their preference) for times they type and read: `UTC`, a fixed
//! offset (`UTC+05:30`, `+02:00`, `Etc/GMT-2`), or an IANA name (`Europe/Paris`) from the
//! time zone database compiled into the binary (chrono-tz), so a server without tzdata
//! knows every zone. A name that is no zone falls back to UTC, and says so, so that
//! nobody's chapter posts at a silently wrong hour.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A time zone resolved for converting times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Zone {
    /// The preference's name, or `UTC` when it could not be resolved.
    pub name: String,
    /// True when the preference named a zone this server does not know (UTC is used).
    pub unknown: bool,
    rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Fixed(FixedOffset),
    Iana(Tz),
}

/// What a wall-clock time in a zone names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Instant {
    /// One instant; in an overlap (clocks moved back), the earlier of the two.
    At(DateTime<Utc>),
    /// The time does not exist there: the clocks jumped over it (spring forward).
    Skipped,
}

impl Zone {
    pub(crate) fn utc() -> Zone {
        Zone {
            name: "UTC".to_owned(),
            unknown: false,
            rule: Rule::Fixed(Utc.fix()),
        }
    }

    /// The zone a preference names.
    pub(crate) fn named(name: &str) -> Zone {
        let name = name.trim();
        let rule = fixed_offset(name)
            .and_then(FixedOffset::east_opt)
            .map(Rule::Fixed)
            .or_else(|| name.parse::<Tz>().ok().map(Rule::Iana));
        match rule {
            Some(rule) => Zone {
                name: name.to_owned(),
                unknown: false,
                rule,
            },
            None => Zone {
                unknown: true,
                ..Zone::utc()
            },
        }
    }

    /// Every IANA zone name this server knows, for the preference's list of choices.
    pub(crate) fn choices() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    /// The instant a wall-clock time in this zone names.
    pub(crate) fn to_utc(&self, local: NaiveDateTime) -> Instant {
        let found = match self.rule {
            Rule::Fixed(offset) => offset.from_local_datetime(&local).map(|t| t.to_utc()),
            Rule::Iana(tz) => tz.from_local_datetime(&local).map(|t| t.to_utc()),
        };
        match found {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Instant::At(at),
            LocalResult::None => Instant::Skipped,
        }
    }

    /// The wall-clock time in this zone at an instant.
    pub(crate) fn local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        match self.rule {
            Rule::Fixed(offset) => utc.with_timezone(&offset).naive_local(),
            Rule::Iana(tz) => utc.with_timezone(&tz).naive_local(),
        }
    }

    /// `2026-12-01 09:00 (Europe/Paris)`: how pages show a time.
    pub(crate) fn show(&self, unix: i64) -> String {
        let Some(utc) = DateTime::from_timestamp(unix, 0) else {
            return String::new();
        };
        format!(
            "{} ({})",
            self.local(utc).format("%Y-%m-%d %H:%M"),
            self.name
        )
    }

    /// `2026-12-01T09:00`: what a `datetime-local` field holds.
    pub(crate) fn field(&self, unix: i64) -> String {
        DateTime::from_timestamp(unix, 0)
            .map(|utc| self.local(utc).format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }
}

/// `UTC`, `GMT`, `UTC+2`, `UTC-03:30`, `+05:30`, `Etc/GMT-2` (POSIX signs: east is minus):
/// the offset in seconds east of UTC. The database has `Etc/GMT-2` too; reading it here
/// keeps the same rule for every spelling of a fixed offset.
fn fixed_offset(name: &str) -> Option<i32> {
    if matches!(
        name,
        "UTC" | "GMT" | "Z" | "Etc/UTC" | "Etc/GMT" | "Etc/Zulu" | "Zulu"
    ) {
        return Some(0);
    }
    if let Some(rest) = name.strip_prefix("Etc/GMT") {
        return signed_hours(rest).map(|s| -s);
    }
    let rest = name
        .strip_prefix("UTC")
        .or_else(|| name.strip_prefix("GMT"))
        .unwrap_or(name);
    signed_hours(rest)
}

/// `+2`, `-03:30`, `+0530`: seconds, for offsets of at most 14 hours.
fn signed_hours(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    if hours.is_empty() || hours.len() > 2 || minutes.len() > 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 3_600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc_of(zone: &Zone, local: NaiveDateTime) -> NaiveDateTime {
        match zone.to_utc(local) {
            Instant::At(at) => at.naive_utc(),
            Instant::Skipped => panic!("{local} skipped in {}", zone.name),
        }
    }

    #[test]
    fn fixed_offsets_read_either_way_round() {
        assert_eq!(fixed_offset("UTC"), Some(0));
        assert_eq!(fixed_offset("UTC+2"), Some(7_200));
        assert_eq!(fixed_offset("UTC-03:30"), Some(-12_600));
        assert_eq!(fixed_offset("+0530"), Some(19_800));
        assert_eq!(
            fixed_offset("Etc/GMT-2"),
            Some(7_200),
            "POSIX: east is minus"
        );
        assert_eq!(fixed_offset("UTC+15"), None);
        assert_eq!(fixed_offset("Europe/Paris"), None);
        let zone = Zone::named("UTC+2");
        assert_eq!(utc_of(&zone, at(2026, 12, 1, 9, 0)), at(2026, 12, 1, 7, 0));
        assert_eq!(
            zone.local(at(2026, 12, 1, 7, 0).and_utc()),
            at(2026, 12, 1, 9, 0)
        );
    }

    #[test]
    fn an_unknown_zone_is_utc_and_says_so() {
        let zone = Zone::named("Nowhere/Atlantis");
        assert!(zone.unknown);
        assert_eq!(zone.name, "UTC");
        assert!(Zone::named("../../etc/passwd").unknown);
        assert!(Zone::named("").unknown);
    }

    #[test]
    fn iana_zones_follow_summer_time_from_the_compiled_in_database() {
        let zone = Zone::named("Europe/Paris");
        assert!(!zone.unknown);
        assert_eq!(utc_of(&zone, at(2026, 12, 1, 9, 0)), at(2026, 12, 1, 8, 0));
        let summer = utc_of(&zone, at(2026, 7, 1, 9, 0));
        assert_eq!(summer, at(2026, 7, 1, 7, 0));
        assert_eq!(
            zone.show(summer.and_utc().timestamp()),
            "2026-07-01 09:00 (Europe/Paris)"
        );
        assert_eq!(zone.field(summer.and_utc().timestamp()), "2026-07-01T09:00");
    }

    #[test]
    fn a_time_the_clocks_jump_over_is_skipped_and_a_repeated_one_is_the_earlier() {
        let zone = Zone::named("America/New_York");
        // 8 March 2026: 02:00 EST becomes 03:00 EDT.
        assert_eq!(zone.to_utc(at(2026, 3, 8, 2, 30)), Instant::Skipped);
        assert_eq!(utc_of(&zone, at(2026, 3, 8, 3, 0)), at(2026, 3, 8, 7, 0));
        // 1 November 2026: 01:30 happens twice, first in EDT (05:30 UTC).
        assert_eq!(
            utc_of(&zone, at(2026, 11, 1, 1, 30)),
            at(2026, 11, 1, 5, 30)
        );
    }

    #[test]
    fn the_choices_are_the_iana_names() {
        let choices: Vec<_> = Zone::choices().collect();
        assert!(choices.contains(&"Europe/Paris"));
        assert!(choices.contains(&"America/Argentina/Buenos_Aires"));
        assert!(choices.iter().all(|name| !Zone::named(name).unknown));
    }
}
