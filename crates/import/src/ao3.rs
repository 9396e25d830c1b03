//! AO3 HTML downloads: the preface's tag list, title, byline, summary and notes, chapters with
//! their notes, and the afterword's end notes (otwarchive's `app/views/downloads/`).

use crate::dates::parse_date_for;
use crate::dom::{sel, text_of};
use crate::error::ErrorReason;
use crate::header::{append_html, parse_series, parse_status};
use crate::profile::Profile;
use crate::rating_map::{
    CategoryItem, WarningItem, map_category, map_language, map_rating, map_warning,
};
use crate::work::{Format, ParsedChapter, ParsedWork, chapter_of};
use quire_core::{Rating, TagKind};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static TAGS_DL: LazyLock<Selector> = LazyLock::new(|| sel("#preface dl.tags, dl.tags"));
static TAG_LINK: LazyLock<Selector> = LazyLock::new(|| sel("a"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("#preface h1, h1"));
static BYLINE: LazyLock<Selector> = LazyLock::new(|| sel("#preface .byline, .byline"));
static AUTHOR: LazyLock<Selector> = LazyLock::new(|| sel("a[rel=author]"));
static PREFACE_META: LazyLock<Selector> = LazyLock::new(|| sel("#preface .meta"));
static MESSAGE_LINKS: LazyLock<Selector> = LazyLock::new(|| sel("#preface .message a[href]"));
static CHAPTERS: LazyLock<Selector> = LazyLock::new(|| sel("#chapters"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| sel("h2.heading, h2, h3.heading"));
static AFTERWORD_META: LazyLock<Selector> = LazyLock::new(|| sel("#afterword .meta"));
static WORK_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/works/(\d+)$").expect("valid regex"));
static CHAPTER_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^chapter\s+\d+\s*(?::\s*)?").expect("valid regex"));

/// The `<p>Label</p><blockquote>…</blockquote>` pairs of a meta block, as (label, HTML).
fn labelled_blockquotes(meta: ElementRef<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut label: Option<String> = None;
    for child in meta.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "p" => label = Some(text_of(child)),
            "blockquote" => {
                let html = quire_text::sanitize_html(&child.inner_html());
                out.push((label.take().unwrap_or_default(), html));
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn tag_values(dd: ElementRef<'_>) -> Vec<String> {
    let links: Vec<String> = dd
        .select(&TAG_LINK)
        .map(text_of)
        .filter(|t| !t.is_empty())
        .collect();
    if links.is_empty() {
        text_of(dd)
            .split(", ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    } else {
        links
    }
}

pub(crate) fn apply_stats(work: &mut ParsedWork, text: &str, profile: &Profile) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut status = None;
    for pair in words.windows(2) {
        let value = pair[1];
        match pair[0] {
            "Published:" => work.published = parse_date_for(value, profile).map(|d| d.date()),
            "Updated:" => work.updated = parse_date_for(value, profile).map(|d| d.date()),
            "Completed:" => {
                work.updated = parse_date_for(value, profile).map(|d| d.date());
                status = Some(true);
            }
            "Chapters:" => {
                if let Some((have, total)) = value.split_once('/') {
                    work.expected_chapters = total.parse().ok();
                    if status.is_none() {
                        status = Some(have == total);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(s) = status {
        work.complete = s;
    }
}

/// Applies one `<dt>Label:</dt><dd>…</dd>` row of AO3's tag list (also Quire's, which has the
/// same labels) and keeps it in `fields`. Returns the completion its `Status` row states.
pub(crate) fn apply_tag_row(
    work: &mut ParsedWork,
    label: &str,
    text: &str,
    values: &[String],
    profile: &Profile,
) -> Option<bool> {
    work.fields.push((label.to_owned(), text.to_owned()));
    match label.to_lowercase().as_str() {
        "rating" | "ratings" => {
            if let Some(r) = values.first() {
                work.original_rating = Some(r.clone());
                work.rating = r
                    .parse::<Rating>()
                    .unwrap_or_else(|_| map_rating(r, profile));
            }
        }
        "archive warning" | "archive warnings" => {
            for v in values {
                match map_warning(v, profile) {
                    WarningItem::Warning(w) => work.add_warning(w),
                    WarningItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                }
            }
        }
        "category" | "categories" => {
            for v in values {
                match map_category(v, profile) {
                    CategoryItem::Category(c) => work.add_category(c),
                    CategoryItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                }
            }
        }
        "fandom" | "fandoms" => values.iter().for_each(|v| work.add_tag(TagKind::Fandom, v)),
        "relationship" | "relationships" => {
            values
                .iter()
                .for_each(|v| work.add_tag(TagKind::Relationship, v));
        }
        "character" | "characters" => {
            values
                .iter()
                .for_each(|v| work.add_tag(TagKind::Character, v));
        }
        "additional tags" | "freeform" | "freeforms" => {
            values
                .iter()
                .for_each(|v| work.add_tag(TagKind::Freeform, v));
        }
        "language" => work.language = map_language(text),
        "series" => {
            for part in text.split(';') {
                if let Some(s) = parse_series(part.trim()) {
                    work.series.push(s);
                }
            }
        }
        "stats" => apply_stats(work, text, profile),
        "status" => return parse_status(text),
        _ => {}
    }
    None
}

/// Parses an AO3 HTML download.
pub fn parse(
    text: &str,
    path: &str,
    encoding: &str,
    hash: String,
    profile: &Profile,
) -> Result<ParsedWork, ErrorReason> {
    let doc = Html::parse_document(text);
    let mut work = ParsedWork::new(path, Format::Ao3Html, encoding, hash);
    work.archive = Some("Archive of Our Own".to_owned());

    for a in doc.select(&MESSAGE_LINKS) {
        let href = a.value().attr("href").unwrap_or_default();
        if let Some(c) = WORK_URL.captures(href) {
            work.original_id = Some(c[1].to_owned());
            work.fields.push(("Source URL".to_owned(), href.to_owned()));
        }
    }

    let mut status = None;
    if let Some(dl) = doc.select(&TAGS_DL).next() {
        let mut label = String::new();
        for child in dl.children().filter_map(ElementRef::wrap) {
            match child.value().name() {
                "dt" => label = text_of(child).trim_end_matches(':').trim().to_owned(),
                "dd" => {
                    let values = tag_values(child);
                    let row = apply_tag_row(&mut work, &label, &text_of(child), &values, profile);
                    status = row.or(status);
                }
                _ => {}
            }
        }
    }
    if let Some(s) = status {
        work.complete = s;
    }

    if let Some(h1) = doc.select(&H1).next() {
        work.title = text_of(h1);
    }
    if let Some(byline) = doc.select(&BYLINE).next() {
        let authors: Vec<String> = byline.select(&AUTHOR).map(text_of).collect();
        if authors.is_empty() {
            let t = text_of(byline);
            for name in crate::header::split_names(t.trim_start_matches("by ")) {
                work.add_author(&name);
            }
        }
        for a in authors {
            work.add_author(&a);
        }
    }
    if let Some(meta) = doc.select(&PREFACE_META).next() {
        for (label, html) in labelled_blockquotes(meta) {
            match label.to_lowercase().as_str() {
                "summary" => append_html(&mut work.summary, html),
                "end notes" => append_html(&mut work.end_notes, html),
                _ => append_html(&mut work.notes, html),
            }
        }
    }
    for meta in doc.select(&AFTERWORD_META) {
        for (label, html) in labelled_blockquotes(meta) {
            if label.to_lowercase().contains("end notes") {
                append_html(&mut work.end_notes, html);
            } else {
                append_html(&mut work.notes, html);
            }
        }
    }

    if let Some(chapters) = doc.select(&CHAPTERS).next() {
        read_chapters(chapters, &mut work);
    }
    if work
        .chapters
        .iter()
        .all(|c| quire_text::html_to_text(&c.content).trim().is_empty())
    {
        return Err(ErrorReason::NoBody);
    }
    if status.is_none() && work.expected_chapters.is_none() {
        work.complete = work.chapters.len() == 1;
    }
    work.finalize(profile);
    Ok(work)
}

fn read_chapters(chapters: ElementRef<'_>, work: &mut ParsedWork) {
    let mut pending: Option<ParsedChapter> = None;
    let has_userstuff_child = chapters
        .children()
        .filter_map(ElementRef::wrap)
        .any(|c| c.value().classes().any(|k| k == "userstuff"));
    if !has_userstuff_child {
        // A one-chapter download: the text is #chapters itself.
        work.chapters.push(chapter_of(quire_text::sanitize_html(
            &chapters.inner_html(),
        )));
        return;
    }
    for child in chapters.children().filter_map(ElementRef::wrap) {
        let classes: Vec<&str> = child.value().classes().collect();
        if classes.contains(&"meta") {
            let heading = child.select(&HEADING).next().map(text_of);
            let notes = labelled_blockquotes(child);
            if heading.is_none()
                && let Some(last) = work.chapters.last_mut()
                && pending.is_none()
            {
                for (label, html) in notes {
                    if label.to_lowercase().contains("end notes") {
                        append_html(&mut last.end_notes, html);
                    } else {
                        append_html(&mut last.notes, html);
                    }
                }
                continue;
            }
            let mut ch = pending.take().unwrap_or_default();
            ch.title = heading
                .map(|h| CHAPTER_PREFIX.replace(&h, "").trim().to_owned())
                .filter(|t| !t.is_empty());
            for (label, html) in notes {
                let l = label.to_lowercase();
                if l.contains("summary") {
                    append_html(&mut ch.summary, html);
                } else if l.contains("end notes") {
                    append_html(&mut ch.end_notes, html);
                } else {
                    append_html(&mut ch.notes, html);
                }
            }
            pending = Some(ch);
        } else if classes.contains(&"userstuff") {
            let content = quire_text::sanitize_html(&child.inner_html());
            let mut ch = pending.take().unwrap_or_default();
            ch.word_count = quire_text::word_count_html(&content);
            ch.content = content;
            ch.posted = true;
            work.chapters.push(ch);
        }
    }
}
