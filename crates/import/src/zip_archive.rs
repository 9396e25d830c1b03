//! Zip files: unpacked entry by entry (each streamed to disk, never held whole) into a private
//! temporary folder, which is then walked like a folder; each entry's source id is
//! `<zip path>!<entry path>`.

use crate::error::{ErrorReason, ImportError};
use crate::profile::Profile;
use crate::walk::{Entry, MAX_STORY_BYTES, parse_path};
use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;

/// At most this many entries in one zip.
pub const MAX_ENTRIES: usize = 1_000_000;
/// However large the zip, it may unpack to this many bytes (a zip bomb's guard is below).
pub const MIN_UNPACKED_LIMIT: u64 = 1 << 30;
/// A zip may unpack to this many times its own size (text compresses about 3 to 10 times;
/// a zip bomb a thousand times and more).
pub const MAX_RATIO: u64 = 100;

/// True when the bytes start like a zip file.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// True when a zip file on disk is an EPUB (read as a book, not unpacked).
pub fn is_epub_file(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    if crate::epub::is_epub(&head[..n]) {
        return true;
    }
    is_zip(&head[..n])
        && std::fs::File::open(path)
            .ok()
            .and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).ok())
            .is_some_and(|z| {
                z.file_names()
                    .any(|n| n.eq_ignore_ascii_case("META-INF/container.xml"))
            })
}

/// A zip unpacked into a temporary folder (deleted when this is dropped).
pub struct Unpacked {
    pub dir: tempfile::TempDir,
    /// Entries not unpacked: (entry path, why).
    pub refused: Vec<(String, String)>,
}

impl Unpacked {
    /// The entries of the refused ones, named `<rel>!<entry>`.
    pub fn refused_entries(&self, rel: &str) -> Vec<Entry> {
        self.refused
            .iter()
            .map(|(name, why)| {
                Err(ImportError::new(
                    format!("{rel}!{name}"),
                    ErrorReason::Unsupported(why.clone()),
                ))
            })
            .collect()
    }
}

/// Names an entry of the zip `rel` by its path inside it.
pub fn prefix_entry(entry: &mut Entry, rel: &str) {
    match entry {
        Ok(w) => {
            w.source_id = format!("{rel}!{}", w.source_id);
            w.path = format!("{rel}!{}", w.path);
        }
        Err(e) => e.path = format!("{rel}!{}", e.path),
    }
}

/// Unpacks a zip file from disk, entry by entry.
pub fn unpack_file(path: &Path) -> Result<Unpacked, ErrorReason> {
    let file = std::fs::File::open(path).map_err(|e| ErrorReason::Io(e.to_string()))?;
    let size = file
        .metadata()
        .map_err(|e| ErrorReason::Io(e.to_string()))?
        .len();
    unpack(std::io::BufReader::new(file), size)
}

/// Imports every work in a zip held in memory. A zip that cannot be read, or that is over
/// the limits, fails as a whole.
pub fn parse_zip(bytes: &[u8], rel: &str, profile: &Profile) -> Vec<Entry> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let unpacked = match unpack(Cursor::new(bytes), size) {
        Ok(u) => u,
        Err(reason) => return vec![Err(ImportError::new(rel, reason))],
    };
    let mut entries = parse_path(unpacked.dir.path(), profile);
    for entry in &mut entries {
        prefix_entry(entry, rel);
    }
    entries.extend(unpacked.refused_entries(rel));
    if entries.is_empty() {
        return vec![Err(ImportError::new(rel, ErrorReason::Empty))];
    }
    entries
}

fn unpack(reader: impl Read + Seek, zip_size: u64) -> Result<Unpacked, ErrorReason> {
    let bad = |e: &dyn std::fmt::Display| ErrorReason::BadArchive(e.to_string());
    let io = |e: std::io::Error| ErrorReason::Io(e.to_string());
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| bad(&e))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ErrorReason::BadArchive(format!(
            "{} entries, more than the limit of {MAX_ENTRIES}",
            archive.len()
        )));
    }
    let limit_all = MIN_UNPACKED_LIMIT.max(zip_size.saturating_mul(MAX_RATIO));
    let dir = tempfile::TempDir::new().map_err(io)?;
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
        let target = dir.path().join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut out = std::io::BufWriter::new(std::fs::File::create(&target).map_err(io)?);
        // An entry may unpack to a story file's limit, or to MAX_RATIO times its packed size
        // (a dump of gigabytes is fine; a zip bomb's entry is a thousand times its size).
        let entry_limit = MAX_STORY_BYTES.max(file.compressed_size().saturating_mul(MAX_RATIO));
        let left = (limit_all - total).min(entry_limit);
        let len = std::io::copy(&mut (&mut file).take(left + 1), &mut out).map_err(|e| bad(&e))?;
        out.flush().map_err(io)?;
        drop(out);
        if len > left {
            let why = if left == entry_limit {
                format!(
                    "{} unpacks to more than {MAX_RATIO} times its packed size, and to more than {} MiB",
                    name.to_string_lossy(),
                    MAX_STORY_BYTES >> 20
                )
            } else {
                format!(
                    "unpacks to more than the limit ({} MiB, or {MAX_RATIO} times the zip's size)",
                    MIN_UNPACKED_LIMIT >> 20
                )
            };
            return Err(ErrorReason::BadArchive(why));
        }
        total += len;
        let mut head = [0u8; 64];
        let n = std::fs::File::open(&target)
            .and_then(|mut f| f.read(&mut head))
            .map_err(io)?;
        if is_zip(&head[..n]) && !is_epub_file(&target) {
            std::fs::remove_file(&target).map_err(io)?;
            refused.push((
                name.to_string_lossy().into_owned(),
                "a zip inside a zip is not imported".to_owned(),
            ));
        }
    }
    Ok(Unpacked { dir, refused })
}
