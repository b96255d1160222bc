//! Every seller key of the design's table on tokio's paused clock (in-process source,
//! in-memory store): request counts over a minute with the window shown and hidden, the
//! adaptive sales interval, the order detail's retries, focus bursts, prefix invalidation,
//! observers and gc, diagnostics.

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Call, FakeSource, summary, until};
use sellerdash_api::{OrderStatus, OrderSummary};
use sellerdash_core::{
    Core, CoreEvent, CoreHandle, ErrorKind, MemoryStore, Policies, QueryKey, QueryStatus,
    SourceError, channel_sink,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

async fn start(source: &Arc<FakeSource>) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let (sink, events) = channel_sink();
    let store = Arc::new(MemoryStore::new());
    let core = Core::start_with(source.clone(), store, Policies::default(), sink)
        .await
        .unwrap();
    (core, events)
}

fn order(id: &str, status: OrderStatus) -> OrderSummary {
    let mut order = summary(id, 1);
    order.status = status;
    order
}

/// A store with one order of each interesting status.
fn shop() -> Arc<FakeSource> {
    let source = FakeSource::new();
    source.set_pending(vec![
        order("p1", OrderStatus::Pending),
        order("m1", OrderStatus::Processing),
        order("c1", OrderStatus::Completed),
    ]);
    source
}

fn design_keys() -> Vec<QueryKey> {
    vec![
        QueryKey::order("p1"),
        QueryKey::payout_stats(),
        QueryKey::payout_history(None),
        QueryKey::sales(&[OrderStatus::Processing]),
        QueryKey::sales(&[OrderStatus::Pending]),
        QueryKey::sales(&[OrderStatus::Completed]),
    ]
}

struct Counts {
    dashboard: usize,
    pending: usize,
    detail: usize,
    payouts: usize,
    history: usize,
    sales: [usize; 3],
}

async fn one_minute(visible: bool) -> Counts {
    let t0 = Instant::now();
    let source = shop();
    let (core, _events) = start(&source).await;
    core.set_window_visible(visible);
    for key in design_keys() {
        core.observe(&key).unwrap();
    }
    until(t0, 59.9).await;
    let interval = |key: QueryKey| core.snapshot(&key).unwrap().refetch_interval_ms;
    assert_eq!(
        interval(QueryKey::sales(&[OrderStatus::Processing])),
        Some(5_000)
    );
    assert_eq!(
        interval(QueryKey::sales(&[OrderStatus::Pending])),
        Some(15_000)
    );
    assert_eq!(
        interval(QueryKey::sales(&[OrderStatus::Completed])),
        Some(60_000)
    );
    assert_eq!(interval(QueryKey::order("p1")), Some(3_000));
    core.shutdown().await;
    Counts {
        dashboard: source.calls(Call::Dashboard).len(),
        pending: source.calls(Call::Pending).len(),
        detail: source.calls_for(Call::Order, "p1").len(),
        payouts: source.calls(Call::PayoutStats).len(),
        history: source.calls(Call::PayoutHistory).len(),
        sales: [
            source.calls_for(Call::Sales, "processing").len(),
            source.calls_for(Call::Sales, "pending").len(),
            source.calls_for(Call::Sales, "completed").len(),
        ],
    }
}

#[tokio::test(start_paused = true)]
async fn every_key_polls_on_the_designs_schedule_shown_or_hidden() {
    for visible in [true, false] {
        let counts = one_minute(visible).await;
        assert_eq!(counts.dashboard, 12, "dashboard, visible {visible}");
        assert_eq!(counts.pending, 12, "pending, visible {visible}");
        assert_eq!(counts.detail, 20, "order detail, visible {visible}");
        assert_eq!(counts.payouts, 6, "payout stats, visible {visible}");
        assert_eq!(counts.history, 6, "payout history, visible {visible}");
        assert_eq!(counts.sales, [12, 4, 1], "sales lists, visible {visible}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_sales_interval_follows_the_lists_statuses() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.set_pending(vec![order("a", OrderStatus::Pending)]);
    let (core, _events) = start(&source).await;
    let all = QueryKey::sales(&[]);
    core.observe(&all).unwrap();
    until(t0, 1.0).await;
    assert_eq!(
        core.snapshot(&all).unwrap().refetch_interval_ms,
        Some(15_000)
    );
    // The order ships: the next answer (at 15 s) switches the list to 5 s.
    source.set_status("a", OrderStatus::Shipped);
    until(t0, 31.0).await;
    assert_eq!(
        source.calls_for(Call::Sales, ""),
        [0.0, 15.0, 20.0, 25.0, 30.0]
    );
    source.set_status("a", OrderStatus::Completed);
    until(t0, 100.0).await;
    assert_eq!(
        source.calls_for(Call::Sales, ""),
        [0.0, 15.0, 20.0, 25.0, 30.0, 35.0, 95.0]
    );
}

#[tokio::test(start_paused = true)]
async fn an_order_detail_retries_twice_then_keeps_its_data_in_error() {
    let t0 = Instant::now();
    let source = shop();
    source.only_fail(Call::Order);
    source.fail_between(2.5, 8.0, SourceError::Timeout { after: None });
    let (core, _events) = start(&source).await;
    let key = QueryKey::order("p1");
    core.observe(&key).unwrap();
    until(t0, 7.0).await;
    let snap = core.snapshot(&key).unwrap();
    assert_eq!(snap.status, QueryStatus::Error);
    assert_eq!(snap.failure_count, 3);
    assert!(snap.data.is_some(), "the last good order is kept");
    assert_eq!(snap.last_error.unwrap().error.code, ErrorKind::Network);
    until(t0, 9.5).await;
    // First failure at 3 s, retries at +1 and +2 s more, then the next interval succeeds.
    assert_eq!(
        source.calls_for(Call::Order, "p1"),
        [0.0, 3.0, 4.0, 6.0, 9.0]
    );
    assert_eq!(core.snapshot(&key).unwrap().status, QueryStatus::Success);
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_focus_events_costs_at_most_one_request_per_key() {
    let t0 = Instant::now();
    let source = shop();
    let (core, _events) = start(&source).await;
    for key in design_keys() {
        core.observe(&key).unwrap();
    }
    until(t0, 2.5).await;
    let before = |call| source.calls(call).len();
    let counts: Vec<usize> = [Call::Dashboard, Call::Pending, Call::Order, Call::Sales]
        .into_iter()
        .map(before)
        .collect();
    for i in 0..10 {
        until(t0, 2.5 + f64::from(i) * 0.09).await;
        core.focus();
    }
    until(t0, 3.45).await;
    let after: Vec<usize> = [Call::Dashboard, Call::Pending, Call::Order, Call::Sales]
        .into_iter()
        .map(before)
        .collect();
    // Dashboard and pending refetch on every focus (once, throttled); the order detail
    // (stale after 2 s) once; the sales lists are fresh (stale after 5 s) and stay quiet.
    assert_eq!(after[0] - counts[0], 1);
    assert_eq!(after[1] - counts[1], 1);
    assert_eq!(after[2] - counts[2], 1);
    assert_eq!(after[3] - counts[3], 0);
}

#[tokio::test(start_paused = true)]
async fn prefix_invalidation_touches_exactly_the_keys_under_it() {
    let t0 = Instant::now();
    let source = shop();
    let (core, _events) = start(&source).await;
    for key in design_keys() {
        core.observe(&key).unwrap();
    }
    until(t0, 1.0).await;
    assert_eq!(core.invalidate(&QueryKey::new(["seller", "payouts"])), 2);
    until(t0, 1.5).await;
    assert_eq!(source.calls(Call::PayoutStats), [0.0, 1.0]);
    assert_eq!(source.calls(Call::PayoutHistory), [0.0, 1.0]);
    for call in [Call::Dashboard, Call::Pending, Call::Order, Call::Sales] {
        assert!(source.calls(call).iter().all(|t| *t == 0.0), "{call:?}");
    }
    // Under seller/sales: three lists and the order detail.
    assert_eq!(core.invalidate(&QueryKey::sales_prefix()), 4);
}

#[tokio::test(start_paused = true)]
async fn an_unobserved_query_stops_polling_and_is_dropped_after_its_gc_time() {
    let t0 = Instant::now();
    let source = shop();
    let (core, _events) = start(&source).await;
    let key = QueryKey::order("p1");
    core.observe(&key).unwrap();
    core.observe(&key).unwrap();
    until(t0, 10.0).await;
    assert!(core.unobserve(&key));
    until(t0, 10.5).await;
    assert!(
        core.diagnostics()
            .iter()
            .any(|d| d.key == key && d.observers == 1)
    );
    assert!(core.unobserve(&key));
    assert!(!core.unobserve(&key), "no observer is left");
    // gc time 5 min: still known just before, gone just after; no polling meanwhile.
    until(t0, 10.5 + 299.0).await;
    assert!(core.snapshot(&key).is_some());
    until(t0, 10.5 + 301.0).await;
    assert!(core.snapshot(&key).is_none());
    assert!(core.diagnostics().iter().all(|d| d.key != key));
    assert_eq!(source.calls_for(Call::Order, "p1"), [0.0, 3.0, 6.0, 9.0]);
    // Pinned queries are never collected.
    assert!(core.snapshot(&QueryKey::dashboard()).is_some());

    // Observed again: a fresh query fetches at once.
    core.observe(&key).unwrap();
    until(t0, 312.0).await;
    assert_eq!(source.calls_for(Call::Order, "p1").len(), 5);
}

#[tokio::test(start_paused = true)]
async fn observed_again_before_gc_resumes_where_it_was() {
    let t0 = Instant::now();
    let source = shop();
    let (core, _events) = start(&source).await;
    let key = QueryKey::payout_stats();
    core.observe(&key).unwrap();
    until(t0, 1.0).await;
    core.unobserve(&key);
    until(t0, 30.0).await;
    core.observe(&key).unwrap();
    until(t0, 30.5).await;
    // Stale by 30 s: fetched at once on the new observer, then every 10 s.
    assert_eq!(source.calls(Call::PayoutStats), [0.0, 30.0]);
}

#[tokio::test(start_paused = true)]
async fn diagnostics_count_requests_and_failures_per_minute() {
    let t0 = Instant::now();
    let source = shop();
    source.only_fail(Call::PayoutStats);
    source.fail_between(20.0, 1000.0, SourceError::Network("refused".into()));
    let (core, _events) = start(&source).await;
    core.observe(&QueryKey::payout_stats()).unwrap();
    until(t0, 59.9).await;
    let diagnostics = core.diagnostics();
    let of = |key: QueryKey| diagnostics.iter().find(|d| d.key == key).unwrap().clone();
    let dashboard = of(QueryKey::dashboard());
    assert!(dashboard.pinned);
    assert_eq!(dashboard.observers, 0);
    assert_eq!(dashboard.requests_per_minute, 12);
    assert_eq!(dashboard.failures_per_minute, 0);
    assert_eq!(dashboard.interval_ms, Some(5_000));
    assert!(dashboard.last_success_at.is_some());
    assert!(dashboard.next_fetch_at.is_some());
    let payouts = of(QueryKey::payout_stats());
    // 0, 10 ok; 20 fails, retries 21, 23, 27 fail; the interval tries 37 (retries 38, 40,
    // 44) and 54 (retries 55, 57).
    assert_eq!(payouts.observers, 1);
    assert_eq!(payouts.status, QueryStatus::Error);
    assert_eq!(payouts.requests_per_minute, 13);
    assert_eq!(payouts.failures_per_minute, 11);
    assert!(payouts.last_error.is_some());
}

#[tokio::test(start_paused = true)]
async fn an_unknown_key_is_a_bad_request() {
    let source = shop();
    let (core, _events) = start(&source).await;
    for bad in [
        QueryKey::new(["seller", "nothing"]),
        QueryKey::new(["seller", "sales", "nope"]),
    ] {
        assert_eq!(core.observe(&bad).unwrap_err().code, ErrorKind::BadRequest);
    }
}

#[tokio::test(start_paused = true)]
async fn confirm_during_a_slow_list_request_never_shows_the_order_pending_again() {
    let t0 = Instant::now();
    let source = shop();
    let (core, mut events) = start(&source).await;
    let list = QueryKey::sales(&[OrderStatus::Pending]);
    let detail = QueryKey::order("p1");
    core.observe(&list).unwrap();
    core.observe(&detail).unwrap();
    until(t0, 14.0).await;
    source.set_delay(Duration::from_secs(2));
    // The list's request of 15 s answers at 17 s with p1 pending.
    until(t0, 16.0).await;
    common::drain(&mut events);
    core.confirm("p1").await.unwrap();
    until(t0, 20.0).await;
    // Every answer applied after the confirm (the snapshot keeps its older data while a
    // request is in flight) is without p1.
    for event in common::drain(&mut events) {
        if let CoreEvent::QueryUpdated(snap) = event
            && snap.key == list
            && !snap.fetching
            && let Some(Ok(page)) = snap.decode::<sellerdash_api::OrderPage>()
        {
            assert!(
                page.orders.iter().all(|o| o.id != "p1"),
                "stale list applied: {snap:?}"
            );
        }
    }
    // The list's request of 15 s was discarded; a fresh one started when it landed at 17 s.
    assert_eq!(source.calls_for(Call::Sales, "pending"), [0.0, 15.0, 17.0]);
    let snap = core.snapshot(&list).unwrap();
    let page: sellerdash_api::OrderPage = snap.decode().unwrap().unwrap();
    assert!(page.orders.is_empty());
    let order: sellerdash_api::Order = core.snapshot(&detail).unwrap().decode().unwrap().unwrap();
    assert_eq!(order.status, OrderStatus::Confirmed);
}

#[tokio::test(start_paused = true)]
async fn reconnect_refetches_the_observed_queries_too() {
    let t0 = Instant::now();
    let source = shop();
    source.fail_between(5.0, 5.5, SourceError::Network("refused".into()));
    let (core, _events) = start(&source).await;
    let key = QueryKey::payout_stats();
    core.observe(&key).unwrap();
    until(t0, 6.5).await;
    // Dashboard and pending fail at 5 s and retry at 6 s: the first success is a reconnect,
    // and the payouts (next due at 10 s) refetch at once.
    assert_eq!(source.calls(Call::PayoutStats), [0.0, 6.0]);
    assert!(matches!(
        core.connectivity(),
        sellerdash_core::Connectivity::Online { .. }
    ));
    until(t0, 16.5).await;
    assert_eq!(source.calls(Call::PayoutStats), [0.0, 6.0, 16.0]);
}
