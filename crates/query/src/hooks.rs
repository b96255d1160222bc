//! The engine's boundaries: the [`Fetcher`] that answers a key, the [`Persist`] hook that
//! stores answers (the app's SQLite cache implements it) and the [`Listener`] told about
//! every state change.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::{self, BoxFuture};
use sellerdash_state::{AppError, Connectivity, ErrorKind, QueryKey, QuerySnapshot};
use serde_json::Value;

/// A failed fetch, classified for the retry logic and connectivity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct FetchError {
    pub error: AppError,
    /// The same request may succeed if simply tried again later.
    pub retryable: bool,
    /// The remote is unreachable or down (as opposed to refusing this request).
    pub connectivity: bool,
}

impl FetchError {
    /// No answer within `limit`, the policy's request timeout: "the server did not answer
    /// within 10 s".
    pub fn timeout(limit: Duration) -> Self {
        Self {
            error: AppError::new(
                ErrorKind::Network,
                format!("the server did not answer within {} s", seconds(limit)),
            ),
            retryable: true,
            connectivity: true,
        }
    }
}

/// Whole seconds as `5`, fractions with up to three decimals (`0.5`, `0.25`).
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        return duration.as_secs().to_string();
    }
    let text = format!("{:.3}", duration.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What answers a query key with JSON.
pub trait Fetcher: Send + Sync + 'static {
    fn fetch(&self, key: &QueryKey) -> BoxFuture<'static, Result<Value, FetchError>>;
}

/// One stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedQuery {
    pub key: QueryKey,
    pub data: Value,
    /// When the answer was fetched from the remote.
    pub fetched_at: DateTime<Utc>,
}

/// The persistence hook: every successful answer is handed to [`Persist::save`].
pub trait Persist: Send + Sync + 'static {
    fn save<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, ()>;
}

/// Persists nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPersist;

impl Persist for NoPersist {
    fn save<'a>(&'a self, _entry: &'a CachedQuery) -> BoxFuture<'a, ()> {
        Box::pin(future::ready(()))
    }
}

/// Told about every change, from the engine's tasks, in order. Must not block.
pub trait Listener: Send + Sync + 'static {
    /// A query's snapshot changed (status, data, updated at, error, fetching).
    fn query_updated(&self, snapshot: &QuerySnapshot);
    /// The remote's reachability changed.
    fn connectivity_changed(&self, state: &Connectivity);
    /// The remote answers again after failures (reported after the `Online` change, as
    /// every running query is told to refetch): the moment to send what waited for it.
    fn reconnected(&self) {}
    /// A fresh answer was applied; awaited by the query before it is persisted.
    fn answered<'a>(&'a self, _key: &'a QueryKey, _data: &'a Value) -> BoxFuture<'a, ()> {
        Box::pin(future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_says_how_long_was_waited() {
        assert_eq!(
            FetchError::timeout(Duration::from_secs(10)).to_string(),
            "the server did not answer within 10 s"
        );
        assert_eq!(
            FetchError::timeout(Duration::from_millis(1500)).to_string(),
            "the server did not answer within 1.5 s"
        );
    }
}
