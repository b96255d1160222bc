//! The simulator: one background task that makes the demo store live. At a configurable
//! rate it places new pending orders for the main demo seller (and records the visits that
//! led to them); orders the seller confirmed move on through processing, shipped, in
//! transit, delivered and completed, one step per `advance_after`. Pending orders are left
//! for the seller. The task ends when its cancellation token is cancelled.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sellerdash_api::{AdminAction, OrderStatus, PaymentMethod, PaymentStatus};
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, interval_at};
use tokio_util::sync::CancellationToken;

use crate::demo;
use crate::ids;
use crate::lifecycle::Step;
use crate::store::{self, NewOrder, NewOrderItem, Product, Store};

/// How fast the simulated marketplace moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulatorConfig {
    /// A new pending order every this long.
    pub order_every: Duration,
    /// A confirmed order takes its next step (processing, shipped, …) after this long in
    /// its current status.
    pub advance_after: Duration,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            order_every: Duration::from_secs(30),
            advance_after: Duration::from_secs(60),
        }
    }
}

/// Starts the simulator for the main demo seller.
pub fn spawn(store: Store, config: SimulatorConfig, cancel: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::select! {
            () = cancel.cancelled() => {}
            () = run(store, config) => {}
        }
        tracing::debug!("simulator stopped");
    })
}

async fn run(store: Store, config: SimulatorConfig) {
    let products = match store.products(demo::DEMO_SELLER_ID).await {
        Ok(products) if !products.is_empty() => products,
        Ok(_) | Err(store::Error::NotFound(_)) => {
            tracing::warn!("simulator idle: the database holds no demo seller with products");
            return;
        }
        Err(err) => {
            tracing::error!(error = %err, "simulator could not read the demo products");
            return;
        }
    };
    let mut rng = StdRng::from_os_rng();
    let order_every = config.order_every.max(Duration::from_millis(10));
    let check_every =
        (config.advance_after / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
    let mut orders = interval_at(Instant::now() + order_every, order_every);
    orders.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut advance = interval_at(Instant::now() + check_every, check_every);
    advance.set_missed_tick_behavior(MissedTickBehavior::Skip);
    tracing::info!(?order_every, advance_after = ?config.advance_after, "simulator running");
    loop {
        tokio::select! {
            _ = orders.tick() => {
                if let Err(err) = place_order(&store, &products, &mut rng).await {
                    tracing::warn!(error = %err, "simulator could not place an order");
                }
            }
            _ = advance.tick() => {
                if let Err(err) = advance_orders(&store, config.advance_after, &mut rng).await {
                    tracing::warn!(error = %err, "simulator could not advance orders");
                }
            }
        }
    }
}

async fn place_order(store: &Store, products: &[Product], rng: &mut StdRng) -> store::Result<()> {
    let product = &products[rng.random_range(0..products.len())];
    let method = match rng.random_range(0..100) {
        0..60 => PaymentMethod::Card,
        60..85 => PaymentMethod::Paypal,
        85..95 => PaymentMethod::BankTransfer,
        _ => PaymentMethod::CashOnDelivery,
    };
    let new = NewOrder {
        id: ids::order_id(rng),
        seller_id: demo::DEMO_SELLER_ID.to_owned(),
        customer: demo::customer(rng, demo::EU_CITIES),
        items: vec![NewOrderItem {
            product_id: product.id.clone(),
            quantity: rng.random_range(1..=2),
        }],
        payment_method: method,
        paid: matches!(method, PaymentMethod::Card | PaymentMethod::Paypal),
        created_at: store::now(),
    };
    let order = store.create_order(&new).await?;
    let visits = rng.random_range(5..=40);
    store
        .record_visits(demo::DEMO_SELLER_ID, order.created_at, visits)
        .await?;
    tracing::info!(order = %order.id, total = %order.total, "simulator placed an order");
    Ok(())
}

/// Moves every confirmed-or-later order that has waited `advance_after` one step on.
async fn advance_orders(
    store: &Store,
    advance_after: Duration,
    rng: &mut StdRng,
) -> store::Result<()> {
    use OrderStatus as S;
    let now = store::now();
    let before = now - chrono::Duration::from_std(advance_after).unwrap_or(chrono::Duration::MAX);
    let statuses = [
        S::Confirmed,
        S::Processing,
        S::Shipped,
        S::InTransit,
        S::Delivered,
    ];
    for (id, status, payment, method) in store
        .orders_due(demo::DEMO_SELLER_ID, &statuses, before)
        .await?
    {
        let action = match status {
            S::Processing
                if payment == PaymentStatus::Pending && method == PaymentMethod::BankTransfer =>
            {
                AdminAction::Pay
            }
            S::Confirmed => AdminAction::Process,
            S::Processing => AdminAction::Ship,
            S::Shipped => AdminAction::InTransit,
            S::InTransit => AdminAction::Deliver,
            S::Delivered => AdminAction::Complete,
            _ => continue,
        };
        let step = Step::Admin { action, note: None };
        let shipment = ids::shipment(rng, ids::CARRIERS);
        match store.apply_step(None, &id, &step, now, shipment).await {
            Ok(_) => tracing::debug!(order = %id, ?action, "simulator advanced an order"),
            // The seller or buyer got there first (a cancel, say): nothing to do.
            Err(store::Error::Conflict(_) | store::Error::NotFound(_)) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}
