//! Timeouts and reconnect on tokio's paused clock: a request that never answers fails after
//! the policy's timeout with a message saying how long was waited, keeps the last good data
//! and is tried again on the next interval; the first success after failures refetches
//! every observed query at once (not the unobserved ones) and tells the listener once.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use sellerdash_query::{
    AppError, Connectivity, ErrorKind, FetchError, Fetcher, Listener, NoPersist, Policy, PolicyFn,
    QueryEngine, QueryKey, QuerySnapshot, QueryStatus, RefetchInterval,
};
use serde_json::{Value, json};
use tokio::time::Instant;

/// Answers each key with its call number (`slow` after 1.5 s); while `stalled` never
/// answers, while `down` fails as unreachable.
struct Remote {
    start: Instant,
    stalled: AtomicBool,
    down: AtomicBool,
    calls: Mutex<BTreeMap<String, Vec<f64>>>,
}

impl Remote {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            stalled: AtomicBool::new(false),
            down: AtomicBool::new(false),
            calls: Mutex::new(BTreeMap::new()),
        })
    }

    fn calls(&self, key: &str) -> Vec<f64> {
        let calls = self.calls.lock().unwrap();
        calls.get(key).cloned().unwrap_or_default()
    }
}

impl Fetcher for Remote {
    fn fetch(&self, key: &QueryKey) -> BoxFuture<'static, Result<Value, FetchError>> {
        let mut calls = self.calls.lock().unwrap();
        let list = calls.entry(key.to_string()).or_default();
        list.push(self.start.elapsed().as_secs_f64());
        let serial = list.len();
        let stalled = self.stalled.load(Ordering::SeqCst);
        let down = self.down.load(Ordering::SeqCst);
        let slow = key.to_string() == "slow";
        Box::pin(async move {
            if slow {
                tokio::time::sleep(Duration::from_millis(1500)).await;
            }
            if stalled {
                std::future::pending::<()>().await;
            }
            if down {
                return Err(FetchError {
                    error: AppError::new(ErrorKind::Network, "connection refused"),
                    retryable: true,
                    connectivity: true,
                });
            }
            Ok(json!({ "serial": serial }))
        })
    }
}

#[derive(Default)]
struct Events {
    reconnects: AtomicUsize,
    connectivity: Mutex<Vec<Connectivity>>,
}

impl Listener for Events {
    fn query_updated(&self, _snapshot: &QuerySnapshot) {}
    fn connectivity_changed(&self, state: &Connectivity) {
        self.connectivity.lock().unwrap().push(state.clone());
    }
    fn reconnected(&self) {
        self.reconnects.fetch_add(1, Ordering::SeqCst);
    }
}

fn key(path: &str) -> QueryKey {
    QueryKey::new(path.split('/'))
}

/// `a` every 5 s, `b` every 60 s, `c` every 300 s; no retries; a 2 s request timeout.
fn policies() -> PolicyFn {
    Arc::new(|key: &QueryKey| {
        let secs = match key.to_string().as_str() {
            "a" => 5,
            "b" => 60,
            _ => 300,
        };
        let s = Duration::from_secs;
        let mut policy = Policy::polling(s(secs), s(secs), s(600), 0);
        policy.request_timeout = s(2);
        Some(policy)
    })
}

fn engine(remote: &Arc<Remote>) -> (QueryEngine, Arc<Events>) {
    let events = Arc::new(Events::default());
    let engine = QueryEngine::new(
        remote.clone(),
        Arc::new(NoPersist),
        events.clone(),
        policies(),
    );
    (engine, events)
}

async fn until(start: Instant, secs: f64) {
    tokio::time::sleep_until(start + Duration::from_secs_f64(secs)).await;
}

fn serial(snapshot: &QuerySnapshot) -> Option<u64> {
    snapshot.data.as_ref().and_then(|d| d["serial"].as_u64())
}

#[tokio::test(start_paused = true)]
async fn a_request_that_never_answers_times_out_and_the_next_interval_tries_again() {
    let t0 = Instant::now();
    let remote = Remote::new();
    let (engine, _events) = engine(&remote);
    engine.observe(&key("a")).unwrap();
    until(t0, 1.0).await;
    assert_eq!(serial(&engine.snapshot(&key("a")).unwrap()), Some(1));

    // The remote accepts and never answers from 4 s on.
    until(t0, 4.0).await;
    remote.stalled.store(true, Ordering::SeqCst);
    until(t0, 7.5).await;
    let stalled = engine.snapshot(&key("a")).unwrap();
    assert_eq!(stalled.status, QueryStatus::Error);
    assert!(!stalled.fetching, "the stalled request was given up");
    assert_eq!(
        stalled
            .last_error
            .as_ref()
            .map(|e| e.error.message.as_str()),
        Some("the server did not answer within 2 s")
    );
    assert_eq!(serial(&stalled), Some(1), "the last good data is kept");
    assert!(matches!(
        engine.connectivity(),
        Connectivity::Offline { .. }
    ));

    // Answers again: the next interval (5 s after the failure at 7 s) gets data.
    until(t0, 10.0).await;
    remote.stalled.store(false, Ordering::SeqCst);
    until(t0, 12.5).await;
    assert_eq!(remote.calls("a"), [0.0, 5.0, 12.0]);
    let back = engine.snapshot(&key("a")).unwrap();
    assert_eq!(back.status, QueryStatus::Success);
    assert_eq!(serial(&back), Some(3));
    assert!(matches!(engine.connectivity(), Connectivity::Online { .. }));
}

#[tokio::test(start_paused = true)]
async fn the_first_success_after_failures_refetches_every_observed_query_at_once() {
    let t0 = Instant::now();
    let remote = Remote::new();
    let (engine, events) = engine(&remote);
    for k in ["a", "b", "c", "gone"] {
        engine.observe(&key(k)).unwrap();
    }
    until(t0, 1.0).await;
    assert!(engine.unobserve(&key("gone")));

    // Down from 4 s to 6 s: only `a` (every 5 s) notices, at 5 s.
    until(t0, 4.0).await;
    remote.down.store(true, Ordering::SeqCst);
    until(t0, 6.0).await;
    remote.down.store(false, Ordering::SeqCst);
    assert!(matches!(
        engine.connectivity(),
        Connectivity::Offline { .. }
    ));
    assert_eq!(events.reconnects.load(Ordering::SeqCst), 0);

    // `a` succeeds at 10 s: `b` (due at 60 s) and `c` (due at 300 s) refetch at once, the
    // unobserved query does not, and the listener hears of one reconnect.
    until(t0, 10.5).await;
    assert_eq!(remote.calls("a"), [0.0, 5.0, 10.0]);
    assert_eq!(remote.calls("b"), [0.0, 10.0]);
    assert_eq!(remote.calls("c"), [0.0, 10.0]);
    assert_eq!(remote.calls("gone"), [0.0]);
    assert_eq!(events.reconnects.load(Ordering::SeqCst), 1);
    let changes = events.connectivity.lock().unwrap().clone();
    assert!(
        matches!(
            changes.as_slice(),
            [
                Connectivity::Online { .. },
                Connectivity::Offline { .. },
                Connectivity::Online { .. }
            ]
        ),
        "{changes:?}"
    );

    // Back on their own intervals from the reconnect refetch.
    until(t0, 70.5).await;
    assert_eq!(remote.calls("b"), [0.0, 10.0, 70.0]);
    assert_eq!(remote.calls("c"), [0.0, 10.0]);
    assert_eq!(
        events.reconnects.load(Ordering::SeqCst),
        1,
        "no failure since"
    );
}

#[tokio::test(start_paused = true)]
async fn an_answer_from_before_the_outage_does_not_swallow_the_reconnect() {
    let t0 = Instant::now();
    let remote = Remote::new();
    let (engine, events) = engine(&remote);
    for k in ["a", "b", "slow"] {
        engine.observe(&key(k)).unwrap();
    }
    // `slow` asked at 0 s answers at 1.5 s; `a` fails at 1 s in between (the outage).
    until(t0, 1.0).await;
    remote.down.store(true, Ordering::SeqCst);
    engine.refetch(&key("a"));
    until(t0, 1.25).await;
    assert!(matches!(
        engine.connectivity(),
        Connectivity::Offline { .. }
    ));
    until(t0, 1.75).await;
    remote.down.store(false, Ordering::SeqCst);
    // The late answer shows the remote online again, but it is no reconnect…
    assert!(matches!(engine.connectivity(), Connectivity::Online { .. }));
    assert_eq!(events.reconnects.load(Ordering::SeqCst), 0);
    assert_eq!(remote.calls("b"), [0.0]);
    // …the failed query's success at 6 s is: `b` (due at 60 s) refetches at once.
    until(t0, 6.5).await;
    assert_eq!(remote.calls("a"), [0.0, 1.0, 6.0]);
    assert_eq!(events.reconnects.load(Ordering::SeqCst), 1);
    assert_eq!(remote.calls("b"), [0.0, 6.0]);
}

#[tokio::test(start_paused = true)]
async fn a_query_that_never_polls_is_refetched_on_reconnect_too() {
    let t0 = Instant::now();
    let remote = Remote::new();
    let never: PolicyFn = Arc::new(|key: &QueryKey| {
        let s = Duration::from_secs;
        let mut policy = Policy::polling(s(5), s(5), s(600), 0);
        if key.to_string() == "static" {
            policy.refetch_interval = RefetchInterval::Never;
        }
        Some(policy)
    });
    let events = Arc::new(Events::default());
    let engine = QueryEngine::new(remote.clone(), Arc::new(NoPersist), events.clone(), never);
    engine.observe(&key("a")).unwrap();
    engine.observe(&key("static")).unwrap();
    until(t0, 4.0).await;
    remote.down.store(true, Ordering::SeqCst);
    until(t0, 6.0).await;
    remote.down.store(false, Ordering::SeqCst);
    until(t0, 10.5).await;
    assert_eq!(remote.calls("static"), [0.0, 10.0]);
    assert_eq!(events.reconnects.load(Ordering::SeqCst), 1);
}
