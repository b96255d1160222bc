//! [`QueryEngine`]: the public face of the engine. Queries start when first observed or
//! pinned, poll while active, and are dropped after their gc time once inactive.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sellerdash_state::{Connectivity, QueryDiagnostics, QueryKey, QuerySnapshot, QueryStatus};
use serde_json::Value;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::hooks::{CachedQuery, Fetcher, Listener, Persist};
use crate::registry::{Command, DataEdit, Entry, PolicyFn, Registry, lock, millis};
use crate::task::QueryTask;

/// A key the policy table does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no query is known for the key {0}")]
pub struct UnknownKey(pub QueryKey);

/// Runs queries: one task per active key, sharing a fetcher, a persistence hook and a
/// listener. Dropping it stops every task.
///
/// Its tasks run on the tokio runtime it was created in, so `observe` and `pin` may be
/// called from any thread (a UI's main thread, say), inside a runtime or not.
pub struct QueryEngine {
    registry: Arc<Registry>,
    stop: CancellationToken,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    runtime: Option<Handle>,
}

impl QueryEngine {
    /// An engine resolving each key's policy with `policies`.
    pub fn new(
        fetcher: Arc<dyn Fetcher>,
        persist: Arc<dyn Persist>,
        listener: Arc<dyn Listener>,
        policies: PolicyFn,
    ) -> Self {
        Self {
            registry: Arc::new(Registry::new(fetcher, persist, listener, policies)),
            stop: CancellationToken::new(),
            tasks: Mutex::new(Vec::new()),
            runtime: Handle::try_current().ok(),
        }
    }

    /// Shows stored answers (before the first network answer) as `from_cache` snapshots.
    /// Keys without a policy are skipped. Nothing is fetched until a key is observed.
    pub fn restore(&self, cached: Vec<CachedQuery>) {
        for entry in cached {
            let Some(policy) = self.registry.policy(&entry.key) else {
                continue;
            };
            let stale_after_ms = millis(policy.stale_time);
            let snapshot = {
                let mut entries = lock(&self.registry.entries);
                let slot = entries.entry(entry.key.clone()).or_insert_with(|| {
                    Entry::new(QuerySnapshot::empty(entry.key.clone(), stale_after_ms))
                });
                let s = &mut slot.snapshot;
                s.status = QueryStatus::Success;
                s.refetch_interval_ms = policy
                    .refetch_interval
                    .for_data(Some(&entry.data))
                    .map(millis);
                s.data = Some(entry.data);
                s.updated_at = Some(entry.fetched_at);
                s.from_cache = true;
                s.clone()
            };
            self.registry.listener.query_updated(&snapshot);
        }
    }

    /// One more observer of `key`: the query starts (or keeps) polling.
    pub fn observe(&self, key: &QueryKey) -> Result<QuerySnapshot, UnknownKey> {
        self.hold(key, |entry| {
            entry.observers = entry.observers.saturating_add(1)
        })
    }

    /// Keeps `key` polling for as long as the engine runs, observed or not.
    pub fn pin(&self, key: &QueryKey) -> Result<QuerySnapshot, UnknownKey> {
        self.hold(key, |entry| entry.pinned = true)
    }

    /// One observer fewer; the last one gone (and unpinned), the query stops polling and is
    /// dropped after its gc time. Whether `key` had an observer.
    pub fn unobserve(&self, key: &QueryKey) -> bool {
        let mut entries = lock(&self.registry.entries);
        let Some(entry) = entries.get_mut(key).filter(|e| e.observers > 0) else {
            return false;
        };
        entry.observers -= 1;
        if !entry.active()
            && let Some(sender) = &entry.commands
        {
            // A closed channel means the task is gone; there is nothing left to stop.
            let _ = sender.send(Command::Active(false));
        }
        true
    }

    fn hold(
        &self,
        key: &QueryKey,
        change: impl FnOnce(&mut Entry),
    ) -> Result<QuerySnapshot, UnknownKey> {
        let policy = self
            .registry
            .policy(key)
            .ok_or_else(|| UnknownKey(key.clone()))?;
        let mut entries = lock(&self.registry.entries);
        let entry = entries.entry(key.clone()).or_insert_with(|| {
            Entry::new(QuerySnapshot::empty(key.clone(), millis(policy.stale_time)))
        });
        let was_active = entry.active();
        change(entry);
        let running = entry.commands.as_ref().is_some_and(|s| !s.is_closed());
        if running {
            if !was_active && let Some(sender) = &entry.commands {
                let _ = sender.send(Command::Active(true));
            }
        } else {
            let (sender, receiver) = mpsc::unbounded_channel();
            entry.commands = Some(sender);
            let task = QueryTask::new(
                key.clone(),
                policy,
                entry.snapshot.data.as_ref(),
                Arc::clone(&self.registry),
                receiver,
                self.stop.child_token(),
                entry.active(),
            );
            match self.runtime.clone().or_else(|| Handle::try_current().ok()) {
                Some(runtime) => {
                    let handle = runtime.spawn(task.run());
                    let mut tasks = lock(&self.tasks);
                    tasks.retain(|t| !t.is_finished());
                    tasks.push(handle);
                }
                None => {
                    tracing::error!(%key, "no tokio runtime to poll on; the engine was created outside one")
                }
            }
        }
        Ok(entry.snapshot.clone())
    }

    pub fn snapshot(&self, key: &QueryKey) -> Option<QuerySnapshot> {
        self.registry.snapshot(key)
    }

    /// Every known query's state, ordered by key.
    pub fn snapshots(&self) -> Vec<QuerySnapshot> {
        self.registry.snapshots()
    }

    /// Every known query's diagnostics, ordered by key.
    pub fn diagnostics(&self) -> Vec<QueryDiagnostics> {
        self.registry.diagnostics()
    }

    pub fn connectivity(&self) -> Connectivity {
        self.registry.connectivity()
    }

    /// Fetches every running query under `prefix` now, unless it has a request in flight.
    /// How many queries were asked.
    pub fn refetch(&self, prefix: &QueryKey) -> usize {
        self.registry.send_under(prefix, &Command::Refetch)
    }

    /// Marks every running query under `prefix` outdated: each fetches again with a request
    /// that starts now (an inactive one when it is next observed), and an answer to an
    /// earlier request is discarded. How many queries were marked.
    pub fn invalidate(&self, prefix: &QueryKey) -> usize {
        self.registry.send_under(prefix, &Command::Invalidate)
    }

    /// Invalidates exactly `key` (nothing under it); whether it was running.
    pub fn invalidate_exact(&self, key: &QueryKey) -> bool {
        self.registry.send_where(|k| k == key, &Command::Invalidate) > 0
    }

    /// Invalidates every running query `select` picks; how many.
    pub fn invalidate_where(&self, select: impl Fn(&QueryKey) -> bool) -> usize {
        self.registry.send_where(select, &Command::Invalidate)
    }

    /// A change the app made (an action the remote accepted): every query `select` picks
    /// shows it at once, `edit` applied to the data it holds then (`None`: no change), and
    /// fetches again as after [`invalidate`](Self::invalidate), so an answer from before the
    /// change never undoes it. The data keeps its age; the next answer replaces it. How many
    /// queries were told.
    pub fn edit_where(
        &self,
        select: impl Fn(&QueryKey) -> bool,
        edit: impl Fn(&Value) -> Option<Value> + Send + Sync + 'static,
    ) -> usize {
        let edit = DataEdit(Arc::new(edit));
        // Running queries apply it in their task, after every command sent before it.
        let running = self
            .registry
            .send_where(&select, &Command::Edit(edit.clone()));
        // The others (restored from the cache, never run) hold data no request can replace.
        running + self.registry.edit_where(&select, true, &edit)
    }

    /// The window gained focus: active queries refetch as their focus policy says.
    pub fn focus(&self) {
        self.registry.broadcast(&Command::Focus);
    }

    /// Replaces the policy table while the engine runs (new settings): every running query
    /// polls on its new policy from now on, its next request due its new interval after the
    /// last one started (or at once when that is already past), and queries that start
    /// later take theirs from `policies`. How many running queries were told.
    pub fn set_policies(&self, policies: PolicyFn) -> usize {
        self.registry.set_policies(policies)
    }

    /// The window was shown or hidden; queries without background refetch pause while it
    /// is hidden.
    pub fn set_visible(&self, visible: bool) {
        self.registry.set_visible(visible);
    }

    pub fn visible(&self) -> bool {
        self.registry.visible()
    }

    /// Stops every task, waiting at most `timeout` before aborting them.
    pub async fn shutdown(&self, timeout: Duration) {
        self.stop.cancel();
        let tasks = std::mem::take(&mut *lock(&self.tasks));
        let aborts: Vec<_> = tasks.iter().map(JoinHandle::abort_handle).collect();
        if tokio::time::timeout(timeout, futures::future::join_all(tasks))
            .await
            .is_err()
        {
            tracing::warn!("query tasks did not stop in time; aborting them");
            aborts.iter().for_each(tokio::task::AbortHandle::abort);
        }
    }
}

impl Drop for QueryEngine {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}
