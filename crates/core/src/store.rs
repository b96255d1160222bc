//! The persistence hook: the core keeps its query cache and the set of already-notified
//! order ids through [`Store`]. [`crate::SqliteStore`] is the on-disk one; [`MemoryStore`]
//! keeps everything in memory (for tests on tokio's paused clock, and a cache-less core).

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use futures::future::{self, BoxFuture};
use sellerdash_query::Persist;
use sellerdash_state::QueryKey;

pub use sellerdash_query::CachedQuery;

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cache database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cache migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cache file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("cache entry is unreadable: {0}")]
    Corrupt(String),
    #[error("the cache is closed")]
    Closed,
}

/// Where the core persists what must survive a restart.
pub trait Store: Send + Sync + 'static {
    /// Every cached query answer.
    fn load_queries(&self) -> BoxFuture<'_, Result<Vec<CachedQuery>, StoreError>>;
    /// Stores (replaces) one query's answer.
    fn save_query<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The ids of every order the seller has already been told about.
    fn notified_ids(&self) -> BoxFuture<'_, Result<HashSet<String>, StoreError>>;
    /// Adds ids to the notified set (existing ones are kept).
    fn add_notified<'a>(
        &'a self,
        ids: &'a [String],
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Flushes and releases the store; the default does nothing.
    fn close(&self) -> BoxFuture<'_, ()> {
        Box::pin(future::ready(()))
    }
    /// Stores several answers at once ([`crate::SqliteStore`]: in one transaction). The
    /// default saves them one by one.
    fn save_queries<'a>(
        &'a self,
        entries: &'a [CachedQuery],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            for entry in entries {
                self.save_query(entry).await?;
            }
            Ok(())
        })
    }
    /// Tells `sink` what happens to the store that the seller should know: first what already
    /// happened (a cache rebuilt at open), then each change as it comes. The default store
    /// has nothing to say.
    fn on_notice(&self, _sink: NoticeSink) {}
}

/// Something about the store the seller should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreNotice {
    /// The cache file could not be read at open: it was moved to `kept_as` and a new one
    /// built. `reason` is SQLite's complaint.
    Rebuilt { kept_as: PathBuf, reason: String },
    /// A write failed for lack of disk (full, or an I/O error): the store keeps what it is
    /// given in memory from now on, and tries the disk again later.
    MemoryOnly { reason: String },
    /// The disk took writes again: what was kept in memory is on disk now.
    DiskBack,
}

/// Where a [`Store`] reports its [`StoreNotice`]s. Must not block.
pub type NoticeSink = Arc<dyn Fn(StoreNotice) + Send + Sync>;

/// The engine's persistence hook over a [`Store`]: a failed save is logged, not fatal.
pub(crate) struct StorePersist(pub Arc<dyn Store>);

impl Persist for StorePersist {
    fn save<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Err(error) = self.0.save_query(entry).await {
                tracing::warn!(%error, key = %entry.key, "cannot cache an answer");
            }
        })
    }
}

#[derive(Debug, Default)]
struct MemoryState {
    queries: BTreeMap<QueryKey, CachedQuery>,
    notified: HashSet<String>,
}

/// A [`Store`] in memory. Clones share the same contents, so a test can "restart" a core
/// on the store an earlier one filled.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<MemoryState>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut MemoryState) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Store for MemoryStore {
    fn load_queries(&self) -> BoxFuture<'_, Result<Vec<CachedQuery>, StoreError>> {
        let entries = self.with(|s| s.queries.values().cloned().collect());
        Box::pin(future::ready(Ok(entries)))
    }

    fn save_query<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, Result<(), StoreError>> {
        self.with(|s| s.queries.insert(entry.key.clone(), entry.clone()));
        Box::pin(future::ready(Ok(())))
    }

    fn notified_ids(&self) -> BoxFuture<'_, Result<HashSet<String>, StoreError>> {
        let ids = self.with(|s| s.notified.clone());
        Box::pin(future::ready(Ok(ids)))
    }

    fn add_notified<'a>(
        &'a self,
        ids: &'a [String],
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.with(|s| s.notified.extend(ids.iter().cloned()));
        Box::pin(future::ready(Ok(())))
    }
}
