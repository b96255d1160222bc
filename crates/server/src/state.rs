//! The state every handler shares: the store, the admin token, the request counter and the
//! fault plan.

use std::sync::Arc;

use crate::faults::FaultHandle;
use crate::metrics::RequestCounter;
use crate::store::Store;

/// Shared by every request; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    admin_token: Arc<str>,
    requests: Arc<RequestCounter>,
    faults: FaultHandle,
    fault_endpoint: bool,
}

impl AppState {
    pub fn new(store: Store, admin_token: impl Into<Arc<str>>) -> Self {
        Self {
            store,
            admin_token: admin_token.into(),
            requests: Arc::default(),
            faults: FaultHandle::default(),
            fault_endpoint: false,
        }
    }

    /// The same, answering `POST /api/v1/admin/faults` (fault mode for manual testing).
    pub fn with_fault_endpoint(self) -> Self {
        Self {
            fault_endpoint: true,
            ..self
        }
    }

    pub fn faults(&self) -> &FaultHandle {
        &self.faults
    }

    pub fn fault_endpoint(&self) -> bool {
        self.fault_endpoint
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
