//! Reading orders: filtered, paged lists of summaries and one full order with its items,
//! tracking events, timeline and feedback. Every query is scoped to one seller.

use sellerdash_api::{
    Currency, Customer, Delivery, Feedback, Money, Order, OrderItem, OrderPage, OrderStatus,
    OrderSummary, Payment, TimelineEntry, TrackingEvent,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::codec::{parse, parse_ts, parse_ts_opt, to_u32, to_u64};
use super::{Error, Result, Store};

/// Which orders a list shows. `statuses` empty means every status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFilter {
    pub statuses: Vec<OrderStatus>,
    /// Matches the order id or the customer's name, case-insensitively.
    pub q: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    status: String,
    customer_name: String,
    item_count: i64,
    currency: String,
    total_minor: i64,
    payment_status: String,
    delivery_status: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<SummaryRow> for OrderSummary {
    type Error = Error;
    fn try_from(row: SummaryRow) -> Result<OrderSummary> {
        Ok(OrderSummary {
            status: parse(&row.status)?,
            item_count: to_u32(row.item_count, "item count")?,
            total: Money::new(row.total_minor, currency(&row.currency)?),
            payment_status: parse(&row.payment_status)?,
            delivery_status: parse(&row.delivery_status)?,
            created_at: parse_ts(&row.created_at)?,
            updated_at: parse_ts(&row.updated_at)?,
            id: row.id,
            customer_name: row.customer_name,
        })
    }
}

fn currency(code: &str) -> Result<Currency> {
    code.parse()
        .map_err(|err| Error::Corrupt(format!("order currency: {err}")))
}

/// Appends the `WHERE` clause of a filtered list.
fn push_filter(query: &mut QueryBuilder<Sqlite>, seller_id: &str, filter: &OrderFilter) {
    query
        .push(" WHERE seller_id = ")
        .push_bind(seller_id.to_owned());
    if !filter.statuses.is_empty() {
        query.push(" AND status IN (");
        let mut list = query.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.as_str());
        }
        query.push(")");
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        query
            .push(" AND (LOWER(id) LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(customer_name) LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// A page of the seller's orders matching `filter`, newest first, with the total count.
    pub async fn list_orders(&self, seller_id: &str, filter: &OrderFilter) -> Result<OrderPage> {
        let mut conn = self.pool.acquire().await?;
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM orders");
        push_filter(&mut count, seller_id, filter);
        let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

        let mut select = QueryBuilder::<Sqlite>::new(
            "SELECT id, status, customer_name, item_count, currency, total_minor, \
             payment_status, delivery_status, created_at, updated_at FROM orders",
        );
        push_filter(&mut select, seller_id, filter);
        let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(filter.per_page);
        select
            .push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(filter.per_page))
            .push(" OFFSET ")
            .push_bind(offset);
        let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
        Ok(OrderPage {
            orders: rows
                .into_iter()
                .map(OrderSummary::try_from)
                .collect::<Result<_>>()?,
            total: to_u64(total, "order count")?,
            page: filter.page,
            per_page: filter.per_page,
        })
    }

    /// One of the seller's orders; `None` when it does not exist or belongs to another seller.
    pub async fn order(&self, seller_id: &str, id: &str) -> Result<Option<Order>> {
        let mut conn = self.pool.acquire().await?;
        load_order(&mut conn, Some(seller_id), id).await
    }

    /// The seller an order belongs to, if it exists.
    pub async fn order_seller(&self, id: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT seller_id FROM orders WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    status: String,
    customer_name: String,
    customer_email: String,
    customer_city: String,
    customer_country: String,
    currency: String,
    subtotal_minor: i64,
    shipping_minor: i64,
    total_minor: i64,
    payment_status: String,
    payment_method: String,
    paid_at: Option<String>,
    delivery_status: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    cancel_reason: Option<String>,
    created_at: String,
    updated_at: String,
}

/// The full order, scoped to `seller_id` when given (the admin sees every seller's).
pub(super) async fn load_order(
    conn: &mut SqliteConnection,
    seller_id: Option<&str>,
    id: &str,
) -> Result<Option<Order>> {
    let row: Option<OrderRow> = sqlx::query_as(
        "SELECT id, status, customer_name, customer_email, customer_city, customer_country, \
         currency, subtotal_minor, shipping_minor, total_minor, payment_status, payment_method, \
         paid_at, delivery_status, carrier, tracking_number, cancel_reason, created_at, updated_at \
         FROM orders WHERE id = ? AND (? IS NULL OR seller_id = ?)",
    )
    .bind(id)
    .bind(seller_id)
    .bind(seller_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let cur = currency(&row.currency)?;

    let items: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_id, sku, name, quantity, unit_price_minor, line_total_minor \
         FROM order_items WHERE order_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items = items
        .into_iter()
        .map(|(product_id, sku, name, quantity, unit, line)| {
            Ok(OrderItem {
                product_id,
                sku,
                name,
                quantity: to_u32(quantity, "quantity")?,
                unit_price: Money::new(unit, cur),
                line_total: Money::new(line, cur),
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let events: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT at, status, description FROM tracking_events WHERE order_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let events = events
        .into_iter()
        .map(|(at, status, description)| {
            Ok(TrackingEvent {
                at: parse_ts(&at)?,
                status: parse(&status)?,
                description,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let timeline: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT at, status, note FROM timeline_entries WHERE order_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let timeline = timeline
        .into_iter()
        .map(|(at, status, note)| {
            Ok(TimelineEntry {
                at: parse_ts(&at)?,
                status: parse(&status)?,
                note,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let feedback: Option<(i64, String, String)> =
        sqlx::query_as("SELECT rating, comment, created_at FROM feedback WHERE order_id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let feedback = feedback
        .map(|(rating, comment, at)| {
            Ok::<_, Error>(Feedback {
                rating: u8::try_from(rating)
                    .map_err(|_| Error::Corrupt(format!("rating {rating}")))?,
                comment,
                created_at: parse_ts(&at)?,
            })
        })
        .transpose()?;

    Ok(Some(Order {
        status: parse(&row.status)?,
        customer: Customer {
            name: row.customer_name,
            email: row.customer_email,
            city: row.customer_city,
            country: row.customer_country,
        },
        items,
        subtotal: Money::new(row.subtotal_minor, cur),
        shipping: Money::new(row.shipping_minor, cur),
        total: Money::new(row.total_minor, cur),
        payment: Payment {
            status: parse(&row.payment_status)?,
            method: parse(&row.payment_method)?,
            paid_at: parse_ts_opt(row.paid_at.as_deref())?,
        },
        delivery: Delivery {
            status: parse(&row.delivery_status)?,
            carrier: row.carrier,
            tracking_number: row.tracking_number,
            events,
        },
        feedback,
        timeline,
        cancel_reason: row.cancel_reason,
        created_at: parse_ts(&row.created_at)?,
        updated_at: parse_ts(&row.updated_at)?,
        id: row.id,
    }))
}
