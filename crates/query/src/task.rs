//! One task per running query: `tokio::select!` over the next due time (an interval tick, a
//! retry or the gc deadline), the in-flight request, a command channel and the
//! cancellation token.
//!
//! Invariants: at most one request per key is in flight; a refetch, focus or reconnect
//! during a request starts none; an invalidation during a request discards that request's
//! answer (it started before the change) and fetches again with one that starts after it.

use std::sync::Arc;

use chrono::Utc;
use futures::future::BoxFuture;
use sellerdash_state::{ErrorKind, QueryError, QueryKey, QueryStatus};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Duration, Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::hooks::{CachedQuery, FetchError};
use crate::policy::{FocusRefetch, Policy};
use crate::registry::{Command, Registry, millis, wall};

struct Flight {
    answer: BoxFuture<'static, Result<Value, FetchError>>,
    generation: u64,
    started: Instant,
}

pub(crate) struct QueryTask {
    key: QueryKey,
    policy: Policy,
    registry: Arc<Registry>,
    commands: UnboundedReceiver<Command>,
    cancel: CancellationToken,
    active: bool,
    visible: bool,
    /// The next request (interval tick or retry), while active.
    poll_at: Option<Instant>,
    /// When an inactive query is dropped.
    gc_at: Option<Instant>,
    /// The interval the current data chose.
    interval: Option<Duration>,
    /// Failed attempts in the current retry cycle.
    attempt: u32,
    /// Bumped by each invalidation; an answer to an older generation is discarded.
    generation: u64,
    last_success: Option<Instant>,
    last_start: Option<Instant>,
    /// Invalidated while no request could follow at once: fetch on the next activation.
    outdated: bool,
    /// The last answer was a failure to reach the remote (or a refused token).
    unreachable: bool,
    flight: Option<Flight>,
}

async fn wait(flight: &mut Option<Flight>) -> Result<Value, FetchError> {
    match flight {
        Some(flight) => (&mut flight.answer).await,
        None => std::future::pending().await,
    }
}

impl QueryTask {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        key: QueryKey,
        policy: Policy,
        data: Option<&Value>,
        registry: Arc<Registry>,
        commands: UnboundedReceiver<Command>,
        cancel: CancellationToken,
        active: bool,
    ) -> Self {
        let interval = policy.refetch_interval.for_data(data);
        let visible = registry.visible();
        Self {
            key,
            policy,
            registry,
            commands,
            cancel,
            active,
            visible,
            poll_at: Some(Instant::now()),
            gc_at: None,
            interval,
            attempt: 0,
            generation: 0,
            last_success: None,
            last_start: None,
            outdated: false,
            unreachable: false,
            flight: None,
        }
    }

    fn due(&self) -> Option<Instant> {
        if self.flight.is_some() {
            return None;
        }
        if !self.active {
            return self.gc_at;
        }
        if !self.visible && !self.policy.background_refetch {
            return None;
        }
        self.poll_at
    }

    /// Runs until cancelled or collected.
    pub async fn run(mut self) {
        if !self.active {
            self.deactivate();
        }
        loop {
            let busy = self.flight.is_some();
            let due = self.due();
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => break,
                answer = wait(&mut self.flight), if busy => self.land(answer).await,
                command = self.commands.recv() => match command {
                    Some(command) => self.on_command(command),
                    None => break,
                },
                () = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    if !self.active {
                        if self.registry.collect(&self.key) {
                            tracing::debug!(key = %self.key, "collected");
                            break;
                        }
                        self.gc_at = None;
                    } else {
                        self.start();
                    }
                }
            }
        }
    }

    fn on_command(&mut self, command: Command) {
        match command {
            Command::Active(true) => self.activate(),
            Command::Active(false) => self.deactivate(),
            Command::Visible(visible) => self.visible = visible,
            Command::Policy(policy) => self.repolicy(*policy),
            Command::Invalidate => self.invalidate(),
            Command::Edit(edit) => {
                // Bumped before the edit, so no answer from before the change undoes it.
                self.invalidate();
                self.registry.edit(&self.key, &edit);
            }
            _ if self.flight.is_some() => {}
            Command::Refetch => self.start(),
            Command::Focus if self.active && self.wants_focus_refetch() => self.start(),
            Command::Focus => {}
            // The retry count is kept: a reconnect cuts a wait short, it grants no extras.
            Command::Reconnect { at } => {
                if self.active
                    && self.policy.reconnect_refetch
                    && self.last_success.is_none_or(|done| done < at)
                {
                    self.start();
                }
            }
        }
    }

    fn invalidate(&mut self) {
        self.generation += 1;
        self.attempt = 0;
        if self.flight.is_none() {
            if self.active {
                self.start();
            } else {
                self.outdated = true;
            }
        }
    }

    /// Runs on `policy` from now on: the interval the current data chooses under it, the
    /// next tick that interval after the last request started (not before now). A retry
    /// cycle or a request in flight goes on as it is and schedules with the new policy.
    fn repolicy(&mut self, policy: Policy) {
        self.policy = policy;
        let data = self.registry.snapshot(&self.key).and_then(|s| s.data);
        self.interval = self.policy.refetch_interval.for_data(data.as_ref());
        let waiting = self.active && self.flight.is_none() && self.attempt == 0;
        if waiting && self.last_start.is_some() {
            let now = Instant::now();
            self.poll_at = match (self.last_start, self.interval) {
                (Some(start), Some(interval)) => Some((start + interval).max(now)),
                _ => None,
            };
        }
        let next = self
            .poll_at
            .filter(|_| self.active && self.flight.is_none())
            .map(wall);
        let (interval_ms, stale_ms) = (self.interval.map(millis), millis(self.policy.stale_time));
        self.registry.update(&self.key, |s| {
            s.refetch_interval_ms = interval_ms;
            s.stale_after_ms = stale_ms;
            if s.next_fetch_at.is_some() || next.is_some() {
                s.next_fetch_at = next;
            }
        });
    }

    fn is_stale(&self) -> bool {
        self.last_success
            .is_none_or(|at| at.elapsed() > self.policy.stale_time)
    }

    fn wants_focus_refetch(&self) -> bool {
        let throttled = self
            .last_start
            .is_some_and(|at| at.elapsed() < self.policy.focus_throttle);
        !throttled
            && match self.policy.focus {
                FocusRefetch::Always => true,
                FocusRefetch::Never => false,
                FocusRefetch::WhenStale => self.is_stale(),
            }
    }

    fn activate(&mut self) {
        if self.active {
            return;
        }
        self.active = true;
        self.gc_at = None;
        let now = Instant::now();
        self.poll_at = if self.outdated || self.is_stale() {
            Some(now)
        } else {
            match (self.last_start, self.interval) {
                (Some(start), Some(interval)) => Some((start + interval).max(now)),
                _ => None,
            }
        };
        if let Some(at) = self.poll_at {
            let next = wall(at);
            self.registry
                .update(&self.key, |s| s.next_fetch_at = Some(next));
        }
    }

    fn deactivate(&mut self) {
        self.active = false;
        self.gc_at = Some(Instant::now() + self.policy.gc_time);
        if self.flight.is_none() {
            self.registry.update(&self.key, |s| s.next_fetch_at = None);
        }
    }

    fn start(&mut self) {
        let now = Instant::now();
        let request = self.registry.fetcher.fetch(&self.key);
        let timeout = self.policy.request_timeout;
        let answer = async move {
            tokio::time::timeout(timeout, request)
                .await
                .unwrap_or_else(|_| Err(FetchError::timeout(timeout)))
        };
        self.flight = Some(Flight {
            answer: Box::pin(answer),
            generation: self.generation,
            started: now,
        });
        self.last_start = Some(now);
        self.poll_at = None;
        self.registry.record_request(&self.key, now);
        self.registry.update(&self.key, |s| {
            s.fetching = true;
            s.next_fetch_at = None;
        });
    }

    async fn land(&mut self, answer: Result<Value, FetchError>) {
        let Some(flight) = self.flight.take() else {
            return;
        };
        if flight.generation < self.generation {
            tracing::debug!(key = %self.key, "discarding an answer that predates an invalidation");
            if answer.is_ok() {
                let recovered = std::mem::take(&mut self.unreachable);
                self.registry.reachable(Instant::now(), recovered);
            }
            self.attempt = 0;
            if self.active {
                self.start();
            } else {
                self.outdated = true;
                self.registry.update(&self.key, |s| s.fetching = false);
            }
            return;
        }
        match answer {
            Ok(data) => self.succeed(flight.started, data).await,
            Err(error) => self.fail(error),
        }
    }

    fn schedule(&mut self, at: Option<Instant>) -> Option<chrono::DateTime<Utc>> {
        self.poll_at = at;
        at.filter(|_| self.active).map(wall)
    }

    async fn succeed(&mut self, started: Instant, data: Value) {
        let now = Instant::now();
        self.attempt = 0;
        self.outdated = false;
        self.last_success = Some(now);
        self.interval = self.policy.refetch_interval.for_data(Some(&data));
        let next = self.schedule(self.interval.map(|i| (started + i).max(now)));
        let fetched_at = Utc::now();
        let interval_ms = self.interval.map(millis);
        self.registry.record_success(&self.key, fetched_at);
        self.registry.update(&self.key, |s| {
            s.status = QueryStatus::Success;
            s.data = Some(data.clone());
            s.updated_at = Some(fetched_at);
            s.from_cache = false;
            s.fetching = false;
            s.failure_count = 0;
            s.next_fetch_at = next;
            s.refetch_interval_ms = interval_ms;
        });
        let recovered = std::mem::take(&mut self.unreachable);
        self.registry.reachable(now, recovered);
        self.registry.listener.answered(&self.key, &data).await;
        let entry = CachedQuery {
            key: self.key.clone(),
            data,
            fetched_at,
        };
        self.registry.persist.save(&entry).await;
    }

    fn fail(&mut self, error: FetchError) {
        let now = Instant::now();
        self.registry.record_failure(&self.key, now);
        let exhausted = !error.retryable || self.attempt >= self.policy.retries;
        let at = if exhausted {
            self.attempt = 0;
            self.interval.map(|i| now + i)
        } else {
            let delay = self.policy.retry_delay.delay(self.attempt);
            self.attempt += 1;
            Some(now + delay)
        };
        let next = self.schedule(at);
        tracing::debug!(key = %self.key, %error, exhausted, "fetch failed");
        let failure = QueryError {
            error: error.error.clone(),
            at: Utc::now(),
        };
        self.registry.update(&self.key, |s| {
            if exhausted {
                s.status = QueryStatus::Error;
            }
            s.fetching = false;
            s.failure_count = s.failure_count.saturating_add(1);
            s.last_error = Some(failure);
            s.next_fetch_at = next;
        });
        // A refused token counts as "not reached" too: this query's next success is a
        // reconnect (every query refetches).
        let refused = error.error.code == ErrorKind::Unauthorized;
        self.unreachable = error.connectivity || refused;
        // A 5xx or an unreadable answer: the remote is there but failing; an outage only
        // when no other query gets an answer either.
        let failing = matches!(error.error.code, ErrorKind::Server | ErrorKind::Decode);
        if error.connectivity && failing {
            self.registry
                .server_failed(error.to_string(), next, self.last_success);
        } else if error.connectivity {
            self.registry.unreachable(error.to_string(), next);
        } else if refused {
            self.registry.unauthorized(error.to_string());
        } else {
            self.registry.reachable(now, false);
        }
    }
}
