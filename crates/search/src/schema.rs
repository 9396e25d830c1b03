//! The index's fields, and a work turned into one document.
//!
//! Every filter of [`crate::WorkQuery`] is a term or range lookup on an indexed field, every
//! sort a fast field, and the visibility fields (posted, restricted, hidden by an admin,
//! creators) let results and counts go through [`quire_core::visibility::ListingScope`].

use chrono::Datelike;
use quire_core::visibility::{LISTING_CONDITIONS, ListingScope};
use quire_core::{TagKind, Work};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::graph::{TagGraph, tag_key};

/// Bumped whenever the fields or what goes into them change: an index of another version is
/// rebuilt at open.
pub const SCHEMA_VERSION: u32 = 3;

/// The tokenizer of the full-text fields: words, lowercased, English stems.
const TEXT_TOKENIZER: &str = "en_stem";

/// Handles to the fields, by meaning.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    /// Listed for guests / for signed-in members: `LISTING_CONDITIONS` evaluated for each
    /// scope when the work is indexed, so the index holds the one rule, not a copy of it.
    pub listed: [Field; 2],
    pub creator: Field,
    /// Per tag kind, in [`TagKind::ALL`] order: the lowercased names the work is filed under.
    pub tags: [Field; 7],
    /// Per tag kind: the same names as written, minus synonyms, for facet counts.
    pub facets: [Field; 7],
    pub fandom_count: Field,
    pub complete: Field,
    pub words: Field,
    /// Hits, kudos, comments and bookmarks.
    pub counters: [Field; 4],
    pub title_sort: Field,
    pub author_sort: Field,
    pub posted_day: Field,
    pub updated_day: Field,
    pub posted_order: Field,
    pub updated_order: Field,
    pub language: Field,
    pub archive: Field,
    pub title: Field,
    pub meta_text: Field,
    pub body: Field,
}

/// Fast-field names used for sorting.
pub mod sort {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title_sort";
    pub const AUTHOR: &str = "author_sort";
    pub const WORDS: &str = "words";
    pub const HITS: &str = "hits";
    pub const KUDOS: &str = "kudos";
    pub const COMMENTS: &str = "comments";
    pub const BOOKMARKS: &str = "bookmarks";
    pub const POSTED: &str = "posted_day";
    pub const UPDATED: &str = "updated_day";
    /// The day and the work id in one value ([`super::day_order`]): sorting by date with ties
    /// by id reads one column, not two.
    pub const POSTED_ORDER: &str = "posted_order";
    pub const UPDATED_ORDER: &str = "updated_order";
}

/// The schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let facet = TextOptions::default().set_fast("raw");
    let text = |freqs| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_TOKENIZER)
                .set_index_option(freqs),
        )
    };
    let id = b.add_u64_field(sort::ID, INDEXED | FAST);
    let listed = [
        b.add_bool_field("listed_for_guests", INDEXED),
        b.add_bool_field("listed_for_members", INDEXED),
    ];
    let creator = b.add_u64_field("creator", INDEXED);
    let tags = TagKind::ALL.map(|k| b.add_text_field(k.as_str(), key.clone()));
    let facets = TagKind::ALL.map(|k| b.add_text_field(&format!("{k}_facet"), facet.clone()));
    let fandom_count = b.add_u64_field("fandom_count", INDEXED);
    let complete = b.add_bool_field("complete", INDEXED);
    let words = b.add_u64_field(sort::WORDS, INDEXED | FAST);
    let counters = [sort::HITS, sort::KUDOS, sort::COMMENTS, sort::BOOKMARKS]
        .map(|c| b.add_u64_field(c, FAST));
    let posted_day = b.add_i64_field(sort::POSTED, INDEXED);
    let updated_day = b.add_i64_field(sort::UPDATED, INDEXED);
    let posted_order = b.add_u64_field(sort::POSTED_ORDER, FAST);
    let updated_order = b.add_u64_field(sort::UPDATED_ORDER, FAST);
    let language = b.add_text_field("language", STRING);
    let archive = b.add_text_field("archive", STRING);
    let title_sort = b.add_text_field(sort::TITLE, facet.clone());
    let author_sort = b.add_text_field(sort::AUTHOR, facet);
    let title = b.add_text_field("title", text(IndexRecordOption::WithFreqs));
    let meta_text = b.add_text_field("meta_text", text(IndexRecordOption::WithFreqs));
    let body = b.add_text_field("body", text(IndexRecordOption::WithFreqs));
    let fields = Fields {
        id,
        listed,
        creator,
        tags,
        facets,
        fandom_count,
        complete,
        words,
        counters,
        title_sort,
        author_sort,
        posted_day,
        updated_day,
        posted_order,
        updated_order,
        language,
        archive,
        title,
        meta_text,
        body,
    };
    (b.build(), fields)
}

/// The index of a tag kind in [`TagKind::ALL`].
pub fn kind_index(kind: TagKind) -> usize {
    TagKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// A day as the index stores dates: days since 0001-01-01.
pub fn day_number(day: chrono::NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce())
}

/// Bits of [`day_order`] that hold the work id (ids below 2^40).
const ID_BITS: u32 = 40;

/// A day and a work id as one sort value: by day, then by id. Days since 0001-01-01 are
/// positive and below 2^24, so the pair fits.
pub fn day_order(day: chrono::NaiveDate, id: quire_core::WorkId) -> u64 {
    let day = u64::try_from(day_number(day)).unwrap_or(0);
    let id = u64::try_from(id).unwrap_or(0) & ((1 << ID_BITS) - 1);
    (day << ID_BITS) | id
}

/// The document of one work. `chapter_text` is the plain text of its posted chapters when the
/// index holds chapter text.
/// The scopes of [`Fields::listed`], in order.
pub const LISTED_SCOPES: [ListingScope; 2] = [
    ListingScope {
        include_restricted: false,
    },
    ListingScope {
        include_restricted: true,
    },
];

pub fn document(
    f: &Fields,
    work: &Work,
    graph: &TagGraph,
    chapter_text: Option<&str>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, u64::try_from(work.id).unwrap_or(0));
    for (field, scope) in f.listed.iter().zip(LISTED_SCOPES) {
        let listed = LISTING_CONDITIONS.iter().all(|c| c.holds(work, scope));
        doc.add_bool(*field, listed);
    }
    let mut meta_text = String::new();
    for pseud in &work.creators {
        doc.add_u64(f.creator, u64::try_from(pseud.user_id).unwrap_or(0));
        push_line(&mut meta_text, &pseud.name);
    }
    let mut fandoms: Vec<String> = Vec::new();
    // Two tags can share a meta tag: each name is filed (and counted in facets) once per work.
    let mut filed: Vec<(usize, String)> = Vec::new();
    for tag in &work.tags {
        let kind = kind_index(tag.kind);
        push_line(&mut meta_text, &tag.name);
        for name in graph.filter_tags(&tag.name) {
            let key = tag_key(&name);
            if filed.iter().any(|(k, n)| *k == kind && *n == key) {
                continue;
            }
            doc.add_text(f.tags[kind], &key);
            if !graph.is_synonym(&name) {
                doc.add_text(f.facets[kind], &name);
            }
            filed.push((kind, key));
        }
        let canonical = tag_key(graph.canonical(&tag.name));
        if tag.kind == TagKind::Fandom && !fandoms.contains(&canonical) {
            fandoms.push(canonical);
        }
    }
    doc.add_u64(f.fandom_count, fandoms.len() as u64);
    doc.add_bool(f.complete, work.complete);
    doc.add_u64(f.words, u64::try_from(work.word_count).unwrap_or(0));
    let stats = &work.stats;
    for (field, value) in
        f.counters
            .iter()
            .zip([stats.hits, stats.kudos, stats.comments, stats.bookmarks])
    {
        doc.add_u64(*field, u64::try_from(value).unwrap_or(0));
    }
    // A work of unknown date has no day: date ranges leave it out, and the date sorts put it
    // after every dated work in either direction (tantivy sorts a missing value last).
    if let Some(day) = work.published {
        doc.add_i64(f.posted_day, day_number(day));
        doc.add_u64(f.posted_order, day_order(day, work.id));
    }
    if let Some(day) = work.updated {
        doc.add_i64(f.updated_day, day_number(day));
        doc.add_u64(f.updated_order, day_order(day, work.id));
    }
    doc.add_text(f.language, tag_key(&work.language));
    if let Some(source) = &work.source {
        doc.add_text(f.archive, tag_key(&source.archive));
    }
    doc.add_text(f.title_sort, work.title.trim().to_lowercase());
    if let Some(first) = work.creators.first() {
        doc.add_text(f.author_sort, first.name.trim().to_lowercase());
    }
    doc.add_text(f.title, &work.title);
    for html in [&work.summary, &work.notes, &work.end_notes]
        .into_iter()
        .flatten()
    {
        push_line(&mut meta_text, &plain_text(html));
    }
    doc.add_text(f.meta_text, &meta_text);
    if let Some(text) = chapter_text {
        doc.add_text(f.body, text);
    }
    doc
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// The words of sanitized HTML: tags dropped, the common entities decoded. Good enough for
/// tokenizing, which splits on punctuation anyway.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}
