//! The index on disk: opening it (and rebuilding it when it is missing, corrupt or of another
//! schema), staging changes, and committing them with the outbox position they reach.
//!
//! The last applied outbox `seq` travels in tantivy's commit payload, so it is on disk exactly
//! when the documents it covers are: a restart resumes from there.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

use quire_core::{TagKind, Work, WorkId};
use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::query::AllQuery;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::error::{Result, SearchError};
use crate::graph::TagGraph;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::tallies::{Directories, Tallies};

/// The folder of the index inside the data dir.
pub const INDEX_DIR: &str = "search-index";

/// Memory the writer may fill before it writes a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The derived, rebuildable search index of one node.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    pub(crate) graph: RwLock<TagGraph>,
    /// Counts of recent result sets, for the current generation of `reader`.
    pub(crate) tallies: Tallies,
    /// Tag directories (every tag of a kind, counted), for the current generation.
    pub(crate) directories: Directories,
    /// Whether `graph` holds the archive's wrangling yet (it starts empty).
    graph_loaded: AtomicBool,
    state: Mutex<State>,
    dir: PathBuf,
}

/// How [`SearchIndex::open`] found the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A usable index, filled up to some outbox position.
    Existing,
    /// A new, empty index (there was none, or the old one was unusable: the reason says why);
    /// it needs a full rebuild before it answers for the archive.
    Created { reason: String },
}

/// What the commit payload records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct State {
    version: u32,
    /// The last outbox `seq` applied; `None` until the first full rebuild completes.
    seq: Option<i64>,
    /// Whether documents carry their chapters' text.
    chapter_text: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing and re-creating it (empty) when it
    /// cannot be read, was written with another schema, or carries no valid state. The caller
    /// rebuilds an index reported as [`Opened::Created`] (see [`crate::follow`]).
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened)> {
        let (schema, fields) = schema::build();
        // tantivy can panic on a damaged file (a truncated footer underflows a length):
        // that is a corrupt index too, to rebuild rather than crash on.
        let existing = std::panic::catch_unwind(AssertUnwindSafe(|| open_existing(dir, &schema)))
            .unwrap_or_else(|_| Err("reading it panicked: its files are damaged".to_owned()));
        match existing {
            Ok((index, state)) => Ok((
                SearchIndex::from_parts(index, fields, state, dir)?,
                Opened::Existing,
            )),
            Err(reason) => {
                if dir.exists() {
                    tracing::warn!(
                        "search index at {} is unusable ({reason}): rebuilding it",
                        dir.display()
                    );
                } else {
                    tracing::info!("no search index at {}: building one", dir.display());
                }
                let index = create(dir, schema)?;
                let state = State {
                    version: SCHEMA_VERSION,
                    ..State::default()
                };
                let opened = SearchIndex::from_parts(index, fields, state, dir)?;
                opened.commit_state(state)?;
                Ok((opened, Opened::Created { reason }))
            }
        }
    }

    fn from_parts(
        mut index: Index,
        fields: Fields,
        state: State,
        dir: &Path,
    ) -> Result<SearchIndex> {
        // Segments are searched in parallel, one thread per core: a count over a million
        // works takes half the time on two cores.
        index.set_default_multithread_executor()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(None),
            graph: RwLock::new(TagGraph::new()),
            tallies: Tallies::default(),
            directories: Directories::with_capacity(2 * TagKind::ALL.len()),
            graph_loaded: AtomicBool::new(false),
            state: Mutex::new(state),
            dir: dir.to_owned(),
        })
    }

    /// The last outbox `seq` the index reflects; `None` when it has never been filled.
    pub fn applied_seq(&self) -> Option<i64> {
        lock(&self.state).seq
    }

    /// Whether documents carry their chapters' text (chosen at the last full rebuild).
    pub fn has_chapter_text(&self) -> bool {
        lock(&self.state).chapter_text
    }

    /// Replaces the wrangling used for new documents and for resolving query tags. Works
    /// already indexed keep their filter tags until they are re-indexed.
    pub fn set_tag_graph(&self, graph: TagGraph) {
        if let Ok(mut g) = self.graph.write() {
            *g = graph;
        }
        self.tallies.clear();
        self.directories.clear();
        self.graph_loaded.store(true, Ordering::Release);
    }

    /// Whether [`SearchIndex::set_tag_graph`] was called since the index was opened: until
    /// then the index files works and resolves query tags as if nothing were wrangled.
    pub fn has_tag_graph(&self) -> bool {
        self.graph_loaded.load(Ordering::Acquire)
    }

    /// Number of documents in the index (every work, listable or not).
    pub fn len(&self) -> Result<usize> {
        Ok(self.reader.searcher().search(&AllQuery, &Count)?)
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Stages a work's document in place of any older one. Seen by searches after
    /// [`SearchIndex::commit`].
    pub fn upsert(&self, work: &Work, chapter_text: Option<&str>) -> Result<()> {
        let doc = {
            let graph = self.graph.read().map_err(|_| poisoned())?;
            schema::document(&self.fields, work, &graph, chapter_text)
        };
        let mut writer = self.writer()?;
        let writer = writer.as_mut().ok_or_else(poisoned)?;
        writer.delete_term(id_term(&self.fields, work.id));
        writer.add_document(doc)?;
        Ok(())
    }

    /// Stages the removal of a work.
    pub fn delete(&self, id: WorkId) -> Result<()> {
        let mut writer = self.writer()?;
        let writer = writer.as_mut().ok_or_else(poisoned)?;
        writer.delete_term(id_term(&self.fields, id));
        Ok(())
    }

    /// Stages the removal of every document, the start of a full rebuild; `chapter_text` says
    /// whether the documents that follow carry chapter text.
    pub fn clear(&self, chapter_text: bool) -> Result<()> {
        let mut writer = self.writer()?;
        writer
            .as_mut()
            .ok_or_else(poisoned)?
            .delete_all_documents()?;
        lock(&self.state).chapter_text = chapter_text;
        Ok(())
    }

    /// Makes staged changes visible and durable, recording that the index now reflects the
    /// outbox up to `seq`.
    pub fn commit(&self, seq: i64) -> Result<()> {
        let state = State {
            seq: Some(seq),
            ..*lock(&self.state)
        };
        self.commit_state(state)
    }

    fn commit_state(&self, state: State) -> Result<()> {
        let payload = serde_json::to_string(&state).map_err(|e| SearchError::Io {
            path: self.dir.display().to_string(),
            source: std::io::Error::other(e),
        })?;
        {
            let mut writer = self.writer()?;
            let writer = writer.as_mut().ok_or_else(poisoned)?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        *lock(&self.state) = state;
        self.reader.reload()?;
        Ok(())
    }

    /// The writer, opened on first use so that a read-only node takes no lock.
    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        let mut guard = self.writer.lock().map_err(|_| poisoned())?;
        if guard.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => SearchError::Io {
                        path: self.dir.display().to_string(),
                        source: std::io::Error::other(
                            "another quire process is writing this index (stop it first)",
                        ),
                    },
                    other => SearchError::Index(other),
                })?;
            *guard = Some(writer);
        }
        Ok(guard)
    }
}

fn id_term(fields: &Fields, id: WorkId) -> Term {
    Term::from_field_u64(fields.id, u64::try_from(id).unwrap_or(0))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state is plain data: a panic elsewhere cannot leave it half-written.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn poisoned() -> SearchError {
    SearchError::Io {
        path: String::new(),
        source: std::io::Error::other("the index writer was poisoned by an earlier panic"),
    }
}

/// Opens an index that is readable, of this schema, with a valid state; else says why not.
fn open_existing(dir: &Path, schema: &Schema) -> std::result::Result<(Index, State), String> {
    if !dir.join("meta.json").exists() {
        return Err("no index there".to_owned());
    }
    let index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
    if index.schema() != *schema {
        return Err("it was built with another schema".to_owned());
    }
    let metas = index.load_metas().map_err(|e| e.to_string())?;
    let state: State = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or("it carries no outbox position")?;
    if state.version != SCHEMA_VERSION {
        return Err(format!(
            "it is of version {}, not {SCHEMA_VERSION}",
            state.version
        ));
    }
    // Reading every segment once finds truncated or damaged files now rather than mid-search.
    let reader = index.reader().map_err(|e| e.to_string())?;
    reader
        .searcher()
        .search(&AllQuery, &Count)
        .map_err(|e| e.to_string())?;
    Ok((index, state))
}

/// Creates an empty index in `dir`, removing whatever was there.
fn create(dir: &Path, schema: Schema) -> Result<Index> {
    let io = |source| SearchError::Io {
        path: dir.display().to_string(),
        source,
    };
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io)?;
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    Ok(Index::create_in_dir(dir, schema)?)
}
