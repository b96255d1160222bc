//! One task per query: `tokio::select!` over the next due time (an interval tick or a
//! retry), the in-flight request, a command channel and the cancellation token.
//!
//! Invariants: at most one request per key is in flight; a refetch, focus or reconnect
//! during a request starts none; an invalidation during a request discards that request's
//! answer (it started before the change) and fetches again at once.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sellerdash_state::{QueryError, QueryKey, QueryStatus};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::policy::{FocusPolicy, QueryPolicy};
use crate::queries::{Fetched, SellerQuery};
use crate::shared::Shared;
use crate::source::{SourceError, SourceResult};
use crate::store::CachedQuery;

/// What a poller can be asked to do.
#[derive(Debug, Clone)]
pub(crate) enum Command {
    /// Fetch now unless a request is in flight (manual refresh).
    Refetch,
    /// The window gained focus: fetch now if the focus policy says so and none is in flight.
    Focus,
    /// The data is outdated by a change made after any in-flight request started.
    Invalidate,
    /// The marketplace answers again since `at`: fetch now unless already done since.
    Reconnect { at: Instant },
}

struct Flight {
    answer: BoxFuture<'static, SourceResult<Fetched>>,
    generation: u64,
    started: Instant,
}

pub(crate) struct Poller {
    query: SellerQuery,
    key: QueryKey,
    policy: QueryPolicy,
    shared: Arc<Shared>,
    commands: UnboundedReceiver<Command>,
    cancel: CancellationToken,
    next_due: Instant,
    /// Failed attempts in the current retry cycle.
    attempt: u32,
    /// Bumped by each invalidation; an answer to an older generation is discarded.
    generation: u64,
    last_success: Option<Instant>,
    /// The last answer was a failure to reach the marketplace.
    unreachable: bool,
    flight: Option<Flight>,
}

/// The wall-clock time of a tokio instant (for snapshots and connectivity).
pub(crate) fn wall(at: Instant) -> DateTime<Utc> {
    let ahead = chrono::Duration::from_std(at.saturating_duration_since(Instant::now()))
        .unwrap_or(chrono::Duration::MAX);
    let now = Utc::now();
    now.checked_add_signed(ahead).unwrap_or(now)
}

async fn wait(flight: &mut Option<Flight>) -> SourceResult<Fetched> {
    match flight {
        Some(flight) => (&mut flight.answer).await,
        None => std::future::pending().await,
    }
}

impl Poller {
    pub fn new(
        query: SellerQuery,
        shared: Arc<Shared>,
        commands: UnboundedReceiver<Command>,
        cancel: CancellationToken,
    ) -> Self {
        let key = query.key();
        let policy = *shared.policies.for_key(&key);
        Self {
            query,
            key,
            policy,
            shared,
            commands,
            cancel,
            next_due: Instant::now(),
            attempt: 0,
            generation: 0,
            last_success: None,
            unreachable: false,
            flight: None,
        }
    }

    /// Polls until cancelled: the first fetch at once, then every interval.
    pub async fn run(mut self) {
        self.next_due = Instant::now();
        loop {
            let idle = self.flight.is_none();
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => break,
                answer = wait(&mut self.flight), if !idle => self.land(answer).await,
                command = self.commands.recv() => match command {
                    Some(command) => self.on_command(command),
                    None => break,
                },
                () = sleep_until(self.next_due), if idle => self.start(),
            }
        }
        tracing::debug!(key = %self.key, "poller stopped");
    }

    fn on_command(&mut self, command: Command) {
        if self.flight.is_some() {
            if matches!(command, Command::Invalidate) {
                self.generation += 1;
            }
            return;
        }
        match command {
            Command::Refetch => self.start(),
            Command::Focus if self.wants_focus_refetch() => self.start(),
            Command::Focus => {}
            Command::Invalidate => {
                self.generation += 1;
                self.attempt = 0;
                self.start();
            }
            // The retry count is kept: a reconnect cuts a wait short, it grants no
            // extra retries.
            Command::Reconnect { at } => {
                if self.last_success.is_none_or(|done| done < at) {
                    self.start();
                }
            }
        }
    }

    fn wants_focus_refetch(&self) -> bool {
        match self.policy.focus {
            FocusPolicy::Always => true,
            FocusPolicy::Never => false,
            FocusPolicy::WhenStale => self
                .last_success
                .is_none_or(|at| at.elapsed() > self.policy.stale_time),
        }
    }

    fn start(&mut self) {
        let (query, source, timeout) = (
            self.query,
            Arc::clone(&self.shared.source),
            self.policy.request_timeout,
        );
        let answer = async move {
            tokio::time::timeout(timeout, query.fetch(source.as_ref()))
                .await
                .unwrap_or(Err(SourceError::Timeout))
        };
        self.flight = Some(Flight {
            answer: Box::pin(answer),
            generation: self.generation,
            started: Instant::now(),
        });
        self.shared.update(&self.key, |s| {
            s.fetching = true;
            s.next_fetch_at = None;
        });
    }

    async fn land(&mut self, answer: SourceResult<Fetched>) {
        let Some(flight) = self.flight.take() else {
            return;
        };
        if flight.generation < self.generation {
            // Started before an invalidation: its answer may predate the change.
            tracing::debug!(key = %self.key, "discarding an answer that predates an invalidation");
            if answer.is_ok() {
                let recovered = std::mem::take(&mut self.unreachable);
                self.shared.reachable(Instant::now(), recovered);
            }
            self.attempt = 0;
            self.start();
            return;
        }
        match answer.and_then(|fetched| fetched.to_json().map(|json| (fetched, json))) {
            Ok((fetched, json)) => self.succeed(flight.started, fetched, json).await,
            Err(error) => self.fail(error),
        }
    }

    async fn succeed(&mut self, started: Instant, fetched: Fetched, json: serde_json::Value) {
        let now = Instant::now();
        self.attempt = 0;
        self.last_success = Some(now);
        self.next_due = (started + self.policy.refetch_interval).max(now);
        let fetched_at = Utc::now();
        let next_fetch_at = wall(self.next_due);
        self.shared.update(&self.key, |s| {
            s.status = QueryStatus::Success;
            s.data = Some(json.clone());
            s.updated_at = Some(fetched_at);
            s.from_cache = false;
            s.fetching = false;
            s.failure_count = 0;
            s.next_fetch_at = Some(next_fetch_at);
        });
        let recovered = std::mem::take(&mut self.unreachable);
        self.shared.reachable(now, recovered);
        if let Fetched::PendingOrders(page) = &fetched {
            self.shared.pending_fetched(page).await;
        }
        let entry = CachedQuery {
            key: self.key.clone(),
            data: json,
            fetched_at,
        };
        if let Err(error) = self.shared.store.save_query(&entry).await {
            tracing::warn!(%error, key = %self.key, "cannot cache an answer");
        }
    }

    fn fail(&mut self, error: SourceError) {
        let now = Instant::now();
        let exhausted = !error.is_retryable() || self.attempt >= self.policy.retries;
        if exhausted {
            self.attempt = 0;
            self.next_due = now + self.policy.refetch_interval;
        } else {
            self.next_due = now + self.policy.retry_delay(self.attempt);
            self.attempt += 1;
        }
        tracing::debug!(key = %self.key, %error, exhausted, "fetch failed");
        let next_fetch_at = wall(self.next_due);
        let failure = QueryError {
            error: (&error).into(),
            at: Utc::now(),
        };
        self.shared.update(&self.key, |s| {
            if exhausted {
                s.status = QueryStatus::Error;
            }
            s.fetching = false;
            s.failure_count = s.failure_count.saturating_add(1);
            s.last_error = Some(failure);
            s.next_fetch_at = Some(next_fetch_at);
        });
        self.unreachable = error.is_connectivity();
        if self.unreachable {
            self.shared
                .unreachable(error.to_string(), Some(next_fetch_at));
        } else {
            self.shared.reachable(now, false);
        }
    }
}
