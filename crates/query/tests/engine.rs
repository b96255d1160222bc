//! The engine on its own, with generic keys and a counting fetcher on tokio's paused
//! clock: background refetch off, a query that never polls, exact versus prefix
//! invalidation, shared in-flight requests, a custom retry delay and the persistence hook.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use sellerdash_query::{
    AppError, CachedQuery, Connectivity, ErrorKind, FetchError, Fetcher, Listener, Persist, Policy,
    PolicyFn, QueryEngine, QueryKey, QuerySnapshot, RefetchInterval, RetryDelay,
};
use serde_json::{Value, json};
use tokio::time::Instant;

/// Answers every key with a serial number after `delay`; fails while `failing`.
struct Counting {
    start: Instant,
    delay: Duration,
    failing: Mutex<bool>,
    calls: Mutex<BTreeMap<String, Vec<f64>>>,
}

impl Counting {
    fn new(delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            delay,
            failing: Mutex::new(false),
            calls: Mutex::new(BTreeMap::new()),
        })
    }

    fn calls(&self, key: &str) -> Vec<f64> {
        self.calls
            .lock()
            .unwrap()
            .get(key)
            .cloned()
            .unwrap_or_default()
    }
}

impl Fetcher for Counting {
    fn fetch(&self, key: &QueryKey) -> BoxFuture<'static, Result<Value, FetchError>> {
        let now = self.start.elapsed().as_secs_f64();
        let mut calls = self.calls.lock().unwrap();
        let list = calls.entry(key.to_string()).or_default();
        list.push(now);
        let serial = list.len();
        let failing = *self.failing.lock().unwrap();
        let delay = self.delay;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            if failing {
                return Err(FetchError {
                    error: AppError::new(ErrorKind::Server, "down"),
                    retryable: true,
                    connectivity: true,
                });
            }
            Ok(json!({ "serial": serial }))
        })
    }
}

#[derive(Default)]
struct Recorder {
    saved: Mutex<Vec<String>>,
}

impl Listener for Recorder {
    fn query_updated(&self, _snapshot: &QuerySnapshot) {}
    fn connectivity_changed(&self, _state: &Connectivity) {}
}

impl Persist for Recorder {
    fn save<'a>(&'a self, entry: &'a CachedQuery) -> BoxFuture<'a, ()> {
        self.saved.lock().unwrap().push(entry.key.to_string());
        Box::pin(async {})
    }
}

fn key(path: &str) -> QueryKey {
    QueryKey::new(path.split('/'))
}

fn engine(fetcher: &Arc<Counting>, policy: Policy) -> (QueryEngine, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let policies: PolicyFn = Arc::new(move |_: &QueryKey| Some(policy.clone()));
    let engine = QueryEngine::new(
        fetcher.clone(),
        recorder.clone(),
        recorder.clone(),
        policies,
    );
    (engine, recorder)
}

fn every(secs: u64) -> Policy {
    let s = Duration::from_secs;
    Policy::polling(s(secs), s(secs), s(60), 3)
}

async fn until(start: Instant, secs: f64) {
    tokio::time::sleep_until(start + Duration::from_secs_f64(secs)).await;
}

#[tokio::test(start_paused = true)]
async fn without_background_refetch_a_hidden_window_pauses_polling() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::ZERO);
    let mut policy = every(5);
    policy.background_refetch = false;
    let (engine, recorder) = engine(&fetcher, policy);
    engine.observe(&key("a")).unwrap();
    until(t0, 6.0).await;
    engine.set_visible(false);
    until(t0, 30.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 5.0]);
    engine.set_visible(true);
    until(t0, 31.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 5.0, 30.0]);
    assert_eq!(
        recorder.saved.lock().unwrap().len(),
        3,
        "every answer is persisted"
    );
}

#[tokio::test(start_paused = true)]
async fn a_query_that_never_polls_fetches_on_observe_and_on_demand() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::ZERO);
    let mut policy = every(5);
    policy.refetch_interval = RefetchInterval::Never;
    let (engine, _) = engine(&fetcher, policy);
    let snap = engine.observe(&key("a")).unwrap();
    assert_eq!(snap.data, None);
    until(t0, 20.0).await;
    assert_eq!(engine.refetch(&key("a")), 1);
    until(t0, 40.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 20.0]);
    assert_eq!(
        engine.snapshot(&key("a")).unwrap().refetch_interval_ms,
        None
    );
}

#[tokio::test(start_paused = true)]
async fn exact_invalidation_spares_the_keys_below() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::ZERO);
    let (engine, _) = engine(&fetcher, every(30));
    for k in ["a", "a/b", "a/b/c", "ab"] {
        engine.observe(&key(k)).unwrap();
    }
    until(t0, 1.0).await;
    assert!(engine.invalidate_exact(&key("a/b")));
    until(t0, 2.0).await;
    assert_eq!(engine.invalidate(&key("a")), 3);
    until(t0, 3.0).await;
    assert_eq!(fetcher.calls("a/b"), [0.0, 1.0, 2.0]);
    assert_eq!(fetcher.calls("a/b/c"), [0.0, 2.0]);
    assert_eq!(fetcher.calls("a"), [0.0, 2.0]);
    assert_eq!(fetcher.calls("ab"), [0.0]);
}

#[tokio::test(start_paused = true)]
async fn concurrent_triggers_share_the_request_in_flight() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::from_secs(2));
    let (engine, _) = engine(&fetcher, every(30));
    engine.observe(&key("a")).unwrap();
    engine.observe(&key("a")).unwrap();
    until(t0, 0.5).await;
    for _ in 0..5 {
        engine.refetch(&key("a"));
        engine.focus();
    }
    until(t0, 3.0).await;
    assert_eq!(fetcher.calls("a"), [0.0]);
    assert_eq!(
        engine.snapshot(&key("a")).unwrap().data,
        Some(json!({ "serial": 1 }))
    );
}

#[tokio::test(start_paused = true)]
async fn a_custom_retry_delay_sets_the_retry_times() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::ZERO);
    *fetcher.failing.lock().unwrap() = true;
    let mut policy = every(60);
    policy.retries = 2;
    policy.retry_delay = RetryDelay::Custom(Arc::new(|attempt| {
        Duration::from_secs(10 * u64::from(attempt + 1))
    }));
    let (engine, _) = engine(&fetcher, policy);
    engine.observe(&key("a")).unwrap();
    until(t0, 40.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 10.0, 30.0]);
    let diagnostics = engine.diagnostics();
    assert_eq!(diagnostics[0].failures_per_minute, 3);
    assert!(matches!(
        engine.connectivity(),
        Connectivity::Offline { .. }
    ));
}

#[tokio::test(start_paused = true)]
async fn new_policies_take_effect_on_running_and_later_queries() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::ZERO);
    let (engine, _) = engine(&fetcher, every(5));
    engine.observe(&key("a")).unwrap();
    until(t0, 11.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 5.0, 10.0]);
    // 20 s from now on: the next request is 20 s after the last one started.
    let slow = every(20);
    assert_eq!(
        engine.set_policies(Arc::new(move |_: &QueryKey| Some(slow.clone()))),
        1
    );
    until(t0, 12.0).await;
    assert_eq!(
        engine.snapshot(&key("a")).unwrap().refetch_interval_ms,
        Some(20_000)
    );
    until(t0, 51.0).await;
    assert_eq!(fetcher.calls("a"), [0.0, 5.0, 10.0, 30.0, 50.0]);
    // A query that starts later runs on the new table too.
    engine.observe(&key("b")).unwrap();
    until(t0, 72.0).await;
    assert_eq!(fetcher.calls("b"), [51.0, 71.0]);
    // Back to 5 s: the last request started at 70 s, so the next is due at once (75 s).
    engine.set_policies(Arc::new(|_: &QueryKey| Some(every(5))));
    until(t0, 86.0).await;
    assert_eq!(
        fetcher.calls("a"),
        [0.0, 5.0, 10.0, 30.0, 50.0, 70.0, 75.0, 80.0, 85.0]
    );
}

#[tokio::test(start_paused = true)]
async fn an_edit_shows_at_once_and_no_answer_from_before_it_undoes_it() {
    let t0 = Instant::now();
    let fetcher = Counting::new(Duration::from_secs(2));
    let (engine, _recorder) = engine(&fetcher, every(5));
    let a = key("a");
    engine.observe(&a).unwrap();
    let data = |engine: &QueryEngine| engine.snapshot(&a).unwrap().data.unwrap();

    until(t0, 3.0).await;
    assert_eq!(data(&engine), json!({ "serial": 1 }));
    // The second request leaves at 5 s and would answer at 7 s with the remote's state
    // from before the change; the change is made (and known) at 6 s.
    until(t0, 6.0).await;
    let told = engine.edit_where(
        |k| *k == key("a"),
        |data| {
            let mut data = data.clone();
            data["edited"] = json!(true);
            Some(data)
        },
    );
    assert_eq!(told, 1);
    until(t0, 6.1).await;
    assert_eq!(data(&engine), json!({ "serial": 1, "edited": true }));
    until(t0, 8.0).await;
    assert_eq!(
        data(&engine),
        json!({ "serial": 1, "edited": true }),
        "the answer of the request from before the change is discarded"
    );
    // The request that starts when that answer is discarded is the next to land.
    until(t0, 9.5).await;
    assert_eq!(data(&engine), json!({ "serial": 3 }));
    assert_eq!(fetcher.calls("a"), vec![0.0, 5.0, 7.0]);

    // A key the engine does not hold is left alone.
    assert_eq!(engine.edit_where(|k| *k == key("b"), |_| Some(json!(1))), 0);
    engine.shutdown(Duration::from_secs(1)).await;
}
