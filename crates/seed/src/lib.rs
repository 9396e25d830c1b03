//! The synthetic corpus of `quire seed`: fills an archive (or a folder of legacy files) with
//! deterministic works, for demos, benchmarks and tests.

mod corpus;
mod emit;
mod words;

pub use corpus::{Corpus, CorpusOptions, SeedChapter, SeedWork};
pub use emit::ARCHIVE_NAME;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use quire_core::{PseudId, SeriesId};
use quire_store::{NewSeries, NewUser, Store, StoreError};

use corpus::author_pseuds;

/// Why seeding stopped.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the story files: {0}")]
    Io(#[from] std::io::Error),
    #[error("the corpus generator stopped unexpectedly: {0}")]
    Generator(#[from] tokio::task::JoinError),
}

/// Works per transaction.
const BATCH: usize = 500;

/// What a seed run did.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub works: u64,
    pub elapsed: Duration,
}

/// Generates the corpus into the store, one transaction per batch of 500 works. Generation
/// runs on its own thread, at most two batches ahead of the writer. `progress` is told the number of works stored so far after each batch.
pub async fn into_store(
    store: &dyn Store,
    options: CorpusOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SeedReport, SeedError> {
    let started = Instant::now();
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
        progress(works);
    }
    generator.await?;
    Ok(SeedReport {
        works,
        elapsed: started.elapsed(),
    })
}

/// Writes the corpus as legacy plain-text story files under `dir`. `progress` is told the
/// number of files written so far after each one.
pub fn into_files(
    dir: &Path,
    options: CorpusOptions,
    progress: &dyn Fn(u64),
) -> Result<SeedReport, SeedError> {
    let started = Instant::now();
    let mut works = 0;
    for seed_work in Corpus::new(options) {
        emit::write_story(dir, &seed_work)?;
        works += 1;
        progress(works);
    }
    Ok(SeedReport {
        works,
        elapsed: started.elapsed(),
    })
}

async fn create_author(store: &dyn Store, index: usize) -> Result<Vec<PseudId>, StoreError> {
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
