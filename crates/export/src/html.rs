//! One self-contained HTML file in AO3's download layout: a preface (title, meta block,
//! summary, notes), the chapters, an afterword (end notes, provenance). The stylesheet is
//! inline and nothing is loaded from elsewhere, so the file reads the same offline. It is
//! also well-formed XML, like the EPUB's pages.

use crate::xml::{language_tag, push_attr, push_text};
use crate::{Book, meta, preface};

/// Writes `book` as one HTML document.
pub fn write(book: &Book<'_>) -> String {
    let work = book.work;
    let text_len: usize = book.chapters().iter().map(|c| c.content.len()).sum();
    let mut out = String::with_capacity(text_len + text_len / 8 + 8192);
    let lang = language_tag(&work.language);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    push_attr(&mut out, lang);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    out.push_str("<title>");
    push_text(&mut out, &work.title);
    out.push_str(" - ");
    push_text(&mut out, &meta::byline(work));
    out.push_str("</title>\n<style>\n");
    out.push_str(preface::STYLE);
    out.push_str("#chapters, #afterword { border-top: 1px solid #999; margin-top: 2em; }\n");
    out.push_str("</style>\n</head>\n<body>\n");

    out.push_str("<div id=\"preface\">\n<p class=\"message\"><b>");
    push_text(&mut out, &work.title);
    out.push_str("</b><br />Posted on ");
    push_text(&mut out, book.site_name);
    out.push_str(".</p>\n<div class=\"meta\">\n");
    preface::push_meta_block(&mut out, work);
    preface::push_heading_and_notes(&mut out, work);
    out.push_str("</div>\n</div>\n");

    out.push_str("<div id=\"chapters\">\n");
    let multi = book.chapters().len() > 1;
    for (n, chapter) in book.chapters().iter().enumerate() {
        out.push_str("<div class=\"chapter\">\n");
        // A one-chapter work without a chapter title reads straight on, as on AO3.
        let heading = multi || chapter.title.is_some();
        preface::push_chapter(&mut out, chapter, n + 1, heading);
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");

    if preface::has_afterword(work) {
        out.push_str("<div id=\"afterword\">\n");
        preface::push_afterword(&mut out, work, book.site_name);
        out.push_str("</div>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
