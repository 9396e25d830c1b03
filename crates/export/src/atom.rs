//! Atom feeds (RFC 4287) of works: a tag's, a creator's, a series', a listing's.
//!
//! A feed is built from works the caller has already let through the visibility rule (as a
//! guest sees them in listings): each entry is a work's blurb, never its text. Links and ids
//! are absolute, made from the archive's public address; an entry's id is its work's URL, so
//! it stays the same however often the work changes.

use chrono::NaiveDate;
use quire_core::privacy::mask_emails;
use quire_core::tag::url_segment;
use quire_core::{TagKind, Work};

use crate::xml;

/// The most entries a feed holds, as AO3's do.
pub const FEED_LENGTH: usize = 25;

/// What a feed is about, and where it lives.
#[derive(Debug, Clone)]
pub struct Feed<'a> {
    /// The archive's public address without a trailing `/` (`https://fic.example.org`).
    pub base_url: &'a str,
    /// The archive's name: the feed's generator and author of last resort.
    pub site_name: &'a str,
    /// `Lanterns of Hollowmere`, `Works by wren_ashdown`, …
    pub title: &'a str,
    /// The feed's own path (`/tags/Mira*s*Tomas/feed.atom`), also its id.
    pub self_path: &'a str,
    /// The HTML page the feed follows (`/tags/Mira*s*Tomas/works`).
    pub page_path: &'a str,
}

/// Writes the feed of `works` (newest first, at most [`FEED_LENGTH`] are written).
pub fn write(feed: &Feed<'_>, works: &[&Work]) -> String {
    let works = &works[..works.len().min(FEED_LENGTH)];
    let base = feed.base_url.trim_end_matches('/');
    let self_url = format!("{base}{}", feed.self_path);
    let mut out = String::with_capacity(2_048 + works.len() * 2_048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(&mut out, 1, "id", &self_url);
    element(&mut out, 1, "title", feed.title);
    let updated = works.iter().map(|w| entry_updated(w)).max();
    element(
        &mut out,
        1,
        "updated",
        &timestamp(updated.unwrap_or_default()),
    );
    link(&mut out, 1, "self", "application/atom+xml", &self_url);
    link(
        &mut out,
        1,
        "alternate",
        "text/html",
        &format!("{base}{}", feed.page_path),
    );
    // Entries all name their creators; the archive stands in for a work that names none.
    out.push_str("  <author>\n");
    element(&mut out, 2, "name", feed.site_name);
    element(&mut out, 2, "uri", &format!("{base}/"));
    out.push_str("  </author>\n");
    out.push_str("  <generator>Quire</generator>\n");
    for work in works {
        entry(&mut out, base, work);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, base: &str, work: &Work) {
    let url = format!("{base}/works/{}", work.id);
    out.push_str("  <entry>\n");
    element(out, 2, "id", &url);
    element(out, 2, "title", &public(work, &work.title));
    link(out, 2, "alternate", "text/html", &url);
    // A work whose files gave no date has no <published>; its <updated> (which Atom requires)
    // is when it was imported, the last time the entry changed.
    if let Some(day) = work.published {
        element(out, 2, "published", &timestamp(day));
    }
    element(out, 2, "updated", &timestamp(entry_updated(work)));
    for pseud in &work.creators {
        out.push_str("    <author>\n");
        element(out, 3, "name", &pseud.name);
        element(out, 3, "uri", &format!("{base}/users/{}", pseud.login));
        out.push_str("    </author>\n");
    }
    out.push_str("    <summary type=\"html\">");
    xml::push_text(out, &blurb_html(base, work));
    out.push_str("</summary>\n");
    out.push_str("    <category term=\"");
    xml::push_attr(out, work.rating.name());
    out.push_str("\" scheme=\"urn:quire:tag-kind:rating\"/>\n");
    for tag in &work.tags {
        out.push_str("    <category term=\"");
        xml::push_attr(out, &tag.name);
        out.push_str("\" scheme=\"urn:quire:tag-kind:");
        out.push_str(tag.kind.as_str());
        out.push_str("\"/>\n");
    }
    out.push_str("  </entry>\n");
}

/// The entry's HTML, as AO3's feeds give it: the creators, the summary, then the meta list.
fn blurb_html(base: &str, work: &Work) -> String {
    let mut html = String::with_capacity(1_024);
    html.push_str("<p>by ");
    if work.creators.is_empty() {
        html.push_str("Anonymous");
    }
    for (i, pseud) in work.creators.iter().enumerate() {
        if i > 0 {
            html.push_str(", ");
        }
        html.push_str("<a href=\"");
        xml::push_attr(&mut html, &format!("{base}/users/{}", pseud.login));
        html.push_str("\">");
        xml::push_text(&mut html, &pseud.name);
        html.push_str("</a>");
    }
    html.push_str("</p>");
    if let Some(summary) = &work.summary {
        // Stored summaries are sanitized HTML already.
        html.push_str(&public(work, summary));
    }
    html.push_str("<ul>");
    meta_item(
        &mut html,
        "Words",
        &quire_core::numbers::thousands(work.word_count),
    );
    meta_item(&mut html, "Chapters", &work.chapters_display());
    meta_item(&mut html, "Rating", work.rating.name());
    if work.published.is_none() {
        meta_item(&mut html, "Published", quire_core::DATE_UNKNOWN);
    }
    for kind in [
        TagKind::Fandom,
        TagKind::ArchiveWarning,
        TagKind::Category,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ] {
        let mut tags = work.tags_of(kind).peekable();
        if tags.peek().is_none() {
            continue;
        }
        html.push_str("<li>");
        xml::push_text(&mut html, kind.label());
        html.push_str(": ");
        for (i, tag) in tags.enumerate() {
            if i > 0 {
                html.push_str(", ");
            }
            html.push_str("<a href=\"");
            xml::push_attr(&mut html, &tag_url(base, &tag.name));
            html.push_str("\">");
            xml::push_text(&mut html, &tag.name);
            html.push_str("</a>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

fn meta_item(html: &mut String, label: &str, value: &str) {
    html.push_str("<li>");
    html.push_str(label);
    html.push_str(": ");
    xml::push_text(html, value);
    html.push_str("</li>");
}

/// A tag's works page: AO3's escaping, then percent-encoding.
fn tag_url(base: &str, name: &str) -> String {
    format!("{base}/tags/{}/works", url_segment(name))
}

/// An imported work's text with its e-mail addresses masked, as everywhere else it is shown.
fn public(work: &Work, text: &str) -> String {
    if work.source.is_some() {
        mask_emails(text)
    } else {
        text.to_owned()
    }
}

/// A date as an RFC 3339 timestamp at midnight UTC (works carry dates, not times).
/// The day an entry last changed: its updated date, else the day it was imported.
fn entry_updated(work: &Work) -> NaiveDate {
    work.updated
        .or_else(|| work.source.as_ref().map(|s| s.imported_at.date_naive()))
        .unwrap_or_default()
}

fn timestamp(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

fn element(out: &mut String, depth: usize, name: &str, text: &str) {
    indent(out, depth);
    out.push('<');
    out.push_str(name);
    out.push('>');
    xml::push_text(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

fn link(out: &mut String, depth: usize, rel: &str, media_type: &str, href: &str) {
    indent(out, depth);
    out.push_str("<link rel=\"");
    out.push_str(rel);
    out.push_str("\" type=\"");
    out.push_str(media_type);
    out.push_str("\" href=\"");
    xml::push_attr(out, href);
    out.push_str("\"/>\n");
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}
