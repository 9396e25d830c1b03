//! The EPUB's package document (metadata, manifest, spine) and its two tables of contents:
//! `nav.xhtml` for EPUB 3 readers and `toc.ncx` for EPUB 2 ones.

use std::fmt::Write as _;

use quire_core::TagKind;

use super::Page;
use crate::Book;
use crate::meta;
use crate::xml::{attr, language_tag, text};

/// `content.opf`.
pub fn opf(book: &Book<'_>, pages: &[Page]) -> String {
    let work = book.work;
    let lang = language_tag(&work.language);
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" \
         unique-identifier=\"uid\" xml:lang=\"{}\">",
        attr(lang)
    );
    out.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    let _ = writeln!(
        out,
        "<dc:identifier id=\"uid\">{}</dc:identifier>",
        text(&meta::identifier(book.site_name, work.id))
    );
    let _ = writeln!(out, "<dc:title>{}</dc:title>", text(&work.title));
    let creators: Vec<&str> = if work.creators.is_empty() {
        vec!["Anonymous"]
    } else {
        work.creators.iter().map(|p| p.name.as_str()).collect()
    };
    for (n, name) in creators.iter().enumerate() {
        let _ = writeln!(
            out,
            "<dc:creator id=\"creator{n}\">{}</dc:creator>\n\
             <meta refines=\"#creator{n}\" property=\"role\" scheme=\"marc:relators\">aut</meta>",
            text(name)
        );
    }
    let _ = writeln!(out, "<dc:language>{}</dc:language>", text(lang));
    let mut subjects: Vec<&str> = Vec::new();
    for kind in [
        TagKind::Fandom,
        TagKind::Rating,
        TagKind::ArchiveWarning,
        TagKind::Category,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ] {
        for tag in work.tags_of(kind) {
            if !subjects.contains(&tag.name.as_str()) {
                subjects.push(&tag.name);
            }
        }
    }
    for subject in subjects {
        let _ = writeln!(out, "<dc:subject>{}</dc:subject>", text(subject));
    }
    if let Some(summary) = work.summary.as_deref() {
        let plain = quire_text::html_to_text(summary);
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        if !plain.is_empty() {
            let _ = writeln!(out, "<dc:description>{}</dc:description>", text(&plain));
        }
    }
    let _ = writeln!(out, "<dc:publisher>{}</dc:publisher>", text(book.site_name));
    // No <dc:date> for a work whose date is unknown (it is optional); dcterms:modified is
    // required, and is then the day the work was imported.
    if let Some(day) = work.published {
        let _ = writeln!(out, "<dc:date>{day}</dc:date>");
    }
    let modified = work
        .updated
        .or_else(|| work.source.as_ref().map(|s| s.imported_at.date_naive()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<meta property=\"dcterms:modified\">{modified}T00:00:00Z</meta>"
    );
    for (n, series) in work.series.iter().enumerate() {
        let _ = writeln!(
            out,
            "<meta property=\"belongs-to-collection\" id=\"series{n}\">{}</meta>\n\
             <meta refines=\"#series{n}\" property=\"collection-type\">series</meta>\n\
             <meta refines=\"#series{n}\" property=\"group-position\">{}</meta>",
            text(&series.title),
            series.position
        );
    }
    out.push_str("</metadata>\n<manifest>\n");
    out.push_str(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" \
         properties=\"nav\"/>\n\
         <item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n\
         <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n",
    );
    for page in pages {
        let _ = writeln!(
            out,
            "<item id=\"{}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            attr(&page.id),
            attr(&page.href)
        );
    }
    out.push_str("</manifest>\n<spine toc=\"ncx\">\n");
    for page in pages {
        let _ = writeln!(out, "<itemref idref=\"{}\"/>", attr(&page.id));
    }
    out.push_str("</spine>\n</package>\n");
    out
}

/// `toc.ncx`, for readers that only know EPUB 2.
pub fn ncx(book: &Book<'_>, pages: &[Page]) -> String {
    let mut out = String::with_capacity(1024 + pages.len() * 160);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\">\n<head>\n",
    );
    let _ = writeln!(
        out,
        "<meta name=\"dtb:uid\" content=\"{}\"/>",
        attr(&meta::identifier(book.site_name, book.work.id))
    );
    out.push_str(
        "<meta name=\"dtb:depth\" content=\"1\"/>\n\
         <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n\
         <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n",
    );
    let _ = writeln!(
        out,
        "<docTitle><text>{}</text></docTitle>",
        text(&book.work.title)
    );
    let _ = writeln!(
        out,
        "<docAuthor><text>{}</text></docAuthor>",
        text(&meta::byline(book.work))
    );
    out.push_str("<navMap>\n");
    for (n, page) in pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "<navPoint id=\"nav-{id}\" playOrder=\"{order}\"><navLabel><text>{label}</text>\
             </navLabel><content src=\"{href}\"/></navPoint>",
            id = attr(&page.id),
            order = n + 1,
            label = text(&page.label),
            href = attr(&page.href)
        );
    }
    out.push_str("</navMap>\n</ncx>\n");
    out
}

/// `nav.xhtml`, the EPUB 3 table of contents.
pub fn nav(book: &Book<'_>, pages: &[Page]) -> String {
    let mut body = String::with_capacity(512 + pages.len() * 80);
    body.push_str("<nav epub:type=\"toc\" id=\"toc\">\n<h1>Contents</h1>\n<ol>\n");
    for page in pages {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a></li>",
            attr(&page.href),
            text(&page.label)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    super::document(book.work, "Contents", &body)
}
