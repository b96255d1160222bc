//! The action outbox against the real reference server and a real SQLite cache file: a
//! confirm taken while the server is down is applied once when it is back; an app that dies
//! after its confirm reached the server but before it recorded the answer re-sends it with the
//! same key on the next start, and the server applies it exactly once.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::shop::Shop;
use futures::future::BoxFuture;
use sellerdash_api::{
    DashboardQuery, DashboardStats, Order, OrderPage, OrderQuery, OrderStatus, PayoutHistory,
    PayoutHistoryQuery, PayoutStats,
};
use sellerdash_core::{
    ActionOutcome, Core, CoreHandle, HttpSource, OutboxState, Source, SourceResult, channel_sink,
};

/// Confirm requests the running server received since it (re)started.
fn confirm_requests(shop: &Shop) -> u64 {
    shop.server()
        .requests()
        .iter()
        .filter(|(route, _)| route.contains("confirm"))
        .map(|(_, n)| n)
        .sum()
}

fn confirmations(order: &Order) -> usize {
    order
        .timeline
        .iter()
        .filter(|entry| entry.status == OrderStatus::Confirmed)
        .count()
}

/// The outbox rows of the cache file: (order id, state, key).
async fn outbox_rows(data_dir: &Path) -> Vec<(String, String, String)> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(data_dir.join(sellerdash_core::CACHE_FILE))
        .read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let rows = sqlx::query_as("SELECT order_id, state, idempotency_key FROM outbox ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap();
    pool.close().await;
    rows
}

async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_confirm_queued_while_the_server_is_down_is_applied_once_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut shop = Shop::start(dir.path()).await;
    let order = shop.create_order().await;
    let app_dir = dir.path().join("app");
    let (sink, _events) = channel_sink();
    let core = Core::start(shop.config(&app_dir, 0.05), sink)
        .await
        .unwrap();

    shop.stop().await;
    let outcome = core.confirm(&order.id).await.unwrap();
    let ActionOutcome::Queued { entry } = outcome else {
        panic!("applied with the server down: {outcome:?}");
    };
    assert_eq!(entry.state, OutboxState::Queued);
    // Written to the cache file before anything else.
    let rows = outbox_rows(&app_dir).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        (order.id.as_str(), "queued")
    );

    shop.restart().await;
    wait_until("the outbox is flushed", async || core.outbox().is_empty()).await;
    let now = shop.order(&order.id).await;
    assert_eq!(now.status, OrderStatus::Confirmed);
    assert_eq!(confirmations(&now), 1);
    assert_eq!(confirm_requests(&shop), 1);
    assert_eq!(outbox_rows(&app_dir).await[0].1, "done");

    // More reconnects send nothing more.
    shop.restart().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(confirm_requests(&shop), 0);
    assert_eq!(confirmations(&shop.order(&order.id).await), 1);
    core.shutdown().await;
}

/// The HTTP source, except that the answer to an action never comes back to the app: the
/// request reaches the server and is applied, then the app "dies" before it hears the answer.
struct DiesAfterSending(HttpSource);

impl Source for DiesAfterSending {
    fn list_orders<'a>(&'a self, query: &'a OrderQuery) -> BoxFuture<'a, SourceResult<OrderPage>> {
        self.0.list_orders(query)
    }
    fn pending_orders(&self, page: u32, per_page: u32) -> BoxFuture<'_, SourceResult<OrderPage>> {
        self.0.pending_orders(page, per_page)
    }
    fn get_order<'a>(&'a self, id: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        self.0.get_order(id)
    }
    fn dashboard_stats(
        &self,
        query: DashboardQuery,
    ) -> BoxFuture<'_, SourceResult<DashboardStats>> {
        self.0.dashboard_stats(query)
    }
    fn payout_stats(&self) -> BoxFuture<'_, SourceResult<PayoutStats>> {
        self.0.payout_stats()
    }
    fn payout_history(
        &self,
        query: PayoutHistoryQuery,
    ) -> BoxFuture<'_, SourceResult<PayoutHistory>> {
        self.0.payout_history(query)
    }
    fn confirm<'a>(&'a self, id: &'a str, key: &'a str) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move {
            let _applied = self.0.confirm(id, key).await;
            futures::future::pending().await
        })
    }
    fn cancel<'a>(
        &'a self,
        id: &'a str,
        reason: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, SourceResult<Order>> {
        Box::pin(async move {
            let _applied = self.0.cancel(id, reason, key).await;
            futures::future::pending().await
        })
    }
}

#[tokio::test]
async fn an_app_killed_between_sending_and_recording_the_answer_applies_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop::start(dir.path()).await;
    let order = shop.create_order().await;
    let app_dir = dir.path().join("app");

    let (sink, _events) = channel_sink();
    let mut config = shop.config(&app_dir, 0.05);
    // The app dies long before it would give up waiting for the answer.
    config.policies.action_timeout = Duration::from_secs(60);
    let doomed: CoreHandle =
        Core::start_with_source(config, Arc::new(DiesAfterSending(shop.source())), sink)
            .await
            .unwrap();
    let doomed = Arc::new(doomed);
    let clicked = tokio::spawn({
        let doomed = Arc::clone(&doomed);
        let id = order.id.clone();
        async move { doomed.confirm(&id).await }
    });
    wait_until("the server applied the confirm", async || {
        shop.order(&order.id).await.status == OrderStatus::Confirmed
    })
    .await;
    // The app dies: its answer is never recorded.
    clicked.abort();
    doomed.shutdown().await;
    drop(doomed);
    let rows = outbox_rows(&app_dir).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, "sending");
    let key = rows[0].2.clone();

    // The next start re-sends it with the same key: answered from the server's stored
    // response (a second real confirm would be a 409 and the action rejected).
    let (sink, _events) = channel_sink();
    let core = Core::start(shop.config(&app_dir, 0.05), sink)
        .await
        .unwrap();
    wait_until("the replay is settled", async || core.outbox().is_empty()).await;
    let rows = outbox_rows(&app_dir).await;
    assert_eq!(rows[0].1, "done");
    assert_eq!(rows[0].2, key);
    assert_eq!(confirm_requests(&shop), 2);
    let now = shop.order(&order.id).await;
    assert_eq!(now.status, OrderStatus::Confirmed);
    assert_eq!(confirmations(&now), 1);
    core.shutdown().await;
}
