//! Requests served, counted per path: what an operator (or a benchmark, or a test checking
//! a client's polling schedule) reads to know how hard clients poll the server.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Requests per path since the server started.
#[derive(Debug, Default)]
pub struct RequestCounter {
    by_path: Mutex<BTreeMap<String, u64>>,
}

impl RequestCounter {
    pub fn record(&self, path: &str) {
        if let Ok(mut by_path) = self.by_path.lock() {
            *by_path.entry(path.to_owned()).or_default() += 1;
        }
    }

    /// Every path served and how often.
    pub fn by_path(&self) -> BTreeMap<String, u64> {
        self.by_path
            .lock()
            .map(|by_path| by_path.clone())
            .unwrap_or_default()
    }

    pub fn total(&self) -> u64 {
        self.by_path().values().sum()
    }
}

/// Middleware: counts the request, then serves it.
pub async fn count(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    state.requests().record(request.uri().path());
    next.run(request).await
}
