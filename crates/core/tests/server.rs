//! The core against the real reference server (demo store, no simulator) with scaled-down
//! policies: an order created through the admin API is announced exactly once, and
//! confirming it removes it from the pending snapshot and refreshes every dashboard period.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::alerts;
use common::shop::Shop;
use sellerdash_api::{DashboardStats, OrderPage, OrderStatus, Period};
use sellerdash_core::{CoreEvent, ErrorKind, QueryKey};
use tokio::sync::mpsc::UnboundedReceiver;

async fn next_alert(events: &mut UnboundedReceiver<CoreEvent>) -> (Vec<String>, bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap();
        if let Some(alert) = alerts(std::slice::from_ref(&event)).pop() {
            return alert;
        }
    }
}

fn pending_ids(core: &sellerdash_core::CoreHandle) -> Option<Vec<String>> {
    let snap = core.snapshot(&QueryKey::pending_orders())?;
    let page: OrderPage = snap.decode()?.ok()?;
    Some(page.orders.into_iter().map(|o| o.id).collect())
}

#[tokio::test]
async fn a_new_order_is_announced_once_and_confirm_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, mut events) = shop.core(&dir.path().join("app"), 0.05).await;

    // The demo's existing pending orders: one while-away summary (when there are any).
    let before = loop {
        if let Some(ids) = pending_ids(&core) {
            break ids;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    if !before.is_empty() {
        let (ids, while_away) = next_alert(&mut events).await;
        assert!(while_away);
        assert_eq!(ids.len(), before.len());
    }

    let created = shop.create_order().await;
    assert_eq!(created.status, OrderStatus::Pending);

    assert_eq!(
        next_alert(&mut events).await,
        (vec![created.id.clone()], false)
    );
    let total_with = core.pending_total().unwrap();

    let outcome = core.confirm(&created.id).await.unwrap();
    let confirmed = outcome.applied().expect("applied at once while online");
    assert_eq!(confirmed.status, OrderStatus::Confirmed);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while pending_ids(&core).unwrap().contains(&created.id) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the confirmed order stays pending"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(core.pending_total(), Some(total_with - 1));

    // Three more answers to the pending poll: the order is never announced again.
    let mut rest = Vec::new();
    let mut answers = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while answers < 3 {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the pending orders keep being polled")
            .expect("the core keeps reporting");
        if let CoreEvent::QueryUpdated(snapshot) = &event
            && snapshot.key == QueryKey::pending_orders()
            && !snapshot.fetching
            && snapshot.updated_at.is_some()
        {
            answers += 1;
        }
        rest.push(event);
    }
    assert!(alerts(&rest).is_empty(), "{:?}", alerts(&rest));
    assert_eq!(
        core.confirm(&created.id).await.unwrap_err().code,
        ErrorKind::Conflict
    );
    core.shutdown().await;
}

/// The dashboard's figures of `key` once it has an answer from the server.
async fn dashboard_of(
    core: &sellerdash_core::CoreHandle,
    key: &QueryKey,
    until: impl Fn(&DashboardStats) -> bool,
) -> DashboardStats {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(Ok(stats)) = core
            .snapshot(key)
            .and_then(|snap| snap.decode::<DashboardStats>())
            && until(&stats)
        {
            return stats;
        }
        assert!(tokio::time::Instant::now() < deadline, "{key} never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn each_dashboard_period_is_its_own_key_and_confirm_refreshes_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    // Intervals of minutes: within this test only an invalidation refetches.
    let (core, _events) = shop.core(&dir.path().join("app"), 20.0).await;

    let week = QueryKey::dashboard_period(Period::Days7);
    core.observe(&week).unwrap();
    let stats = dashboard_of(&core, &week, |_| true).await;
    assert_eq!(stats.period, Period::Days7);
    assert_eq!(stats.series.len(), 7);
    assert_eq!(stats.time_zone, "Europe/Berlin");
    let pinned = dashboard_of(&core, &QueryKey::dashboard(), |_| true).await;
    assert_eq!(pinned.period, Period::Days30);

    assert_eq!(stats.pending_orders, pinned.pending_orders);
    assert!(
        stats.pending_orders > 0,
        "the demo store has pending orders"
    );

    let first = loop {
        if let Some(ids) = pending_ids(&core) {
            break ids[0].clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    core.confirm(&first).await.unwrap();
    let fewer = stats.pending_orders - 1;
    for key in [week, QueryKey::dashboard()] {
        let after = dashboard_of(&core, &key, |s| s.pending_orders == fewer).await;
        assert_eq!(after.pending_orders, fewer, "{key}");
    }
    core.shutdown().await;
}

/// A search far too long for a URL (a pasted file, say) cannot be sent at all: the seller
/// gets a bad-request error on that list, and the app stays online.
#[tokio::test]
async fn an_over_long_search_is_a_bad_request_and_the_app_stays_online() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let (core, _events) = shop.core(&dir.path().join("app"), 0.05).await;

    // Online first, on an ordinary list.
    let all = QueryKey::sales_page(&[], "", 1);
    core.observe(&all).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !matches!(
        core.connectivity(),
        sellerdash_state::Connectivity::Online { .. }
    ) {
        assert!(tokio::time::Instant::now() < deadline, "never came online");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let long = QueryKey::sales_page(&[], &"x".repeat(200_000), 1);
    core.observe(&long).unwrap();
    let error = loop {
        if let Some(error) = core.snapshot(&long).and_then(|s| s.last_error) {
            break error.error;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no error on the long search"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(error.code, ErrorKind::BadRequest, "{error:?}");
    assert!(error.message.contains("too long"), "{}", error.message);
    assert!(
        matches!(
            core.connectivity(),
            sellerdash_state::Connectivity::Online { .. }
        ),
        "{:?}",
        core.connectivity()
    );
    // The other list still has its data.
    assert!(core.snapshot(&all).unwrap().data.is_some());
    core.shutdown().await;
}
