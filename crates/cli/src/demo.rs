//! `quire serve --demo`: a ready-to-browse archive in an empty data directory.

use quire_core::Rating;
use quire_core::WorkId;
use quire_store::{Store, WorkCriteria};

use crate::Failure;
use quire_import::pipeline::ImportOptions;
use quire_seed::CorpusOptions;

/// A bundled sample: its path under the samples folder and its bytes.
macro_rules! sample {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("../../../tests/data/legacy/", $path)),
        )
    };
}

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
        let report = crate::seed::into_store(store, DEMO).await?;
        println!(
            "Seeded {} works in {:.1}s.",
            report.works,
            report.elapsed.as_secs_f64()
        );
        let imported = import_samples(store).await?;
        println!("Imported {imported} works from bundled legacy archive files.");
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
        // General Audiences, so that a member reads it at once, without the adult gate.
        restricted: store
            .find_work(WorkCriteria {
                rating: Some(Rating::GeneralAudiences),
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

/// Legacy files bundled with the binary (copies of the importer's fixtures), as (path, bytes).
const SAMPLES: &[(&str, &[u8])] = &[
    sample!("archive-header.txt"),
    sample!("mailing-list.txt"),
    sample!("multi-chapter.txt"),
    sample!("cp1252-crlf.txt"),
    sample!("html-page.html"),
    sample!("ao3-download.html"),
    sample!("fanficfare.txt"),
    sample!("usenet-thread.mbox"),
    sample!("efiction/hollowmere.sql"),
    sample!("efiction/stories/3/902.txt"),
];

/// The archive the samples are imported as.
const SAMPLE_ARCHIVE: &str = "Lanterns of Hollowmere";

/// Imports the bundled samples as an archivist would: written to a folder, then the same
/// import `quire import --archive "Lanterns of Hollowmere" FOLDER` runs. Returns the number of
/// works stored.
async fn import_samples(store: &dyn Store) -> Result<u64, Failure> {
    let dir = tempfile::tempdir()
        .map_err(|e| Failure::runtime(format!("cannot make a temporary folder: {e}")))?;
    let root = dir.path().join("hollowmere");
    for (path, bytes) in SAMPLES {
        let target = root.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, bytes));
        written.map_err(|e| Failure::runtime(format!("cannot write {}: {e}", target.display())))?;
    }
    let options = ImportOptions {
        paths: vec![root],
        archive: Some(SAMPLE_ARCHIVE.to_owned()),
        ..ImportOptions::default()
    };
    let report = crate::import::import(Some(store), &options, false).await?;
    Ok(report.imported + report.updated)
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
