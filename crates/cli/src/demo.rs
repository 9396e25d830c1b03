//! `quire serve --demo`: a ready-to-browse archive in an empty data directory.

use quire_core::Rating;
use quire_core::WorkId;
use quire_store::{Store, WorkCriteria};

use crate::Failure;
use crate::seed::{self, CorpusOptions};

/// The demo corpus: fixed, so every demo archive is the same.
const DEMO: CorpusOptions = CorpusOptions {
    works: 2_000,
    seed: 2026,
    max_words: 120_000,
};

/// Works worth opening first.
pub struct Examples {
    general: Option<WorkId>,
    explicit: Option<WorkId>,
    restricted: Option<WorkId>,
    multi_chapter: Option<WorkId>,
    imported: Option<WorkId>,
}

/// Seeds an empty archive (an existing one is kept as it is) and finds example works.
pub async fn prepare(store: &dyn Store) -> Result<Examples, Failure> {
    if store.counts().await?.works == 0 {
        println!("Creating the demo archive ({} works)…", DEMO.works);
        let report = seed::into_store(store, DEMO)
            .await
            .map_err(Failure::runtime)?;
        println!(
            "Seeded {} works in {:.1}s.",
            report.works,
            report.elapsed.as_secs_f64()
        );
    } else {
        println!("Reusing the existing archive.");
    }
    let public = |rating| WorkCriteria {
        rating: Some(rating),
        posted: Some(true),
        restricted: Some(false),
        ..WorkCriteria::default()
    };
    Ok(Examples {
        general: store.find_work(public(Rating::GeneralAudiences)).await?,
        explicit: store.find_work(public(Rating::Explicit)).await?,
        restricted: store
            .find_work(WorkCriteria {
                posted: Some(true),
                restricted: Some(true),
                ..WorkCriteria::default()
            })
            .await?,
        multi_chapter: store
            .find_work(WorkCriteria {
                multi_chapter: Some(true),
                ..public(Rating::TeenAndUpAudiences)
            })
            .await?,
        imported: store
            .find_work(WorkCriteria {
                imported: Some(true),
                ..WorkCriteria::default()
            })
            .await?,
    })
}

impl Examples {
    pub fn print(&self, url: &str) {
        let base = url.trim_end_matches('/');
        let line = |label: &str, id: Option<WorkId>| {
            if let Some(id) = id {
                println!("  {label:<34} {base}/works/{id}");
            }
        };
        println!("Example works:");
        line("General Audiences:", self.general);
        line("Multi-chapter (Teen And Up):", self.multi_chapter);
        line("Explicit (behind the adult gate):", self.explicit);
        line("Restricted (404 for guests):", self.restricted);
        line("Imported from a legacy archive:", self.imported);
    }
}
