//! Captured pages: what a mirror folder (`wget --mirror`, HTTrack) or a WARC file holds, each
//! page with the URL it was fetched from, when, and with what HTTP status.

use super::url::PageUrl;
use super::warc_spot::WarcSpot;
use crate::walk::MAX_STORY_BYTES;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// One captured page.
#[derive(Debug, Clone)]
pub struct Capture {
    pub url: PageUrl,
    /// When it was fetched: WARC-Date, HTTrack's comment, else the file's modification time.
    pub captured: Option<DateTime<Utc>>,
    /// The HTTP status (200 for a page saved in a mirror folder).
    pub status: u16,
    /// The page's bytes: while the crawl is first read, and once read again
    /// ([`Capture::load`]) to build a work; empty in the index of the crawl, and for an error
    /// capture.
    pub body: Vec<u8>,
    /// Where it was read: the file's path under the import root, or `file.warc.gz`.
    pub origin: String,
    /// The WARC-Record-ID, for a page read from a WARC file.
    pub record_id: Option<String>,
    /// Where the page's bytes can be read again.
    pub spot: Spot,
}

/// Where a captured page's bytes lie.
#[derive(Debug, Clone)]
pub enum Spot {
    /// A file of a mirror folder.
    File(PathBuf),
    /// A record of a WARC file.
    Warc(WarcSpot),
}

impl Capture {
    /// This capture with its page's bytes, read again from its file or WARC record.
    pub fn load(&self) -> Result<Capture, String> {
        let body = match &self.spot {
            Spot::File(path) => std::fs::read(path).map_err(|e| e.to_string())?,
            Spot::Warc(spot) => {
                super::warc_file::page_body(&spot.read().map_err(|e| e.to_string())?)?
            }
        };
        Ok(Capture {
            body,
            ..self.clone()
        })
    }
}

/// Extensions of files a mirror keeps that are never story pages.
const NOT_PAGES: &[&str] = &[
    "css", "js", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "bmp", "swf", "woff", "woff2",
    "ttf", "eot", "pdf", "zip", "mp3", "mp4", "txt", "xml", "json", "rss", "tmp", "lock",
];

/// Reads the pages of a mirror folder, handing each to `keep`, and returns how many files it
/// read. `root` is the folder given to `import`: it holds host folders (`example.org/…`, as
/// `wget --mirror` writes them), an HTTrack project (`hts-cache/` beside the host folders), or
/// is itself a host folder.
pub fn read_folder(root: &Path, problems: &mut Vec<String>, mut keep: impl FnMut(Capture)) -> u64 {
    let mut files = Vec::new();
    collect(root, 0, &mut files);
    files.sort();
    let root_is_host = root
        .file_name()
        .is_some_and(|n| super::looks_like_host(&n.to_string_lossy()));
    let mut read = 0;
    for path in files {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let ext = rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if NOT_PAGES.contains(&ext.as_str()) && !rel.contains('?') {
            continue;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{rel}: cannot read the file ({e})"));
                continue;
            }
        };
        if meta.len() > MAX_STORY_BYTES {
            problems.push(format!(
                "{rel}: over {} MiB, not read",
                MAX_STORY_BYTES >> 20
            ));
            continue;
        }
        read += 1;
        let body = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{rel}: cannot read the file ({e})"));
                continue;
            }
        };
        if !looks_like_html(&body) {
            continue;
        }
        let (url, when) = match httrack_origin(&body) {
            Some((url, when)) => (Some(url), when),
            None => {
                let shown = if root_is_host {
                    let host = root
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    format!("{host}/{rel}")
                } else {
                    rel.clone()
                };
                (PageUrl::from_mirror_path(&shown), None)
            }
        };
        let Some(url) = url else {
            // A page beside the host folders (HTTrack's own index): not the site's.
            continue;
        };
        let captured = when.or_else(|| meta.modified().ok().map(DateTime::<Utc>::from));
        keep(Capture {
            url,
            captured,
            status: 200,
            body,
            origin: rel,
            record_id: None,
            spot: Spot::File(path),
        });
    }
    read
}

fn collect(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    if depth > 32 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "hts-cache" {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&entry.path(), depth + 1, out),
            Ok(t) if t.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}

/// True when the bytes start like an HTML document.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<')
        && (head.contains("<html")
            || head.contains("<body")
            || head.contains("<!doctype")
            || head.contains("<head")
            || head.contains("<p")
            || head.contains("<div"))
}

/// HTTrack's `<!-- Mirrored from host/path by HTTrack Website Copier/3.x […], date -->`.
fn httrack_origin(body: &[u8]) -> Option<(PageUrl, Option<DateTime<Utc>>)> {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let at = head.find("<!-- Mirrored from ")? + "<!-- Mirrored from ".len();
    let rest = &head[at..];
    let end = rest.find("-->")?;
    let comment = &rest[..end];
    let (url, tail) = comment.split_once(" by HTTrack")?;
    let when = tail
        .split_once("], ")
        .and_then(|(_, d)| DateTime::parse_from_rfc2822(d.trim()).ok())
        .map(|d| d.with_timezone(&Utc));
    Some((PageUrl::parse(url)?, when))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_httrack_comments() {
        let page = b"<html><!-- Mirrored from example.org/viewstory.php?sid=2&amp;chapter=3 by HTTrack Website Copier/3.x [XR&CO'2014], Sun, 29 Nov 2026 20:00:00 GMT --><body>x</body></html>";
        let (url, when) = httrack_origin(page).unwrap();
        assert_eq!(url.param("chapter"), Some("3"));
        assert_eq!(when.unwrap().to_rfc3339(), "2026-11-29T20:00:00+00:00");
    }
}
