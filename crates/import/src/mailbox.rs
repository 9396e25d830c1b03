//! Mailboxes of any size, read post by post: an mbox of gigabytes, a Mailman/pipermail monthly
//! `*.txt` or `*.txt.gz`, an `.mbox.gz`. Memory is bounded by the posts of the works not yet
//! whole, never by the file: a post without a part marker becomes a work at once; the parts of
//! a multi-part story wait (in a [`Joiner`]) until the last part arrives — from the same file
//! or a later one of the same run — or until the run ends.

use crate::error::{ErrorReason, ImportError};
use crate::mbox::{Post, Subject, build_work, parse_post, parse_subject};
use crate::profile::Profile;
use crate::walk::{Entry, MAX_STORY_BYTES};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Posts of unfinished multi-part stories held at most; past it, the oldest story is stored
/// with the parts it has (and the missing ones noted for review).
const MAX_PENDING_BYTES: usize = 64 << 20;

/// True when the bytes start like gzip.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Opens a file for reading, through gzip when it is gzip'd.
pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut file = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    let gz = is_gzip(file.fill_buf()?);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(file)
    })
}

/// The first `n` bytes of a file, gunzipped if it is gzip'd.
pub fn head(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    open(path)?.take(n).read_to_end(&mut out)?;
    Ok(out)
}

/// True when a file's first bytes are a mailbox or a post (`From ` line, or mail headers).
pub fn is_mailbox(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    crate::detect(&text) == crate::Detected::Mbox
}

/// Reads the posts of a mailbox one at a time, handing each one's bytes (its `From ` line
/// included) to `each`. A post over the story-file limit is handed on as an error.
pub fn read_posts(
    mut reader: impl BufRead,
    mut each: impl FnMut(Result<&[u8], ErrorReason>) -> std::ops::ControlFlow<()>,
) -> std::io::Result<()> {
    let mut post: Vec<u8> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut blank_before = true;
    let mut oversized = false;
    let limit = usize::try_from(MAX_STORY_BYTES).unwrap_or(usize::MAX);
    let mut finish = |post: &mut Vec<u8>, oversized: &mut bool| {
        let flow = if *oversized {
            each(Err(ErrorReason::TooLarge {
                size: MAX_STORY_BYTES + 1,
                limit: MAX_STORY_BYTES,
            }))
        } else if post.iter().all(u8::is_ascii_whitespace) {
            std::ops::ControlFlow::Continue(())
        } else {
            each(Ok(post.as_slice()))
        };
        post.clear();
        *oversized = false;
        flow
    };
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.starts_with(b"From ")
            && blank_before
            && !post.is_empty()
            && finish(&mut post, &mut oversized).is_break()
        {
            return Ok(());
        }
        blank_before = line.iter().all(u8::is_ascii_whitespace);
        if post.len() + line.len() > limit {
            oversized = true;
        }
        if !oversized {
            post.extend_from_slice(&line);
        }
    }
    let _ = finish(&mut post, &mut oversized);
    Ok(())
}

/// One post waiting for the rest of its story.
struct Waiting {
    post: Post,
    subject: Subject,
    path: String,
    encoding: String,
    notes: Vec<String>,
}

/// The parts of one multi-part story seen so far.
struct Group {
    key: String,
    total: Option<u32>,
    parts: Vec<Waiting>,
    bytes: usize,
}

impl Group {
    fn has_part(&self, n: u32) -> bool {
        self.parts
            .iter()
            .any(|w| w.subject.part.map(|p| p.0) == Some(n))
    }

    fn is_whole(&self) -> bool {
        self.total
            .is_some_and(|t| t <= 500 && (1..=t).all(|n| self.has_part(n)))
    }
}

/// Joins the parts of multi-part stories across the posts (and files) of one run.
pub struct Joiner<'p> {
    profile: &'p Profile,
    groups: Vec<Group>,
    bytes: usize,
}

impl<'p> Joiner<'p> {
    pub fn new(profile: &'p Profile) -> Self {
        Joiner {
            profile,
            groups: Vec::new(),
            bytes: 0,
        }
    }

    /// Adds one post (its raw bytes) from the file `rel`; the works it completes go to `out`.
    pub fn add_raw(&mut self, raw: &[u8], rel: &str, out: &mut Vec<Entry>) {
        let decoded = match quire_text::decode(raw) {
            Ok(d) => d,
            Err(e) => {
                out.push(Err(ImportError::new(rel, e.into())));
                return;
            }
        };
        let lines: Vec<&str> = decoded.text.lines().collect();
        let post = parse_post(&lines);
        self.add(post, rel, decoded.encoding, decoded.notes, out);
    }

    /// Adds one parsed post; the works it completes go to `out`.
    pub fn add(
        &mut self,
        post: Post,
        rel: &str,
        encoding: &str,
        notes: Vec<String>,
        out: &mut Vec<Entry>,
    ) {
        let subject = parse_subject(post.header("Subject").unwrap_or_default());
        let waiting = Waiting {
            post,
            subject,
            path: rel.to_owned(),
            encoding: encoding.to_owned(),
            notes,
        };
        let Some((n, total)) = waiting.subject.part else {
            out.push(self.build(vec![waiting]));
            return;
        };
        let key = waiting.subject.title.to_lowercase();
        let size = waiting.post.raw.len();
        let at = self
            .groups
            .iter()
            .position(|g| g.key == key && !g.has_part(n));
        let at = match at {
            Some(i) => i,
            None => {
                self.groups.push(Group {
                    key,
                    total: None,
                    parts: Vec::new(),
                    bytes: 0,
                });
                self.groups.len() - 1
            }
        };
        let group = &mut self.groups[at];
        group.total = group.total.or(total);
        group.parts.push(waiting);
        group.bytes += size;
        self.bytes += size;
        if group.is_whole() {
            let group = self.groups.remove(at);
            self.bytes -= group.bytes;
            out.push(self.build(group.parts));
        }
        while self.bytes > MAX_PENDING_BYTES && !self.groups.is_empty() {
            let oldest = self.groups.remove(0);
            self.bytes -= oldest.bytes;
            out.push(self.build(oldest.parts));
        }
    }

    /// Stores what is left: stories some of whose parts never came.
    pub fn finish(&mut self, out: &mut Vec<Entry>) {
        for group in std::mem::take(&mut self.groups) {
            out.push(self.build(group.parts));
        }
        self.bytes = 0;
    }

    fn build(&self, mut parts: Vec<Waiting>) -> Entry {
        parts.sort_by_key(|w| w.subject.part.map_or(0, |p| p.0));
        let path = parts.first().map(|w| w.path.clone()).unwrap_or_default();
        let encoding = parts
            .first()
            .map_or_else(|| "UTF-8".to_owned(), |w| w.encoding.clone());
        let notes: Vec<String> = parts.iter().flat_map(|w| w.notes.iter().cloned()).collect();
        let mut files: Vec<String> = Vec::new();
        for w in &parts {
            if !files.contains(&w.path) {
                files.push(w.path.clone());
            }
        }
        let (posts, subjects): (Vec<Post>, Vec<Subject>) =
            parts.into_iter().map(|w| (w.post, w.subject)).unzip();
        let group: Vec<usize> = (0..posts.len()).collect();
        let mut work = build_work(&posts, &subjects, &group, &path, &encoding, self.profile)
            .map_err(|e| ImportError::new(&path, e))?;
        work.report_notes.extend(notes);
        if files.len() > 1 {
            work.report_notes
                .push(format!("parts joined from {}", files.join(", ")));
        }
        if let Some(a) = &self.profile.archive {
            work.archive = Some(a.clone());
        }
        Ok(work)
    }
}
