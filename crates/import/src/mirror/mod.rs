//! Web mirrors and crawls of dead archives: `wget --mirror` and HTTrack folders, WARC files
//! (and folders of them). Pages are grouped by the site and URL they were fetched from, the
//! newest good capture of each URL wins, and each site's pages are read by what they are:
//! eFiction (`viewstory.php?sid=N&chapter=M`, printable pages, `viewuser.php?uid=N`, its
//! listings), AO3 work pages, or static story pages (one page per story with a header block).
//! Every work keeps where each chapter was captured from, and when.

mod ao3_site;
mod capture;
mod efiction_site;
mod index;
mod site;
mod static_links;
mod static_site;
mod url;
mod warc_file;
mod warc_spot;

pub use capture::Capture;
pub use url::PageUrl;

use crate::Entry;
use crate::error::{ErrorReason, ImportError};
use crate::profile::Profile;
use serde::Serialize;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// What the dry run (and the report) tells about one crawled site.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SiteSummary {
    /// The host, with its port when not 80.
    pub site: String,
    /// `efiction`, `ao3` or `static`.
    pub layout: String,
    /// Distinct URLs captured (good or not).
    pub pages: u64,
    pub stories: u64,
    pub chapters: u64,
    /// Authors found, in name order.
    pub authors: Vec<String>,
    /// Pages that are neither a story, an author page nor a known part of the site.
    pub not_understood: Vec<String>,
    /// `chapter 3 of 5 never crawled: URL`.
    pub missing_chapters: Vec<String>,
    /// Stories whose every capture is an error page (`URL: 404`).
    pub error_only: Vec<String>,
}

/// What a mirror gives: its works (or failures), and a summary per site.
#[derive(Debug, Default)]
pub struct MirrorImport {
    pub entries: Vec<Entry>,
    pub sites: Vec<SiteSummary>,
    /// Files read (pages of a folder, or WARC files).
    pub files: u64,
}

/// How a path given to `import` is read as a mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MirrorInput {
    /// A `wget --mirror` or HTTrack folder.
    Folder,
    /// WARC files: the file given, or every file of a folder holding only WARC files.
    Warc(Vec<PathBuf>),
}

/// A host name as mirror tools name their folders: `example.org`, `www.example.org:8080`,
/// `127.0.0.1+8080`, `localhost`.
pub fn looks_like_host(name: &str) -> bool {
    let host = name.split([':', '+']).next().unwrap_or_default();
    let port_ok = name[host.len()..]
        .get(1..)
        .is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let labels: Vec<&str> = host.split('.').collect();
    port_ok
        && (host == "localhost"
            || (labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
                && labels.last().is_some_and(|l| {
                    l.chars().any(|c| c.is_ascii_alphabetic()) || labels.len() == 4
                })))
}

/// Whether `path` is a mirror or a crawl, and how to read it. Folders are recognised by
/// HTTrack's `hts-cache/`, or by host-named folders holding the pages `wget` saves
/// (`index.html`, `viewstory.php?sid=1`, `…%3F…`, `….php.html`).
pub fn input_kind(path: &Path) -> Option<MirrorInput> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return warc_file::is_warc(path).then(|| MirrorInput::Warc(vec![path.to_owned()]));
    }
    if path.join("hts-cache").is_dir() {
        return Some(MirrorInput::Folder);
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(path).ok()?.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => dirs.push((name, entry.path())),
            Ok(t) if t.is_file() => files.push((name, entry.path())),
            _ => {}
        }
    }
    files.sort();
    let warcs: Vec<PathBuf> = files
        .iter()
        .filter(|(_, p)| warc_file::is_warc(p))
        .map(|(_, p)| p.clone())
        .collect();
    let others = files
        .iter()
        .filter(|(n, p)| !warcs.contains(p) && !n.ends_with(".cdx") && !n.ends_with(".log"))
        .count();
    if !warcs.is_empty() && others == 0 && dirs.is_empty() {
        return Some(MirrorInput::Warc(warcs));
    }
    let own = path
        .file_name()
        .is_some_and(|n| looks_like_host(&n.to_string_lossy()));
    if own && holds_mirror_pages(path) {
        return Some(MirrorInput::Folder);
    }
    dirs.iter()
        .any(|(name, dir)| looks_like_host(name) && holds_mirror_pages(dir))
        .then_some(MirrorInput::Folder)
}

/// A host folder with a saved front page, or names only a crawler gives files.
fn holds_mirror_pages(dir: &Path) -> bool {
    if dir.join("index.html").is_file() {
        return true;
    }
    let mut seen = 0;
    let mut stack = vec![(dir.to_owned(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in rd.filter_map(Result::ok) {
            seen += 1;
            if seen > 5000 {
                return false;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                if depth < 4 {
                    stack.push((entry.path(), depth + 1));
                }
            } else if name.contains(".php?")
                || name.contains("%3F")
                || name.contains(".php@")
                || name.ends_with(".php.html")
                || name.ends_with(".php")
            {
                return true;
            }
        }
    }
    false
}

/// Reads a mirror or crawl and builds its works. Never panics on bad input: unreadable
/// files and records become failed entries (nothing of them is stored).
pub fn parse(root: &Path, input: &MirrorInput, profile: &Profile) -> MirrorImport {
    let mut entries = Vec::new();
    let mut files = 0;
    let sites = parse_each(root, input, profile, &mut |more, read| {
        entries.extend(more);
        files += read;
        ControlFlow::Continue(())
    });
    MirrorImport {
        entries,
        sites,
        files,
    }
}

/// Like [`parse`], handing the works to `sink` a few at a time as they are built (with the
/// number of files read, once, at the end) and returning the summary of each site. Memory is
/// bounded by the crawl's index, not its pages: a first pass reads every capture and keeps,
/// per URL, its newest good capture's URL, date, status and where its bytes lie (a file, or a
/// WARC record's gzip member and offset); a second pass reads the pages of one story at a time
/// again, builds its work and hands it on. `sink` can stop the reading.
pub fn parse_each(
    root: &Path,
    input: &MirrorInput,
    profile: &Profile,
    sink: &mut dyn FnMut(Vec<Entry>, u64) -> ControlFlow<()>,
) -> Vec<SiteSummary> {
    let mut problems = Vec::new();
    let mut pages = index::Pages::default();
    let files = match input {
        MirrorInput::Folder => capture::read_folder(root, &mut problems, |c| pages.add(c)).max(1),
        MirrorInput::Warc(list) => {
            for file in list {
                let shown = if list.len() == 1 && file == root {
                    file.file_name()
                        .map_or_else(|| file.to_string_lossy(), |n| n.to_string_lossy())
                        .into_owned()
                } else {
                    file.strip_prefix(root)
                        .unwrap_or(file)
                        .to_string_lossy()
                        .into_owned()
                };
                warc_file::read(file, &shown, &mut problems, |c| pages.add(c));
            }
            list.len() as u64
        }
    };
    let mut emit = Emit {
        sink,
        ready: Vec::new(),
        bytes: 0,
        stopped: false,
    };
    for problem in problems {
        let (path, reason) = problem
            .split_once(": ")
            .map_or((problem.as_str(), ""), |(p, r)| (p, r));
        emit.push(Err(ImportError::new(
            path,
            ErrorReason::BadCapture(reason.to_owned()),
        )));
    }
    let mut sites = Vec::new();
    for (host, (slots, names)) in pages.into_sites() {
        if emit.stopped {
            break;
        }
        sites.push(site::read_site(&host, slots, &names, profile, &mut emit));
    }
    emit.flush(files);
    sites
}

/// Works handed on a few at a time: at most this many together…
const EMIT_WORKS: usize = 32;
/// …or about this many bytes of chapter text.
const EMIT_BYTES: usize = 4 << 20;

/// Hands built works on to the sink in small batches.
pub struct Emit<'a> {
    sink: &'a mut dyn FnMut(Vec<Entry>, u64) -> ControlFlow<()>,
    ready: Vec<Entry>,
    bytes: usize,
    stopped: bool,
}

impl Emit<'_> {
    fn push(&mut self, entry: Entry) {
        if self.stopped {
            return;
        }
        if let Ok(work) = &entry {
            self.bytes += work.chapters.iter().map(|c| c.content.len()).sum::<usize>();
        }
        self.ready.push(entry);
        if self.ready.len() >= EMIT_WORKS || self.bytes >= EMIT_BYTES {
            self.flush(0);
        }
    }

    fn flush(&mut self, files: u64) {
        if self.stopped || (self.ready.is_empty() && files == 0) {
            return;
        }
        self.bytes = 0;
        let ready = std::mem::take(&mut self.ready);
        if (self.sink)(ready, files).is_break() {
            self.stopped = true;
        }
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}
