//! Changing orders: creating one (a new pending order for a seller) and applying a
//! lifecycle [`Step`] (confirm, cancel, admin transitions), each in one write transaction
//! that also appends the timeline entry and tracking event.

use chrono::{DateTime, Utc};
use sellerdash_api::{
    Customer, DeliveryStatus, Money, Order, OrderStatus, PaymentMethod, PaymentStatus,
};
use sqlx::SqliteConnection;

pub use crate::lifecycle::Step;
use crate::lifecycle::{OrderState, Shipment, plan};

use super::codec::{name, parse, parse_ts_opt, ts};
use super::order_read::load_order;
use super::sellers::seller_in;
use super::{Error, Result, Store};
use crate::echo::clip;

/// The most of one product a single order line may hold.
pub const MAX_QUANTITY: u32 = 1000;

/// The largest order total, in minor units (the largest product price): ten billion euros.
/// It keeps every sum the dashboards make (all of a seller's orders, over years) far inside
/// 64 bits: nine million orders at this total still add up.
pub const MAX_ORDER_TOTAL_MINOR: i64 = sellerdash_api::CreateProduct::MAX_PRICE_MINOR;

/// One line of a new order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrderItem {
    pub product_id: String,
    pub quantity: u32,
}

/// A new pending order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub id: String,
    pub seller_id: String,
    pub customer: Customer,
    pub items: Vec<NewOrderItem>,
    pub payment_method: PaymentMethod,
    /// Whether the payment was captured at checkout (card, PayPal).
    pub paid: bool,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Creates a pending order; products must belong to the order's seller.
    pub async fn create_order(&self, new: &NewOrder) -> Result<Order> {
        let mut tx = self.write_tx().await?;
        create_order_in(&mut tx, new).await?;
        let order = load_order(&mut tx, None, &new.id).await?;
        tx.commit().await?;
        order.ok_or_else(|| Error::NotFound(format!("no order {:?}", clip(&new.id))))
    }

    /// Applies `step` to an order at time `at`, scoped to `seller_id` when given (a seller's
    /// own action) or to any seller (the admin). `shipment` is used if the step ships.
    pub async fn apply_step(
        &self,
        seller_id: Option<&str>,
        order_id: &str,
        step: &Step,
        at: DateTime<Utc>,
        shipment: Shipment,
    ) -> Result<Order> {
        let mut tx = self.write_tx().await?;
        apply_step_in(&mut tx, seller_id, order_id, step, at, shipment).await?;
        let order = load_order(&mut tx, seller_id, order_id).await?;
        tx.commit().await?;
        order.ok_or_else(|| Error::NotFound(format!("no order {:?}", clip(order_id))))
    }

    /// The seller's orders in one of `statuses` last changed at or before `before`, oldest
    /// change first (what the simulator moves on next).
    pub async fn orders_due(
        &self,
        seller_id: &str,
        statuses: &[OrderStatus],
        before: DateTime<Utc>,
    ) -> Result<Vec<(String, OrderStatus, PaymentStatus, PaymentMethod)>> {
        let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "SELECT id, status, payment_status, payment_method FROM orders WHERE seller_id = ",
        );
        query
            .push_bind(seller_id.to_owned())
            .push(" AND updated_at <= ")
            .push_bind(ts(before));
        query.push(" AND status IN (");
        let mut list = query.separated(", ");
        for status in statuses {
            list.push_bind(status.as_str());
        }
        query.push(") ORDER BY updated_at, id LIMIT 100");
        let rows: Vec<(String, String, String, String)> =
            query.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(id, status, payment, method)| {
                Ok((id, parse(&status)?, parse(&payment)?, parse(&method)?))
            })
            .collect()
    }
}

/// The shipping fee: free from 50 major units, else 4.95.
fn shipping_minor(subtotal: Money) -> i64 {
    let unit = 10_i64.pow(subtotal.currency.minor_digits());
    if subtotal.amount_minor >= 50 * unit {
        0
    } else {
        495 * unit / 100
    }
}

pub(super) async fn create_order_in(conn: &mut SqliteConnection, new: &NewOrder) -> Result<()> {
    if new.items.is_empty() {
        return Err(Error::Invalid(
            "an order needs at least one item".to_owned(),
        ));
    }
    let seller = seller_in(conn, &new.seller_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no seller {:?}", clip(&new.seller_id))))?;
    let mut lines = Vec::with_capacity(new.items.len());
    let mut subtotal = Money::zero(seller.currency);
    let mut item_count = 0_i64;
    for item in &new.items {
        if item.quantity == 0 || item.quantity > MAX_QUANTITY {
            return Err(Error::Invalid(format!(
                "quantity of {:?} must be 1 to {MAX_QUANTITY}, got {}",
                clip(&item.product_id),
                item.quantity
            )));
        }
        let product: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT sku, name, price_minor FROM products WHERE id = ? AND seller_id = ?",
        )
        .bind(&item.product_id)
        .bind(&seller.id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((sku, product_name, price_minor)) = product else {
            return Err(Error::Invalid(format!(
                "product {:?} is not one of seller {:?}'s products",
                clip(&item.product_id),
                seller.id
            )));
        };
        let unit = Money::new(price_minor, seller.currency);
        let line = unit
            .checked_mul(i64::from(item.quantity))
            .map_err(overflow)?;
        subtotal = subtotal.checked_add(line).map_err(overflow)?;
        item_count += i64::from(item.quantity);
        lines.push((item, sku, product_name, unit, line));
    }
    let shipping = Money::new(shipping_minor(subtotal), seller.currency);
    let total = subtotal.checked_add(shipping).map_err(overflow)?;
    if total.amount_minor > MAX_ORDER_TOTAL_MINOR {
        return Err(Error::Invalid(format!(
            "order total {total} is over the largest an order may have ({})",
            Money::new(MAX_ORDER_TOTAL_MINOR, seller.currency)
        )));
    }
    let (payment_status, paid_at) = if new.paid {
        (PaymentStatus::Paid, Some(ts(new.created_at)))
    } else {
        (PaymentStatus::Pending, None)
    };
    let created = ts(new.created_at);

    sqlx::query(
        "INSERT INTO orders (id, seller_id, status, customer_name, customer_email, customer_city, \
         customer_country, currency, subtotal_minor, shipping_minor, total_minor, item_count, \
         payment_status, payment_method, paid_at, delivery_status, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&new.id)
    .bind(&seller.id)
    .bind(OrderStatus::Pending.as_str())
    .bind(&new.customer.name)
    .bind(&new.customer.email)
    .bind(&new.customer.city)
    .bind(&new.customer.country)
    .bind(seller.currency.as_str())
    .bind(subtotal.amount_minor)
    .bind(shipping.amount_minor)
    .bind(total.amount_minor)
    .bind(item_count)
    .bind(name(payment_status)?)
    .bind(name(new.payment_method)?)
    .bind(paid_at)
    .bind(name(DeliveryStatus::NotShipped)?)
    .bind(&created)
    .bind(&created)
    .execute(&mut *conn)
    .await?;

    for (position, (item, sku, product_name, unit, line)) in lines.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_items (order_id, position, product_id, sku, name, quantity, \
             unit_price_minor, line_total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&new.id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&item.product_id)
        .bind(sku)
        .bind(product_name)
        .bind(i64::from(item.quantity))
        .bind(unit.amount_minor)
        .bind(line.amount_minor)
        .execute(&mut *conn)
        .await?;
    }
    append_timeline(
        conn,
        &new.id,
        new.created_at,
        OrderStatus::Pending,
        Some("Order placed"),
    )
    .await
}

fn overflow(err: sellerdash_api::MoneyError) -> Error {
    Error::Invalid(format!("order total: {err}"))
}

#[derive(sqlx::FromRow)]
struct StateRow {
    status: String,
    payment_status: String,
    payment_method: String,
    paid_at: Option<String>,
    delivery_status: String,
    customer_city: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    cancel_reason: Option<String>,
    completed_at: Option<String>,
}

pub(super) async fn apply_step_in(
    conn: &mut SqliteConnection,
    seller_id: Option<&str>,
    order_id: &str,
    step: &Step,
    at: DateTime<Utc>,
    shipment: Shipment,
) -> Result<()> {
    let row: Option<StateRow> = sqlx::query_as(
        "SELECT status, payment_status, payment_method, paid_at, delivery_status, customer_city, \
         carrier, tracking_number, cancel_reason, completed_at \
         FROM orders WHERE id = ? AND (? IS NULL OR seller_id = ?)",
    )
    .bind(order_id)
    .bind(seller_id)
    .bind(seller_id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or_else(|| Error::NotFound(format!("no order {:?}", clip(order_id))))?;
    let state = OrderState {
        status: parse(&row.status)?,
        payment_status: parse(&row.payment_status)?,
        payment_method: parse(&row.payment_method)?,
        customer_city: row.customer_city.clone(),
        carrier: row.carrier.clone(),
    };
    let change = plan(step, &state, || shipment).map_err(Error::Conflict)?;

    let when = ts(at);
    let payment_status = change.payment_status.unwrap_or(state.payment_status);
    let paid_at = match change.payment_status {
        Some(PaymentStatus::Paid) => Some(when.clone()),
        _ => parse_ts_opt(row.paid_at.as_deref())?.map(ts),
    };
    let delivery_status = match change.delivery_status {
        Some(status) => name(status)?,
        None => row.delivery_status,
    };
    let (carrier, tracking_number) = match &change.shipment {
        Some(s) => (Some(s.carrier.clone()), Some(s.tracking_number.clone())),
        None => (row.carrier, row.tracking_number),
    };
    let cancel_reason = change.cancel_reason.clone().or(row.cancel_reason);
    let completed_at = if change.completes {
        Some(when.clone())
    } else {
        row.completed_at
    };

    sqlx::query(
        "UPDATE orders SET status = ?, payment_status = ?, paid_at = ?, delivery_status = ?, \
         carrier = ?, tracking_number = ?, cancel_reason = ?, completed_at = ?, updated_at = ? \
         WHERE id = ?",
    )
    .bind(change.status.as_str())
    .bind(name(payment_status)?)
    .bind(paid_at)
    .bind(delivery_status)
    .bind(carrier)
    .bind(tracking_number)
    .bind(cancel_reason)
    .bind(completed_at)
    .bind(&when)
    .bind(order_id)
    .execute(&mut *conn)
    .await?;

    append_timeline(conn, order_id, at, change.status, change.note.as_deref()).await?;
    if let Some((status, description)) = &change.tracking {
        sqlx::query(
            "INSERT INTO tracking_events (order_id, position, at, status, description) \
             SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ? FROM tracking_events WHERE order_id = ?",
        )
        .bind(order_id)
        .bind(&when)
        .bind(name(*status)?)
        .bind(description)
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn append_timeline(
    conn: &mut SqliteConnection,
    order_id: &str,
    at: DateTime<Utc>,
    status: OrderStatus,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO timeline_entries (order_id, position, at, status, note) \
         SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ? FROM timeline_entries WHERE order_id = ?",
    )
    .bind(order_id)
    .bind(ts(at))
    .bind(status.as_str())
    .bind(note)
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores a buyer's rating of a completed order.
pub(super) async fn insert_feedback_in(
    conn: &mut SqliteConnection,
    order_id: &str,
    rating: u8,
    comment: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO feedback (order_id, rating, comment, created_at) VALUES (?, ?, ?, ?)")
        .bind(order_id)
        .bind(i64::from(rating))
        .bind(comment)
        .bind(ts(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
