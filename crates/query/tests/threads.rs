//! The engine may be driven from a thread outside its runtime (a UI's main thread runs the
//! desktop shell's commands): observing a key there still starts its polling task.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use sellerdash_query::{
    Connectivity, FetchError, Fetcher, Listener, NoPersist, Policy, QueryEngine, QueryKey,
    QuerySnapshot,
};
use serde_json::{Value, json};

struct Counting(Arc<AtomicU32>);

impl Fetcher for Counting {
    fn fetch(&self, _key: &QueryKey) -> BoxFuture<'static, Result<Value, FetchError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(json!({"ok": true})) })
    }
}

struct Silent;

impl Listener for Silent {
    fn query_updated(&self, _snapshot: &QuerySnapshot) {}
    fn connectivity_changed(&self, _state: &Connectivity) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn observing_from_a_thread_outside_the_runtime_starts_polling() {
    let fetches = Arc::new(AtomicU32::new(0));
    let policy = Policy::polling(
        Duration::from_secs(60),
        Duration::from_secs(60),
        Duration::from_secs(60),
        0,
    );
    let engine = Arc::new(QueryEngine::new(
        Arc::new(Counting(Arc::clone(&fetches))),
        Arc::new(NoPersist),
        Arc::new(Silent),
        Arc::new(move |_key: &QueryKey| Some(policy.clone())),
    ));
    let key = QueryKey::new(["things"]);
    let observed = {
        let (engine, key) = (Arc::clone(&engine), key.clone());
        std::thread::spawn(move || engine.observe(&key).is_ok())
            .join()
            .expect("the observing thread does not panic")
    };
    assert!(observed);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while fetches.load(Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no fetch started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
