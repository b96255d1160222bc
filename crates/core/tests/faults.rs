//! The core against the real reference server in fault mode, with its real SQLite cache and
//! scaled-down policies: a server that accepts and never answers cannot hang a poller (the
//! query fails saying how long it waited, and the next interval tries again); a delay below
//! the timeout still brings data; 500s and malformed JSON keep the last good data and say
//! why; the first success after an outage refetches every observed query at once and fires
//! the reconnect hook; and a new pending order is announced exactly once across a confirm
//! and reopen, a restart of the core on the same cache file and an outage of the server,
//! while orders that came with the app closed make one summary.

#![allow(clippy::unwrap_used)]

mod common;

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use common::shop::Shop;
use common::{alerts, drain};
use sellerdash_api::{AdminAction, OrderPage, OrderStatus, paths};
use sellerdash_core::{
    Connectivity, Core, CoreEvent, CoreHandle, ErrorKind, HttpOptions, HttpSource, Policies,
    QueryKey, QuerySnapshot, QueryStatus, Source, SourceError, channel_sink,
};
use sellerdash_server::faults::Fault;
use tokio::sync::mpsc::UnboundedReceiver;

/// Long enough for anything a scaled poller does; only reached when something is broken.
const PATIENCE: Duration = Duration::from_secs(20);

/// Polls `check` until it answers `Some`, failing with `what` after [`PATIENCE`].
async fn eventually<T, F: Future<Output = Option<T>>>(
    what: &str,
    mut check: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A core on `shop` with its cache in `data_dir` and the design's policies × 0.05 (pending
/// orders every 0.25 s, a 0.5 s request timeout), changed by `adjust`.
async fn core_on(
    shop: &Shop,
    data_dir: &Path,
    adjust: impl FnOnce(&mut Policies),
) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let mut config = shop.config(data_dir, 0.05);
    adjust(&mut config.policies);
    let (sink, events) = channel_sink();
    (Core::start(config, sink).await.unwrap(), events)
}

fn pending(core: &CoreHandle) -> Option<(QuerySnapshot, OrderPage)> {
    let snapshot = core.snapshot(&QueryKey::pending_orders())?;
    let page = snapshot.decode::<OrderPage>()?.ok()?;
    Some((snapshot, page))
}

/// The pending snapshot once fetched from the server (not the cache) after `after`.
async fn fresh_pending(core: &CoreHandle, after: chrono::DateTime<chrono::Utc>) -> OrderPage {
    eventually("a fresh pending page", || async {
        let (snapshot, page) = pending(core)?;
        (!snapshot.from_cache && snapshot.updated_at? > after).then_some(page)
    })
    .await
}

fn error_of(snapshot: &QuerySnapshot) -> Option<(ErrorKind, String)> {
    let error = snapshot.last_error.as_ref()?;
    Some((error.error.code, error.error.message.clone()))
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_cannot_hang_a_poller() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, _events) = core_on(&shop, &dir.path().join("app"), |_| {}).await;
    let good = fresh_pending(&core, chrono::DateTime::UNIX_EPOCH).await;

    shop.server().faults().set(Fault::StallAfterAccept);
    let stalled_from = shop.requests(paths::PENDING_ORDERS);
    let (kind, message) = eventually("the stalled poll to fail", || async {
        let (snapshot, _) = pending(&core)?;
        error_of(&snapshot).filter(|_| snapshot.status == QueryStatus::Error)
    })
    .await;
    assert_eq!(kind, ErrorKind::Network);
    assert_eq!(message, "the server did not answer within 0.5 s");
    let (snapshot, page) = pending(&core).unwrap();
    assert_eq!(page, good, "the last good data is kept");
    assert!(snapshot.failure_count >= 1);
    assert!(matches!(core.connectivity(), Connectivity::Offline { .. }));
    // The poller is not hung: later intervals keep trying (each try stalls again).
    eventually("the next intervals to try again", || async {
        (shop.requests(paths::PENDING_ORDERS) >= stalled_from + 3).then_some(())
    })
    .await;

    let cleared = chrono::Utc::now();
    shop.server().faults().clear();
    fresh_pending(&core, cleared).await;
    let (snapshot, _) = pending(&core).unwrap();
    assert_eq!(snapshot.status, QueryStatus::Success);
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));
    core.shutdown().await;
}

#[tokio::test]
async fn the_http_client_gives_up_on_a_stall_and_its_pool_recovers_from_drops() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let options = HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..HttpOptions::default()
    };
    let source = HttpSource::new(&shop.url(), &shop.token, options).unwrap();
    // A pooled connection, then a server that accepts and never answers.
    source.pending_orders(1, 10).await.unwrap();
    shop.server().faults().set(Fault::StallAfterAccept);
    let error = source.pending_orders(1, 10).await.unwrap_err();
    assert_eq!(
        error,
        SourceError::Timeout {
            after: Some(Duration::from_millis(300))
        }
    );
    assert_eq!(
        error.to_string(),
        "the marketplace did not answer within 0.3 s"
    );
    assert!(error.is_connectivity());

    // Connections dropped mid-request: a connection failure, not a hang.
    shop.server().faults().set(Fault::DropConnection);
    let dropped = source.pending_orders(1, 10).await.unwrap_err();
    assert!(matches!(dropped, SourceError::Network(_)), "{dropped:?}");
    assert!(dropped.is_connectivity());

    // Cleared: the same client answers again (no wedged connection kept in the pool).
    shop.server().faults().clear();
    let page = source.pending_orders(1, 10).await.unwrap();
    assert!(page.total > 0);
}

#[tokio::test]
async fn a_delay_below_the_timeout_still_brings_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, _events) = core_on(&shop, &dir.path().join("app"), |_| {}).await;
    fresh_pending(&core, chrono::DateTime::UNIX_EPOCH).await;

    // A fifth of the 0.5 s timeout.
    shop.server()
        .faults()
        .set(Fault::Delay(Duration::from_millis(100)));
    let order = shop.create_order().await;
    let page = eventually("the new order through the delay", || async {
        let (_, page) = pending(&core)?;
        page.orders.iter().any(|o| o.id == order.id).then_some(page)
    })
    .await;
    assert!(page.total >= 1);
    let (snapshot, _) = pending(&core).unwrap();
    assert_eq!(snapshot.status, QueryStatus::Success);
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));
    core.shutdown().await;
}

#[tokio::test]
async fn server_errors_and_malformed_json_keep_the_last_good_data_say_why_and_go_offline() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, _events) = core_on(&shop, &dir.path().join("app"), |_| {}).await;
    let good = fresh_pending(&core, chrono::DateTime::UNIX_EPOCH).await;

    shop.server().faults().set(Fault::Status500);
    let (kind, message) = eventually("a 500 to be recorded", || async {
        let (snapshot, _) = pending(&core)?;
        error_of(&snapshot)
    })
    .await;
    assert_eq!(kind, ErrorKind::Server);
    assert!(message.contains("500"), "{message}");
    assert_eq!(pending(&core).unwrap().1, good);
    eventually("offline on 500s", || async {
        matches!(core.connectivity(), Connectivity::Offline { .. }).then_some(())
    })
    .await;

    // Back to normal, then answers that cannot be read: an outage too, whatever the status.
    shop.server().faults().clear();
    let good = fresh_pending(&core, chrono::Utc::now()).await;
    eventually("online again", || async {
        matches!(core.connectivity(), Connectivity::Online { .. }).then_some(())
    })
    .await;
    shop.server().faults().set(Fault::MalformedJson);
    let (kind, message) = eventually("the garbled answer to be recorded", || async {
        let (snapshot, _) = pending(&core)?;
        error_of(&snapshot).filter(|(kind, _)| *kind == ErrorKind::Decode)
    })
    .await;
    assert_eq!(kind, ErrorKind::Decode);
    assert_eq!(
        message,
        "the marketplace sent an answer Sellerdash could not read"
    );
    eventually("offline while no answer can be read", || async {
        matches!(core.connectivity(), Connectivity::Offline { .. }).then_some(())
    })
    .await;
    assert_eq!(
        pending(&core).unwrap().1,
        good,
        "the last good data is kept"
    );

    let cleared = chrono::Utc::now();
    shop.server().faults().clear();
    fresh_pending(&core, cleared).await;
    assert_eq!(
        pending(&core).unwrap().0.status,
        QueryStatus::Success,
        "recovered"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn the_first_success_after_an_outage_refetches_every_observed_query_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    // Payouts would not poll again for an hour on their own.
    let (core, _events) = core_on(&shop, &dir.path().join("app"), |p| {
        p.payout_stats.refetch_interval = Duration::from_secs(3600);
        p.payout_stats.stale_time = Duration::from_secs(3600);
    })
    .await;
    let mut reconnects = core.reconnects();
    core.observe(&QueryKey::payout_stats()).unwrap();
    eventually("the payouts' first answer", || async {
        core.snapshot(&QueryKey::payout_stats())?
            .updated_at
            .map(|_| ())
    })
    .await;
    assert_eq!(shop.requests(paths::PAYOUT_STATS), 1);

    // Connections dropped: the pending poller notices and the core goes offline.
    shop.server().faults().set(Fault::DropConnection);
    eventually("offline on dropped connections", || async {
        matches!(core.connectivity(), Connectivity::Offline { .. }).then_some(())
    })
    .await;
    assert_eq!(*reconnects.borrow_and_update(), 0);
    assert_eq!(shop.requests(paths::PAYOUT_STATS), 1, "not due for an hour");

    shop.server().faults().clear();
    tokio::time::timeout(PATIENCE, reconnects.changed())
        .await
        .expect("a reconnect")
        .unwrap();
    assert_eq!(*reconnects.borrow(), 1);
    eventually("the payouts refetched on reconnect", || async {
        (shop.requests(paths::PAYOUT_STATS) == 2).then_some(())
    })
    .await;
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));
    core.shutdown().await;
}

/// Events until the pending orders have been answered `polls` more times; the alerts among
/// them.
async fn alerts_over_polls(
    events: &mut UnboundedReceiver<CoreEvent>,
    polls: usize,
) -> Vec<(Vec<String>, bool)> {
    let mut seen = Vec::new();
    let mut answers = 0;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while answers < polls {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the pending orders keep being polled")
            .expect("the core keeps reporting");
        if let CoreEvent::QueryUpdated(snapshot) = &event
            && snapshot.key == QueryKey::pending_orders()
            && !snapshot.fetching
            && !snapshot.from_cache
            && snapshot.failure_count == 0
            && snapshot.updated_at.is_some()
        {
            answers += 1;
        }
        seen.push(event);
    }
    alerts(&seen)
}

#[tokio::test]
async fn a_new_order_is_announced_once_across_reopen_restart_and_outage() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    let mut shop = Shop::start(dir.path()).await;
    let (core, mut events) = core_on(&shop, &app, |_| {}).await;
    // The demo's pending orders on a first launch: one summary.
    let first = alerts_over_polls(&mut events, 2).await;
    let demo_pending = fresh_pending(&core, chrono::DateTime::UNIX_EPOCH).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].0.len(), demo_pending.orders.len());
    assert!(first[0].1, "a first launch's orders come as one summary");

    // Order #1: one alert naming it.
    let order = shop.create_order().await;
    let announced = eventually("order #1 announced", || {
        let got = alerts(&drain(&mut events));
        async move { (!got.is_empty()).then_some(got) }
    })
    .await;
    assert_eq!(announced, [(vec![order.id.clone()], false)]);

    // Confirmed, then reopened by the buyer's change: pending again, no second alert.
    core.confirm(&order.id).await.unwrap();
    let reopened = shop
        .transition(
            &order.id,
            AdminAction::Reopen,
            Some("the buyer changed the address"),
        )
        .await;
    assert_eq!(reopened.status, OrderStatus::Pending);
    eventually("the reopened order pending again", || async {
        let (_, page) = pending(&core)?;
        page.orders.iter().any(|o| o.id == order.id).then_some(())
    })
    .await;
    assert_eq!(alerts_over_polls(&mut events, 3).await, []);
    core.shutdown().await;
    drop(events);

    // A restart on the same cache file: nothing new, nothing announced.
    let (core, mut events) = core_on(&shop, &app, |_| {}).await;
    assert_eq!(alerts_over_polls(&mut events, 3).await, []);

    // The server goes away and comes back: the reconnect refetch announces nothing.
    let mut reconnects = core.reconnects();
    shop.stop().await;
    eventually("offline with the server gone", || async {
        matches!(core.connectivity(), Connectivity::Offline { .. }).then_some(())
    })
    .await;
    shop.restart().await;
    tokio::time::timeout(PATIENCE, reconnects.changed())
        .await
        .expect("a reconnect")
        .unwrap();
    assert_eq!(alerts_over_polls(&mut events, 3).await, []);
    assert_eq!(
        core.pending_total(),
        Some(demo_pending.total + 1),
        "the tray's count is the server's"
    );
    core.shutdown().await;
    drop(events);

    // 30 orders while the app is closed: one summary of all 30 on start.
    let mut created = Vec::new();
    for _ in 0..30 {
        created.push(shop.create_order().await.id);
    }
    let (core, mut events) = core_on(&shop, &app, |_| {}).await;
    let summary = alerts_over_polls(&mut events, 3).await;
    assert_eq!(summary.len(), 1, "{summary:?}");
    let (mut ids, while_away) = summary[0].clone();
    assert!(while_away);
    ids.sort();
    created.sort();
    assert_eq!(ids, created);
    core.shutdown().await;
    shop.stop().await;
}
