//! The state every handler shares: the store and the admin token.

use std::sync::Arc;

use crate::store::Store;

/// Shared by every request; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    admin_token: Arc<str>,
}

impl AppState {
    pub fn new(store: Store, admin_token: impl Into<Arc<str>>) -> Self {
        Self {
            store,
            admin_token: admin_token.into(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }
}
