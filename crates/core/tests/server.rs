//! The core against the real reference server (demo store, no simulator) with scaled-down
//! policies: an order created through the admin API is announced exactly once, and
//! confirming it removes it from the pending snapshot.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::alerts;
use sellerdash_api::{CreateOrder, CreateOrderItem, Order, OrderPage, OrderStatus, paths};
use sellerdash_core::{Core, CoreConfig, CoreEvent, ErrorKind, Policies, QueryKey, channel_sink};
use sellerdash_server::ServerConfig;
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server =
        sellerdash_server::start(listener, ServerConfig::demo(dir.path().join("server.db")))
            .await
            .unwrap();
    let seller = server.sellers().into_iter().next().unwrap();

    let product_id = sellerdash_server::demo::product_id(&seller.id, 0);

    let mut config = CoreConfig::new(
        server.base_url(),
        seller.token.clone(),
        dir.path().join("app"),
    );
    config.policies = Policies::default().scaled(0.05);
    let (sink, mut events) = channel_sink();
    let core = Core::start(config, sink).await.unwrap();

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

    let created: Order = reqwest::Client::new()
        .post(format!("{}{}", server.base_url(), paths::ADMIN_ORDERS))
        .bearer_auth(server.admin_token())
        .json(&CreateOrder {
            seller_id: seller.id.clone(),
            items: vec![CreateOrderItem {
                product_id,
                quantity: 2,
            }],
            customer: None,
            payment_method: None,
        })
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created.status, OrderStatus::Pending);

    assert_eq!(
        next_alert(&mut events).await,
        (vec![created.id.clone()], false)
    );
    let total_with = core.pending_total().unwrap();

    let confirmed = core.confirm(&created.id).await.unwrap();
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
    drop(server);
}
