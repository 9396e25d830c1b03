//! Zip files: unpacked (within limits) into a private temporary folder and walked like a
//! folder; each entry's source id is `<zip path>!<entry path>`.

use crate::error::{ErrorReason, ImportError};
use crate::profile::Profile;
use crate::walk::{Entry, parse_path};
use std::io::{Cursor, Read};

/// At most this many entries in one zip.
pub const MAX_ENTRIES: usize = 20_000;
/// At most this many bytes unpacked from one zip, all entries together.
pub const MAX_TOTAL_BYTES: u64 = 1 << 30;
/// At most this many bytes unpacked from one entry.
pub const MAX_ENTRY_BYTES: u64 = 128 << 20;

/// True when the bytes start like a zip file.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Imports every work in a zip. A zip that cannot be read, or that is over the limits, fails
/// as a whole.
pub fn parse_zip(bytes: &[u8], rel: &str, profile: &Profile) -> Vec<Entry> {
    match unpack_and_parse(bytes, rel, profile) {
        Ok(entries) => entries,
        Err(reason) => vec![Err(ImportError::new(rel, reason))],
    }
}

fn unpack_and_parse(bytes: &[u8], rel: &str, profile: &Profile) -> Result<Vec<Entry>, ErrorReason> {
    let bad = |e: &dyn std::fmt::Display| ErrorReason::BadArchive(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ErrorReason::BadArchive(format!(
            "{} entries, more than the limit of {MAX_ENTRIES}",
            archive.len()
        )));
    }
    let dir = tempfile::TempDir::new().map_err(|e| ErrorReason::Io(e.to_string()))?;
    let mut total: u64 = 0;
    let mut refused = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| bad(&e))?;
        if file.is_dir() {
            continue;
        }
        let Some(name) = file.enclosed_name() else {
            refused.push((
                file.name().to_owned(),
                "unsafe path inside the zip".to_owned(),
            ));
            continue;
        };
        if name.starts_with("__MACOSX") {
            continue;
        }
        let mut data = Vec::new();
        let limit = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - total);
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(&e))?;
        let len = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if len > limit {
            return Err(ErrorReason::BadArchive(format!(
                "unpacks to more than the limit ({} MiB per entry, {} MiB in all)",
                MAX_ENTRY_BYTES >> 20,
                MAX_TOTAL_BYTES >> 20
            )));
        }
        total += len;
        if is_zip(&data) && !crate::epub::is_epub(&data) {
            refused.push((
                name.to_string_lossy().into_owned(),
                "a zip inside a zip is not imported".to_owned(),
            ));
            continue;
        }
        let target = dir.path().join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ErrorReason::Io(e.to_string()))?;
        }
        std::fs::write(&target, &data).map_err(|e| ErrorReason::Io(e.to_string()))?;
    }
    let mut entries = parse_path(dir.path(), profile);
    for entry in &mut entries {
        match entry {
            Ok(w) => {
                w.source_id = format!("{rel}!{}", w.source_id);
                w.path = format!("{rel}!{}", w.path);
            }
            Err(e) => e.path = format!("{rel}!{}", e.path),
        }
    }
    for (name, why) in refused {
        entries.push(Err(ImportError::new(
            format!("{rel}!{name}"),
            ErrorReason::Unsupported(why),
        )));
    }
    if entries.is_empty() {
        return Err(ErrorReason::Empty);
    }
    Ok(entries)
}
