//! Times EPUB generation for a 100,000-word, 50-chapter work (the figure `bench/exports.sh`
//! records; target under 50 ms). Prints one JSON object on stdout.
//!
//! `cargo run --release -p quire-export --example epub_bench [RUNS]`

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use quire_core::{Chapter, Pseud, Rating, Tag, TagKind, Work, WorkStats};
use quire_export::{Book, Format, render};

const CHAPTERS: i32 = 50;
const WORDS_PER_CHAPTER: usize = 2_000;
const WORDS_PER_PARAGRAPH: usize = 100;

const VOCABULARY: &[&str] = &[
    "the",
    "lantern",
    "harbour",
    "bell",
    "rang",
    "and",
    "Mira",
    "Tomas",
    "map",
    "of",
    "a",
    "light",
    "over",
    "water",
    "night",
    "keeper",
    "said",
    "she",
    "he",
    "quietly",
    "tower",
    "salt",
    "wind",
    "was",
    "not",
    "yet",
    "morning",
    "across",
    "stone",
    "steps",
    "\u{201c}why\u{201d}",
];

/// A chapter of `WORDS_PER_CHAPTER` words in paragraphs, with some emphasis and scene breaks,
/// as sanitized stored HTML looks.
fn chapter_html(seed: usize) -> String {
    let mut html = String::with_capacity(WORDS_PER_CHAPTER * 7);
    let mut n = seed;
    for p in 0..WORDS_PER_CHAPTER / WORDS_PER_PARAGRAPH {
        if p > 0 && p % 7 == 0 {
            html.push_str("<hr />\n");
        }
        html.push_str("<p>");
        for w in 0..WORDS_PER_PARAGRAPH {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let word = VOCABULARY[(n >> 33) % VOCABULARY.len()];
            if w > 0 {
                html.push(' ');
            }
            if w % 23 == 5 {
                html.push_str("<em>");
                html.push_str(word);
                html.push_str("</em>");
            } else {
                html.push_str(word);
            }
        }
        html.push_str("</p>\n");
    }
    html
}

fn work() -> (Work, Vec<Chapter>) {
    let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default();
    let tag = |id, kind, name: &str| Tag {
        id,
        kind,
        name: name.to_owned(),
        canonical: true,
    };
    let work = Work {
        id: 1,
        title: "The Long Harbour".into(),
        creators: vec![Pseud {
            id: 1,
            user_id: 1,
            name: "Wren Ashdown".into(),
            login: "wren_ashdown".into(),
            is_default: true,
        }],
        rating: Rating::TeenAndUpAudiences,
        tags: vec![
            tag(1, TagKind::Rating, "Teen And Up Audiences"),
            tag(2, TagKind::Fandom, "Lanterns of Hollowmere"),
            tag(3, TagKind::Relationship, "Mira/Tomas"),
            tag(4, TagKind::Freeform, "Slow Burn"),
        ],
        language: "en".into(),
        summary: Some("<p>Fifty chapters of harbour.</p>".into()),
        notes: Some("<p>Notes.</p>".into()),
        end_notes: None,
        word_count: i64::from(CHAPTERS) * WORDS_PER_CHAPTER as i64,
        chapter_count: CHAPTERS,
        expected_chapters: Some(CHAPTERS),
        complete: true,
        published: Some(day),
        updated: Some(day),
        posted: true,
        restricted: false,
        hidden_by_admin: false,
        series: vec![],
        gifts: Vec::new(),
        stats: WorkStats::default(),
        source: None,
    };
    let chapters = (1..=CHAPTERS)
        .map(|position| Chapter {
            id: i64::from(position),
            work_id: 1,
            position,
            title: Some(format!("Part {position}")),
            summary: None,
            notes: None,
            end_notes: None,
            content: chapter_html(position as usize),
            word_count: WORDS_PER_CHAPTER as i64,
            posted: true,
            published: Some(day),
        })
        .collect();
    (work, chapters)
}

fn main() -> Result<(), quire_export::ExportError> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let (work, chapters) = work();
    let words: usize = chapters
        .iter()
        .map(|c| quire_text::word_count_html(&c.content) as usize)
        .sum();
    let book = Book::new(&work, &chapters, "Quire");
    let bytes = render(Format::Epub, &book)?.len();
    let ms = |d: Duration| (d.as_secs_f64() * 10_000.0).round() / 10.0;
    let mut timings = Vec::new();
    for format in [Format::Epub, Format::Html, Format::Txt] {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let out = render(format, &book);
                let elapsed = start.elapsed();
                std::hint::black_box(out).map(|_| elapsed)
            })
            .collect::<Result<_, _>>()?;
        times.sort();
        timings.push((
            format,
            ms(times[runs / 2]),
            ms(times[0]),
            ms(times[runs - 1]),
        ));
    }
    let (_, median, min, max) = timings[0];
    let others: Vec<String> = timings[1..]
        .iter()
        .map(|(f, median, ..)| format!("\"{}_median_ms\": {median}", f.extension()))
        .collect();
    println!(
        "{{\"words\": {words}, \"chapters\": {CHAPTERS}, \"epub_bytes\": {bytes}, \"runs\": {runs}, \
         \"median_ms\": {median}, \"min_ms\": {min}, \"max_ms\": {max}, {}}}",
        others.join(", ")
    );
    Ok(())
}
