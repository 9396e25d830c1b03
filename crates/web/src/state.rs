//! What every request handler can reach.

use std::sync::Arc;

use quire_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The archive's name, shown in the header and titles.
    pub site_name: Arc<str>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            site_name: Arc::from("Quire"),
        }
    }
}
