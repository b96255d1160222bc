//! What the core adds around the query engine: the event sink, the pending total, the
//! new-order notifier and the window flag. [`Shared`] is the engine's [`Listener`]: every
//! snapshot and connectivity change becomes a [`CoreEvent`], and each fresh pending page
//! runs through the notifier before it is cached. An order that joins the pending list
//! refreshes the sales lists and dashboards at once ([`refresh_lists`]), so the Sales page
//! shows it as soon as the tray does rather than on its own (up to 60 s) interval. Each
//! reconnect bumps a counter others can wait on ([`Shared::reconnects`]).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use chrono::Utc;
use futures::future::BoxFuture;
use sellerdash_api::OrderPage;
use sellerdash_query::{Listener, QueryEngine};
use sellerdash_state::{
    CacheNotice, CacheNoticeKind, Connectivity, CoreEvent, QueryKey, QuerySnapshot,
};

use crate::notifier::Notifier;
use crate::outbox::Outbox;
use crate::policy::Policies;
use crate::source::Source;
use crate::store::{Store, StoreNotice};

/// Where the core reports: called once per event, in order, from the core's tasks. It must
/// not block (send into a channel, emit a Tauri event).
pub type EventSink = Arc<dyn Fn(CoreEvent) + Send + Sync>;

pub(crate) struct Shared {
    pub source: Arc<dyn Source>,
    pub store: Arc<dyn Store>,
    pub policies: Mutex<Policies>,
    sink: EventSink,
    pending_total: Mutex<Option<u64>>,
    notifier: tokio::sync::Mutex<Notifier>,
    window_visible: AtomicBool,
    /// The seller's actions; woken when the marketplace answers again.
    pub outbox: Arc<Outbox>,
    online: AtomicBool,
    reconnects: tokio::sync::watch::Sender<u64>,
    /// The cache notices not dismissed yet, and the last id given.
    notices: Mutex<(Vec<CacheNotice>, u64)>,
    /// The ids of the last pending page this run (none before the first).
    last_pending: Mutex<Option<HashSet<String>>>,
    /// The engine, for the refresh an arrival causes (set once it exists).
    engine: OnceLock<Weak<QueryEngine>>,
}

impl Shared {
    pub fn new(
        source: Arc<dyn Source>,
        store: Arc<dyn Store>,
        policies: Policies,
        sink: EventSink,
        notifier: Notifier,
        outbox: Arc<Outbox>,
    ) -> Self {
        Self {
            source,
            store,
            policies: Mutex::new(policies),
            sink,
            pending_total: Mutex::new(None),
            notifier: tokio::sync::Mutex::new(notifier),
            window_visible: AtomicBool::new(true),
            outbox,
            online: AtomicBool::new(false),
            reconnects: tokio::sync::watch::Sender::new(0),
            notices: Mutex::new((Vec::new(), 0)),
            last_pending: Mutex::new(None),
            engine: OnceLock::new(),
        }
    }

    /// The engine this is the listener of (it is created after this).
    pub fn attach(&self, engine: &Arc<QueryEngine>) {
        let _ = self.engine.set(Arc::downgrade(engine));
    }

    pub fn emit(&self, event: CoreEvent) {
        (self.sink)(event);
    }

    pub fn pending_total(&self) -> Option<u64> {
        *self
            .pending_total
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_pending_total(&self, total: u64) {
        let changed = self
            .pending_total
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(total)
            != Some(total);
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
        if self.arrived(page)
            && let Some(engine) = self.engine.get().and_then(Weak::upgrade)
        {
            refresh_lists(&engine);
        }
    }

    /// Whether `page` holds an order the previous pending page of this run did not (a new
    /// order, or one the buyer reopened): the lists that show it are out of date.
    fn arrived(&self, page: &OrderPage) -> bool {
        let ids: HashSet<String> = page.orders.iter().map(|o| o.id.clone()).collect();
        let previous = self
            .last_pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(ids.clone());
        previous.is_some_and(|previous| !ids.is_subset(&previous))
    }

    /// The store said something the seller should know: update the notices and report them.
    pub fn store_notice(&self, notice: StoreNotice) {
        let notices = {
            let mut guard = self.notices.lock().unwrap_or_else(PoisonError::into_inner);
            let (notices, last_id) = &mut *guard;
            let (kind, message) = match notice {
                StoreNotice::Rebuilt { kept_as, .. } => (
                    CacheNoticeKind::Rebuilt,
                    format!(
                        "The local cache was unreadable and has been rebuilt; the unreadable file was kept as {}. The pages fill again from the marketplace.",
                        kept_as.display()
                    ),
                ),
                StoreNotice::MemoryOnly { reason } => (
                    CacheNoticeKind::MemoryOnly,
                    if reason.is_empty() || reason.contains("full") {
                        "Disk full: the cache is kept in memory until restart. Pages keep \
                         updating; Sellerdash writes the cache to disk again as soon as there is room."
                            .to_owned()
                    } else {
                        format!(
                            "The local cache cannot be written ({reason}): it is kept in memory \
                             until restart. Pages keep updating."
                        )
                    },
                ),
                StoreNotice::DiskBack => {
                    notices.retain(|n| n.kind != CacheNoticeKind::MemoryOnly);
                    return self.emit(CoreEvent::CacheNotices {
                        notices: notices.clone(),
                    });
                }
            };
            if kind == CacheNoticeKind::MemoryOnly && notices.iter().any(|n| n.kind == kind) {
                return;
            }
            *last_id += 1;
            notices.push(CacheNotice {
                id: *last_id,
                kind,
                message,
                at: Utc::now(),
            });
            notices.clone()
        };
        self.emit(CoreEvent::CacheNotices { notices });
    }

    pub fn cache_notices(&self) -> Vec<CacheNotice> {
        self.notices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .clone()
    }

    /// The seller dismissed a notice: it is not shown again this run. Whether it was shown.
    pub fn dismiss_cache_notice(&self, id: u64) -> bool {
        let notices = {
            let mut guard = self.notices.lock().unwrap_or_else(PoisonError::into_inner);
            let before = guard.0.len();
            guard.0.retain(|n| n.id != id);
            if guard.0.len() == before {
                return false;
            }
            guard.0.clone()
        };
        self.emit(CoreEvent::CacheNotices { notices });
        true
    }

    pub fn set_window_visible(&self, visible: bool) {
        self.window_visible.store(visible, Ordering::Relaxed);
    }

    pub fn window_visible(&self) -> bool {
        self.window_visible.load(Ordering::Relaxed)
    }

    /// How many times the marketplace answered again after failures, watched.
    pub fn reconnects(&self) -> tokio::sync::watch::Receiver<u64> {
        self.reconnects.subscribe()
    }
}

impl Listener for Shared {
    fn query_updated(&self, snapshot: &QuerySnapshot) {
        self.emit(CoreEvent::QueryUpdated(snapshot.clone()));
    }

    fn connectivity_changed(&self, state: &Connectivity) {
        // The first answer after failures flushes the outbox.
        let online = matches!(state, Connectivity::Online { .. });
        if self.online.swap(online, Ordering::Relaxed) != online && online {
            self.outbox.wake();
        }
        self.emit(CoreEvent::ConnectivityChanged(state.clone()));
    }

    fn reconnected(&self) {
        // Also the engine's reconnect (a query that had failed answered again): queued
        // actions go out with the refetches.
        self.outbox.wake();
        self.reconnects.send_modify(|count| *count += 1);
    }

    fn answered<'a>(&'a self, key: &'a QueryKey, data: &'a serde_json::Value) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if *key != QueryKey::pending_orders() {
                return;
            }
            match serde_json::from_value::<OrderPage>(data.clone()) {
                Ok(page) => self.pending_fetched(&page).await,
                Err(error) => tracing::warn!(%error, "a pending page the core wrote is unreadable"),
            }
        })
    }
}

/// Requests of every sales list (not the order details) and every dashboard period that start
/// from here on see the marketplace's latest orders; earlier answers are discarded.
pub(crate) fn refresh_lists(engine: &QueryEngine) -> usize {
    let (dashboard, sales) = (QueryKey::dashboard(), QueryKey::sales_prefix());
    let details = QueryKey::order_prefix();
    engine.invalidate_where(|key| {
        key.starts_with(&dashboard) || (key.starts_with(&sales) && !key.starts_with(&details))
    })
}
