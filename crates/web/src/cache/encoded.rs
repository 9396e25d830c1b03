//! A cached page's compressed copies: made once, the first time a client asks for one, and
//! kept with the page. Compressing a 40 KB page takes several times longer than answering it
//! from memory, and every browser asks for it compressed.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};

/// Brotli's quality for a page compressed once and served many times (0–11; 11 takes ten
/// times as long for a few percent).
const BROTLI_QUALITY: i32 = 6;
/// Brotli's window, as `lgwin`: 4 MB, more than any page.
const BROTLI_WINDOW: i32 = 22;

/// The content codings the cache keeps, in the order it prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        })
    }

    /// The coding to answer with: brotli when the client takes it, else gzip, else none.
    pub(super) fn wanted(request_headers: &HeaderMap) -> Option<Coding> {
        let (mut brotli, mut gzip) = (false, false);
        for value in request_headers.get_all(ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match name.to_ascii_lowercase().as_str() {
                    "br" => brotli = true,
                    "gzip" | "x-gzip" | "*" => gzip = true,
                    _ => {}
                }
            }
        }
        if brotli {
            Some(Coding::Brotli)
        } else {
            gzip.then_some(Coding::Gzip)
        }
    }
}

/// A page's compressed copies, each made when first asked for; `None` inside when the page's
/// type is not worth compressing (an EPUB is a zip already).
#[derive(Debug, Default)]
pub(super) struct Encoded {
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
}

impl Encoded {
    /// The body to send for `coding`, and its `Content-Encoding`; the page as it is when it
    /// is not worth compressing or compressing failed.
    pub(super) fn body(
        &self,
        coding: Option<Coding>,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> (Bytes, Option<HeaderValue>) {
        let Some(coding) = coding.filter(|_| compressible(headers)) else {
            return (body.clone(), None);
        };
        let slot = match coding {
            Coding::Brotli => &self.brotli,
            Coding::Gzip => &self.gzip,
        };
        match slot.get_or_init(|| compress(coding, body)) {
            Some(compressed) => (compressed.clone(), Some(coding.header())),
            None => (body.clone(), None),
        }
    }
}

/// Text is worth compressing; what is compressed already (zips, images) is not.
fn compressible(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    kind.starts_with("text/") || kind.starts_with("application/atom+xml")
}

fn compress(coding: Coding, body: &[u8]) -> Option<Bytes> {
    let mut out = Vec::with_capacity(body.len() / 3);
    match coding {
        Coding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY,
                lgwin: BROTLI_WINDOW,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
        }
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::default());
            encoder.write_all(body).ok()?;
            out = encoder.finish().ok()?;
        }
    }
    Some(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn brotli_is_preferred_and_a_zero_quality_refuses() {
        assert_eq!(
            Coding::wanted(&asking("gzip, deflate, br")),
            Some(Coding::Brotli)
        );
        assert_eq!(Coding::wanted(&asking("gzip, br;q=0")), Some(Coding::Gzip));
        assert_eq!(Coding::wanted(&asking("br;q=0.0, gzip;q=0")), None);
        assert_eq!(Coding::wanted(&asking("identity")), None);
        assert_eq!(Coding::wanted(&HeaderMap::new()), None);
    }

    #[test]
    fn a_page_is_compressed_once_and_decompresses_to_itself() {
        let page = Bytes::from("<p>Words words words.</p>".repeat(400));
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let encoded = Encoded::default();
        let (gzipped, coding) = encoded.body(Some(Coding::Gzip), &headers, &page);
        assert_eq!(coding, Some(HeaderValue::from_static("gzip")));
        assert!(gzipped.len() < page.len() / 10);
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&gzipped[..])
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, page);
        let (again, _) = encoded.body(Some(Coding::Gzip), &headers, &page);
        assert_eq!(again.as_ptr(), gzipped.as_ptr(), "made once");
        let (brotli, coding) = encoded.body(Some(Coding::Brotli), &headers, &page);
        assert_eq!(coding, Some(HeaderValue::from_static("br")));
        let mut text = Vec::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, page);
    }

    #[test]
    fn a_zip_is_sent_as_it_is() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/epub+zip"),
        );
        let body = Bytes::from_static(b"PK\x03\x04 an epub");
        let (sent, coding) = Encoded::default().body(Some(Coding::Brotli), &headers, &body);
        assert_eq!((sent, coding), (body, None));
    }
}
