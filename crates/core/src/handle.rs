//! Starting the core and the [`CoreHandle`] the shell (or a CLI, or a test) holds: snapshots,
//! observers, diagnostics, refetch, invalidation, focus, window visibility, the seller's
//! actions and shutdown. Dropping the handle stops every task.

use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use sellerdash_api::{Order, OrderPage, OrderStatus, PayoutHistoryQuery};
use sellerdash_query::{Listener, PolicyFn, QueryEngine};
use sellerdash_state::outbox::{ActionOutcome, OutboxAction, OutboxEntry};
use sellerdash_state::{
    AppError, CacheNotice, Connectivity, CoreEvent, ErrorKind, QueryDiagnostics, QueryKey,
    QuerySnapshot,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::cache::{SqliteStore, account_scope};
use crate::export::{self, CsvExport};
use crate::http::{HttpOptions, HttpSource, HttpSourceError};
use crate::notifier::Notifier;
use crate::outbox::{
    FirstTry, MemoryOutbox, Outbox, OutboxHost, OutboxStore, SqliteOutbox, Submit, idempotency_key,
};
use crate::policy::Policies;
use crate::queries::{SellerFetcher, SellerQuery};
use crate::shared::{EventSink, Shared, refresh_lists};
use crate::source::{Source, SourceError};
use crate::store::{MemoryStore, Store, StoreError, StoreNotice, StorePersist};

/// How long [`CoreHandle::shutdown`] waits for the tasks before aborting them.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// What the core needs to run against a marketplace. Its `Debug` never shows the token.
#[derive(Clone)]
pub struct CoreConfig {
    /// The marketplace's base URL, `https://market.example`.
    pub marketplace_url: String,
    /// The seller's bearer token.
    pub token: String,
    /// Where `cache.sqlite` lives (created if missing).
    pub data_dir: PathBuf,
    pub policies: Policies,
}

impl CoreConfig {
    /// A config with the design's default policies.
    pub fn new(
        marketplace_url: impl Into<String>,
        token: impl Into<String>,
        data_dir: impl Into<PathBuf>,
    ) -> Self {
        Self {
            marketplace_url: marketplace_url.into(),
            token: token.into(),
            data_dir: data_dir.into(),
            policies: Policies::default(),
        }
    }
}

impl std::fmt::Debug for CoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreConfig")
            .field("marketplace_url", &self.marketplace_url)
            .field("token", &"<redacted>")
            .field("data_dir", &self.data_dir)
            .field("policies", &self.policies)
            .finish()
    }
}

/// The core could not start.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Source(#[from] HttpSourceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An [`EventSink`] that sends into an unbounded channel, and its receiving end.
pub fn channel_sink() -> (EventSink, mpsc::UnboundedReceiver<CoreEvent>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let sink: EventSink = Arc::new(move |event| {
        // A dropped receiver means nobody listens any more; that is not an error.
        let _ = sender.send(event);
    });
    (sink, receiver)
}

/// Starts the core.
pub struct Core;

impl Core {
    /// Runs against the marketplace at `config.marketplace_url` over HTTP, caching in
    /// `config.data_dir`. Cached answers are reported before this returns.
    pub async fn start(config: CoreConfig, sink: EventSink) -> Result<CoreHandle, CoreError> {
        let options = HttpOptions::default();
        let source = HttpSource::new(&config.marketplace_url, &config.token, options)?;
        Self::start_with_source(config, Arc::new(source), sink).await
    }

    /// Runs against any source, caching in `config.data_dir`. The URL and token of `config`
    /// only name the account the cache belongs to: another account's cached answers are
    /// dropped, not shown.
    pub async fn start_with_source(
        config: CoreConfig,
        source: Arc<dyn Source>,
        sink: EventSink,
    ) -> Result<CoreHandle, CoreError> {
        let started = std::time::Instant::now();
        let scope = account_scope(&config.marketplace_url, &config.token);
        let opened = match SqliteStore::open_in(&config.data_dir).await {
            Ok(store) => store
                .set_scope(&scope)
                .await
                .map(|dropped| (store, dropped)),
            Err(error) => Err(error),
        };
        match opened {
            Ok((store, dropped)) => {
                if dropped {
                    tracing::info!("the marketplace account changed; dropped the cached answers");
                }
                // The outbox lives in the same file, kept per account like the cache.
                let outbox = SqliteOutbox::new(store.clone(), scope);
                let handle = Self::start_with_outbox(
                    source,
                    Arc::new(store),
                    Arc::new(outbox),
                    config.policies,
                    sink,
                )
                .await?;
                tracing::info!(
                    elapsed_ms = started.elapsed().as_millis(),
                    restored = handle.engine.snapshots().len(),
                    "started from the cache"
                );
                Ok(handle)
            }
            Err(error) => {
                // No cache file can be written at all (a full or read-only disk): run on
                // memory and say so, rather than not start.
                tracing::warn!(%error, "the cache cannot be opened; keeping it in memory");
                let store = Arc::new(MemoryStore::new());
                let handle = Self::start_with(source, store, config.policies, sink).await?;
                handle.shared.store_notice(StoreNotice::MemoryOnly {
                    reason: error.to_string(),
                });
                Ok(handle)
            }
        }
    }

    /// Runs against any source and store: every cached answer is reported (as a snapshot
    /// with `from_cache = true`) before the pinned queries (dashboard, pending orders) start.
    pub async fn start_with(
        source: Arc<dyn Source>,
        store: Arc<dyn Store>,
        policies: Policies,
        sink: EventSink,
    ) -> Result<CoreHandle, CoreError> {
        let outbox = Arc::new(MemoryOutbox::new());
        Self::start_with_outbox(source, store, outbox, policies, sink).await
    }

    /// [`start_with`](Self::start_with) with the seller's actions kept in `outbox`: whatever
    /// an earlier run left queued or sending is replayed (with its own key) from the start.
    pub async fn start_with_outbox(
        source: Arc<dyn Source>,
        store: Arc<dyn Store>,
        outbox: Arc<dyn OutboxStore>,
        policies: Policies,
        sink: EventSink,
    ) -> Result<CoreHandle, CoreError> {
        let outbox = Arc::new(Outbox::new(outbox));
        let mut cached = store.load_queries().await.unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the query cache; starting without it");
            Vec::new()
        });
        // An answer a page could not decode (written by another app version, say) is as
        // good as none: the page loads it from the marketplace instead.
        cached.retain(|entry| {
            let readable = SellerQuery::parse(&entry.key).is_some_and(|q| q.decodes(&entry.data));
            if !readable {
                tracing::warn!(key = %entry.key, "dropping a cached answer that no longer decodes");
            }
            readable
        });
        let notified = store.notified_ids().await.unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the notified orders; old orders may be notified again");
            Default::default()
        });
        let shared = Arc::new(Shared::new(
            Arc::clone(&source),
            Arc::clone(&store),
            policies,
            sink,
            Notifier::new(notified),
            Arc::clone(&outbox),
        ));
        let weak = Arc::downgrade(&shared);
        store.on_notice(Arc::new(move |notice| {
            if let Some(shared) = weak.upgrade() {
                shared.store_notice(notice);
            }
        }));
        let pending_total = cached
            .iter()
            .find(|entry| entry.key == QueryKey::pending_orders())
            .and_then(|entry| serde_json::from_value::<OrderPage>(entry.data.clone()).ok())
            .map(|page| page.total);
        let policy_fn: PolicyFn = Arc::new(move |key: &QueryKey| policies.policy(key));
        let engine = Arc::new(QueryEngine::new(
            Arc::new(SellerFetcher { source }),
            Arc::new(StorePersist(store)),
            Arc::clone(&shared) as Arc<dyn Listener>,
            policy_fn,
        ));
        shared.attach(&engine);
        engine.restore(cached);
        if let Some(total) = pending_total {
            shared.set_pending_total(total);
        }
        for key in PINNED {
            let key = key();
            if let Err(error) = engine.pin(&key) {
                tracing::error!(%error, "a pinned query has no policy");
            }
        }
        let host = Arc::new(ActionHost {
            shared: Arc::clone(&shared),
            engine: Arc::downgrade(&engine),
        });
        // The pages ask for the outbox as soon as the core is up: list it before returning.
        outbox.report(host.as_ref()).await;
        let stop = CancellationToken::new();
        let worker = tokio::spawn(
            Arc::clone(&outbox).run(Arc::clone(&host) as Arc<dyn OutboxHost>, stop.clone()),
        );
        Ok(CoreHandle {
            shared,
            engine,
            host,
            outbox_stop: stop,
            outbox_worker: std::sync::Mutex::new(Some(worker)),
        })
    }
}

/// The queries that poll for as long as the core runs (the tray and the alerts need them).
const PINNED: [fn() -> QueryKey; 2] = [QueryKey::dashboard, QueryKey::pending_orders];

/// The running core. Every method is cheap and non-blocking except the actions and
/// [`shutdown`](Self::shutdown). Dropping it stops every query.
pub struct CoreHandle {
    shared: Arc<Shared>,
    engine: Arc<QueryEngine>,
    host: Arc<ActionHost>,
    outbox_stop: CancellationToken,
    outbox_worker: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Drop for CoreHandle {
    fn drop(&mut self) {
        self.outbox_stop.cancel();
    }
}

/// The outbox worker's view of the core.
struct ActionHost {
    shared: Arc<Shared>,
    engine: Weak<QueryEngine>,
}

impl OutboxHost for ActionHost {
    fn source(&self) -> &dyn Source {
        self.shared.source.as_ref()
    }

    fn action_timeout(&self) -> Duration {
        self.shared
            .policies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .action_timeout
    }

    fn settled(&self, order_id: &str, applied: Option<&Order>) {
        if let Some(engine) = self.engine.upgrade() {
            match applied {
                Some(order) => show_applied(&engine, &self.shared, order),
                None => invalidate_after_action(&engine, order_id),
            }
        }
    }

    fn emit(&self, event: CoreEvent) {
        self.shared.emit(event);
    }
}

/// Requests that start from here on see the action's change; earlier ones are discarded:
/// pending orders, every sales list, every dashboard period and that order's detail.
fn invalidate_after_action(engine: &QueryEngine, order_id: &str) {
    let (pending, detail) = (QueryKey::pending_orders(), QueryKey::order(order_id));
    engine.invalidate_where(|key| *key == pending || *key == detail);
    refresh_lists(engine);
}

/// The marketplace applied an action and answered the order as it now is: the order's
/// detail shows that answer, its rows in the lists its new status, and pending orders (and
/// the tray's count) no longer have it once it left pending, all at once and whatever
/// answers from before the action land later (a list fetched while the action was on its
/// way must not offer Confirm again); then everything [`invalidate_after_action`] names
/// refetches.
fn show_applied(engine: &QueryEngine, shared: &Shared, order: &Order) {
    let Ok(answered) = serde_json::to_value(order) else {
        invalidate_after_action(engine, &order.id);
        return;
    };
    let (pending, detail) = (QueryKey::pending_orders(), QueryKey::order(&order.id));
    let left_pending = order.status != OrderStatus::Pending;
    if left_pending
        && let Some(Ok(page)) = engine
            .snapshot(&pending)
            .and_then(|s| s.decode::<OrderPage>())
        && page.orders.iter().any(|row| row.id == order.id)
    {
        // The next answer says the marketplace's own total.
        shared.set_pending_total(page.total.saturating_sub(1));
    }
    engine.edit_where(move |key| *key == detail, move |_| Some(answered.clone()));
    let id = order.id.clone();
    engine.edit_where(
        move |key| *key == pending,
        move |data| {
            edit_page(data, |page| {
                let at = page.orders.iter().position(|row| row.id == id)?;
                left_pending.then(|| {
                    page.orders.remove(at);
                    page.total = page.total.saturating_sub(1);
                })
            })
        },
    );
    let summary = order.summary();
    let (sales, details) = (QueryKey::sales_prefix(), QueryKey::order_prefix());
    engine.edit_where(
        move |key| key.starts_with(&sales) && !key.starts_with(&details),
        move |data| {
            edit_page(data, |page| {
                let row = page.orders.iter_mut().find(|row| row.id == summary.id)?;
                *row = summary.clone();
                Some(())
            })
        },
    );
    // The edits invalidated the lists and the detail; the figures follow.
    engine.invalidate(&QueryKey::dashboard());
}

/// `change` applied to an [`OrderPage`] held as JSON; `None` when it is not one or
/// `change` left it as it was.
fn edit_page(
    data: &serde_json::Value,
    change: impl FnOnce(&mut OrderPage) -> Option<()>,
) -> Option<serde_json::Value> {
    let mut page: OrderPage = serde_json::from_value(data.clone()).ok()?;
    change(&mut page)?;
    serde_json::to_value(page).ok()
}

impl CoreHandle {
    /// The current state of one query, if the core knows it.
    pub fn snapshot(&self, key: &QueryKey) -> Option<QuerySnapshot> {
        self.engine.snapshot(key)
    }

    /// Every query's current state, ordered by key.
    pub fn snapshots(&self) -> Vec<QuerySnapshot> {
        self.engine.snapshots()
    }

    /// A page shows `key`: the query starts (or keeps) polling, and its current state is
    /// returned. Every call needs its [`unobserve`](Self::unobserve). A key that names no
    /// seller query is a `BadRequest`.
    pub fn observe(&self, key: &QueryKey) -> Result<QuerySnapshot, AppError> {
        self.engine
            .observe(key)
            .map_err(|error| AppError::new(ErrorKind::BadRequest, error.to_string()))
    }

    /// A page stopped showing `key`. With no observer left (and not pinned) the query stops
    /// polling and is dropped after its gc time. Whether `key` was observed.
    pub fn unobserve(&self, key: &QueryKey) -> bool {
        self.engine.unobserve(key)
    }

    /// Every known query's diagnostics, ordered by key.
    pub fn diagnostics(&self) -> Vec<QueryDiagnostics> {
        self.engine.diagnostics()
    }

    pub fn connectivity(&self) -> Connectivity {
        self.engine.connectivity()
    }

    /// The server's count of pending orders (not the number of loaded rows), once known.
    pub fn pending_total(&self) -> Option<u64> {
        self.shared.pending_total()
    }

    /// The reconnect hook: a counter that goes up each time the marketplace answers again
    /// after failures (the moment every running query refetches). `changed().await` on the
    /// receiver wakes on the next reconnect; work that waited for the network (queued
    /// actions) goes out then.
    pub fn reconnects(&self) -> tokio::sync::watch::Receiver<u64> {
        self.shared.reconnects()
    }

    /// The cache notices the seller has not dismissed (an unreadable cache rebuilt, the
    /// cache kept in memory for lack of disk), oldest first.
    pub fn cache_notices(&self) -> Vec<CacheNotice> {
        self.shared.cache_notices()
    }

    /// The seller dismissed a cache notice; it is not shown again. Whether it was shown.
    pub fn dismiss_cache_notice(&self, id: u64) -> bool {
        self.shared.dismiss_cache_notice(id)
    }

    /// Fetches every running query under `prefix` now, unless it has a request in flight.
    /// Returns how many queries were asked.
    pub fn refetch(&self, prefix: &QueryKey) -> usize {
        self.engine.refetch(prefix)
    }

    /// Marks every running query under `prefix` outdated: each fetches again with a request
    /// that starts now, and an answer to an earlier request is discarded.
    pub fn invalidate(&self, prefix: &QueryKey) -> usize {
        self.engine.invalidate(prefix)
    }

    /// The app window gained focus: refetch the queries whose focus policy says so.
    pub fn focus(&self) {
        self.engine.focus();
    }

    /// The shell reports whether the window is shown. With the design's policies polling
    /// does not depend on it: alerts and the tray count go on while the window is hidden.
    pub fn set_window_visible(&self, visible: bool) {
        self.shared.set_window_visible(visible);
        self.engine.set_visible(visible);
    }

    /// New policies while the core runs (the seller changed the polling settings): every
    /// running query polls on its new interval from now on, later ones start on it.
    pub fn set_policies(&self, policies: Policies) {
        *self
            .shared
            .policies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = policies;
        let told = self
            .engine
            .set_policies(Arc::new(move |key: &QueryKey| policies.policy(key)));
        tracing::info!(queries = told, "new polling policies");
    }

    pub fn window_visible(&self) -> bool {
        self.shared.window_visible()
    }

    /// Confirms a pending order. The action is written to the outbox first, then sent;
    /// `Applied` once the marketplace confirmed it (what it changed is invalidated),
    /// `Queued` when the marketplace cannot be reached (it is sent, once, when it is back).
    /// A refusal (the order is no longer pending) is the marketplace's error.
    pub async fn confirm(&self, order_id: &str) -> Result<ActionOutcome, AppError> {
        self.submit(order_id, OutboxAction::Confirm).await
    }

    /// Cancels an order that has not shipped, telling the buyer `reason`; queued like
    /// [`confirm`](Self::confirm) when the marketplace cannot be reached.
    pub async fn cancel(&self, order_id: &str, reason: &str) -> Result<ActionOutcome, AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "a cancel needs a reason for the buyer",
            ));
        }
        let action = OutboxAction::Cancel {
            reason: reason.to_owned(),
        };
        self.submit(order_id, action).await
    }

    /// Every unsettled action and every rejection not yet dismissed, oldest first.
    pub fn outbox(&self) -> Vec<OutboxEntry> {
        self.shared.outbox.entries()
    }

    /// The seller read the rejection of action `seq`: it is no longer listed.
    pub async fn dismiss_outbox(&self, seq: i64) -> Result<(), AppError> {
        match self.shared.outbox.dismiss(self.host.as_ref(), seq).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(AppError::new(
                ErrorKind::NotFound,
                format!("no rejected action {seq}"),
            )),
            Err(error) => Err(AppError::new(ErrorKind::Internal, error.to_string())),
        }
    }

    async fn submit(
        &self,
        order_id: &str,
        action: OutboxAction,
    ) -> Result<ActionOutcome, AppError> {
        let outbox = &self.shared.outbox;
        match outbox
            .submit(self.host.as_ref(), order_id, action.clone())
            .await
        {
            Ok(FirstTry::Applied(order)) => Ok(ActionOutcome::Applied { order }),
            Ok(FirstTry::Rejected(error)) => Err(error.into()),
            Ok(FirstTry::Deferred(entry)) => Ok(ActionOutcome::Queued { entry }),
            Err(Submit::Busy(entry)) => Err(AppError::new(
                ErrorKind::Conflict,
                format!(
                    "a {} of order {} is already queued; it is sent when the marketplace is reachable",
                    match entry.action {
                        OutboxAction::Confirm => "confirmation",
                        OutboxAction::Cancel { .. } => "cancellation",
                    },
                    entry.order_id
                ),
            )),
            Err(Submit::Store(error)) => {
                // Nothing durable to queue into: send now, as a plain request.
                tracing::warn!(%error, "cannot write the outbox; sending the action directly");
                let key = idempotency_key();
                let source = &self.shared.source;
                let order = match &action {
                    OutboxAction::Confirm => {
                        self.direct(order_id, source.confirm(order_id, &key))
                            .await?
                    }
                    OutboxAction::Cancel { reason } => {
                        self.direct(order_id, source.cancel(order_id, reason, &key))
                            .await?
                    }
                };
                Ok(ActionOutcome::Applied {
                    order: Box::new(order),
                })
            }
        }
    }

    async fn direct(
        &self,
        order_id: &str,
        action: impl Future<Output = Result<Order, SourceError>>,
    ) -> Result<Order, AppError> {
        let limit = self.host.action_timeout();
        let answer = tokio::time::timeout(limit, action)
            .await
            .unwrap_or(Err(SourceError::timeout_after(limit)));
        // Applied, or refused because the order is not what the lists showed (409, 404):
        // either way the lists are out of date.
        if matches!(
            answer,
            Ok(_) | Err(SourceError::Conflict(_) | SourceError::NotFound(_))
        ) {
            invalidate_after_action(&self.engine, order_id);
        }
        Ok(answer?)
    }

    /// Every order with these statuses (empty: all) matching `search` (blank: all), all
    /// pages of it, as CSV (see [`crate::export`]).
    pub async fn export_sales_csv(
        &self,
        statuses: &[OrderStatus],
        search: &str,
    ) -> Result<CsvExport, AppError> {
        Ok(export::sales_csv(self.shared.source.as_ref(), statuses, search).await?)
    }

    /// The payouts of one month of one year, one year (`month` `None`) or all of them (both
    /// `None`), as CSV. A month needs its year.
    pub async fn export_payouts_csv(
        &self,
        month: Option<u32>,
        year: Option<i32>,
    ) -> Result<CsvExport, AppError> {
        if month.is_some_and(|m| !(1..=12).contains(&m)) || (month.is_some() && year.is_none()) {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "pick a month from 1 to 12 together with its year",
            ));
        }
        let query = PayoutHistoryQuery { month, year };
        Ok(export::payouts_csv(self.shared.source.as_ref(), query).await?)
    }

    /// Stops every task and waits for them (at most [`SHUTDOWN_TIMEOUT`], then aborts),
    /// then closes the store.
    pub async fn shutdown(&self) {
        self.outbox_stop.cancel();
        let worker = self
            .outbox_worker
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(worker) = worker
            && tokio::time::timeout(SHUTDOWN_TIMEOUT, worker)
                .await
                .is_err()
        {
            tracing::warn!("the outbox worker did not stop in time");
        }
        self.engine.shutdown(SHUTDOWN_TIMEOUT).await;
        self.shared.store.close().await;
    }
}
