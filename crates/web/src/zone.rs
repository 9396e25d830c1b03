//! A reader's time zone (their preference) for times they type and read: `UTC`, a fixed
//! offset (`UTC+05:30`, `+02:00`, `Etc/GMT-2`), or an IANA name (`Europe/Paris`) read from
//! the system's time zone database (`/usr/share/zoneinfo`, TZif). A name the server cannot
//! resolve falls back to UTC, and says so, so that nobody's chapter posts at a silently
//! wrong hour.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Where the system keeps its time zone files.
const ZONEINFO: &str = "/usr/share/zoneinfo";

/// A time zone resolved for converting times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Zone {
    /// The preference's name, or `UTC` when it could not be resolved.
    pub name: String,
    /// True when the preference named a zone this server does not know (UTC is used).
    pub unknown: bool,
    rule: Rule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Fixed(i32),
    /// Transitions (UTC seconds) and the offset from each on; `initial` before the first.
    Table {
        initial: i32,
        changes: Vec<(i64, i32)>,
    },
}

impl Zone {
    pub(crate) fn utc() -> Zone {
        Zone {
            name: "UTC".to_owned(),
            unknown: false,
            rule: Rule::Fixed(0),
        }
    }

    /// The zone a preference names.
    pub(crate) fn named(name: &str) -> Zone {
        let name = name.trim();
        if let Some(seconds) = fixed_offset(name) {
            return Zone {
                name: name.to_owned(),
                unknown: false,
                rule: Rule::Fixed(seconds),
            };
        }
        match read_tzif(name) {
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

    /// The offset from UTC at the instant `utc` (Unix seconds).
    fn offset_at(&self, utc: i64) -> i32 {
        match &self.rule {
            Rule::Fixed(s) => *s,
            Rule::Table { initial, changes } => {
                match changes.partition_point(|(at, _)| *at <= utc) {
                    0 => *initial,
                    n => changes[n - 1].1,
                }
            }
        }
    }

    /// The instant a wall-clock time in this zone names. In a gap (clocks moved forward)
    /// the time is read with the offset before the change; in an overlap, the earlier.
    pub(crate) fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let naive = local.and_utc().timestamp();
        // The offset in force an hour either side covers every real zone's changes.
        let mut candidates: Vec<i64> = [-2 * 3_600, 0, 2 * 3_600]
            .iter()
            .map(|d| naive - i64::from(self.offset_at(naive + d)))
            .filter(|utc| utc + i64::from(self.offset_at(*utc)) == naive)
            .collect();
        candidates.sort_unstable();
        let utc = match candidates.first() {
            Some(utc) => *utc,
            None => naive - i64::from(self.offset_at(naive - 2 * 3_600)),
        };
        DateTime::from_timestamp(utc, 0)
    }

    /// The wall-clock time in this zone at an instant.
    pub(crate) fn local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        let offset = chrono::TimeDelta::seconds(i64::from(self.offset_at(utc.timestamp())));
        let naive = utc.naive_utc();
        naive.checked_add_signed(offset).unwrap_or(naive)
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
/// the offset in seconds east of UTC.
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

/// The zone's transitions from its TZif file (the 64-bit block of version 2 and later, or
/// the 32-bit one of version 1). After the last transition the last offset holds.
fn read_tzif(name: &str) -> Option<Rule> {
    let plausible = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    if !plausible {
        return None;
    }
    let bytes = std::fs::read(std::path::Path::new(ZONEINFO).join(name)).ok()?;
    parse_tzif(&bytes)
}

/// One TZif block's counts.
struct Counts {
    isut: usize,
    isstd: usize,
    leap: usize,
    time: usize,
    types: usize,
    chars: usize,
}

fn counts(header: &[u8]) -> Option<Counts> {
    if header.get(..4)? != b"TZif" {
        return None;
    }
    let n = |i: usize| -> Option<usize> {
        let b: [u8; 4] = header.get(20 + 4 * i..24 + 4 * i)?.try_into().ok()?;
        usize::try_from(u32::from_be_bytes(b)).ok()
    };
    Some(Counts {
        isut: n(0)?,
        isstd: n(1)?,
        leap: n(2)?,
        time: n(3)?,
        types: n(4)?,
        chars: n(5)?,
    })
}

fn parse_tzif(bytes: &[u8]) -> Option<Rule> {
    let first = counts(bytes)?;
    let version = *bytes.get(4)?;
    let (block, c, time_size) = if version >= b'2' {
        let v1_len = first.time * 5
            + first.types * 6
            + first.chars
            + first.leap * 8
            + first.isstd
            + first.isut;
        let second = bytes.get(44 + v1_len..)?;
        (second.get(44..)?, counts(second)?, 8)
    } else {
        (bytes.get(44..)?, first, 4)
    };
    if c.types == 0 {
        return None;
    }
    let times = block.get(..c.time * time_size)?;
    let indices = block.get(c.time * time_size..c.time * (time_size + 1))?;
    let infos = block.get(c.time * (time_size + 1)..c.time * (time_size + 1) + c.types * 6)?;
    let offset_of = |i: usize| -> Option<i32> {
        let b: [u8; 4] = infos.get(i * 6..i * 6 + 4)?.try_into().ok()?;
        Some(i32::from_be_bytes(b))
    };
    let mut changes = Vec::with_capacity(c.time);
    for i in 0..c.time {
        let at = if time_size == 8 {
            i64::from_be_bytes(times.get(i * 8..i * 8 + 8)?.try_into().ok()?)
        } else {
            i64::from(i32::from_be_bytes(
                times.get(i * 4..i * 4 + 4)?.try_into().ok()?,
            ))
        };
        changes.push((at, offset_of(usize::from(*indices.get(i)?))?));
    }
    Some(Rule::Table {
        initial: offset_of(0)?,
        changes,
    })
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
        let utc = zone.to_utc(at(2026, 12, 1, 9, 0)).unwrap();
        assert_eq!(utc.naive_utc(), at(2026, 12, 1, 7, 0));
        assert_eq!(zone.local(utc), at(2026, 12, 1, 9, 0));
    }

    #[test]
    fn an_unknown_zone_is_utc_and_says_so() {
        let zone = Zone::named("Nowhere/Atlantis");
        assert!(zone.unknown);
        assert_eq!(zone.name, "UTC");
        assert!(Zone::named("../../etc/passwd").unknown);
    }

    #[test]
    fn iana_zones_follow_summer_time_where_the_system_has_them() {
        let zone = Zone::named("Europe/Paris");
        if zone.unknown {
            eprintln!("no /usr/share/zoneinfo/Europe/Paris here: skipped");
            return;
        }
        let winter = zone.to_utc(at(2026, 12, 1, 9, 0)).unwrap();
        assert_eq!(winter.naive_utc(), at(2026, 12, 1, 8, 0));
        let summer = zone.to_utc(at(2026, 7, 1, 9, 0)).unwrap();
        assert_eq!(summer.naive_utc(), at(2026, 7, 1, 7, 0));
        assert_eq!(
            zone.show(summer.timestamp()),
            "2026-07-01 09:00 (Europe/Paris)"
        );
        // 02:30 on the last Sunday of March does not exist in Paris; it is read as 03:30.
        let gap = zone.to_utc(at(2026, 3, 29, 2, 30)).unwrap();
        assert_eq!(gap.naive_utc(), at(2026, 3, 29, 1, 30));
    }
}
