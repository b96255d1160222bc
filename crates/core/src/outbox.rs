//! The seller's action outbox: confirm and cancel are written to durable storage first (with
//! a fresh idempotency key, a sequence number and `queued`), then sent by one worker, one at a
//! time, strictly in sequence order. Every send of an action carries the same key, so the
//! marketplace applies it once however often it is sent (an app killed mid-send re-sends it on
//! the next start).
//!
//! Outcomes: a 2xx settles it `done`; a refusal (409 conflict, 404, 400) settles it `rejected`
//! with the marketplace's reason and is never retried; no answer (offline, timeout, 5xx)
//! puts it back to `queued`, stops the replay there (later actions wait their turn) and tries
//! again after a backoff, or at once when the engine reports that the marketplace is back.
//!
//! [`OutboxStore`] is the storage: [`SqliteOutbox`] in the cache file (one account scope per
//! store, SQL kept here), [`MemoryOutbox`] for tests on tokio's paused clock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::{self, BoxFuture};
use sellerdash_api::Order;
use sellerdash_state::CoreEvent;
use sellerdash_state::outbox::{OutboxAction, OutboxEntry, OutboxState};
use sqlx::Row;
use tokio::sync::{Notify, oneshot};
use tokio_util::sync::CancellationToken;

use crate::cache::SqliteStore;
use crate::source::{Source, SourceError};
use crate::store::StoreError;

/// The first retry delay after a send that got no answer; doubled per attempt.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(2);
/// The longest retry delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// One stored action: what the UI sees plus the key every send of it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAction {
    pub entry: OutboxEntry,
    pub idempotency_key: String,
}

impl StoredAction {
    /// A just-appended action: queued, never sent.
    fn queued(
        seq: i64,
        order_id: &str,
        action: &OutboxAction,
        idempotency_key: &str,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            entry: OutboxEntry {
                seq,
                order_id: order_id.to_owned(),
                action: action.clone(),
                state: OutboxState::Queued,
                created_at,
                attempts: 0,
                error: None,
            },
            idempotency_key: idempotency_key.to_owned(),
        }
    }
}

/// Durable storage of the outbox.
pub trait OutboxStore: Send + Sync + 'static {
    /// Appends an action in state `queued`; the store assigns its `seq` (increasing).
    fn append<'a>(
        &'a self,
        order_id: &'a str,
        action: &'a OutboxAction,
        idempotency_key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<StoredAction, StoreError>>;
    /// Every action still `queued` or `sending`, then every `rejected` one not dismissed,
    /// each in `seq` order.
    fn open(&self) -> BoxFuture<'_, Result<Vec<StoredAction>, StoreError>>;
    /// Records a new state (and attempts, error) of action `seq`.
    fn set_state<'a>(
        &'a self,
        seq: i64,
        state: OutboxState,
        attempts: u32,
        error: Option<&'a str>,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The seller read a rejection: it is no longer listed. Whether `seq` was a rejection.
    fn dismiss(&self, seq: i64) -> BoxFuture<'_, Result<bool, StoreError>>;
}

/// The outbox in the cache's SQLite file, for one account scope.
#[derive(Debug, Clone)]
pub struct SqliteOutbox {
    store: SqliteStore,
    scope: String,
}

impl SqliteOutbox {
    /// Writes go through the cache's one writer ([`SqliteStore::begin_write`]).
    pub fn new(store: SqliteStore, scope: impl Into<String>) -> Self {
        Self {
            store,
            scope: scope.into(),
        }
    }

    async fn append_row(
        &self,
        order_id: &str,
        action: &OutboxAction,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<StoredAction, StoreError> {
        let (name, reason) = match action {
            OutboxAction::Confirm => ("confirm", None),
            OutboxAction::Cancel { reason } => ("cancel", Some(reason.as_str())),
        };
        let stamp = at.to_rfc3339();
        let mut tx = self.store.begin_write().await?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (scope, order_id, action, reason, idempotency_key, state, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING seq",
        )
        .bind(&self.scope)
        .bind(order_id)
        .bind(name)
        .bind(reason)
        .bind(key)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(StoredAction::queued(seq, order_id, action, key, at))
    }

    async fn open_rows(&self) -> Result<Vec<StoredAction>, StoreError> {
        let mut conn = self.store.read().await?;
        let rows = sqlx::query(
            "SELECT seq, order_id, action, reason, idempotency_key, state, created_at, attempts, error
             FROM outbox
             WHERE scope = ? AND (state IN ('queued', 'sending') OR (state = 'rejected' AND dismissed = 0))
             ORDER BY state = 'rejected', seq",
        )
        .bind(&self.scope)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter().map(decode_row).collect()
    }

    async fn set_row_state(
        &self,
        seq: i64,
        state: OutboxState,
        attempts: u32,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "UPDATE outbox SET state = ?, attempts = ?, error = ?, updated_at = ? WHERE seq = ? AND scope = ?",
        )
        .bind(state.as_str())
        .bind(i64::from(attempts))
        .bind(error)
        .bind(at.to_rfc3339())
        .bind(seq)
        .bind(&self.scope)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn dismiss_row(&self, seq: i64) -> Result<bool, StoreError> {
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query(
            "UPDATE outbox SET dismissed = 1
             WHERE seq = ? AND scope = ? AND state = 'rejected' AND dismissed = 0",
        )
        .bind(seq)
        .bind(&self.scope)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}

fn decode_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredAction, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("outbox row: {what}"));
    let action = match row.try_get::<String, _>("action")?.as_str() {
        "confirm" => OutboxAction::Confirm,
        "cancel" => OutboxAction::Cancel {
            reason: row
                .try_get::<Option<String>, _>("reason")?
                .unwrap_or_default(),
        },
        other => return Err(corrupt(other)),
    };
    let state = match row.try_get::<String, _>("state")?.as_str() {
        "queued" => OutboxState::Queued,
        "sending" => OutboxState::Sending,
        "done" => OutboxState::Done,
        "rejected" => OutboxState::Rejected,
        other => return Err(corrupt(other)),
    };
    let created_at: String = row.try_get("created_at")?;
    Ok(StoredAction {
        entry: OutboxEntry {
            seq: row.try_get("seq")?,
            order_id: row.try_get("order_id")?,
            action,
            state,
            created_at: created_at.parse().map_err(|_| corrupt("created_at"))?,
            attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            error: row.try_get("error")?,
        },
        idempotency_key: row.try_get("idempotency_key")?,
    })
}

impl OutboxStore for SqliteOutbox {
    fn append<'a>(
        &'a self,
        order_id: &'a str,
        action: &'a OutboxAction,
        idempotency_key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<StoredAction, StoreError>> {
        Box::pin(self.append_row(order_id, action, idempotency_key, at))
    }

    fn open(&self) -> BoxFuture<'_, Result<Vec<StoredAction>, StoreError>> {
        Box::pin(self.open_rows())
    }

    fn set_state<'a>(
        &'a self,
        seq: i64,
        state: OutboxState,
        attempts: u32,
        error: Option<&'a str>,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.set_row_state(seq, state, attempts, error, at))
    }

    fn dismiss(&self, seq: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        Box::pin(self.dismiss_row(seq))
    }
}

#[derive(Debug, Default)]
struct MemoryRows {
    rows: Vec<(StoredAction, bool)>,
}

/// The outbox in memory. Clones share their contents, so a test can "restart" a core on
/// the outbox an earlier one left.
#[derive(Debug, Clone, Default)]
pub struct MemoryOutbox {
    rows: Arc<Mutex<MemoryRows>>,
}

impl MemoryOutbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every action ever appended, settled or not, in `seq` order (for tests).
    pub fn all(&self) -> Vec<StoredAction> {
        self.with(|m| m.rows.iter().map(|(a, _)| a.clone()).collect())
    }

    fn with<T>(&self, f: impl FnOnce(&mut MemoryRows) -> T) -> T {
        f(&mut self.rows.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl OutboxStore for MemoryOutbox {
    fn append<'a>(
        &'a self,
        order_id: &'a str,
        action: &'a OutboxAction,
        idempotency_key: &'a str,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<StoredAction, StoreError>> {
        let stored = self.with(|m| {
            let seq = m.rows.last().map_or(1, |(a, _)| a.entry.seq + 1);
            let stored = StoredAction::queued(seq, order_id, action, idempotency_key, at);
            m.rows.push((stored.clone(), false));
            stored
        });
        Box::pin(future::ready(Ok(stored)))
    }

    fn open(&self) -> BoxFuture<'_, Result<Vec<StoredAction>, StoreError>> {
        let rows = self.with(|m| {
            let unsettled = m.rows.iter().filter(|(a, _)| a.entry.state.is_unsettled());
            let rejected = m
                .rows
                .iter()
                .filter(|(a, dismissed)| a.entry.state == OutboxState::Rejected && !dismissed);
            unsettled.chain(rejected).map(|(a, _)| a.clone()).collect()
        });
        Box::pin(future::ready(Ok(rows)))
    }

    fn set_state<'a>(
        &'a self,
        seq: i64,
        state: OutboxState,
        attempts: u32,
        error: Option<&'a str>,
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.with(|m| {
            if let Some((a, _)) = m.rows.iter_mut().find(|(a, _)| a.entry.seq == seq) {
                a.entry.state = state;
                a.entry.attempts = attempts;
                a.entry.error = error.map(str::to_owned);
            }
        });
        Box::pin(future::ready(Ok(())))
    }

    fn dismiss(&self, seq: i64) -> BoxFuture<'_, Result<bool, StoreError>> {
        let found = self.with(|m| {
            m.rows
                .iter_mut()
                .find(|(a, dismissed)| {
                    a.entry.seq == seq && a.entry.state == OutboxState::Rejected && !*dismissed
                })
                .map(|(_, dismissed)| *dismissed = true)
                .is_some()
        });
        Box::pin(future::ready(Ok(found)))
    }
}

/// How the first send of a freshly queued action went, told to the caller that queued it.
#[derive(Debug)]
pub(crate) enum FirstTry {
    Applied(Box<Order>),
    Rejected(SourceError),
    /// Not settled (the marketplace is unreachable, or an earlier action is): still queued.
    Deferred(OutboxEntry),
}

/// What the worker needs from the rest of the core.
pub(crate) trait OutboxHost: Send + Sync + 'static {
    fn source(&self) -> &dyn Source;
    fn action_timeout(&self) -> Duration;
    /// An action on `order_id` was settled, applied (`applied`: the order as the marketplace
    /// answered) or refused (a 409 means the lists were out of date): show and refresh what
    /// it changed.
    fn settled(&self, order_id: &str, applied: Option<&Order>);
    fn emit(&self, event: CoreEvent);
}

/// The running outbox: its storage, the worker's wake-up and the callers waiting for the
/// first send of their action.
pub(crate) struct Outbox {
    store: Arc<dyn OutboxStore>,
    wake: Notify,
    waiters: Mutex<HashMap<i64, oneshot::Sender<FirstTry>>>,
    listed: Mutex<Vec<OutboxEntry>>,
    /// Serializes appends with the duplicate check.
    append_lock: tokio::sync::Mutex<()>,
}

impl Outbox {
    pub fn new(store: Arc<dyn OutboxStore>) -> Self {
        Self {
            store,
            wake: Notify::new(),
            waiters: Mutex::new(HashMap::new()),
            listed: Mutex::new(Vec::new()),
            append_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The marketplace is reachable again (or the app started): replay now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Every unsettled action and every undismissed rejection, as last reported.
    pub fn entries(&self) -> Vec<OutboxEntry> {
        self.listed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Writes the action (fresh key, `queued`), wakes the worker and waits for its first
    /// send. An unsettled action on the same order is answered instead of a second one (same
    /// action) or refused (the other action). A store that cannot write is `Err(None)`-like:
    /// the caller sends directly.
    pub(crate) async fn submit(
        &self,
        host: &dyn OutboxHost,
        order_id: &str,
        action: OutboxAction,
    ) -> Result<FirstTry, Submit> {
        let (stored, receiver) = {
            let _guard = self.append_lock.lock().await;
            let open = self.store.open().await.map_err(Submit::Store)?;
            if let Some(existing) = open
                .iter()
                .find(|a| a.entry.order_id == order_id && a.entry.state.is_unsettled())
            {
                return if existing.entry.action == action {
                    Ok(FirstTry::Deferred(existing.entry.clone()))
                } else {
                    Err(Submit::Busy(existing.entry.clone()))
                };
            }
            let key = idempotency_key();
            let stored = self
                .store
                .append(order_id, &action, &key, Utc::now())
                .await
                .map_err(Submit::Store)?;
            let (sender, receiver) = oneshot::channel();
            self.waiters
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(stored.entry.seq, sender);
            (stored, receiver)
        };
        self.report(host).await;
        self.wake();
        let first = receiver
            .await
            .unwrap_or(FirstTry::Deferred(stored.entry.clone()));
        if matches!(first, FirstTry::Rejected(_)) {
            // Refused at once: the caller shows why; nothing to list for later.
            if let Err(error) = self.store.dismiss(stored.entry.seq).await {
                tracing::warn!(%error, "cannot dismiss a rejection the seller was shown");
            }
            self.report(host).await;
        }
        Ok(first)
    }

    /// The seller read a rejection.
    pub async fn dismiss(&self, host: &dyn OutboxHost, seq: i64) -> Result<bool, StoreError> {
        let found = self.store.dismiss(seq).await?;
        self.report(host).await;
        Ok(found)
    }

    /// Re-reads the open actions and reports them.
    pub async fn report(&self, host: &dyn OutboxHost) {
        match self.store.open().await {
            Ok(open) => {
                let entries: Vec<OutboxEntry> = open.into_iter().map(|a| a.entry).collect();
                *self.listed.lock().unwrap_or_else(PoisonError::into_inner) = entries.clone();
                host.emit(CoreEvent::OutboxChanged(entries));
            }
            Err(error) => tracing::warn!(%error, "cannot read the outbox"),
        }
    }

    fn tell(&self, seq: i64, outcome: FirstTry) {
        let waiter = self
            .waiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&seq);
        if let Some(waiter) = waiter {
            // The caller may have gone away; the outcome is in the outbox either way.
            let _ = waiter.send(outcome);
        }
    }

    /// The one worker: replays on start, on every wake-up and when a backoff ends, until
    /// `stop`.
    pub async fn run(self: Arc<Self>, host: Arc<dyn OutboxHost>, stop: CancellationToken) {
        self.report(host.as_ref()).await;
        let mut retry_at: Option<tokio::time::Instant> = None;
        // The first pass replays whatever a previous run left queued or sending.
        self.wake();
        loop {
            let backoff = async {
                match retry_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => future::pending().await,
                }
            };
            tokio::select! {
                () = stop.cancelled() => break,
                () = self.wake.notified() => {}
                () = backoff => {}
            }
            retry_at = tokio::select! {
                () = stop.cancelled() => break,
                next = self.replay(host.as_ref()) => next,
            };
        }
        // Callers still waiting learn that their action stays queued.
        let waiting: Vec<_> = self
            .waiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .collect();
        drop(waiting);
    }

    /// Sends every unsettled action in order until one gets no answer. Returns when to try
    /// again, if something is left.
    async fn replay(&self, host: &dyn OutboxHost) -> Option<tokio::time::Instant> {
        let open = match self.store.open().await {
            Ok(open) => open,
            Err(error) => {
                tracing::warn!(%error, "cannot read the outbox; trying again later");
                return Some(tokio::time::Instant::now() + MAX_BACKOFF);
            }
        };
        let mut blocked: Option<u32> = None;
        for action in open.into_iter().filter(|a| a.entry.state.is_unsettled()) {
            let mut entry = action.entry.clone();
            if blocked.is_some() {
                self.tell(entry.seq, FirstTry::Deferred(entry));
                continue;
            }
            // Written before sent: the `sending` mark is on disk before the request leaves.
            if let Err(error) = self
                .store
                .set_state(
                    entry.seq,
                    OutboxState::Sending,
                    entry.attempts,
                    entry.error.as_deref(),
                    Utc::now(),
                )
                .await
            {
                tracing::warn!(%error, "cannot mark an action as sending; it waits");
                blocked = Some(entry.attempts.saturating_add(1));
                self.tell(entry.seq, FirstTry::Deferred(entry));
                continue;
            }
            entry.state = OutboxState::Sending;
            self.report(host).await;
            match self.send(host, &action).await {
                Ok(order) => {
                    self.settle(host, &entry, OutboxState::Done, None, Some(&order))
                        .await;
                    self.tell(entry.seq, FirstTry::Applied(Box::new(order)));
                }
                Err(error) if keeps_queued(&error) => {
                    entry.attempts = entry.attempts.saturating_add(1);
                    let reason = error.to_string();
                    tracing::info!(seq = entry.seq, order = %entry.order_id, %reason, "action not sent; kept queued");
                    if let Err(store_error) = self
                        .store
                        .set_state(
                            entry.seq,
                            OutboxState::Queued,
                            entry.attempts,
                            Some(&reason),
                            Utc::now(),
                        )
                        .await
                    {
                        tracing::warn!(error = %store_error, "cannot record a failed send");
                    }
                    entry.state = OutboxState::Queued;
                    entry.error = Some(reason);
                    blocked = Some(entry.attempts);
                    self.tell(entry.seq, FirstTry::Deferred(entry));
                }
                Err(error) => {
                    let reason = error.to_string();
                    tracing::info!(seq = entry.seq, order = %entry.order_id, %reason, "action rejected");
                    self.settle(host, &entry, OutboxState::Rejected, Some(&reason), None)
                        .await;
                    self.tell(entry.seq, FirstTry::Rejected(error));
                }
            }
        }
        self.report(host).await;
        blocked.map(|attempts| tokio::time::Instant::now() + backoff(attempts))
    }

    async fn send(
        &self,
        host: &dyn OutboxHost,
        action: &StoredAction,
    ) -> Result<Order, SourceError> {
        let limit = host.action_timeout();
        let entry = &action.entry;
        let key = action.idempotency_key.as_str();
        let request = async {
            match &entry.action {
                OutboxAction::Confirm => host.source().confirm(&entry.order_id, key).await,
                OutboxAction::Cancel { reason } => {
                    host.source().cancel(&entry.order_id, reason, key).await
                }
            }
        };
        tokio::time::timeout(limit, request)
            .await
            .unwrap_or(Err(SourceError::timeout_after(limit)))
    }

    async fn settle(
        &self,
        host: &dyn OutboxHost,
        entry: &OutboxEntry,
        state: OutboxState,
        error: Option<&str>,
        applied: Option<&Order>,
    ) {
        let attempts = entry.attempts.saturating_add(1);
        if let Err(store_error) = self
            .store
            .set_state(entry.seq, state, attempts, error, Utc::now())
            .await
        {
            // The next start re-sends it with the same key and gets the same answer.
            tracing::warn!(error = %store_error, "cannot record an action's answer");
        }
        host.settled(&entry.order_id, applied);
    }
}

/// Why an action could not be queued.
#[derive(Debug)]
pub(crate) enum Submit {
    /// The other action on this order is still queued.
    Busy(OutboxEntry),
    /// The outbox could not be written.
    Store(StoreError),
}

/// A failure after which the action may still succeed unchanged: no answer, a 5xx, a refused
/// token (the seller may fix it), or the same key still being handled.
fn keeps_queued(error: &SourceError) -> bool {
    error.is_retryable() || matches!(error, SourceError::Unauthorized(_))
}

/// The retry delay after `attempts` sends without an answer: 2 s, 4 s, 8 s … up to 60 s.
pub fn backoff(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF)
}

/// A fresh, unguessable key for one seller action (128 random bits, hex).
pub(crate) fn idempotency_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(2), Duration::from_secs(4));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(10), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn keys_are_fresh_128_bit_hex() {
        let (a, b) = (idempotency_key(), idempotency_key());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
