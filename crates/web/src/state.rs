//! What every request handler can reach.

use std::sync::Arc;

use quire_store::Store;

use crate::cache::PageCache;

/// Memory for cached pages.
const PAGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The archive's name, shown in the header and titles.
    pub site_name: Arc<str>,
    /// Rendered guest pages.
    pub pages: Arc<PageCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            site_name: Arc::from("Quire"),
            pages: Arc::new(PageCache::new(PAGE_CACHE_BYTES)),
        }
    }
}
