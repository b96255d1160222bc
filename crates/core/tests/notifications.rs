//! New-pending-order detection and the cache-first start, on tokio's paused clock with an
//! in-process source and an in-memory store shared across "restarts".

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use common::{FakeSource, alerts, at, dashboard, drain, summary, until};
use sellerdash_api::OrderStatus;
use sellerdash_core::{
    CachedQuery, Core, CoreEvent, CoreHandle, MemoryStore, Policies, QueryKey, QueryStatus,
    SourceError, Store, channel_sink,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

async fn start(
    source: &Arc<FakeSource>,
    store: &MemoryStore,
) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let (sink, events) = channel_sink();
    let core = Core::start_with(
        source.clone(),
        Arc::new(store.clone()),
        Policies::default(),
        sink,
    )
    .await
    .unwrap();
    (core, events)
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn totals(events: &[CoreEvent]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e {
            CoreEvent::PendingTotal { total } => Some(*total),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn new_orders_are_announced_once_ever() {
    let t0 = Instant::now();
    let store = MemoryStore::new();
    store.add_notified(&ids(&["a"]), at(0)).await.unwrap();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1), summary("b", 2), summary("c", 3)]);

    let (core, mut events) = start(&source, &store).await;
    until(t0, 1.0).await;
    let first = drain(&mut events);
    // What came while the app was closed: one summary, newest first.
    assert_eq!(alerts(&first), [(ids(&["c", "b"]), true)]);
    assert_eq!(totals(&first), [3]);
    let persisted: HashSet<String> = store.notified_ids().await.unwrap();
    assert_eq!(
        persisted,
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    );

    // A new order during the run: its own alert.
    source.push_pending(summary("d", 4));
    until(t0, 6.0).await;
    let second = drain(&mut events);
    assert_eq!(alerts(&second), [(ids(&["d"]), false)]);
    assert_eq!(totals(&second), [4]);
    assert_eq!(core.pending_total(), Some(4));

    // A flip away from pending and back: no alert; the total follows the server.
    source.set_status("b", OrderStatus::Confirmed);
    until(t0, 11.0).await;
    assert_eq!(totals(&drain(&mut events)), [3]);
    source.set_status("b", OrderStatus::Pending);
    until(t0, 16.0).await;
    let flipped = drain(&mut events);
    assert!(alerts(&flipped).is_empty());
    assert_eq!(totals(&flipped), [4]);

    // Offline and back: the reconnect refetch repeats nothing.
    source.fail_between(20.0, 21.0, SourceError::Network("unreachable".into()));
    until(t0, 40.0).await;
    let reconnected = drain(&mut events);
    assert!(
        reconnected
            .iter()
            .any(|e| matches!(e, CoreEvent::ConnectivityChanged(_)))
    );
    assert!(alerts(&reconnected).is_empty());
    core.shutdown().await;

    // A restart with nothing new: no alert at all.
    let t1 = Instant::now();
    let (core, mut events) = start(&source, &store).await;
    until(t1, 1.0).await;
    assert!(alerts(&drain(&mut events)).is_empty());
    core.shutdown().await;

    // Orders that arrived while the app was closed: one while-away summary.
    source.push_pending(summary("e", 5));
    source.push_pending(summary("f", 6));
    let t2 = Instant::now();
    let (core, mut events) = start(&source, &store).await;
    until(t2, 6.0).await;
    assert_eq!(alerts(&drain(&mut events)), [(ids(&["f", "e"]), true)]);
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn cached_answers_are_shown_before_the_first_network_answer() {
    let t0 = Instant::now();
    let store = MemoryStore::new();
    let old = at(0);
    let cached_stats = serde_json::to_value(dashboard(7, 2)).unwrap();
    store
        .save_query(&CachedQuery {
            key: QueryKey::dashboard(),
            data: cached_stats.clone(),
            fetched_at: old,
        })
        .await
        .unwrap();
    let source = FakeSource::new();
    source.set_delay(Duration::from_secs(3));
    // Offline at start: the first answer is a failure after the delay.
    source.fail_between(0.0, 100.0, SourceError::Network("no route to host".into()));

    let (core, mut events) = start(&source, &store).await;
    // Right after start, before any request answered.
    let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert!(snap.from_cache);
    assert_eq!(snap.status, QueryStatus::Success);
    assert_eq!(snap.updated_at, Some(old));
    assert_eq!(snap.data.as_ref(), Some(&cached_stats));
    match events.try_recv().unwrap() {
        CoreEvent::QueryUpdated(first) => {
            assert_eq!(first.key, QueryKey::dashboard());
            assert!(first.from_cache);
            assert_eq!(first.updated_at, Some(old));
        }
        other => panic!("the cached snapshot must come first, got {other:?}"),
    }

    // Offline for good: the cached data stays, marked as from the cache, with its error.
    until(t0, 30.0).await;
    let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert!(snap.from_cache);
    assert_eq!(snap.data, Some(cached_stats));
    assert_eq!(snap.status, QueryStatus::Error);
    core.shutdown().await;
}
