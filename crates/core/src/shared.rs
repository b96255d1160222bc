//! The state the handle and the pollers share: snapshots, connectivity, the pending total,
//! the notifier, the pollers' command senders and the event sink. Every change goes out
//! through the sink as a [`CoreEvent`], sent after the lock that made it is released.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use sellerdash_api::OrderPage;
use sellerdash_state::{Connectivity, CoreEvent, QueryKey, QuerySnapshot, QueryStatus};
use tokio::sync::mpsc::UnboundedSender;

use crate::connectivity::{Change, Tracker};
use crate::notifier::Notifier;
use crate::policy::Policies;
use crate::poller::Command;
use crate::source::Source;
use crate::store::{CachedQuery, Store};

/// Where the core reports: called once per event, in order, from the core's tasks. It must
/// not block (send into a channel, emit a Tauri event).
pub type EventSink = Arc<dyn Fn(CoreEvent) + Send + Sync>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct Shared {
    pub source: Arc<dyn Source>,
    pub store: Arc<dyn Store>,
    pub policies: Policies,
    sink: EventSink,
    snapshots: Mutex<BTreeMap<QueryKey, QuerySnapshot>>,
    connectivity: Mutex<Tracker>,
    pending_total: Mutex<Option<u64>>,
    notifier: tokio::sync::Mutex<Notifier>,
    pollers: Mutex<BTreeMap<QueryKey, UnboundedSender<Command>>>,
    window_visible: AtomicBool,
}

impl Shared {
    pub fn new(
        source: Arc<dyn Source>,
        store: Arc<dyn Store>,
        policies: Policies,
        sink: EventSink,
        notifier: Notifier,
    ) -> Self {
        Self {
            source,
            store,
            policies,
            sink,
            snapshots: Mutex::new(BTreeMap::new()),
            connectivity: Mutex::new(Tracker::new()),
            pending_total: Mutex::new(None),
            notifier: tokio::sync::Mutex::new(notifier),
            pollers: Mutex::new(BTreeMap::new()),
            window_visible: AtomicBool::new(true),
        }
    }

    pub fn emit(&self, event: CoreEvent) {
        (self.sink)(event);
    }

    pub fn stale_after_ms(&self, key: &QueryKey) -> u64 {
        u64::try_from(self.policies.for_key(key).stale_time.as_millis()).unwrap_or(u64::MAX)
    }

    pub fn snapshot(&self, key: &QueryKey) -> Option<QuerySnapshot> {
        lock(&self.snapshots).get(key).cloned()
    }

    pub fn snapshots(&self) -> Vec<QuerySnapshot> {
        lock(&self.snapshots).values().cloned().collect()
    }

    /// Changes one query's snapshot (creating an empty one first) and reports it.
    pub fn update(&self, key: &QueryKey, change: impl FnOnce(&mut QuerySnapshot)) {
        let stale_after_ms = self.stale_after_ms(key);
        let snapshot = {
            let mut snapshots = lock(&self.snapshots);
            let snapshot = snapshots
                .entry(key.clone())
                .or_insert_with(|| QuerySnapshot::empty(key.clone(), stale_after_ms));
            change(snapshot);
            snapshot.clone()
        };
        self.emit(CoreEvent::QueryUpdated(snapshot));
    }

    /// Shows a cached answer (start-up, before any network answer).
    pub fn restore(&self, entry: CachedQuery) {
        let total = (entry.key == QueryKey::pending_orders())
            .then(|| serde_json::from_value::<OrderPage>(entry.data.clone()).ok())
            .flatten()
            .map(|page| page.total);
        self.update(&entry.key, |s| {
            s.status = QueryStatus::Success;
            s.data = Some(entry.data);
            s.updated_at = Some(entry.fetched_at);
            s.from_cache = true;
        });
        if let Some(total) = total {
            self.set_pending_total(total);
        }
    }

    pub fn connectivity(&self) -> Connectivity {
        lock(&self.connectivity).state().clone()
    }

    /// The marketplace answered. When the query that got the answer had itself failed to
    /// reach it (`recovered`) and the core was offline, that is a reconnect: every poller is
    /// told to refetch. (A success of a query that never failed is no reconnect: with one
    /// endpoint failing and the others answering, it would refetch everything each poll.)
    pub fn reachable(&self, at: tokio::time::Instant, recovered: bool) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            (tracker.reachable(Utc::now()), tracker.state().clone())
        };
        self.report(change, state);
        if change.reconnected && recovered {
            tracing::info!("the marketplace answers again; refetching every query");
            self.broadcast(&Command::Reconnect { at });
        }
    }

    /// The marketplace is unreachable or failing; the failing query retries at `retry_at`.
    pub fn unreachable(&self, reason: String, retry_at: Option<DateTime<Utc>>) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            (
                tracker.unreachable(Utc::now(), reason, retry_at),
                tracker.state().clone(),
            )
        };
        self.report(change, state);
    }

    fn report(&self, change: Change, state: Connectivity) {
        if change.changed {
            self.emit(CoreEvent::ConnectivityChanged(state));
        }
    }

    pub fn pending_total(&self) -> Option<u64> {
        *lock(&self.pending_total)
    }

    fn set_pending_total(&self, total: u64) {
        let changed = lock(&self.pending_total).replace(total) != Some(total);
        if changed {
            self.emit(CoreEvent::PendingTotal { total });
        }
    }

    /// A fresh pending page: persist and report the orders never notified, then the total.
    pub async fn pending_fetched(&self, page: &OrderPage) {
        let mut notifier = self.notifier.lock().await;
        let fresh = notifier.detect(&page.orders);
        let ids: Vec<String> = fresh
            .iter()
            .flat_map(|f| f.orders.iter().map(|o| o.id.clone()))
            .collect();
        if !ids.is_empty()
            && let Err(error) = self.store.add_notified(&ids, Utc::now()).await
        {
            tracing::warn!(%error, "cannot persist notified orders; they may be notified again after a restart");
        }
        notifier.mark(ids);
        drop(notifier);
        if let Some(fresh) = fresh {
            self.emit(CoreEvent::NewPendingOrders(fresh));
        }
        self.set_pending_total(page.total);
    }

    pub fn register(&self, key: QueryKey, commands: UnboundedSender<Command>) {
        lock(&self.pollers).insert(key, commands);
    }

    /// Sends `command` to the poller of every key under `prefix`; how many got it.
    pub fn send_under(&self, prefix: &QueryKey, command: &Command) -> usize {
        lock(&self.pollers)
            .iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .filter(|(_, sender)| sender.send(command.clone()).is_ok())
            .count()
    }

    pub fn broadcast(&self, command: &Command) -> usize {
        self.send_under(&QueryKey::new(Vec::<String>::new()), command)
    }

    pub fn set_window_visible(&self, visible: bool) {
        self.window_visible.store(visible, Ordering::Relaxed);
    }

    pub fn window_visible(&self) -> bool {
        self.window_visible.load(Ordering::Relaxed)
    }
}
