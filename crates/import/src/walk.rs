//! Walking what `quire import` is given: files and folders (recursively), one entry per work
//! or per failed file. A folder holding an eFiction dump is imported as one archive.

use crate::detect::{Detected, detect};
use crate::efiction;
use crate::error::{ErrorReason, ImportError};
use crate::html_page::declared_charset;
use crate::profile::Profile;
use crate::work::{ParsedWork, content_hash};
use crate::{ao3, html_page, mbox, plaintext};
use std::path::{Path, PathBuf};

/// One entry of an import: a work, or a file that failed as a whole.
pub type Entry = Result<ParsedWork, ImportError>;

/// Parses a file or a folder (recursively, in name order). Paths in the results are relative
/// to `root` (for a single file, its file name).
pub fn parse_path(root: &Path, profile: &Profile) -> Vec<Entry> {
    let mut out = Vec::new();
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => walk_dir(root, root, profile, &mut out, 0),
        Ok(_) => {
            let rel = root.file_name().map_or_else(
                || root.to_string_lossy().into_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            out.extend(parse_file(root, &rel, profile).0);
        }
        Err(e) => out.push(Err(ImportError::new(
            root.to_string_lossy(),
            ErrorReason::Io(e.to_string()),
        ))),
    }
    out
}

fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn walk_dir(root: &Path, dir: &Path, profile: &Profile, out: &mut Vec<Entry>, depth: usize) {
    if depth > 64 {
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            out.push(Err(ImportError::new(
                rel_of(root, dir),
                ErrorReason::Io(e.to_string()),
            )));
            return;
        }
    };
    entries.sort();
    entries.retain(|p| {
        !p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    let mut skip: Vec<PathBuf> = Vec::new();
    let mut subdirs = Vec::new();
    for path in entries {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            subdirs.push(path);
        } else if meta.is_file() {
            let (entries, stories) = parse_file(&path, &rel_of(root, &path), profile);
            out.extend(entries);
            skip.extend(stories);
        }
    }
    for sub in subdirs {
        if !skip.contains(&sub) {
            walk_dir(root, &sub, profile, out, depth + 1);
        }
    }
}

/// Parses one file from disk. Also returns the stories folder an eFiction dump used.
pub fn parse_file(path: &Path, rel: &str, profile: &Profile) -> (Vec<Entry>, Option<PathBuf>) {
    match std::fs::read(path) {
        Ok(bytes) => parse_bytes(&bytes, rel, path.parent(), profile),
        Err(e) => (
            vec![Err(ImportError::new(rel, ErrorReason::Io(e.to_string())))],
            None,
        ),
    }
}

/// Parses a file's bytes, detecting its layout by content. `dir` is the folder the file is in
/// (where an eFiction dump's chapter files are looked for).
pub fn parse_bytes(
    bytes: &[u8],
    rel: &str,
    dir: Option<&Path>,
    profile: &Profile,
) -> (Vec<Entry>, Option<PathBuf>) {
    let fail = |reason| (vec![Err(ImportError::new(rel, reason))], None);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(ErrorReason::Empty);
    }
    if crate::zip_archive::is_zip(bytes) {
        return (crate::zip_archive::parse_zip(bytes, rel, profile), None);
    }
    let looks_html = {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        head.trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
    };
    let label = if looks_html {
        declared_charset(bytes)
    } else {
        None
    };
    let decoded = match quire_text::decode_with_label(bytes, label.as_deref()) {
        Ok(d) => d,
        Err(e) => return fail(e.into()),
    };
    if decoded.text.trim().is_empty() {
        return fail(ErrorReason::Empty);
    }
    let text = decoded.text.as_str();
    let enc = decoded.encoding;
    let hash = || content_hash(&[bytes]);
    let one = |r: Result<ParsedWork, ErrorReason>| -> Vec<Entry> {
        vec![r.map_err(|e| ImportError::new(rel, e))]
    };
    let mut entries = match detect(text) {
        Detected::SqlDump => {
            let import = efiction::parse_dump_bytes(bytes, rel, dir, profile);
            return (import.works, import.stories_dir);
        }
        Detected::Ao3Html => one(ao3::parse(text, rel, enc, hash(), profile)),
        Detected::FanFicFareHtml if crate::fanficfare::looks_like_html(text) => one(
            crate::fanficfare::parse_html(text, rel, enc, hash(), profile),
        ),
        Detected::FanFicFareHtml => one(html_page::parse(text, rel, enc, hash(), profile, true)),
        Detected::HtmlPage => one(html_page::parse(text, rel, enc, hash(), profile, false)),
        Detected::Mbox => mbox::parse(text, rel, enc, profile)
            .into_iter()
            .map(|r| r.map_err(|e| ImportError::new(rel, e)))
            .collect(),
        Detected::FanFicFareText => one(plaintext::parse(text, rel, enc, hash(), profile, true)),
        Detected::PlainText => one(plaintext::parse(text, rel, enc, hash(), profile, false)),
    };
    for w in entries.iter_mut().flatten() {
        w.report_notes.extend(decoded.notes.iter().cloned());
        if let Some(a) = &profile.archive {
            w.archive = Some(a.clone());
        }
    }
    (entries, None)
}
