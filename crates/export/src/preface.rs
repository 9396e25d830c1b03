//! The parts of a download that EPUB and HTML share, as XHTML fragments: the meta block,
//! summary and notes, a chapter with its notes, the afterword with the provenance of an
//! imported work. Written once so both formats say the same.

use std::fmt::Write as _;

use quire_core::{Chapter, Work};

use crate::Book;
use crate::meta::{self, Provenance};
use crate::xhtml::push_fragment;
use crate::xml::{push_attr, push_text};

/// The meta block: tags by kind, language, series, stats.
pub fn push_meta_block(out: &mut String, work: &Work) {
    out.push_str("<dl class=\"tags\">\n");
    for row in meta::tag_rows(work) {
        push_row(out, row.label, &row.values.join(", "));
    }
    push_row(out, "Language", &work.language);
    let series = meta::series_parts(work);
    if !series.is_empty() {
        push_row(out, "Series", &series.join("; "));
    }
    let stats: Vec<String> = meta::stats(work)
        .into_iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect();
    push_row(out, "Stats", &stats.join(" "));
    out.push_str("</dl>\n");
}

fn push_row(out: &mut String, label: &str, value: &str) {
    out.push_str("<dt>");
    push_text(out, label);
    out.push_str(":</dt><dd>");
    push_text(out, value);
    out.push_str("</dd>\n");
}

/// Title, by line, summary and the work's notes.
pub fn push_heading_and_notes(out: &mut String, work: &Work) {
    out.push_str("<h1 class=\"title\">");
    push_text(out, &work.title);
    out.push_str("</h1>\n<p class=\"byline\">by ");
    push_text(out, &meta::byline(work));
    out.push_str("</p>\n");
    push_block(out, "summary", "Summary", work.summary.as_deref());
    push_block(out, "notes", "Notes", work.notes.as_deref());
}

/// A labelled block of stored HTML (`Summary`, `Notes`, `Chapter End Notes`), if there is one.
pub fn push_block(out: &mut String, class: &str, label: &str, html: Option<&str>) {
    let Some(html) = html.filter(|h| !h.trim().is_empty()) else {
        return;
    };
    out.push_str("<div class=\"");
    push_attr(out, class);
    out.push_str("\"><p class=\"label\">");
    push_text(out, label);
    out.push_str(":</p><blockquote class=\"userstuff\">");
    push_fragment(out, html);
    out.push_str("</blockquote></div>\n");
}

/// One chapter: heading (`h2`, when `heading`), summary, notes, text, end notes.
pub fn push_chapter(out: &mut String, chapter: &Chapter, number: usize, heading: bool) {
    if heading {
        let _ = write!(out, "<h2 class=\"chapter\" id=\"chapter-{number}\">");
        push_text(out, &Book::chapter_heading(number, chapter));
        out.push_str("</h2>\n");
    }
    push_block(
        out,
        "summary",
        "Chapter Summary",
        chapter.summary.as_deref(),
    );
    push_block(out, "notes", "Chapter Notes", chapter.notes.as_deref());
    out.push_str("<div class=\"userstuff\">");
    push_fragment(out, &chapter.content);
    out.push_str("</div>\n");
    push_block(
        out,
        "end-notes",
        "Chapter End Notes",
        chapter.end_notes.as_deref(),
    );
}

/// True when the work has an afterword: end notes, or an imported work's provenance.
pub fn has_afterword(work: &Work) -> bool {
    work.end_notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty())
        || work.source.is_some()
}

/// The afterword: the work's end notes, then where an imported work came from.
pub fn push_afterword(out: &mut String, work: &Work, site_name: &str) {
    push_block(out, "end-notes", "End Notes", work.end_notes.as_deref());
    if let Some(p) = meta::provenance(work) {
        push_provenance(out, &p, site_name);
    }
}

fn push_provenance(out: &mut String, p: &Provenance, site_name: &str) {
    out.push_str("<div class=\"provenance\"><p class=\"label\">Imported from ");
    push_text(out, &p.archive);
    out.push_str(":</p>\n<p>This work was imported into ");
    push_text(out, site_name);
    out.push_str(" from <strong>");
    push_text(out, &p.archive);
    out.push_str("</strong> (<code>");
    push_text(out, &p.path);
    out.push_str("</code>).");
    if let Some(rating) = &p.original_rating {
        out.push_str(" Original rating: <q>");
        push_text(out, rating);
        out.push_str("</q>.");
    }
    out.push_str("</p>\n");
    if !p.fields.is_empty() {
        out.push_str("<p class=\"label\">Original header:</p>\n<dl class=\"original-header\">\n");
        for (label, value) in &p.fields {
            out.push_str("<dt>");
            push_text(out, label);
            out.push_str("</dt><dd>");
            push_text(out, value);
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</div>\n");
}

/// The stylesheet of both formats: AO3's download look, small and readable on a phone.
pub const STYLE: &str = "body { font-family: serif; line-height: 1.5; margin: 0 auto; \
max-width: 40em; padding: 0 1em; }
h1, h2, .byline, .message { text-align: center; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2.chapter { font-size: 1.3em; margin-top: 2em; }
.byline { margin-top: 0; font-style: italic; }
.label { font-weight: bold; margin-bottom: 0.2em; }
blockquote { margin: 0.5em 2em; }
dl.tags, dl.original-header { font-size: 0.9em; border: 1px solid #999; padding: 0.5em 1em; }
dl.tags dt, dl.original-header dt { font-weight: bold; float: left; clear: left; \
margin-right: 0.5em; }
dl.tags dd, dl.original-header dd { margin: 0 0 0.3em 0; }
.userstuff p { margin: 0.6em 0; }
.center { text-align: center; }
.big { font-size: larger; }
.tt { font-family: monospace; }
hr { border: 0; border-top: 1px solid #999; margin: 1.5em 30%; }
.message { font-size: 0.9em; }
";
