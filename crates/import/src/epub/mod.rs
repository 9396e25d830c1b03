//! EPUB books: AO3's "Download > EPUB" files, FanFicFare's EPUBs, Quire's own exports and any
//! EPUB 2 or 3 with a package document. The zip is read with the `zip` crate; the package
//! document, NCX and nav with [`package`]; each flavour's pages by its own reader:
//! [`preface`] for AO3-shaped books (a preface with a tag list, chapters with notes, an
//! afterword — AO3 and Quire), [`fff`] for FanFicFare's title page and chapter files, and
//! [`generic`] for the rest (one chapter per spine document, titled from the table of contents).

mod fff;
mod generic;
pub mod package;
mod preface;

use crate::dates::parse_date_for;
use crate::error::ErrorReason;
use crate::header::{append_html, parse_series};
use crate::profile::Profile;
use crate::rating_map::map_language;
use crate::work::{Format, ParsedWork, content_hash};
use package::{Package, TocEntry};
use regex::Regex;
use std::io::{Cursor, Read};
use std::sync::LazyLock;

/// At most this many bytes read from one document of a book.
const MAX_DOCUMENT_BYTES: u64 = crate::walk::MAX_STORY_BYTES;
/// At most this many bytes read from one book, all documents together.
const MAX_BOOK_BYTES: u64 = 256 << 20;

static CALIBRE_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\sclass="calibre\d*""#).expect("valid regex"));

/// HTML from a book through the allow-list sanitizer, without the class names calibre makes
/// up for its own stylesheet (`calibre7`), which mean nothing once the book is taken apart.
pub(crate) fn sanitize(html: &str) -> String {
    quire_text::sanitize_html(&CALIBRE_CLASS.replace_all(html, ""))
}

/// True when the bytes are an EPUB: a zip whose first entry is `mimetype` saying so, or a zip
/// holding `META-INF/container.xml`.
pub fn is_epub(bytes: &[u8]) -> bool {
    if !crate::zip_archive::is_zip(bytes) {
        return false;
    }
    if bytes.get(30..58) == Some(b"mimetypeapplication/epub+zip".as_slice()) {
        return true;
    }
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|z| {
        z.file_names()
            .any(|n| n.eq_ignore_ascii_case("META-INF/container.xml"))
    })
}

/// One document of the spine, decoded.
pub(crate) struct Doc {
    pub path: String,
    pub html: String,
    /// The table of contents' label for it, if any.
    pub toc_label: Option<String>,
    /// The EPUB 3 nav document (a table of contents, not text).
    pub is_nav: bool,
}

/// The flavours of EPUB read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Preface,
    FanFicFare,
    Generic,
}

/// Parses an EPUB into one work.
pub fn parse(bytes: &[u8], path: &str, profile: &Profile) -> Result<ParsedWork, ErrorReason> {
    let damaged = |why: String| ErrorReason::BadEpub(why);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| damaged(format!("the zip cannot be read: {e}")))?;
    if let Some(what) = drm(&mut zip) {
        return Err(ErrorReason::EpubDrm(what));
    }
    let mut budget = MAX_BOOK_BYTES;
    let named = read_entry(&mut zip, "META-INF/container.xml", &mut budget)
        .ok()
        .and_then(|container| package::rootfile(&container));
    let opf_path = named
        .clone()
        .filter(|p| entry_index(&zip, p).is_some())
        .or_else(|| {
            zip.file_names()
                .find(|n| n.to_ascii_lowercase().ends_with(".opf"))
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            damaged(match named {
                Some(p) => format!(
                    "no package document (META-INF/container.xml names {p}, which is not in the \
                     zip, and there is no other .opf file)"
                ),
                None => "no package document (no META-INF/container.xml naming one, and no \
                         .opf file)"
                    .to_owned(),
            })
        })?;
    let opf = read_entry(&mut zip, &opf_path, &mut budget).map_err(|e| {
        damaged(format!(
            "the package document {opf_path} cannot be read: {e}"
        ))
    })?;
    let pkg = package::package(&opf, &opf_path).map_err(|e| {
        damaged(format!(
            "the package document {opf_path} is not valid XML: {e}"
        ))
    })?;
    if pkg.spine.is_empty() {
        return Err(damaged(
            "the package document lists no content documents".into(),
        ));
    }
    let toc = table_of_contents(&mut zip, &pkg, &mut budget);
    let mut work = ParsedWork::new(path, Format::Epub, "UTF-8", content_hash(&[bytes]));
    let mut docs = Vec::with_capacity(pkg.spine.len());
    for item in &pkg.spine {
        match read_entry(&mut zip, &item.path, &mut budget) {
            Ok(html) => docs.push(Doc {
                toc_label: toc
                    .iter()
                    .find(|t| t.path == item.path)
                    .map(|t| t.label.clone()),
                is_nav: item.properties.split_whitespace().any(|p| p == "nav")
                    || pkg.nav.as_deref() == Some(item.path.as_str()),
                path: item.path.clone(),
                html,
            }),
            Err(e) => work
                .needs_review
                .push(format!("content document {} left out: {e}", item.path)),
        }
    }
    let flavour = flavour(&pkg, &docs);
    match flavour {
        Flavour::Preface => preface::read(&docs, &mut work, profile),
        Flavour::FanFicFare => fff::read(&docs, &mut work, profile),
        // A book says nothing of being finished or not: it was made whole, so it is complete.
        Flavour::Generic => {
            generic::read(&docs, &mut work);
            work.complete = true;
        }
    }
    apply_metadata(&pkg, &mut work, profile);
    work.chapters
        .retain(|c| !quire_text::html_to_text(&c.content).trim().is_empty());
    if work.chapters.is_empty() {
        return Err(ErrorReason::NoBody);
    }
    if work.expected_chapters.is_none() && !work.complete {
        work.complete = work.chapters.len() == 1;
    }
    work.finalize(profile);
    Ok(work)
}

fn flavour(pkg: &Package, docs: &[Doc]) -> Flavour {
    let fff =
        pkg.meta
            .contributors
            .iter()
            .chain(&pkg.meta.creators)
            .any(|c| c.contains("FanFicFare") || c.contains("fanficdownloader"))
            || pkg.meta.identifiers.iter().any(|(_, v)| {
                v.starts_with("fanficfare-uid") || v.starts_with("fanficdownloader-uid")
            })
            || docs.iter().any(|d| d.html.contains("fff_titlepage"));
    if fff {
        return Flavour::FanFicFare;
    }
    if docs.iter().any(|d| preface::is_preface_page(&d.html)) {
        return Flavour::Preface;
    }
    Flavour::Generic
}

/// What stops the book from being read: encrypted content (fonts obfuscated by the EPUB's
/// own rules are fine) or an Adobe rights file.
fn drm<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    if zip
        .file_names()
        .any(|n| n.eq_ignore_ascii_case("META-INF/rights.xml"))
    {
        return Some("META-INF/rights.xml (Adobe DRM)".into());
    }
    let mut budget = 1 << 20;
    let text = read_entry(zip, "META-INF/encryption.xml", &mut budget).ok()?;
    let Ok(doc) = package::xml(&text) else {
        return Some("META-INF/encryption.xml".into());
    };
    let font_obfuscation = [
        "http://www.idpf.org/2008/embedding",
        "http://ns.adobe.com/pdf/enc#RC",
    ];
    let encrypted: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "EncryptedData")
        .filter(|d| {
            let algorithm = d
                .descendants()
                .find(|n| n.tag_name().name() == "EncryptionMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .unwrap_or_default();
            !font_obfuscation.contains(&algorithm)
        })
        .filter_map(|d| {
            d.descendants()
                .find(|n| n.tag_name().name() == "CipherReference")
                .and_then(|c| c.attribute("URI"))
                .map(str::to_owned)
        })
        .collect();
    encrypted.first().map(|first| {
        format!(
            "META-INF/encryption.xml encrypts {} file{} ({first}…)",
            encrypted.len(),
            if encrypted.len() == 1 { "" } else { "s" }
        )
    })
}

/// The index of a zip entry, by name (also when a maker wrote it with other capitals than the
/// package uses).
fn entry_index<R: Read + std::io::Seek>(zip: &zip::ZipArchive<R>, name: &str) -> Option<usize> {
    zip.index_for_name(name).or_else(|| {
        (0..zip.len()).find(|&i| {
            zip.name_for_index(i)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    })
}

/// Reads one entry as text, within the per-document and per-book limits.
fn read_entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    budget: &mut u64,
) -> Result<String, String> {
    let index = entry_index(zip, name).ok_or_else(|| "missing from the zip".to_owned())?;
    let file = zip.by_index(index).map_err(|e| e.to_string())?;
    let limit = MAX_DOCUMENT_BYTES.min(*budget);
    let mut data = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("damaged ({e})"))?;
    let len = u64::try_from(data.len()).unwrap_or(u64::MAX);
    if len > limit {
        return Err(format!(
            "larger than the limit ({} MiB per document, {} MiB per book)",
            MAX_DOCUMENT_BYTES >> 20,
            MAX_BOOK_BYTES >> 20
        ));
    }
    *budget -= len;
    let decoded = quire_text::decode(&data).map_err(|e| e.to_string())?;
    Ok(decoded.text)
}

fn table_of_contents<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    pkg: &Package,
    budget: &mut u64,
) -> Vec<TocEntry> {
    if let Some(nav) = &pkg.nav
        && let Ok(text) = read_entry(zip, nav, budget)
    {
        let entries = package::nav_entries(&text, nav);
        if !entries.is_empty() {
            return entries;
        }
    }
    if let Some(ncx) = &pkg.ncx
        && let Ok(text) = read_entry(zip, ncx, budget)
    {
        return package::ncx_entries(&text, ncx);
    }
    Vec::new()
}

/// Fills what the pages did not say from the package document, and keeps where the book came
/// from: its publisher and source URL in `fields`, the URL as the original id.
fn apply_metadata(pkg: &Package, work: &mut ParsedWork, profile: &Profile) {
    let meta = &pkg.meta;
    if work.title.trim().is_empty()
        && let Some(t) = &meta.title
    {
        work.title.clone_from(t);
    }
    if work.authors.is_empty() {
        for c in &meta.creators {
            for name in crate::header::split_names(c) {
                work.add_author(&name);
            }
        }
    }
    if work.language.is_empty()
        && let Some(l) = &meta.language
    {
        work.language = map_language(l);
    }
    if work.summary.is_none()
        && let Some(d) = &meta.description
    {
        let html = if d.contains('<') {
            sanitize(d)
        } else {
            quire_text::wrapped_text_to_html(d)
        };
        append_html(&mut work.summary, html);
    }
    if work.tags.is_empty() && work.warnings.is_empty() && work.categories.is_empty() {
        generic::apply_subjects(&meta.subjects, work, profile);
    }
    if work.series.is_empty()
        && let Some((title, index)) = &meta.series
    {
        let position = index
            .as_deref()
            .and_then(|i| i.trim().parse::<f64>().ok())
            .filter(|p| p.is_finite() && *p >= 1.0 && *p < 100_000.0)
            .map_or(1, |p| p as i32);
        work.series.push((title.clone(), position));
    } else if work.series.is_empty()
        && let Some(s) = meta.series.as_ref().and_then(|(t, _)| parse_series(t))
    {
        work.series.push(s);
    }
    if work.published.is_none() {
        work.published = meta
            .dates
            .iter()
            .filter(|(event, _)| {
                event.as_deref().is_none_or(|e| {
                    matches!(e, "publication" | "creation" | "original-publication")
                })
            })
            .filter_map(|(_, d)| parse_date_for(d, profile).map(|p| p.date()))
            .min();
    }
    if work.updated.is_none() {
        work.updated = meta
            .dates
            .iter()
            .filter(|(event, _)| event.as_deref() == Some("modification"))
            .filter_map(|(_, d)| parse_date_for(d, profile).map(|p| p.date()))
            .max();
    }
    let url = meta
        .sources
        .iter()
        .chain(meta.identifiers.iter().map(|(_, v)| v))
        .map(|v| v.trim_start_matches("URL:").trim())
        .find(|v| v.starts_with("http://") || v.starts_with("https://"))
        .map(str::to_owned);
    if let Some(url) = url {
        if !work.fields.iter().any(|(_, v)| *v == url) {
            work.fields.push(("Source URL".to_owned(), url.clone()));
        }
        if work.original_id.is_none() {
            work.original_id = Some(url);
        }
    }
    if let Some(p) = &meta.publisher {
        work.fields.push(("Publisher".to_owned(), p.clone()));
        if work.archive.is_none() && p.eq_ignore_ascii_case("Archive of Our Own") {
            work.archive = Some(p.clone());
        }
    }
}
