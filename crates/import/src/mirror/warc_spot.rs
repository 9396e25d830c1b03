//! Where a WARC record's content lies in its file, so that its bytes can be read again later
//! without holding them: the first pass counts how far the decompressed stream has been read
//! and where each gzip member starts; the second pass seeks to the record's member and reads
//! the record's bytes only.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use flate2::bufread::{GzDecoder, MultiGzDecoder};

/// A record's content block: in which file, in which gzip member (the member's offset in the
/// file; `None` for an uncompressed file), how far into the member's (or the file's) bytes,
/// and how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcSpot {
    pub file: Arc<PathBuf>,
    pub member: Option<u64>,
    pub skip: u64,
    pub len: u64,
}

impl WarcSpot {
    /// Reads the record's content block again.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        let mut file = std::fs::File::open(self.file.as_path())?;
        let mut out = Vec::new();
        match self.member {
            Some(at) => {
                file.seek(SeekFrom::Start(at))?;
                let mut gz = MultiGzDecoder::new(BufReader::with_capacity(64 << 10, file));
                io::copy(&mut (&mut gz).take(self.skip), &mut io::sink())?;
                gz.take(self.len).read_to_end(&mut out)?;
            }
            None => {
                file.seek(SeekFrom::Start(self.skip))?;
                file.take(self.len).read_to_end(&mut out)?;
            }
        }
        if (out.len() as u64) < self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file is shorter than when it was first read",
            ));
        }
        Ok(out)
    }
}

/// What the reading chain tells the record reader: decompressed bytes consumed so far, and the
/// gzip members started (offset in the file, decompressed offset where it starts) not yet
/// left behind.
#[derive(Debug, Default)]
pub struct Marks {
    consumed: Cell<u64>,
    members: RefCell<VecDeque<(u64, u64)>>,
    gzip: Cell<bool>,
}

impl Marks {
    /// Where the content block starting at the current position lies.
    pub fn spot(&self, file: &Arc<PathBuf>, len: u64) -> WarcSpot {
        let at = self.consumed.get();
        if !self.gzip.get() {
            return WarcSpot {
                file: file.clone(),
                member: None,
                skip: at,
                len,
            };
        }
        let mut members = self.members.borrow_mut();
        while members.len() >= 2 && members[1].1 <= at {
            members.pop_front();
        }
        let (offset, start) = members.front().copied().unwrap_or((0, 0));
        WarcSpot {
            file: file.clone(),
            member: Some(offset),
            skip: at - start,
            len,
        }
    }
}

/// A WARC file's (decompressed) bytes, counted.
pub type Reader = Counted<Box<dyn BufRead>>;

/// Opens a WARC file for the first pass: a buffered reader of its (decompressed) bytes that
/// keeps `Marks` up to date.
pub fn open(path: &Path) -> io::Result<(Reader, Rc<Marks>)> {
    let mut file = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let marks = Rc::new(Marks::default());
    marks.gzip.set(gzip);
    let inner: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::with_capacity(
            1 << 20,
            Members {
                state: Some(State::Between(Offset { inner: file, at: 0 })),
                out: 0,
                marks: marks.clone(),
            },
        ))
    } else {
        Box::new(file)
    };
    Ok((
        Counted {
            inner,
            marks: marks.clone(),
        },
        marks,
    ))
}

/// A buffered reader that counts the bytes consumed from it.
pub struct Counted<R> {
    inner: R,
    marks: Rc<Marks>,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.marks
            .consumed
            .set(self.marks.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.marks
            .consumed
            .set(self.marks.consumed.get() + amt as u64);
    }
}

/// The compressed file, counting how far it has been read.
struct Offset<R> {
    inner: R,
    at: u64,
}

impl<R: BufRead> Read for Offset<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Offset<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.at += amt as u64;
    }
}

enum State<R> {
    Between(Offset<R>),
    In(GzDecoder<Offset<R>>),
}

/// The decompressed bytes of every gzip member in turn, noting where each member starts.
struct Members<R> {
    state: Option<State<R>>,
    out: u64,
    marks: Rc<Marks>,
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(State::Between(mut inner)) => {
                    if inner.fill_buf()?.is_empty() {
                        self.state = Some(State::Between(inner));
                        return Ok(0);
                    }
                    self.marks
                        .members
                        .borrow_mut()
                        .push_back((inner.at, self.out));
                    self.state = Some(State::In(GzDecoder::new(inner)));
                }
                Some(State::In(mut gz)) => match gz.read(buf) {
                    Ok(0) => self.state = Some(State::Between(gz.into_inner())),
                    Ok(n) => {
                        self.out += n as u64;
                        self.state = Some(State::In(gz));
                        return Ok(n);
                    }
                    Err(e) => return Err(e),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write as _;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn finds_bytes_again_in_gzip_members_and_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        let parts: [&[u8]; 3] = [b"first member ", b"second, longer member ", b"third"];
        let zipped: Vec<u8> = parts.iter().flat_map(|p| gz(p)).collect();
        let plain: Vec<u8> = parts.concat();
        for (name, bytes) in [("a.gz", zipped), ("a.txt", plain)] {
            let path = Arc::new(dir.path().join(name));
            std::fs::write(path.as_path(), bytes).unwrap();
            let (mut reader, marks) = open(&path).unwrap();
            // Skip to "longer", inside the second member.
            let mut head = vec![0; 21];
            reader.read_exact(&mut head).unwrap();
            let spot = marks.spot(&path, 6);
            assert_eq!(spot.read().unwrap(), b"longer", "{name}");
            let mut rest = Vec::new();
            reader.read_to_end(&mut rest).unwrap();
            assert_eq!(rest, b"longer member third");
        }
    }
}
