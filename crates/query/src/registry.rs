//! The engine's shared state: one entry per known key (its snapshot, observers, pin, the
//! command sender of its task, request statistics), connectivity and window visibility.
//! Listener calls are made after the lock that produced them is released.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sellerdash_state::{Connectivity, QueryDiagnostics, QueryKey, QuerySnapshot};
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;

use crate::connectivity::{Change, Tracker};
use crate::hooks::{Fetcher, Listener, Persist};
use crate::policy::Policy;

/// Resolves a key to its policy; `None` for a key the engine must not run.
pub type PolicyFn = Arc<dyn Fn(&QueryKey) -> Option<Policy> + Send + Sync>;

/// A change the app made to a query's data, applied to whatever data the query holds when
/// it is applied; `None` leaves the data as it is.
#[derive(Clone)]
pub(crate) struct DataEdit(pub Arc<EditFn>);

type EditFn = dyn Fn(&serde_json::Value) -> Option<serde_json::Value> + Send + Sync;

impl std::fmt::Debug for DataEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataEdit")
    }
}

/// What a query's task can be told.
#[derive(Debug, Clone)]
pub(crate) enum Command {
    /// Fetch now unless a request is in flight (manual refresh).
    Refetch,
    /// The window gained focus.
    Focus,
    /// The data is outdated by a change made after any in-flight request started.
    Invalidate,
    /// The app knows the change: invalidate, and show it in the data until the next answer.
    Edit(DataEdit),
    /// The remote answers again since `at`.
    Reconnect { at: Instant },
    /// The query gained its first observer or pin (`true`) or lost its last (`false`).
    Active(bool),
    /// The window was shown or hidden.
    Visible(bool),
    /// The key's policy changed (new settings): poll on the new one from now on.
    Policy(Box<Policy>),
}

const MINUTE: Duration = Duration::from_secs(60);

pub(crate) struct Entry {
    pub snapshot: QuerySnapshot,
    pub observers: u32,
    pub pinned: bool,
    pub commands: Option<UnboundedSender<Command>>,
    pub last_success_at: Option<DateTime<Utc>>,
    requests: VecDeque<Instant>,
    failures: VecDeque<Instant>,
}

impl Entry {
    pub fn new(snapshot: QuerySnapshot) -> Self {
        Self {
            snapshot,
            observers: 0,
            pinned: false,
            commands: None,
            last_success_at: None,
            requests: VecDeque::new(),
            failures: VecDeque::new(),
        }
    }

    pub fn active(&self) -> bool {
        self.pinned || self.observers > 0
    }

    fn diagnostics(&mut self, now: Instant) -> QueryDiagnostics {
        prune(&mut self.requests, now);
        prune(&mut self.failures, now);
        let s = &self.snapshot;
        QueryDiagnostics {
            key: s.key.clone(),
            status: s.status,
            fetching: s.fetching,
            observers: self.observers,
            pinned: self.pinned,
            interval_ms: s.refetch_interval_ms.filter(|_| self.active()),
            last_success_at: self.last_success_at,
            last_error: s.last_error.clone(),
            next_fetch_at: s.next_fetch_at,
            requests_per_minute: u32::try_from(self.requests.len()).unwrap_or(u32::MAX),
            failures_per_minute: u32::try_from(self.failures.len()).unwrap_or(u32::MAX),
        }
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= MINUTE)
    {
        times.pop_front();
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The wall-clock time of a tokio instant (for snapshots and connectivity).
pub(crate) fn wall(at: Instant) -> DateTime<Utc> {
    let now = Instant::now();
    let now_utc = Utc::now();
    if at >= now {
        chrono::Duration::from_std(at - now)
            .ok()
            .and_then(|ahead| now_utc.checked_add_signed(ahead))
            .unwrap_or(now_utc)
    } else {
        chrono::Duration::from_std(now - at)
            .ok()
            .and_then(|ago| now_utc.checked_sub_signed(ago))
            .unwrap_or(now_utc)
    }
}

pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

pub(crate) struct Registry {
    pub fetcher: Arc<dyn Fetcher>,
    pub persist: Arc<dyn Persist>,
    pub listener: Arc<dyn Listener>,
    policies: Mutex<PolicyFn>,
    pub entries: Mutex<BTreeMap<QueryKey, Entry>>,
    connectivity: Mutex<Tracker>,
    visible: AtomicBool,
}

impl Registry {
    pub fn new(
        fetcher: Arc<dyn Fetcher>,
        persist: Arc<dyn Persist>,
        listener: Arc<dyn Listener>,
        policies: PolicyFn,
    ) -> Self {
        Self {
            fetcher,
            persist,
            listener,
            policies: Mutex::new(policies),
            entries: Mutex::new(BTreeMap::new()),
            connectivity: Mutex::new(Tracker::new()),
            visible: AtomicBool::new(true),
        }
    }

    /// The policy `key` runs on now; `None` for a key the engine must not run.
    pub fn policy(&self, key: &QueryKey) -> Option<Policy> {
        let policies = Arc::clone(&lock(&self.policies));
        policies(key)
    }

    /// Replaces the policy table and tells every running query its new policy; how many
    /// were told.
    pub fn set_policies(&self, policies: PolicyFn) -> usize {
        *lock(&self.policies) = Arc::clone(&policies);
        lock(&self.entries)
            .iter()
            .filter_map(|(key, entry)| Some((policies(key)?, entry.commands.as_ref()?)))
            .filter(|(policy, sender)| {
                sender
                    .send(Command::Policy(Box::new(policy.clone())))
                    .is_ok()
            })
            .count()
    }

    pub fn snapshot(&self, key: &QueryKey) -> Option<QuerySnapshot> {
        lock(&self.entries).get(key).map(|e| e.snapshot.clone())
    }

    pub fn snapshots(&self) -> Vec<QuerySnapshot> {
        lock(&self.entries)
            .values()
            .map(|e| e.snapshot.clone())
            .collect()
    }

    pub fn diagnostics(&self) -> Vec<QueryDiagnostics> {
        let now = Instant::now();
        lock(&self.entries)
            .values_mut()
            .map(|e| e.diagnostics(now))
            .collect()
    }

    /// Changes one query's snapshot and reports it; nothing when the key is unknown.
    pub fn update(&self, key: &QueryKey, change: impl FnOnce(&mut QuerySnapshot)) {
        let snapshot = {
            let mut entries = lock(&self.entries);
            let Some(entry) = entries.get_mut(key) else {
                return;
            };
            change(&mut entry.snapshot);
            entry.snapshot.clone()
        };
        self.listener.query_updated(&snapshot);
    }

    /// Applies `edit` to one query's data and reports the result; whether it changed.
    pub fn edit(&self, key: &QueryKey, edit: &DataEdit) -> bool {
        self.edit_where(|k| k == key, false, edit) > 0
    }

    /// Applies `edit` to the data of every key `select` picks (only those without a task when
    /// `idle_only`) and reports each change; how many changed.
    pub fn edit_where(
        &self,
        select: impl Fn(&QueryKey) -> bool,
        idle_only: bool,
        edit: &DataEdit,
    ) -> usize {
        let changed: Vec<QuerySnapshot> = {
            let mut entries = lock(&self.entries);
            entries
                .iter_mut()
                .filter(|(key, entry)| select(key) && !(idle_only && entry.commands.is_some()))
                .filter_map(|(_, entry)| {
                    let data = (edit.0)(entry.snapshot.data.as_ref()?)?;
                    entry.snapshot.data = Some(data);
                    Some(entry.snapshot.clone())
                })
                .collect()
        };
        for snapshot in &changed {
            self.listener.query_updated(snapshot);
        }
        changed.len()
    }

    pub fn record_request(&self, key: &QueryKey, at: Instant) {
        if let Some(entry) = lock(&self.entries).get_mut(key) {
            prune(&mut entry.requests, at);
            entry.requests.push_back(at);
        }
    }

    pub fn record_failure(&self, key: &QueryKey, at: Instant) {
        if let Some(entry) = lock(&self.entries).get_mut(key) {
            prune(&mut entry.failures, at);
            entry.failures.push_back(at);
        }
    }

    pub fn record_success(&self, key: &QueryKey, at: DateTime<Utc>) {
        if let Some(entry) = lock(&self.entries).get_mut(key) {
            entry.last_success_at = Some(at);
        }
    }

    /// Drops `key` when it is still inactive; whether it was dropped.
    pub fn collect(&self, key: &QueryKey) -> bool {
        let mut entries = lock(&self.entries);
        match entries.get(key) {
            Some(entry) if !entry.active() => {
                entries.remove(key);
                true
            }
            _ => false,
        }
    }

    /// Sends `command` to the task of every key under `prefix`; how many got it.
    pub fn send_under(&self, prefix: &QueryKey, command: &Command) -> usize {
        self.send_where(|key| key.starts_with(prefix), command)
    }

    /// Sends `command` to the task of every key `select` picks; how many got it.
    pub fn send_where(&self, select: impl Fn(&QueryKey) -> bool, command: &Command) -> usize {
        lock(&self.entries)
            .iter()
            .filter(|(key, _)| select(key))
            .filter_map(|(_, entry)| entry.commands.as_ref())
            .filter(|sender| sender.send(command.clone()).is_ok())
            .count()
    }

    pub fn broadcast(&self, command: &Command) -> usize {
        self.send_under(&QueryKey::new(Vec::<String>::new()), command)
    }

    pub fn connectivity(&self) -> Connectivity {
        lock(&self.connectivity).state().clone()
    }

    /// The remote answered. When the query that got the answer had itself failed to reach
    /// it (`recovered`) and the engine went offline since the last reconnect, that is a
    /// reconnect: every query is told to refetch. (A success of a query that never failed is
    /// no reconnect: with one endpoint failing and the others answering, it would refetch
    /// everything each poll; nor does it use the reconnect up, so a request from before the
    /// outage landing after it cannot swallow the refetch.)
    pub fn reachable(&self, at: Instant, recovered: bool) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            tracker.answered(at);
            (
                tracker.reachable(Utc::now(), recovered),
                tracker.state().clone(),
            )
        };
        self.report(change, &state);
        if change.reconnected {
            tracing::info!("the remote answers again; refetching every query");
            self.broadcast(&Command::Reconnect { at });
            self.listener.reconnected();
        }
    }

    /// The remote is unreachable or failing; the failing query retries at `retry_at`.
    pub fn unreachable(&self, reason: String, retry_at: Option<DateTime<Utc>>) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            (
                tracker.unreachable(Utc::now(), reason, retry_at),
                tracker.state().clone(),
            )
        };
        self.report(change, &state);
    }

    /// The remote answered a query with a 5xx; the query last had an answer at
    /// `its_last_answer`. Offline only when no query has had an answer since (see
    /// [`Tracker::server_failed`]).
    pub fn server_failed(
        &self,
        reason: String,
        retry_at: Option<DateTime<Utc>>,
        its_last_answer: Option<Instant>,
    ) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            (
                tracker.server_failed(Utc::now(), reason, retry_at, its_last_answer),
                tracker.state().clone(),
            )
        };
        self.report(change, &state);
    }

    /// The remote answered but refused the credentials (the token).
    pub fn unauthorized(&self, reason: String) {
        let (change, state) = {
            let mut tracker = lock(&self.connectivity);
            (
                tracker.unauthorized(Utc::now(), reason),
                tracker.state().clone(),
            )
        };
        self.report(change, &state);
    }

    fn report(&self, change: Change, state: &Connectivity) {
        if change.changed {
            self.listener.connectivity_changed(state);
        }
    }

    pub fn set_visible(&self, visible: bool) {
        self.visible.store(visible, Ordering::Relaxed);
        self.broadcast(&Command::Visible(visible));
    }

    pub fn visible(&self) -> bool {
        self.visible.load(Ordering::Relaxed)
    }
}
