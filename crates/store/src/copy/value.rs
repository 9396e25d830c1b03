//! One backend-neutral value, read by the column's declared kind, and the canonical encoding
//! the per-table checksums hash (the same bytes whichever backend a row was read from).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sha2::{Digest, Sha256};

/// How a column's values are stored: PostgreSQL's types, which SQLite keeps as integers
/// (`Bool`) or text (`Date`, `Timestamp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Date,
    Timestamp,
}

/// A value of a row being copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
    Date(NaiveDate),
    /// Whole microseconds, PostgreSQL's precision: what SQLite keeps beyond it would not
    /// survive a round trip through PostgreSQL.
    Timestamp(DateTime<Utc>),
}

/// One row, its values in the table's column order.
pub type Row = Vec<Value>;

impl Value {
    /// A timestamp cut to whole microseconds the way sqlx writes it to PostgreSQL (counted
    /// from 2000-01-01), so that a value read back from PostgreSQL equals the one written.
    pub fn timestamp(t: DateTime<Utc>) -> Value {
        let epoch = DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default();
        let cut = (t - epoch)
            .num_microseconds()
            .map_or(t, |us| epoch + TimeDelta::microseconds(us));
        Value::Timestamp(cut)
    }

    /// Appends the canonical encoding: a tag byte, then a fixed-size or length-prefixed body.
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.push(0),
            Value::Int(i) => {
                out.push(1);
                out.extend_from_slice(&i.to_be_bytes());
            }
            Value::Text(s) => {
                out.push(2);
                out.extend_from_slice(&(s.len() as u64).to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Value::Bool(b) => out.extend_from_slice(&[3, u8::from(*b)]),
            Value::Date(d) => {
                out.push(4);
                out.extend_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
            }
            Value::Timestamp(t) => {
                out.push(5);
                out.extend_from_slice(&t.timestamp_micros().to_be_bytes());
            }
        }
    }
}

/// A table's row count and SHA-256 over its rows' canonical encoding, in key order.
#[derive(Default)]
pub struct Checksum {
    rows: u64,
    hash: Sha256,
    buffer: Vec<u8>,
}

impl Checksum {
    /// Adds the next row (in key order).
    pub fn add(&mut self, row: &[Value]) {
        self.buffer.clear();
        self.buffer
            .extend_from_slice(&(row.len() as u32).to_be_bytes());
        for value in row {
            value.encode(&mut self.buffer);
        }
        self.hash.update(&self.buffer);
        self.rows += 1;
    }

    /// The row count and the hex digest.
    pub fn finish(self) -> (u64, String) {
        let digest = self.hash.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        (self.rows, hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_whole_microseconds() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 123_456_789).unwrap();
        let Value::Timestamp(cut) = Value::timestamp(t) else {
            panic!("a timestamp")
        };
        assert_eq!(cut.timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn a_value_moved_between_columns_changes_the_checksum() {
        let mut a = Checksum::default();
        a.add(&[Value::Text("ab".into()), Value::Text(String::new())]);
        let mut b = Checksum::default();
        b.add(&[Value::Text("a".into()), Value::Text("b".into())]);
        assert_ne!(a.finish().1, b.finish().1);
    }
}
