//! An EPUB's package: `META-INF/container.xml` to the package document (OPF), its Dublin Core
//! metadata, manifest and spine, and the table of contents (EPUB 2 `toc.ncx` or EPUB 3 nav).

use crate::dom::{sel, text_of};
use roxmltree::{Document, Node, ParsingOptions};
use scraper::{Html, Selector};
use std::sync::LazyLock;

static NAV: LazyLock<Selector> = LazyLock::new(|| sel("nav"));
static NAV_LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));

/// What the package document says about the book (EPUB 2 and 3 alike).
#[derive(Debug, Default, Clone)]
pub struct Metadata {
    pub title: Option<String>,
    /// `dc:creator`s with no role or the author role (`aut`).
    pub creators: Vec<String>,
    pub contributors: Vec<String>,
    pub subjects: Vec<String>,
    /// `dc:description`: text, or escaped HTML (calibre writes the summary's HTML there).
    pub description: Option<String>,
    pub language: Option<String>,
    /// `dc:date`s with their `opf:event` (`publication`, `modification`, …), if any.
    pub dates: Vec<(Option<String>, String)>,
    /// `dcterms:modified`.
    pub modified: Option<String>,
    pub publisher: Option<String>,
    pub sources: Vec<String>,
    /// `dc:identifier`s with their `opf:scheme`, if any.
    pub identifiers: Vec<(Option<String>, String)>,
    /// A series and the book's place in it (`calibre:series` or `belongs-to-collection`).
    pub series: Option<(String, Option<String>)>,
}

/// One content document of the spine, in reading order.
#[derive(Debug, Clone)]
pub struct SpineItem {
    /// Its path inside the zip.
    pub path: String,
    /// The manifest's `properties` (`nav` for the EPUB 3 table of contents).
    pub properties: String,
}

/// The package: where things are and what the book says it is.
#[derive(Debug, Clone)]
pub struct Package {
    pub meta: Metadata,
    pub spine: Vec<SpineItem>,
    /// Zip paths of the NCX and the nav document, when the package names them.
    pub ncx: Option<String>,
    pub nav: Option<String>,
}

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    /// The document's path inside the zip (no `#fragment`).
    pub path: String,
    pub label: String,
}

/// Parses XML leniently enough for real books: DTDs (NCX files carry one) are allowed.
pub fn xml(text: &str) -> Result<Document<'_>, String> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| e.to_string())
}

fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

fn child_text(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The package document's path, from `META-INF/container.xml`.
pub fn rootfile(container: &str) -> Option<String> {
    let doc = xml(container).ok()?;
    doc.descendants()
        .filter(|n| n.tag_name().name() == "rootfile")
        .find(|n| attr(*n, "media-type").is_none_or(|t| t.contains("oebps-package")))
        .and_then(|n| attr(n, "full-path"))
        .map(|p| p.trim_start_matches('/').to_owned())
}

/// The folder of a path inside the zip, with its trailing slash (`OEBPS/`), or empty.
pub fn folder_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `href` (relative to `base`, a folder with its trailing slash) as a zip path: fragment
/// dropped, `%20` escapes decoded, `.` and `..` resolved.
pub fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let decoded = percent_decode(href);
    let joined = if decoded.starts_with('/') {
        decoded.trim_start_matches('/').to_owned()
    } else {
        format!("{base}{decoded}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the package document at `opf_path`.
pub fn package(opf: &str, opf_path: &str) -> Result<Package, String> {
    let doc = xml(opf)?;
    let base = folder_of(opf_path);
    let root = doc.root_element();
    let mut meta = Metadata::default();
    // EPUB 3 gives a creator's role in a `<meta refines="#id" property="role">`.
    let roles: Vec<(String, String)> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "meta" && attr(*n, "property") == Some("role"))
        .filter_map(|n| {
            Some((
                attr(n, "refines")?.trim_start_matches('#').to_owned(),
                child_text(n),
            ))
        })
        .collect();
    let mut collection: Option<(String, String)> = None;
    let mut position: Vec<(String, String)> = Vec::new();
    for n in root.descendants().filter(Node::is_element) {
        let value = child_text(n);
        match n.tag_name().name() {
            "title" if meta.title.is_none() && !value.is_empty() => meta.title = Some(value),
            "creator" | "contributor" if !value.is_empty() => {
                let role = attr(n, "role").map(str::to_owned).or_else(|| {
                    let id = attr(n, "id")?;
                    roles.iter().find(|(r, _)| r == id).map(|(_, v)| v.clone())
                });
                let author = match role.as_deref() {
                    Some(r) => r.eq_ignore_ascii_case("aut"),
                    None => n.tag_name().name() == "creator",
                };
                if author {
                    meta.creators.push(value);
                } else {
                    meta.contributors.push(value);
                }
            }
            "subject" if !value.is_empty() => meta.subjects.push(value),
            "description" if meta.description.is_none() && !value.is_empty() => {
                // Keep the text as written (line breaks of a plain summary included).
                let raw: String = n
                    .descendants()
                    .filter(Node::is_text)
                    .filter_map(|d| d.text())
                    .collect();
                meta.description = Some(raw.trim().to_owned());
            }
            "language" if meta.language.is_none() && !value.is_empty() => {
                meta.language = Some(value);
            }
            "date" if !value.is_empty() => meta
                .dates
                .push((attr(n, "event").map(str::to_owned), value)),
            "publisher" if meta.publisher.is_none() && !value.is_empty() => {
                meta.publisher = Some(value);
            }
            "source" if !value.is_empty() => meta.sources.push(value),
            "identifier" if !value.is_empty() => {
                meta.identifiers
                    .push((attr(n, "scheme").map(str::to_owned), value));
            }
            "meta" => match (attr(n, "name"), attr(n, "property")) {
                (Some("calibre:series"), _) => {
                    if let Some(c) = attr(n, "content").filter(|c| !c.trim().is_empty()) {
                        let index = meta.series.take().and_then(|(_, i)| i);
                        meta.series = Some((c.trim().to_owned(), index));
                    }
                }
                (Some("calibre:series_index"), _) => {
                    if let Some(c) = attr(n, "content") {
                        let title = meta.series.take().map(|(t, _)| t).unwrap_or_default();
                        meta.series = Some((title, Some(c.trim().to_owned())));
                    }
                }
                (_, Some("dcterms:modified")) => meta.modified = Some(value),
                (_, Some("belongs-to-collection")) if collection.is_none() => {
                    collection = Some((attr(n, "id").unwrap_or_default().to_owned(), value));
                }
                (_, Some("group-position")) => {
                    if let Some(r) = attr(n, "refines") {
                        position.push((r.trim_start_matches('#').to_owned(), value));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    if meta.series.as_ref().is_some_and(|(t, _)| t.is_empty()) {
        meta.series = None;
    }
    if meta.series.is_none()
        && let Some((id, title)) = collection
    {
        let index = position.into_iter().find(|(r, _)| *r == id).map(|(_, v)| v);
        meta.series = Some((title, index));
    }

    let manifest: Vec<(String, String, String, String)> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "item")
        .filter_map(|n| {
            Some((
                attr(n, "id")?.to_owned(),
                resolve(base, attr(n, "href")?),
                attr(n, "media-type").unwrap_or_default().to_owned(),
                attr(n, "properties").unwrap_or_default().to_owned(),
            ))
        })
        .collect();
    let spine_node = root.descendants().find(|n| n.tag_name().name() == "spine");
    let spine: Vec<SpineItem> = spine_node
        .iter()
        .flat_map(|s| s.children().filter(|n| n.tag_name().name() == "itemref"))
        .filter_map(|r| {
            let idref = attr(r, "idref")?;
            let (_, path, media, properties) = manifest.iter().find(|(id, ..)| id == idref)?;
            let is_text = media.is_empty() || media.contains("html");
            is_text.then(|| SpineItem {
                path: path.clone(),
                properties: properties.clone(),
            })
        })
        .collect();
    let ncx = spine_node
        .and_then(|s| attr(s, "toc"))
        .and_then(|id| manifest.iter().find(|(i, ..)| i == id))
        .or_else(|| manifest.iter().find(|(_, _, m, _)| m.contains("dtbncx")))
        .map(|(_, p, _, _)| p.clone());
    let nav = manifest
        .iter()
        .find(|(.., props)| props.split_whitespace().any(|p| p == "nav"))
        .map(|(_, p, _, _)| p.clone());
    Ok(Package {
        meta,
        spine,
        ncx,
        nav,
    })
}

/// The entries of an NCX, in reading order (nested points included).
pub fn ncx_entries(text: &str, ncx_path: &str) -> Vec<TocEntry> {
    let Ok(doc) = xml(text) else {
        return Vec::new();
    };
    let base = folder_of(ncx_path);
    doc.descendants()
        .filter(|n| n.tag_name().name() == "navPoint")
        .filter_map(|p| {
            let label = p
                .children()
                .find(|c| c.tag_name().name() == "navLabel")
                .map(child_text)?;
            let src = p
                .children()
                .find(|c| c.tag_name().name() == "content")
                .and_then(|c| attr(c, "src"))?;
            Some(TocEntry {
                path: resolve(base, src),
                label,
            })
        })
        .collect()
}

/// The entries of an EPUB 3 nav document's table of contents, in reading order.
pub fn nav_entries(text: &str, nav_path: &str) -> Vec<TocEntry> {
    let doc = Html::parse_document(text);
    let base = folder_of(nav_path);
    let navs: Vec<_> = doc.select(&NAV).collect();
    let toc = navs
        .iter()
        .find(|n| {
            n.value()
                .attrs()
                .any(|(k, v)| k.ends_with("type") && v == "toc")
        })
        .or(navs.first());
    toc.map(|nav| {
        nav.select(&NAV_LINK)
            .filter_map(|a| {
                Some(TocEntry {
                    path: resolve(base, a.value().attr("href")?),
                    label: text_of(a),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_zip() {
        assert_eq!(
            resolve("OEBPS/", "Text/ch%201.xhtml#x"),
            "OEBPS/Text/ch 1.xhtml"
        );
        assert_eq!(resolve("OEBPS/Text/", "../nav.xhtml"), "OEBPS/nav.xhtml");
        assert_eq!(resolve("", "OEBPS/file0001.xhtml"), "OEBPS/file0001.xhtml");
        assert_eq!(folder_of("OEBPS/content.opf"), "OEBPS/");
        assert_eq!(folder_of("content.opf"), "");
    }

    #[test]
    fn epub3_roles_and_collections() {
        let opf = r##"<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>T</dc:title>
<dc:creator id="c1">A</dc:creator><meta refines="#c1" property="role">aut</meta>
<dc:contributor id="c2">Tool</dc:contributor><meta refines="#c2" property="role">bkp</meta>
<meta property="belongs-to-collection" id="s">Lamps</meta>
<meta refines="#s" property="group-position">3</meta>
</metadata>
<manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>
<item id="img" href="c.png" media-type="image/png"/></manifest>
<spine><itemref idref="img"/><itemref idref="a"/></spine></package>"##;
        let p = package(opf, "OPS/book.opf").unwrap();
        assert_eq!(p.meta.creators, ["A"]);
        assert_eq!(p.meta.contributors, ["Tool"]);
        assert_eq!(p.meta.series, Some(("Lamps".into(), Some("3".into()))));
        assert_eq!(p.spine.len(), 1);
        assert_eq!(p.spine[0].path, "OPS/a.xhtml");
    }
}
