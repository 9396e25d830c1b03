//! Walking what `quire import` is given: files and folders (recursively), one entry per work
//! or per failed file. A folder holding an eFiction dump is imported as one archive.

use crate::detect::{Detected, detect};
use crate::efiction;
use crate::error::{ErrorReason, ImportError};
use crate::html_page::declared_charset;
use crate::mailbox::{self, Joiner};
use crate::profile::Profile;
use crate::work::{ParsedWork, content_hash};
use crate::{ao3, html_page, mbox, plaintext};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// One entry of an import: a work, or a file that failed as a whole.
pub type Entry = Result<ParsedWork, ImportError>;

/// Files parsed together before their entries are handed on, in order.
const CHUNK: usize = 64;

/// Parses a file or a folder (recursively, in name order). Paths in the results are relative
/// to `root` (for a single file, its file name).
pub fn parse_path(root: &Path, profile: &Profile) -> Vec<Entry> {
    let mut out = Vec::new();
    parse_path_each(root, profile, 1, |entries, _| {
        out.extend(entries);
        ControlFlow::Continue(())
    });
    out
}

/// Like [`parse_path`], on `threads` threads, handing entries to `sink` as soon as they are
/// parsed — in the same order as [`parse_path`] — with the number of files they finish (0 for
/// works of a mailbox still being read, or of multi-part stories joined at the end). `sink` can
/// stop the walk. Several files are parsed ahead of `sink`, never a whole folder; a mailbox is
/// read post by post, whatever its size.
pub fn parse_path_each(
    root: &Path,
    profile: &Profile,
    threads: usize,
    sink: impl FnMut(Vec<Entry>, u64) -> ControlFlow<()>,
) {
    parse_path_sites(root, profile, threads, sink);
}

/// Like [`parse_path_each`], also returning what a web mirror or WARC crawl held, site by
/// site (nothing for other inputs). A mirror folder, a WARC file or a folder of WARC files
/// is indexed whole before its works are handed on (a story's chapters can be anywhere in
/// it), then its works are built and handed on one story at a time.
pub fn parse_path_sites(
    root: &Path,
    profile: &Profile,
    threads: usize,
    mut sink: impl FnMut(Vec<Entry>, u64) -> ControlFlow<()>,
) -> Vec<crate::mirror::SiteSummary> {
    if let Some(input) = crate::mirror::input_kind(root) {
        return crate::mirror::parse_each(root, &input, profile, &mut sink);
    }
    let mut walk = Walk {
        root,
        profile,
        threads: threads.max(1),
        sink: &mut sink,
        joiner: Joiner::new(profile),
    };
    let flow = match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => walk.dir(root, 0),
        Ok(_) => {
            let rel = root.file_name().map_or_else(
                || root.to_string_lossy().into_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            match streamed(root) {
                Some(how) => walk.streamed(root, &rel, how).0,
                None => (walk.sink)(parse_file(root, &rel, profile).0, 1),
            }
        }
        Err(e) => (walk.sink)(
            vec![Err(ImportError::new(
                root.to_string_lossy(),
                ErrorReason::Io(e.to_string()),
            ))],
            1,
        ),
    };
    if flow.is_continue() {
        let mut rest = Vec::new();
        walk.joiner.finish(&mut rest);
        if !rest.is_empty() {
            let _ = (walk.sink)(rest, 0);
        }
    }
    Vec::new()
}

/// How a file too large to hold is read, piece by piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Streamed {
    /// A mailbox or a post (gzip'd or not): post by post.
    Mailbox,
    /// An SQL dump (gzip'd or not): statement by statement.
    Dump,
    /// A zip that is not an EPUB: entry by entry.
    Zip,
}

/// How a file is streamed, by its first bytes; `None` for a file parsed whole.
fn streamed(path: &Path) -> Option<Streamed> {
    let head = mailbox::head(path, 1 << 16).ok()?;
    if crate::zip_archive::is_zip(&head) {
        return (!crate::zip_archive::is_epub_file(path)).then_some(Streamed::Zip);
    }
    if mailbox::is_mailbox(&head) {
        return Some(Streamed::Mailbox);
    }
    (detect(&String::from_utf8_lossy(&head)) == Detected::SqlDump).then_some(Streamed::Dump)
}

/// The regular, non-hidden files under `root` (or 1 for a file): what a progress bar counts.
pub fn count_files(root: &Path) -> u64 {
    fn walk(dir: &Path, depth: usize) -> u64 {
        if depth > 64 {
            return 0;
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            return 0;
        };
        let mut n = 0;
        for entry in rd.filter_map(Result::ok) {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => n += walk(&entry.path(), depth + 1),
                Ok(t) if t.is_file() => n += 1,
                _ => {}
            }
        }
        n
    }
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => walk(root, 0),
        _ => 1,
    }
}

struct Walk<'a, F: ?Sized> {
    root: &'a Path,
    profile: &'a Profile,
    threads: usize,
    sink: &'a mut F,
    joiner: Joiner<'a>,
}

/// Works of a mailbox handed on together, at most (and at most about this many bytes).
const STREAM_BATCH: usize = 16;
const STREAM_BATCH_BYTES: usize = 1 << 20;

/// The sink of the walk inside a zip.
type DynSink<'a> = dyn FnMut(Vec<Entry>, u64) -> ControlFlow<()> + 'a;

/// Total bytes of the chapters of a batch's works.
fn batch_bytes(batch: &[Entry]) -> usize {
    batch
        .iter()
        .flatten()
        .flat_map(|w| &w.chapters)
        .map(|c| c.content.len())
        .sum()
}

impl<F: FnMut(Vec<Entry>, u64) -> ControlFlow<()> + ?Sized> Walk<'_, F> {
    /// Reads a file that is streamed; also returns the stories folder a dump used.
    fn streamed(
        &mut self,
        path: &Path,
        rel: &str,
        how: Streamed,
    ) -> (ControlFlow<()>, Option<PathBuf>) {
        match how {
            Streamed::Mailbox => (self.stream(path, rel), None),
            Streamed::Dump => self.dump(path, rel),
            Streamed::Zip => (self.zip(path, rel), None),
        }
    }

    /// Reads an eFiction dump statement by statement, handing on its works as they are built.
    fn dump(&mut self, path: &Path, rel: &str) -> (ControlFlow<()>, Option<PathBuf>) {
        let mut batch: Vec<Entry> = Vec::new();
        let mut flow = ControlFlow::Continue(());
        let sink = &mut *self.sink;
        let stories = efiction::stream_dump_file(path, rel, self.profile, |entry| {
            batch.push(entry);
            if batch.len() >= STREAM_BATCH || batch_bytes(&batch) >= STREAM_BATCH_BYTES {
                flow = sink(std::mem::take(&mut batch), 0);
            }
            flow
        });
        if flow.is_break() {
            return (flow, stories);
        }
        ((self.sink)(batch, 1), stories)
    }

    /// Unpacks a zip entry by entry into a temporary folder and walks it, handing on its
    /// works as they are parsed, named `<zip>!<entry>`.
    fn zip(&mut self, path: &Path, rel: &str) -> ControlFlow<()> {
        let unpacked = match crate::zip_archive::unpack_file(path) {
            Ok(u) => u,
            Err(reason) => return (self.sink)(vec![Err(ImportError::new(rel, reason))], 1),
        };
        let mut any = false;
        let outer = &mut *self.sink;
        let mut inner = |mut entries: Vec<Entry>, _files: u64| {
            any |= !entries.is_empty();
            for entry in &mut entries {
                crate::zip_archive::prefix_entry(entry, rel);
            }
            outer(entries, 0)
        };
        let root = unpacked.dir.path();
        let mut walk: Walk<'_, DynSink<'_>> = Walk {
            root,
            profile: self.profile,
            threads: self.threads,
            sink: &mut inner,
            joiner: Joiner::new(self.profile),
        };
        walk.dir(root, 0)?;
        let mut rest = Vec::new();
        walk.joiner.finish(&mut rest);
        if !rest.is_empty() {
            (walk.sink)(rest, 0)?;
        }
        let mut last = unpacked.refused_entries(rel);
        if !any && last.is_empty() {
            last.push(Err(ImportError::new(rel, ErrorReason::Empty)));
        }
        (self.sink)(last, 1)
    }

    /// Reads a mailbox post by post, handing on works as they are whole.
    fn stream(&mut self, path: &Path, rel: &str) -> ControlFlow<()> {
        let mut batch: Vec<Entry> = Vec::new();
        let mut flow = ControlFlow::Continue(());
        let sink = &mut *self.sink;
        let joiner = &mut self.joiner;
        let read = mailbox::open(path).and_then(|reader| {
            mailbox::read_posts(reader, |post| {
                match post {
                    Ok(raw) => joiner.add_raw(raw, rel, &mut batch),
                    Err(reason) => batch.push(Err(ImportError::new(rel, reason))),
                }
                if batch.len() >= STREAM_BATCH || batch_bytes(&batch) >= STREAM_BATCH_BYTES {
                    flow = sink(std::mem::take(&mut batch), 0);
                }
                flow
            })
        });
        if flow.is_break() {
            return flow;
        }
        if let Err(e) = read {
            batch.push(Err(ImportError::new(rel, ErrorReason::Io(e.to_string()))));
        }
        (self.sink)(batch, 1)
    }

    fn dir(&mut self, dir: &Path, depth: usize) -> ControlFlow<()> {
        if depth > 64 {
            return ControlFlow::Continue(());
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                return (self.sink)(
                    vec![Err(ImportError::new(
                        rel_of(self.root, dir),
                        ErrorReason::Io(e.to_string()),
                    ))],
                    1,
                );
            }
        };
        entries.sort();
        entries.retain(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        });
        let mut files = Vec::new();
        let mut subdirs = Vec::new();
        for path in entries {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                subdirs.push(path);
            } else if meta.is_file() {
                files.push(path);
            }
        }
        let mut skip: Vec<PathBuf> = Vec::new();
        for chunk in files.chunks(CHUNK) {
            for (parsed, path) in self.parse_chunk(chunk).into_iter().zip(chunk) {
                match parsed {
                    Some((entries, stories)) => {
                        skip.extend(stories);
                        (self.sink)(entries, 1)?;
                    }
                    None => {
                        let rel = rel_of(self.root, path);
                        let how = streamed(path).unwrap_or(Streamed::Mailbox);
                        let (flow, stories) = self.streamed(path, &rel, how);
                        skip.extend(stories);
                        flow?;
                    }
                }
            }
        }
        for sub in subdirs {
            if !skip.contains(&sub) {
                self.dir(&sub, depth + 1)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Parses some files, on up to `threads` threads; the results in the files' order, none
    /// for a file read as a stream (a mailbox, a dump, a zip), in order, by [`Walk::streamed`].
    fn parse_chunk(&self, files: &[PathBuf]) -> Vec<Option<(Vec<Entry>, Option<PathBuf>)>> {
        let parse = |path: &PathBuf| {
            streamed(path)
                .is_none()
                .then(|| parse_file(path, &rel_of(self.root, path), self.profile))
        };
        if self.threads == 1 || files.len() < 2 {
            return files.iter().map(parse).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        type Parsed = Option<(Vec<Entry>, Option<PathBuf>)>;
        let mut results: Vec<Option<Parsed>> =
            std::iter::repeat_with(|| None).take(files.len()).collect();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..self.threads.min(files.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(path) = files.get(i) else { break };
                            done.push((i, parse(path)));
                        }
                        done
                    })
                })
                .collect();
            for worker in workers {
                // A parser that panicked leaves its files' slots empty; they are reported below.
                if let Ok(done) = worker.join() {
                    for (i, r) in done {
                        results[i] = Some(r);
                    }
                }
            }
        });
        results
            .into_iter()
            .zip(files)
            .map(|(r, path)| {
                r.unwrap_or_else(|| {
                    Some((
                        vec![Err(ImportError::new(
                            rel_of(self.root, path),
                            ErrorReason::Unsupported("the parser failed on this file".into()),
                        ))],
                        None,
                    ))
                })
            })
            .collect()
    }
}

fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The largest story file read (a 300,000-word story is about 2 MiB).
pub const MAX_STORY_BYTES: u64 = 32 << 20;
/// The largest SQL dump or zip read whole: one handed over as bytes, or a UTF-16 dump. A dump
/// or zip file recognised by its first 64 KiB is streamed, whatever its size.
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;

/// Parses one file from disk. Also returns the stories folder an eFiction dump used.
pub fn parse_file(path: &Path, rel: &str, profile: &Profile) -> (Vec<Entry>, Option<PathBuf>) {
    let name = rel.to_ascii_lowercase();
    if (name.ends_with(".warc") || name.ends_with(".warc.gz"))
        && let Some(input) = crate::mirror::input_kind(path)
    {
        // A crawl inside a folder of other files: read as a crawl of its own.
        return (crate::mirror::parse(path, &input, profile).entries, None);
    }
    if let Err(reason) = check_size(path) {
        return (vec![Err(ImportError::new(rel, reason))], None);
    }
    match std::fs::read(path) {
        Ok(bytes) if mailbox::is_gzip(&bytes) => match gunzip(&bytes) {
            Ok(text) => parse_bytes(&text, rel, path.parent(), profile),
            Err(reason) => (vec![Err(ImportError::new(rel, reason))], None),
        },
        Ok(bytes) => parse_bytes(&bytes, rel, path.parent(), profile),
        Err(e) => (
            vec![Err(ImportError::new(rel, ErrorReason::Io(e.to_string())))],
            None,
        ),
    }
}

/// A gzip'd story file (`story.txt.gz`), within the story-file limit once unpacked.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, ErrorReason> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_STORY_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| ErrorReason::BadArchive(format!("gzip: {e}")))?;
    let size = u64::try_from(out.len()).unwrap_or(u64::MAX);
    if size > MAX_STORY_BYTES {
        return Err(ErrorReason::TooLarge {
            size,
            limit: MAX_STORY_BYTES,
        });
    }
    Ok(out)
}

/// Refuses files too large to be a story, unless they are dumps or zips (up to their own cap).
fn check_size(path: &Path) -> Result<(), ErrorReason> {
    use std::io::Read as _;
    let size = std::fs::metadata(path)
        .map_err(|e| ErrorReason::Io(e.to_string()))?
        .len();
    if size <= MAX_STORY_BYTES {
        return Ok(());
    }
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(|e| ErrorReason::Io(e.to_string()))?;
    let archive = crate::zip_archive::is_zip(&head)
        || detect(&String::from_utf8_lossy(&head)) == Detected::SqlDump;
    let limit = if archive {
        MAX_ARCHIVE_BYTES
    } else {
        MAX_STORY_BYTES
    };
    if size > limit {
        return Err(ErrorReason::TooLarge { size, limit });
    }
    Ok(())
}

/// An HTML document that opens `<html>` or `<body>` and closes neither was cut short.
fn is_truncated_html(text: &str) -> bool {
    let lower_head = text[..floor_boundary(text, 4096)].to_ascii_lowercase();
    let tail = &text[floor_boundary(text, text.len().saturating_sub(4096))..];
    let lower_tail = tail.to_ascii_lowercase();
    (lower_head.contains("<html") || lower_head.contains("<body"))
        && !lower_tail.contains("</html")
        && !lower_tail.contains("</body")
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    if crate::epub::is_epub(bytes) {
        let mut entries =
            vec![crate::epub::parse(bytes, rel, profile).map_err(|e| ImportError::new(rel, e))];
        if let (Some(a), Some(Ok(w))) = (&profile.archive, entries.first_mut()) {
            w.archive = Some(a.clone());
        }
        return (entries, None);
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
    // A UTF-8 file with bytes that are not UTF-8 is damaged: replacing them would lose text
    // without anyone looking.
    if decoded.encoding == "UTF-8"
        && let Err(e) = std::str::from_utf8(bytes)
    {
        return fail(ErrorReason::InvalidUtf8(e.valid_up_to()));
    }
    if looks_html && is_truncated_html(&decoded.text) {
        return fail(ErrorReason::TruncatedHtml);
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
