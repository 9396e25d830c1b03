//! The deterministic synthetic corpus: the same seed always gives the same archive.
//!
//! Shapes follow what large archives look like: fandoms, authors and tags are Zipf-distributed
//! (a few huge, a long tail), word counts are log-normal (median about 2,000, a tail to
//! 300,000), relationships and characters are drawn within the work's fandom.

use chrono::{Days, NaiveDate};
use quire_core::work::{NewChapter, NewWork, WorkStats};
use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Zipf};

use crate::words::{ADJECTIVES, FIRST_NAMES, FREEFORMS, LANGUAGES, MEDIA, NOUNS, PROSE, SURNAMES};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct CorpusOptions {
    pub works: u64,
    pub seed: u64,
    /// Upper bound on one work's length.
    pub max_words: u32,
}

/// One generated work, with its creators and series named by index (the caller turns them into
/// store ids) and its text as plain paragraphs.
pub struct SeedWork {
    /// 0-based index of the work in the corpus.
    pub index: u64,
    /// Author indices; the first is the main author.
    pub authors: Vec<usize>,
    /// Which of the main author's pseuds the work is posted under (0 = default).
    pub pseud: usize,
    /// Series index and position in it.
    pub series: Option<(usize, i32)>,
    pub work: NewWork,
    pub chapters: Vec<SeedChapter>,
}

pub struct SeedChapter {
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub words: u32,
    pub posted: bool,
    pub published: NaiveDate,
}

struct Fandom {
    name: String,
    characters: Vec<String>,
    relationships: Vec<String>,
}

/// The generator. Iterate it to get works in order.
pub struct Corpus {
    options: CorpusOptions,
    rng: ChaCha8Rng,
    fandoms: Vec<Fandom>,
    fandom_pick: Zipf<f64>,
    author_count: usize,
    author_pick: Zipf<f64>,
    freeform_pick: Zipf<f64>,
    words: LogNormal<f64>,
    hits: LogNormal<f64>,
    /// Per author: the series they are writing now (index, next position).
    open_series: std::collections::HashMap<usize, (usize, i32)>,
    series_count: usize,
    next: u64,
}

const EPOCH: (i32, u32, u32) = (2008, 1, 1);
const SPAN_DAYS: u64 = 6_878; // to 2026-10-31

impl Corpus {
    pub fn new(options: CorpusOptions) -> Corpus {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let fandom_count = usize::try_from(options.works / 50)
            .unwrap_or(usize::MAX)
            .max(20);
        let fandoms = (0..fandom_count)
            .map(|i| make_fandom(i, &mut rng))
            .collect();
        let author_count = usize::try_from(options.works / 4)
            .unwrap_or(usize::MAX)
            .max(10);
        Corpus {
            options,
            fandom_pick: zipf(fandom_count, 1.05),
            author_pick: zipf(author_count, 0.75),
            freeform_pick: zipf(FREEFORMS.len() + 2_000, 1.1),
            words: LogNormal::new(2_000f64.ln(), 1.2).expect("valid log-normal"),
            hits: LogNormal::new(900f64.ln(), 1.5).expect("valid log-normal"),
            author_count,
            fandoms,
            rng,
            open_series: std::collections::HashMap::new(),
            series_count: 0,
            next: 0,
        }
    }

    /// The title of the series with this index.
    pub fn series_title(index: usize) -> String {
        let (adj, noun, round) = word_pair(index);
        if round == 0 {
            format!("{adj} {noun} Cycle")
        } else {
            format!("{adj} {noun} Cycle {}", round + 1)
        }
    }

    fn work(&mut self) -> SeedWork {
        let index = self.next;
        self.next += 1;
        let rng = &mut self.rng;

        let author = sample(&self.author_pick, rng);
        let mut authors = vec![author];
        if rng.random_bool(0.05) {
            let co = rng.random_range(0..self.author_count);
            if co != author {
                authors.push(co);
            }
        }
        let pseud = usize::from(has_second_pseud(author) && rng.random_bool(0.3));

        let fandom_index = sample(&self.fandom_pick, rng);
        let mut tags = vec![(TagKind::Fandom, self.fandoms[fandom_index].name.clone())];
        if rng.random_bool(0.06) {
            let other = sample(&self.fandom_pick, rng);
            if other != fandom_index {
                tags.push((TagKind::Fandom, self.fandoms[other].name.clone()));
            }
        }
        let fandom = &self.fandoms[fandom_index];
        let relationship_count = [0, 1, 1, 1, 2, 3][rng.random_range(0..6)];
        for _ in 0..relationship_count {
            let r = skewed(rng, fandom.relationships.len());
            push_unique(&mut tags, TagKind::Relationship, &fandom.relationships[r]);
        }
        for _ in 0..rng.random_range(1..=6) {
            let c = skewed(rng, fandom.characters.len());
            push_unique(&mut tags, TagKind::Character, &fandom.characters[c]);
        }
        let freeforms = (rng.random::<f64>().powi(2) * 31.0) as usize;
        for _ in 0..freeforms.min(30) {
            let f = sample(&self.freeform_pick, rng);
            push_unique(&mut tags, TagKind::Freeform, &freeform_name(f));
        }

        let rating = pick_weighted(
            rng,
            &[
                (Rating::GeneralAudiences, 22),
                (Rating::TeenAndUpAudiences, 28),
                (Rating::Mature, 16),
                (Rating::Explicit, 20),
                (Rating::NotRated, 14),
            ],
        );
        let warning_weights = [
            (ArchiveWarning::CreatorChoseNotToUse, 35),
            (ArchiveWarning::NoneApply, 45),
            (ArchiveWarning::GraphicViolence, 8),
            (ArchiveWarning::MajorCharacterDeath, 6),
            (ArchiveWarning::RapeNonCon, 3),
            (ArchiveWarning::Underage, 3),
        ];
        let mut warnings = vec![pick_weighted(rng, &warning_weights)];
        if rng.random_bool(0.08) {
            let extra = pick_weighted(rng, &warning_weights[2..]);
            if !warnings.contains(&extra) && warnings[0] != ArchiveWarning::NoneApply {
                warnings.push(extra);
            }
        }
        let category_weights = [
            (Category::MM, 40),
            (Category::FM, 25),
            (Category::Gen, 20),
            (Category::FF, 8),
            (Category::Multi, 5),
            (Category::Other, 2),
        ];
        let mut categories = Vec::new();
        if rng.random_bool(0.92) {
            categories.push(pick_weighted(rng, &category_weights));
            if rng.random_bool(0.15) {
                let extra = pick_weighted(rng, &category_weights);
                if !categories.contains(&extra) {
                    categories.push(extra);
                }
            }
        }

        let total_words =
            (self.words.sample(rng).round() as u32).clamp(100, self.options.max_words.max(100));
        let chapter_count = if total_words < 2_500 {
            if rng.random_bool(0.9) { 1 } else { 2 }
        } else {
            (total_words / rng.random_range(2_000..6_000)).clamp(1, 50)
        };
        let draft = rng.random_bool(0.02);
        let complete = if chapter_count == 1 {
            rng.random_bool(0.95)
        } else {
            rng.random_bool(0.7)
        };
        let expected_chapters = if complete {
            Some(chapter_count as i32)
        } else if rng.random_bool(0.4) {
            None
        } else {
            Some(chapter_count as i32 + rng.random_range(1..10))
        };
        let unposted_last = !draft && !complete && chapter_count > 1 && rng.random_bool(0.05);

        let published = day(rng.random_range(0..SPAN_DAYS));
        let updated = if chapter_count > 1 {
            published
                .checked_add_days(Days::new(rng.random_range(0..600)))
                .unwrap_or(published)
                .min(day(SPAN_DAYS))
        } else {
            published
        };

        let mut chapters = Vec::with_capacity(chapter_count as usize);
        let mut left = total_words;
        for c in 0..chapter_count {
            let share = if c + 1 == chapter_count {
                left
            } else {
                (total_words / chapter_count).max(1)
            };
            left = left.saturating_sub(share);
            let span = (updated - published).num_days().max(0) as u64;
            let chapter_day = published
                .checked_add_days(Days::new(
                    span * u64::from(c) / u64::from(chapter_count.max(2) - 1),
                ))
                .unwrap_or(published)
                .min(updated);
            chapters.push(SeedChapter {
                title: rng.random_bool(0.4).then(|| title(rng)),
                paragraphs: prose(rng, share),
                words: share,
                posted: !(draft || (unposted_last && c + 1 == chapter_count)),
                published: chapter_day,
            });
        }

        let hits = if draft {
            0
        } else {
            self.hits.sample(rng) as i64
        };
        let kudos = (hits as f64 * rng.random_range(0.02..0.12)) as i64;
        let stats = WorkStats {
            hits,
            kudos,
            comments: (kudos as f64 * rng.random_range(0.05..0.4)) as i64,
            bookmarks: (kudos as f64 * rng.random_range(0.05..0.25)) as i64,
        };

        let series = if rng.random_bool(0.08) {
            let (series, position) = *self.open_series.entry(author).or_insert_with(|| {
                self.series_count += 1;
                (self.series_count - 1, 1)
            });
            self.open_series.insert(author, (series, position + 1));
            if rng.random_bool(0.2) {
                self.open_series.remove(&author);
            }
            Some((series, position))
        } else {
            None
        };

        let summary_words = rng.random_range(12..40);
        let summary = format!("<p>{}</p>", sentence(rng, summary_words));
        let notes_words = rng.random_range(6..30);
        let notes = rng
            .random_bool(0.3)
            .then(|| format!("<p>{}</p>", sentence(rng, notes_words)));
        let language = if rng.random_bool(0.92) {
            "en"
        } else {
            LANGUAGES[rng.random_range(0..LANGUAGES.len())]
        };

        let work = NewWork {
            title: title(rng),
            creators: Vec::new(),
            rating,
            warnings,
            categories,
            tags,
            language: language.to_owned(),
            summary: Some(summary),
            notes,
            end_notes: None,
            expected_chapters,
            complete,
            published: Some(published),
            updated: Some(updated),
            posted: !draft,
            restricted: rng.random_bool(0.04),
            stats,
            chapters: Vec::new(),
            series: Vec::new(),
            source: None,
        };
        SeedWork {
            index,
            authors,
            pseud,
            series,
            work,
            chapters,
        }
    }
}

impl Iterator for Corpus {
    type Item = SeedWork;

    fn next(&mut self) -> Option<SeedWork> {
        (self.next < self.options.works).then(|| self.work())
    }
}

impl SeedWork {
    /// The work with its chapters as HTML, ready for the store (creators and series still empty).
    pub fn into_new_work(self) -> NewWork {
        let mut work = self.work;
        work.chapters = self
            .chapters
            .into_iter()
            .map(|c| {
                let mut html =
                    String::with_capacity(c.paragraphs.iter().map(|p| p.len() + 8).sum());
                for p in &c.paragraphs {
                    html.push_str("<p>");
                    html.push_str(p);
                    html.push_str("</p>\n");
                }
                NewChapter {
                    title: c.title,
                    content: html,
                    word_count: i64::from(c.words),
                    posted: c.posted,
                    published: Some(c.published),
                    ..NewChapter::default()
                }
            })
            .collect();
        work
    }
}

/// The login of the author with this index.
pub fn author_login(index: usize) -> String {
    let (adj, noun, round) = word_pair(index);
    let (adj, noun) = (adj.to_lowercase(), noun.to_lowercase());
    if round == 0 {
        format!("{adj}{noun}")
    } else {
        format!("{adj}{noun}{round}")
    }
}

/// The author's pseud names, default first.
pub fn author_pseuds(index: usize) -> Vec<String> {
    let mut pseuds = vec![author_login(index)];
    if has_second_pseud(index) {
        pseuds.push(format!(
            "{} {}",
            FIRST_NAMES[index % FIRST_NAMES.len()],
            SURNAMES[(index / 7) % SURNAMES.len()]
        ));
    }
    pseuds
}

/// The `index`-th distinct (adjective, noun) pair, and how many times every pair was used
/// before it. Neighbouring indices differ in both words (the noun steps by 2 per index, which
/// stays a one-to-one map because 2·35 + 1 and 38 have no common factor).
fn word_pair(index: usize) -> (&'static str, &'static str, usize) {
    let (a, n) = (ADJECTIVES.len(), NOUNS.len());
    let adj = ADJECTIVES[index % a];
    let noun = NOUNS[(index / a + 2 * index) % n];
    (adj, noun, index / (a * n))
}

fn has_second_pseud(author: usize) -> bool {
    author % 6 == 1
}

fn zipf(n: usize, s: f64) -> Zipf<f64> {
    Zipf::new(n.max(1) as f64, s).expect("valid zipf")
}

/// A 0-based index from a Zipf sampler.
fn sample(zipf: &Zipf<f64>, rng: &mut ChaCha8Rng) -> usize {
    (zipf.sample(rng) as usize).saturating_sub(1)
}

/// An index in `0..len` skewed toward the start (the fandom's main characters).
fn skewed(rng: &mut ChaCha8Rng, len: usize) -> usize {
    ((rng.random::<f64>().powi(3) * len as f64) as usize).min(len.saturating_sub(1))
}

fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, weights: &[(T, u32)]) -> T {
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (value, weight) in weights {
        if roll < *weight {
            return *value;
        }
        roll -= weight;
    }
    weights[weights.len() - 1].0
}

fn push_unique(tags: &mut Vec<(TagKind, String)>, kind: TagKind, name: &str) {
    if !tags.iter().any(|(_, n)| n == name) {
        tags.push((kind, name.to_owned()));
    }
}

fn day(offset: u64) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(EPOCH.0, EPOCH.1, EPOCH.2).expect("valid epoch");
    epoch.checked_add_days(Days::new(offset)).unwrap_or(epoch)
}

fn make_fandom(index: usize, rng: &mut ChaCha8Rng) -> Fandom {
    let (adj, noun, round) = word_pair(index);
    let media = MEDIA[index % MEDIA.len()];
    let name = if round == 0 {
        format!("The {adj} {noun}{media}")
    } else {
        format!("The {adj} {noun}{media} {}", round + 1)
    };
    let count = rng.random_range(6..30);
    let mut characters: Vec<String> = Vec::with_capacity(count);
    while characters.len() < count {
        let c = format!(
            "{} {}",
            FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())],
            SURNAMES[rng.random_range(0..SURNAMES.len())]
        );
        if !characters.contains(&c) {
            characters.push(c);
        }
    }
    let mut relationships = Vec::new();
    for i in 0..count.min(12) {
        let j = (i + 1 + rng.random_range(0..count - 1)) % count;
        if i == j {
            continue;
        }
        let sep = if rng.random_bool(0.8) { "/" } else { " & " };
        relationships.push(format!("{}{sep}{}", characters[i], characters[j]));
    }
    Fandom {
        name,
        characters,
        relationships,
    }
}

fn freeform_name(index: usize) -> String {
    match FREEFORMS.get(index) {
        Some(name) => (*name).to_owned(),
        None => {
            let i = index - FREEFORMS.len();
            format!(
                "{} {}{}",
                word_pair(i).0,
                word_pair(i).1,
                if i >= ADJECTIVES.len() * NOUNS.len() {
                    " Feelings"
                } else {
                    ""
                }
            )
        }
    }
}

fn title(rng: &mut ChaCha8Rng) -> String {
    let adj = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
    let noun = NOUNS[rng.random_range(0..NOUNS.len())];
    let other = NOUNS[rng.random_range(0..NOUNS.len())];
    match rng.random_range(0..4) {
        0 => format!("The {adj} {noun}"),
        1 => format!("The {noun} of the {other}"),
        2 => format!("{adj} {noun}s"),
        _ => format!("A {noun} for the {adj} {other}"),
    }
}

/// One sentence of `words` words, capitalized, with end punctuation.
fn sentence(rng: &mut ChaCha8Rng, words: u32) -> String {
    let mut s = String::with_capacity(words as usize * 7);
    for i in 0..words {
        let word = PROSE[rng.random_range(0..PROSE.len())];
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(word);
            if i + 1 < words && rng.random_ratio(1, 12) {
                s.push(',');
            }
        }
    }
    s.push(match rng.random_range(0..10) {
        0 => '?',
        1 => '!',
        _ => '.',
    });
    s
}

/// Paragraphs holding exactly `words` words.
fn prose(rng: &mut ChaCha8Rng, words: u32) -> Vec<String> {
    let mut paragraphs = Vec::with_capacity(words as usize / 80 + 1);
    let mut left = words;
    while left > 0 {
        let mut paragraph_words = rng.random_range(30..140).min(left);
        left -= paragraph_words;
        let mut p = String::with_capacity(paragraph_words as usize * 7);
        while paragraph_words > 0 {
            let n = rng.random_range(5..20).min(paragraph_words);
            paragraph_words -= n;
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&sentence(rng, n));
        }
        paragraphs.push(p);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(seed: u64) -> Vec<SeedWork> {
        Corpus::new(CorpusOptions {
            works: 300,
            seed,
            max_words: 20_000,
        })
        .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let a: Vec<_> = corpus(7)
            .into_iter()
            .map(|w| (w.authors.clone(), w.into_new_work()))
            .collect();
        let b: Vec<_> = corpus(7)
            .into_iter()
            .map(|w| (w.authors.clone(), w.into_new_work()))
            .collect();
        assert!(a == b);
        let c: Vec<_> = corpus(8).into_iter().map(|w| w.work.title).collect();
        assert_ne!(
            a.iter().map(|(_, w)| w.title.clone()).collect::<Vec<_>>(),
            c
        );
    }

    #[test]
    fn word_pairs_are_distinct_within_a_round() {
        let count = ADJECTIVES.len() * NOUNS.len();
        let pairs: std::collections::HashSet<_> = (0..count)
            .map(|i| (word_pair(i).0, word_pair(i).1))
            .collect();
        assert_eq!(pairs.len(), count);
        assert_eq!(word_pair(count).2, 1);
    }

    #[test]
    fn word_counts_are_the_real_counts_of_the_text() {
        for work in corpus(1) {
            for chapter in &work.chapters {
                let counted: usize = chapter
                    .paragraphs
                    .iter()
                    .map(|p| p.split_whitespace().count())
                    .sum();
                assert_eq!(counted, chapter.words as usize);
            }
        }
    }

    #[test]
    fn shapes_are_plausible() {
        let works = corpus(3);
        let ratings: std::collections::HashSet<_> = works.iter().map(|w| w.work.rating).collect();
        assert_eq!(ratings.len(), 5, "all five ratings occur");
        let mut words: Vec<u32> = works
            .iter()
            .map(|w| w.chapters.iter().map(|c| c.words).sum())
            .collect();
        words.sort_unstable();
        let median = words[words.len() / 2];
        assert!((1_000..4_000).contains(&median), "median {median}");
        assert!(*words.last().unwrap() <= 20_000, "max_words caps the tail");
        assert!(works.iter().any(|w| w.chapters.len() > 3));
        assert!(works.iter().any(|w| !w.work.posted), "some drafts");
        assert!(
            works.iter().any(|w| w.work.restricted),
            "some restricted works"
        );
        assert!(works.iter().any(|w| w.series.is_some()), "some series");
        assert!(works.iter().all(|w| {
            w.work
                .tags
                .iter()
                .filter(|(k, _)| *k == TagKind::Freeform)
                .count()
                <= 30
        }));
        // The biggest fandom is much bigger than the median one.
        let mut by_fandom = std::collections::HashMap::new();
        for w in &works {
            *by_fandom.entry(w.work.tags[0].1.clone()).or_insert(0) += 1;
        }
        let top = by_fandom.values().max().copied().unwrap_or(0);
        assert!(top >= 20, "top fandom has {top} of 300 works");
    }
}
