//! The pollers on tokio's paused clock with an in-process source and an in-memory store:
//! retry schedule, error state, recovery, request counts, focus dedup, window visibility,
//! reconnect and the fresh refetch after an action. No sockets, no SQLite.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Call, FakeSource, drain, summary, until};
use sellerdash_core::{
    Connectivity, Core, CoreEvent, CoreHandle, ErrorKind, MemoryStore, Policies, QueryKey,
    QueryStatus, SourceError, channel_sink,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

async fn start(
    source: &Arc<FakeSource>,
    policies: Policies,
) -> (CoreHandle, UnboundedReceiver<CoreEvent>) {
    let (sink, events) = channel_sink();
    let core = Core::start_with(source.clone(), Arc::new(MemoryStore::new()), policies, sink)
        .await
        .unwrap();
    (core, events)
}

fn server_error() -> SourceError {
    SourceError::Server {
        status: 503,
        message: "down for maintenance".into(),
    }
}

#[tokio::test(start_paused = true)]
async fn retries_back_off_then_error_keeps_data_then_recovers() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.fail_between(5.0, 15.0, server_error());
    let (core, _events) = start(&source, Policies::default()).await;

    until(t0, 4.0).await;
    let good = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(good.status, QueryStatus::Success);

    until(t0, 12.5).await;
    for key in [QueryKey::dashboard(), QueryKey::pending_orders()] {
        let snap = core.snapshot(&key).unwrap();
        assert_eq!(
            snap.status,
            QueryStatus::Error,
            "{key} after the last retry"
        );
        assert_eq!(snap.failure_count, 4);
        assert_eq!(
            snap.last_error.as_ref().unwrap().error.code,
            ErrorKind::Server
        );
        assert!(snap.data.is_some(), "{key} keeps its last good data");
    }
    assert_eq!(
        core.snapshot(&QueryKey::dashboard()).unwrap().data,
        good.data
    );
    assert!(matches!(core.connectivity(), Connectivity::Offline { .. }));

    until(t0, 17.5).await;
    let recovered = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(recovered.status, QueryStatus::Success);
    assert_eq!(recovered.failure_count, 0);
    assert_ne!(recovered.data, good.data);
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));

    // First attempt of the failing cycle at 5 s, retries at +1, +3, +7 s, then the interval.
    let expected = [0.0, 5.0, 6.0, 8.0, 12.0, 17.0];
    assert_eq!(source.calls(Call::Dashboard), expected);
    assert_eq!(source.calls(Call::Pending), expected);
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn retry_delay_is_capped_at_fifteen_seconds() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.fail_between(
        0.0,
        1000.0,
        SourceError::Network("connection refused".into()),
    );
    let mut policies = Policies::default();
    policies.dashboard.retries = 6;
    policies.pending_orders.retries = 6;
    let (core, _events) = start(&source, policies).await;

    until(t0, 50.5).await;
    // Delays 1, 2, 4, 8, then 16 s capped to 15, 15; the cycle ends; the interval follows.
    assert_eq!(
        source.calls(Call::Dashboard),
        [0.0, 1.0, 3.0, 7.0, 15.0, 30.0, 45.0, 50.0]
    );
    let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(snap.last_error.unwrap().error.code, ErrorKind::Network);
    assert!(snap.data.is_none());
    match core.connectivity() {
        Connectivity::Offline { retry_at, .. } => assert!(retry_at.is_some()),
        other => panic!("expected offline, got {other:?}"),
    }
}

async fn request_times_over_a_minute(visible: bool) -> (Vec<f64>, Vec<f64>) {
    let t0 = Instant::now();
    let source = FakeSource::new();
    let (core, _events) = start(&source, Policies::default()).await;
    core.set_window_visible(visible);
    assert_eq!(core.window_visible(), visible);
    until(t0, 59.9).await;
    core.shutdown().await;
    (source.calls(Call::Dashboard), source.calls(Call::Pending))
}

#[tokio::test(start_paused = true)]
async fn polls_every_interval_whether_the_window_is_shown_or_hidden() {
    let (dashboard, pending) = request_times_over_a_minute(true).await;
    assert_eq!(dashboard.len(), 12);
    assert_eq!(pending.len(), 12);
    let every_five: Vec<f64> = (0..12).map(|i| f64::from(i * 5)).collect();
    assert_eq!(dashboard, every_five);
    assert_eq!(pending, every_five);

    let hidden = request_times_over_a_minute(false).await;
    assert_eq!(hidden, (dashboard, pending));
}

#[tokio::test(start_paused = true)]
async fn hiding_the_window_mid_failure_changes_nothing() {
    let run = |hide_at: Option<f64>| async move {
        let t0 = Instant::now();
        let source = FakeSource::new();
        source.fail_between(10.0, 20.0, server_error());
        let (core, _events) = start(&source, Policies::default()).await;
        if let Some(secs) = hide_at {
            until(t0, secs).await;
            core.set_window_visible(false);
        }
        until(t0, 40.0).await;
        source.calls(Call::Dashboard)
    };
    assert_eq!(run(Some(11.5)).await, run(None).await);
}

#[tokio::test(start_paused = true)]
async fn focus_during_a_request_starts_none() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.set_delay(Duration::from_secs(2));
    let (core, _events) = start(&source, Policies::default()).await;

    until(t0, 1.0).await;
    assert!(core.snapshot(&QueryKey::dashboard()).unwrap().fetching);
    core.focus();
    assert_eq!(core.refetch(&QueryKey::dashboard()), 1);
    until(t0, 3.0).await;
    assert_eq!(source.calls(Call::Dashboard), [0.0]);

    // Idle now: a focus refetches both pinned queries at once (their policy is "always").
    core.focus();
    until(t0, 9.0).await;
    assert_eq!(source.calls(Call::Dashboard), [0.0, 3.0, 8.0]);
    assert_eq!(source.calls(Call::Pending), [0.0, 3.0, 8.0]);
}

#[tokio::test(start_paused = true)]
async fn reconnect_refetches_every_query_at_once() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    // Only calls starting in [5, 5.5) fail: both queries fail at 5 s, retry at 6 s.
    source.fail_between(5.0, 5.5, SourceError::Timeout { after: None });
    let mut policies = Policies::default();
    policies.dashboard.retries = 0;
    policies.pending_orders.retries = 0;
    policies.pending_orders.refetch_interval = Duration::from_secs(30);
    policies.pending_orders.stale_time = Duration::from_secs(30);
    let (core, mut events) = start(&source, policies).await;

    until(t0, 6.0).await;
    assert!(matches!(core.connectivity(), Connectivity::Offline { .. }));
    until(t0, 10.5).await;
    // The dashboard's failure at 5 s took the core offline; its success at 10 s brings it
    // back, and pending (not due before 30 s) refetches at once.
    assert_eq!(source.calls(Call::Dashboard), [0.0, 5.0, 10.0]);
    assert_eq!(source.calls(Call::Pending), [0.0, 10.0]);
    let changes: Vec<_> = drain(&mut events)
        .into_iter()
        .filter_map(|e| match e {
            CoreEvent::ConnectivityChanged(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(matches!(
        changes.as_slice(),
        [
            Connectivity::Online { .. },
            Connectivity::Offline { .. },
            Connectivity::Online { .. }
        ]
    ));
}

#[tokio::test(start_paused = true)]
async fn an_action_refetches_with_a_request_that_starts_after_it() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.set_pending(vec![summary("b", 1)]);
    let (core, mut events) = start(&source, Policies::default()).await;

    until(t0, 4.0).await;
    source.set_delay(Duration::from_secs(2));
    source.push_pending(summary("c", 2));
    // The pending request of 5 s answers at 7 s with b and c, both pending.
    until(t0, 6.0).await;
    drain(&mut events);
    let outcome = core.confirm("b").await.unwrap();
    assert_eq!(outcome.applied().map(|o| o.id.as_str()), Some("b"));

    until(t0, 9.5).await;
    let pending = core.snapshot(&QueryKey::pending_orders()).unwrap();
    let page: sellerdash_api::OrderPage = pending.decode().unwrap().unwrap();
    assert_eq!(
        page.orders
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
    // The answer started before the confirm never became the snapshot.
    for event in drain(&mut events) {
        if let CoreEvent::QueryUpdated(snap) = event
            && snap.key == QueryKey::pending_orders()
            && let Some(Ok(page)) = snap.decode::<sellerdash_api::OrderPage>()
        {
            let has = |id: &str| page.orders.iter().any(|o| o.id == id);
            assert!(
                !(has("b") && has("c")),
                "the answer of 5 s was applied: {page:?}"
            );
        }
    }
    assert_eq!(source.calls(Call::Pending), [0.0, 5.0, 7.0]);
    // The dashboard's request of 5 s was in flight too: discarded, refetched at 7 s; and
    // again when the answer of 9 s brought c, an order the list had not held.
    assert_eq!(source.calls(Call::Dashboard), [0.0, 5.0, 7.0, 9.0]);
    assert_eq!(core.pending_total(), Some(1));

    let refused_at = Instant::now();
    let conflict = core.confirm("b").await.unwrap_err();
    assert_eq!(conflict.code, ErrorKind::Conflict);
    assert_eq!(conflict.message, "order is not pending");
    // The refusal means the lists were out of date: they are refetched at once.
    let refused_at = (refused_at - t0).as_secs_f64();
    until(t0, refused_at + 0.5).await;
    let pending = source.calls(Call::Pending);
    assert!(
        pending.iter().any(|&at| (at - refused_at).abs() < 0.01),
        "pending orders not refetched at {refused_at}: {pending:?}"
    );
    // The dashboard's request of 9 s is still out (2 s delay): discarded, and asked again
    // the moment it ends, at 11 s (one request in flight per key).
    until(t0, 11.5).await;
    assert_eq!(source.calls(Call::Dashboard), [0.0, 5.0, 7.0, 9.0, 11.0]);
    assert_eq!(
        core.cancel("c", "  ").await.unwrap_err().code,
        ErrorKind::BadRequest
    );
}

#[tokio::test(start_paused = true)]
async fn dropping_the_handle_stops_polling() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    let (core, _events) = start(&source, Policies::default()).await;
    until(t0, 1.0).await;
    drop(core);
    until(t0, 30.0).await;
    assert_eq!(source.calls(Call::Dashboard), [0.0]);
}

#[tokio::test(start_paused = true)]
async fn one_failing_endpoint_reaches_error_while_the_others_keep_the_app_online() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.only_fail(Call::Dashboard);
    source.fail_between(0.0, 1000.0, server_error());
    let (core, mut events) = start(&source, Policies::default()).await;
    until(t0, 7.5).await;
    // Pending's successes are no reconnect (pending never failed): the dashboard keeps its
    // retry schedule and is in error after its fourth failure.
    assert_eq!(source.calls(Call::Dashboard), [0.0, 1.0, 3.0, 7.0]);
    let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(snap.status, QueryStatus::Error);
    assert_eq!(snap.failure_count, 4);
    assert_eq!(
        core.snapshot(&QueryKey::pending_orders()).unwrap().status,
        QueryStatus::Success
    );
    assert_eq!(source.calls(Call::Pending), [0.0, 5.0]);

    // The marketplace answers the pending orders all along: it is online, and stays so
    // through a minute of dashboard 503s (no flapping badge or tray).
    until(t0, 67.5).await;
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));
    let changes: Vec<Connectivity> = drain(&mut events)
        .into_iter()
        .filter_map(|event| match event {
            CoreEvent::ConnectivityChanged(state) => Some(state),
            _ => None,
        })
        .collect();
    assert!(
        changes
            .iter()
            .skip(1)
            .all(|state| matches!(state, Connectivity::Online { .. })),
        "{changes:?}"
    );
    assert!(changes.len() <= 2, "{changes:?}");

    // Then the pending orders fail too: now the marketplace is down.
    source.fail_every_call();
    until(t0, 71.0).await;
    assert!(matches!(core.connectivity(), Connectivity::Offline { .. }));
}

#[test]
fn the_handle_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CoreHandle>();
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_is_unauthorized_not_live_and_polls_without_backoff() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.fail_between(5.0, 12.0, SourceError::Unauthorized("invalid token".into()));
    let (core, mut events) = start(&source, Policies::default()).await;

    until(t0, 11.5).await;
    match core.connectivity() {
        Connectivity::Unauthorized { reason, .. } => {
            assert!(reason.contains("invalid token"), "{reason}")
        }
        other => panic!("expected unauthorized, got {other:?}"),
    }
    let snap = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(snap.status, QueryStatus::Error);
    assert_eq!(snap.last_error.unwrap().error.code, ErrorKind::Unauthorized);
    assert!(snap.data.is_some(), "the last good data is kept");
    // A 401 is not retried with backoff (no calls at 6, 8 s): the normal interval only.
    assert_eq!(source.calls(Call::Dashboard), [0.0, 5.0, 10.0]);

    until(t0, 15.5).await;
    assert!(matches!(core.connectivity(), Connectivity::Online { .. }));
    assert_eq!(
        core.snapshot(&QueryKey::dashboard()).unwrap().status,
        QueryStatus::Success
    );
    // Pending polled on its interval through the refusal too, never with backoff; the
    // reconnect at 15 s shares the request already due then.
    assert_eq!(source.calls(Call::Pending), [0.0, 5.0, 10.0, 15.0]);
    let changes: Vec<_> = drain(&mut events)
        .into_iter()
        .filter_map(|e| match e {
            CoreEvent::ConnectivityChanged(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(
        matches!(
            changes.as_slice(),
            [
                Connectivity::Online { .. },
                Connectivity::Unauthorized { .. },
                Connectivity::Online { .. }
            ]
        ),
        "{changes:?}"
    );
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn new_intervals_apply_while_running_and_reset_restores_the_design() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    let (core, _events) = start(&source, Policies::default()).await;
    until(t0, 11.0).await;
    let defaults = Policies::default();
    let mut slower = defaults;
    slower.dashboard = defaults.dashboard.every(Duration::from_secs(20));
    core.set_policies(slower);
    until(t0, 12.0).await;
    let dashboard = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(dashboard.refetch_interval_ms, Some(20_000));
    until(t0, 51.0).await;
    assert_eq!(source.calls(Call::Dashboard), [0.0, 5.0, 10.0, 30.0, 50.0]);
    // Pending orders kept the design's 5 s throughout.
    assert_eq!(source.calls(Call::Pending).len(), 11);
    core.set_policies(Policies::default());
    until(t0, 66.0).await;
    assert_eq!(
        source.calls(Call::Dashboard),
        [0.0, 5.0, 10.0, 30.0, 50.0, 55.0, 60.0, 65.0]
    );
    let dashboard = core.snapshot(&QueryKey::dashboard()).unwrap();
    assert_eq!(dashboard.refetch_interval_ms, Some(5_000));
    core.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_order_joining_the_pending_list_refreshes_the_sales_lists_at_once() {
    let t0 = Instant::now();
    let source = FakeSource::new();
    source.set_pending(vec![summary("a", 1)]);
    let (core, _events) = start(&source, Policies::default()).await;
    // Only pending orders listed: the adaptive interval is 15 s.
    let all = QueryKey::sales(&[]);
    core.observe(&all).unwrap();
    let order = QueryKey::order("a");
    core.observe(&order).unwrap();

    // Nothing arrives: the list keeps its own interval.
    until(t0, 16.0).await;
    assert_eq!(source.calls_for(Call::Sales, ""), [0.0, 15.0]);
    assert_eq!(
        core.snapshot(&all).unwrap().refetch_interval_ms,
        Some(15_000)
    );

    // A new order, seen by the pending poll of 20 s: the list asks at once, not at 30 s,
    // then keeps its interval from there. An order's details are not asked again.
    source.push_pending(summary("b", 17));
    until(t0, 21.0).await;
    assert_eq!(source.calls_for(Call::Sales, ""), [0.0, 15.0, 20.0]);
    let page: sellerdash_api::OrderPage = core.snapshot(&all).unwrap().decode().unwrap().unwrap();
    assert_eq!(page.orders.len(), 2);
    // Its own 3 s schedule (…, 18, 21): nothing at 20.
    let details = source.calls_for(Call::Order, "a");
    assert!(
        details.contains(&18.0) && !details.contains(&20.0),
        "{details:?}"
    );

    // An order leaving the list (confirmed elsewhere) is no arrival.
    source.set_status("a", sellerdash_api::OrderStatus::Confirmed);
    until(t0, 36.0).await;
    assert_eq!(source.calls_for(Call::Sales, ""), [0.0, 15.0, 20.0, 35.0]);
    core.shutdown().await;
}
