//! The design's schedule against the real reference server on real time, policies scaled
//! by 0.05 (a simulated minute is 3 s): requests per key counted by the server itself.

#![allow(clippy::unwrap_used, clippy::float_arithmetic)]

mod common;

use std::time::Duration;

use common::shop::Shop;
use sellerdash_api::{OrderPage, OrderStatus, paths};
use sellerdash_core::{Policies, QueryKey, SalesActivity};

const SCALE: f64 = 0.05;

/// Requests a key polling every `interval_secs` (design seconds) makes in `window_secs`.
fn expected(interval_secs: f64, window_secs: f64) -> u64 {
    (window_secs / interval_secs).ceil() as u64
}

fn assert_near(path: &str, counted: u64, expected: u64) {
    assert!(
        counted.abs_diff(expected) <= 1,
        "{path}: {counted} requests, expected {expected} (±1)"
    );
}

#[tokio::test]
async fn the_real_server_sees_the_designs_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let server = shop.server();

    let lists = [
        OrderStatus::Processing,
        OrderStatus::Pending,
        OrderStatus::Completed,
    ]
    .map(|status| QueryKey::sales(&[status]));
    let before = server.requests();
    let (core, _events) = shop.core(&dir.path().join("app"), SCALE).await;
    let detail_id = {
        // Any order of this seller, found through a first list answer.
        let all = QueryKey::sales(&[]);
        core.observe(&all).unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let page: OrderPage = loop {
            if let Some(Some(Ok(page))) = core.snapshot(&all).map(|s| s.decode()) {
                break page;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no first sales answer"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        core.unobserve(&all);
        page.orders[0].id.clone()
    };
    let base = server.requests();
    let started = tokio::time::Instant::now();
    for key in lists.iter().cloned().chain([
        QueryKey::order(&detail_id),
        QueryKey::payout_stats(),
        QueryKey::payout_history(None),
    ]) {
        core.observe(&key).unwrap();
    }
    // 58 design seconds of observation (the last ticks of the minute are left out so that
    // scheduling jitter cannot add one).
    let window = 58.0;
    tokio::time::sleep_until(started + Duration::from_secs_f64(window * SCALE)).await;
    let after = server.requests();
    let activities: Vec<SalesActivity> = lists
        .iter()
        .map(|key| SalesActivity::of_page(core.snapshot(key).unwrap().data.as_ref().unwrap()))
        .collect();
    core.shutdown().await;

    let delta =
        |path: &str| after.get(path).copied().unwrap_or(0) - base.get(path).copied().unwrap_or(0);
    let intervals = Policies::default().sales_intervals;
    let sales: u64 = activities
        .iter()
        .map(|a| expected(intervals.for_activity(*a).as_secs_f64(), window))
        .sum();
    assert_near(paths::ORDERS, delta(paths::ORDERS), sales);
    assert_near(
        "order detail",
        delta(&paths::order(&detail_id)),
        expected(3.0, window),
    );
    assert_near(
        paths::PAYOUT_STATS,
        delta(paths::PAYOUT_STATS),
        expected(10.0, window),
    );
    assert_near(
        paths::PAYOUT_HISTORY,
        delta(paths::PAYOUT_HISTORY),
        expected(10.0, window),
    );
    // The pinned ones ran from the start: a whole minute's worth since `before`.
    let since_start =
        |path: &str| after.get(path).copied().unwrap_or(0) - before.get(path).copied().unwrap_or(0);
    let elapsed = started.elapsed().as_secs_f64() / SCALE;
    for path in [paths::DASHBOARD, paths::PENDING_ORDERS] {
        let counted = since_start(path);
        assert!(
            counted.abs_diff(expected(5.0, elapsed)) <= 2,
            "{path}: {counted} requests in {elapsed:.1} design seconds"
        );
    }
    eprintln!("sales activities {activities:?}; requests {:?}", after);
}
