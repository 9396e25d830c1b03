//! The chapters' texts of a dump read statement by statement, moved out of memory: a dump of
//! gigabytes is nearly all `storytext`, and a story's chapters come long before its `stories`
//! row (mysqldump writes tables in name order), so they wait in an unnamed temporary file
//! (deleted when the import ends, or when the process dies) until their story is built.

use super::names_for;
use super::sql::{Dump, Value};
use std::cell::RefCell;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

/// Texts shorter than this stay in memory.
const SPILL_FROM: usize = 256;

pub struct Spill {
    writer: RefCell<BufWriter<std::fs::File>>,
    /// Bytes written so far: the next text's offset.
    len: u64,
    /// Rows of the chapters table already looked at.
    seen: usize,
}

impl Spill {
    pub fn new() -> std::io::Result<Self> {
        Ok(Spill {
            writer: RefCell::new(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?)),
            len: 0,
            seen: 0,
        })
    }

    /// Moves the `storytext` of the chapter rows read since the last call into the file.
    pub fn take_texts(&mut self, dump: &mut Dump) -> std::io::Result<()> {
        let Some(table) = dump.tables.get_mut("chapters") else {
            return Ok(());
        };
        let table_columns = table.columns.clone();
        let writer = self.writer.get_mut();
        for row in table.rows.iter_mut().skip(self.seen) {
            let columns = row
                .columns
                .clone()
                .or_else(|| table_columns.clone())
                .unwrap_or_else(|| names_for("chapters", row.values.len()));
            let Some(at) = columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case("storytext"))
            else {
                continue;
            };
            let Some(value) = row.values.get_mut(at) else {
                continue;
            };
            if let Value::Text(text) = value
                && text.len() >= SPILL_FROM
            {
                writer.write_all(text.as_bytes())?;
                let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
                *value = Value::Spilled {
                    offset: self.len,
                    len,
                };
                self.len += len;
            }
        }
        self.seen = table.rows.len();
        Ok(())
    }

    /// A text moved out by [`Spill::take_texts`].
    pub fn read(&self, offset: u64, len: u64) -> std::io::Result<String> {
        let mut writer = self.writer.borrow_mut();
        writer.flush()?;
        let file = writer.get_mut();
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(len).read_to_end(&mut bytes)?;
        file.seek(SeekFrom::End(0))?;
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}
