//! The state every handler shares: the store, the admin token and the request counter.

use std::sync::Arc;

use crate::metrics::RequestCounter;
use crate::store::Store;

/// Shared by every request; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    admin_token: Arc<str>,
    requests: Arc<RequestCounter>,
}

impl AppState {
    pub fn new(store: Store, admin_token: impl Into<Arc<str>>) -> Self {
        Self {
            store,
            admin_token: admin_token.into(),
            requests: Arc::default(),
        }
    }

    pub fn requests(&self) -> &Arc<RequestCounter> {
        &self.requests
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }
}
