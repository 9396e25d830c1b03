//! `quire seed`: fills an archive (or a folder of legacy files) with the synthetic corpus.

mod corpus;
mod emit;
mod words;

pub use corpus::{Corpus, CorpusOptions};

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use quire_core::{PseudId, SeriesId};
use quire_store::{NewSeries, NewUser, Store};

use corpus::{SeedWork, author_pseuds};

/// Works per transaction.
const BATCH: usize = 500;

/// What a seed run did.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub works: u64,
    pub elapsed: Duration,
}

/// Generates the corpus into the store. Generation runs on its own thread, one batch ahead
/// of the writer.
pub async fn into_store(store: &dyn Store, options: CorpusOptions) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let progress = progress_bar(options.works, "seeding");
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<SeedWork>>(2);
    let generator = tokio::task::spawn_blocking(move || {
        let mut corpus = Corpus::new(options).peekable();
        while corpus.peek().is_some() {
            let batch: Vec<SeedWork> = corpus.by_ref().take(BATCH).collect();
            if sender.blocking_send(batch).is_err() {
                break;
            }
        }
    });

    let mut pseuds: HashMap<usize, Vec<PseudId>> = HashMap::new();
    let mut series: HashMap<usize, SeriesId> = HashMap::new();
    let mut works = 0u64;
    while let Some(batch) = batches.recv().await {
        let mut ready = Vec::with_capacity(batch.len());
        for seed_work in batch {
            let mut creators = Vec::with_capacity(seed_work.authors.len());
            for (i, author) in seed_work.authors.iter().enumerate() {
                let ids = match pseuds.get(author) {
                    Some(ids) => ids.clone(),
                    None => {
                        let ids = create_author(store, *author).await?;
                        pseuds.insert(*author, ids.clone());
                        ids
                    }
                };
                let pick = if i == 0 {
                    seed_work.pseud.min(ids.len() - 1)
                } else {
                    0
                };
                creators.push(ids[pick]);
            }
            let series_place = match seed_work.series {
                Some((index, position)) => {
                    let id = match series.get(&index) {
                        Some(id) => *id,
                        None => {
                            let id = store
                                .create_series(&NewSeries {
                                    title: Corpus::series_title(index),
                                    summary: None,
                                    complete: index % 3 == 0,
                                })
                                .await?;
                            series.insert(index, id);
                            id
                        }
                    };
                    vec![(id, position)]
                }
                None => Vec::new(),
            };
            let mut work = seed_work.into_new_work();
            work.creators = creators;
            work.series = series_place;
            ready.push(work);
        }
        store.insert_works(&ready).await?;
        works += ready.len() as u64;
        progress.inc(ready.len() as u64);
    }
    generator.await?;
    progress.finish_and_clear();
    Ok(SeedReport {
        works,
        elapsed: started.elapsed(),
    })
}

/// Writes the corpus as legacy plain-text story files under `dir`.
pub fn into_files(dir: &Path, options: CorpusOptions) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let progress = progress_bar(options.works, "writing");
    let mut works = 0;
    for seed_work in Corpus::new(options) {
        emit::write_story(dir, &seed_work)?;
        works += 1;
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(SeedReport {
        works,
        elapsed: started.elapsed(),
    })
}

async fn create_author(store: &dyn Store, index: usize) -> anyhow::Result<Vec<PseudId>> {
    let names = author_pseuds(index);
    // Seeding into an archive seeded before meets the same authors again: reuse them.
    let user = match store.user_by_login(&names[0]).await? {
        Some(user) => user,
        None => {
            store
                .create_user(&NewUser {
                    login: names[0].clone(),
                    pseuds: names.clone(),
                    ..NewUser::default()
                })
                .await?
        }
    };
    let pseuds = store.pseuds_of(user.id).await?;
    // Keep the order of `names`: default first.
    Ok(names
        .iter()
        .filter_map(|n| pseuds.iter().find(|p| &p.name == n).map(|p| p.id))
        .collect())
}

fn progress_bar(total: u64, verb: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} works, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar.set_message(verb);
    bar
}
