//! WARC files (`.warc`, `.warc.gz` with one gzip member per record, as `wget --warc-file` and
//! the Internet Archive write them), read record by record with the `warc` crate: only
//! `response` records count; their HTTP status, headers and body are read here.

use super::capture::{Capture, Spot, looks_like_html};
use super::url::PageUrl;
use super::warc_spot;
use crate::walk::MAX_STORY_BYTES;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use warc::{RecordType, WarcHeader, WarcReader};

/// True for a file that starts as a WARC file does, gzip'd or not.
pub fn is_warc(path: &Path) -> bool {
    let Ok(mut reader) = open(path) else {
        return false;
    };
    let mut head = [0u8; 8];
    reader.read_exact(&mut head).is_ok() && head.starts_with(b"WARC/")
}

fn open(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(file)
    })
}

/// Reads the response records of one WARC file, handing each capture of a page to `keep`
/// (error statuses with an empty body) with where its record lies, so that its body can be
/// read again later ([`page_body`]). Records it cannot read (cut short, a gzip member cut
/// off, damaged headers) are told in `problems`; the file is read no further after one, as
/// where the next record starts is then unknown.
pub fn read(path: &Path, shown: &str, problems: &mut Vec<String>, mut keep: impl FnMut(Capture)) {
    let (reader, marks) = match warc_spot::open(path) {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("{shown}: cannot read the file ({e})"));
            return;
        }
    };
    let file = Arc::new(path.to_owned());
    let mut warc = WarcReader::new(reader);
    let mut records = warc.stream_records();
    let mut n = 0u64;
    while let Some(item) = records.next_item() {
        n += 1;
        let mut record = match item {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!(
                    "{shown}: record {n} cannot be read ({e}); the rest of the file is not read"
                ));
                return;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let Some(target) = record.header(WarcHeader::TargetURI).map(|t| t.into_owned()) else {
            continue;
        };
        let spot = marks.spot(&file, record.content_length());
        let id = record.warc_id().to_owned();
        let date = *record.date();
        let mut bytes = Vec::new();
        let limit = MAX_STORY_BYTES + (64 << 10);
        if let Err(e) = (&mut record).take(limit).read_to_end(&mut bytes) {
            problems.push(format!(
                "{shown}: record {n} ({target}) is cut short ({e}); the rest of the file is not read"
            ));
            return;
        }
        let left = record.content_length();
        if left > 0 && (bytes.len() as u64) < limit {
            problems.push(format!(
                "{shown}: record {n} ({target}) is cut short ({left} bytes missing); not imported"
            ));
            return;
        }
        if left > 0 {
            problems.push(format!(
                "{shown}: record {n} ({target}) is over {} MiB; not read",
                MAX_STORY_BYTES >> 20
            ));
            continue;
        }
        let Some(url) = PageUrl::parse(&target) else {
            problems.push(format!(
                "{shown}: record {n}: unreadable target URI {target}"
            ));
            continue;
        };
        let Some(response) = HttpResponse::parse(&bytes) else {
            problems.push(format!(
                "{shown}: record {n} ({target}) holds no HTTP response"
            ));
            continue;
        };
        let page = response.status == 200 && response.is_text();
        let body = if page {
            match response.decoded_body() {
                Ok(b) => b,
                Err(e) => {
                    problems.push(format!("{shown}: record {n} ({target}): {e}"));
                    continue;
                }
            }
        } else {
            Vec::new()
        };
        if response.status == 200 && !page {
            // Images, style sheets: not pages.
            continue;
        }
        keep(Capture {
            url,
            captured: Some(date),
            status: response.status,
            body,
            origin: shown.to_owned(),
            record_id: Some(id),
            spot: Spot::Warc(spot),
        });
    }
}

/// The page a record's content block (an HTTP response) holds, chunked transfer and gzip
/// content coding undone.
pub fn page_body(record: &[u8]) -> Result<Vec<u8>, String> {
    HttpResponse::parse(record)
        .ok_or_else(|| "no HTTP response".to_owned())?
        .decoded_body()
}

/// An HTTP response as a WARC `response` record holds it.
struct HttpResponse<'a> {
    status: u16,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    fn parse(bytes: &'a [u8]) -> Option<HttpResponse<'a>> {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&bytes[..end]);
        let mut lines = head.split("\r\n");
        let status_line = lines.next()?;
        if !status_line.starts_with("HTTP/") {
            return None;
        }
        let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Some(HttpResponse {
            status,
            headers,
            body: &bytes[end + 4..],
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// HTML or plain text, by its Content-Type, or by its first bytes when it gives none.
    fn is_text(&self) -> bool {
        match self.header("content-type") {
            Some(t) => {
                let t = t.to_ascii_lowercase();
                t.starts_with("text/html")
                    || t.starts_with("application/xhtml")
                    || t.starts_with("text/plain")
            }
            None => looks_like_html(self.body),
        }
    }

    /// The body with chunked transfer coding and gzip content coding undone.
    fn decoded_body(&self) -> Result<Vec<u8>, String> {
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let raw = if chunked {
            dechunk(self.body).ok_or("a chunked body cut short")?
        } else {
            self.body.to_vec()
        };
        match self.header("content-encoding").map(str::to_ascii_lowercase) {
            Some(e) if e.contains("gzip") => {
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(raw.as_slice())
                    .take(MAX_STORY_BYTES + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("gzip'd body cannot be read ({e})"))?;
                Ok(out)
            }
            _ => Ok(raw),
        }
    }
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_http_responses() {
        let r = HttpResponse::parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n<p>\r\n2\r\nhi\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert!(r.is_text());
        assert_eq!(r.decoded_body().unwrap(), b"<p>hi");
        assert!(dechunk(b"5\r\nab").is_none());
    }
}
