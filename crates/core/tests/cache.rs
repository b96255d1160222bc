//! The SQLite cache across restarts (a real file in a temporary directory, real time):
//! answers come back from the cache before any network answer with their original age,
//! notified ids persist, and a corrupt file does not stop the start.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{FakeSource, alerts, summary};
use sellerdash_core::{
    CACHE_FILE, Core, CoreConfig, CoreError, CoreEvent, CoreHandle, Policies, QueryKey,
    QuerySnapshot, channel_sink,
};
use tokio::sync::mpsc::UnboundedReceiver;

fn config(dir: &std::path::Path) -> CoreConfig {
    CoreConfig {
        marketplace_url: "http://127.0.0.1:9".into(),
        token: "unused".into(),
        data_dir: dir.to_path_buf(),
        policies: Policies::default().scaled(0.05),
    }
}

async fn start(
    dir: &std::path::Path,
    source: &Arc<FakeSource>,
) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let (sink, events) = channel_sink();
    let core = Core::start_with_source(config(dir), source.clone(), sink)
        .await
        .unwrap();
    (core, events)
}

/// Collects events until `done` says so (at most 10 s).
async fn collect_until(
    events: &mut UnboundedReceiver<CoreEvent>,
    mut done: impl FnMut(&CoreEvent) -> bool,
) -> Vec<CoreEvent> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        let stop = done(&event);
        seen.push(event);
        if stop {
            return seen;
        }
    }
}

fn fresh(key: QueryKey) -> impl FnMut(&CoreEvent) -> bool {
    move |e| matches!(e, CoreEvent::QueryUpdated(s) if s.key == key && !s.from_cache && !s.fetching && s.data.is_some())
}

#[tokio::test]
async fn answers_and_notified_orders_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1), summary("b", 2)]);

    let (core, mut events) = start(dir.path(), &source).await;
    let first = collect_until(&mut events, |e| matches!(e, CoreEvent::NewPendingOrders(_))).await;
    assert_eq!(
        alerts(&first),
        [(vec!["b".to_owned(), "a".to_owned()], true)]
    );
    let dashboard: QuerySnapshot = loop {
        let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
        if snap.data.is_some() && !snap.fetching {
            break snap;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    core.shutdown().await;
    drop(core);

    // Restart against a slow marketplace: the cache answers first.
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1), summary("b", 2)]);
    source.set_delay(Duration::from_millis(300));
    let (core, mut events) = start(dir.path(), &source).await;
    let cached = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert!(cached.from_cache);
    assert_eq!(cached.updated_at, dashboard.updated_at);
    assert_eq!(cached.data, dashboard.data);
    assert!(
        core.snapshot(&QueryKey::pending_orders())
            .unwrap()
            .from_cache
    );
    assert_eq!(core.pending_total(), Some(2));
    match events.try_recv().unwrap() {
        CoreEvent::QueryUpdated(snap) => assert!(snap.from_cache),
        other => panic!("a cached snapshot must come first, got {other:?}"),
    }

    // The first network answer names only known orders: no alert.
    let after = collect_until(&mut events, fresh(QueryKey::pending_orders())).await;
    assert!(alerts(&after).is_empty());
    // A genuinely new one is announced, on its own.
    source.push_pending(summary("c", 3));
    let announced =
        collect_until(&mut events, |e| matches!(e, CoreEvent::NewPendingOrders(_))).await;
    assert_eq!(alerts(&announced), [(vec!["c".to_owned()], false)]);
    core.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_cache_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(CACHE_FILE), vec![b'x'; 8192]).unwrap();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1)]);

    let (core, mut events) = start(dir.path(), &source).await;
    let seen = collect_until(&mut events, |e| matches!(e, CoreEvent::NewPendingOrders(_))).await;
    assert_eq!(alerts(&seen), [(vec!["a".to_owned()], true)]);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("cache.sqlite.corrupt-")),
        "{names:?}"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn a_bad_marketplace_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.marketplace_url = "not a url".into();
    let (sink, _events) = channel_sink();
    assert!(matches!(
        Core::start(config, sink).await,
        Err(CoreError::Source(_))
    ));
}

#[tokio::test]
async fn another_account_does_not_see_the_cached_answers() {
    let dir = tempfile::tempdir().unwrap();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1)]);
    let (core, mut events) = start(dir.path(), &source).await;
    collect_until(&mut events, |e| matches!(e, CoreEvent::NewPendingOrders(_))).await;
    core.shutdown().await;
    drop(core);

    let mut other = config(dir.path());
    other.token = "another seller".into();
    let (sink, _events) = channel_sink();
    source.set_delay(Duration::from_millis(300));
    let core = Core::start_with_source(other, source.clone(), sink)
        .await
        .unwrap();
    assert!(
        core.snapshot(&QueryKey::pending_orders())
            .is_none_or(|s| !s.from_cache && s.data.is_none())
    );
    assert_eq!(core.pending_total(), None);
    core.shutdown().await;
}
