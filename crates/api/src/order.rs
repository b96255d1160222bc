//! Orders: statuses and their lifecycle, summaries for lists, the full order, and the
//! request bodies that change an order.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Money;

/// Where an order is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed by the buyer, waiting for the seller's confirmation.
    Pending,
    Confirmed,
    Processing,
    Shipped,
    InTransit,
    Delivered,
    Completed,
    Cancelled,
}

/// A status string that names no [`OrderStatus`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown order status {0:?}; expected one of pending, confirmed, processing, shipped, in_transit, delivered, completed, cancelled"
)]
pub struct UnknownOrderStatus(pub String);

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        Self::Pending,
        Self::Confirmed,
        Self::Processing,
        Self::Shipped,
        Self::InTransit,
        Self::Delivered,
        Self::Completed,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::InTransit => "in_transit",
            Self::Delivered => "delivered",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// A seller may confirm only a pending order.
    pub fn can_confirm(self) -> bool {
        self == Self::Pending
    }

    /// An order may be cancelled (by the seller or the buyer) only before it ships.
    pub fn can_cancel(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed | Self::Processing)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownOrderStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownOrderStatus(s.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Not paid yet (bank transfer, cash on delivery).
    Pending,
    Paid,
    Refunded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Card,
    Paypal,
    BankTransfer,
    CashOnDelivery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    NotShipped,
    Shipped,
    InTransit,
    Delivered,
    /// The order was cancelled before it shipped.
    Cancelled,
}

/// One row of an order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: String,
    pub status: OrderStatus,
    pub customer_name: String,
    pub item_count: u32,
    pub total: Money,
    pub payment_status: PaymentStatus,
    pub delivery_status: DeliveryStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A page of orders with the server's total count for the same filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    /// Newest first.
    pub orders: Vec<OrderSummary>,
    /// How many orders match the filter on the server, across all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Query string of the order lists: `?status=pending,confirmed&q=ann&page=1&per_page=50`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    /// Comma-separated statuses; none means every status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Matches the order id or the customer's name, case-insensitively; at most
    /// [`OrderQuery::MAX_SEARCH_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1 to 200; the server's default is 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

impl OrderQuery {
    pub const DEFAULT_PER_PAGE: u32 = 50;
    pub const MAX_PER_PAGE: u32 = 200;
    /// The longest search (`q`) the server takes, in characters.
    pub const MAX_SEARCH_CHARS: usize = 200;

    /// The statuses of the filter, or an error naming the unknown one.
    pub fn statuses(&self) -> Result<Vec<OrderStatus>, UnknownOrderStatus> {
        match &self.status {
            None => Ok(Vec::new()),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::parse)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    pub email: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub product_id: String,
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub status: PaymentStatus,
    pub method: PaymentMethod,
    pub paid_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingEvent {
    pub at: DateTime<Utc>,
    pub status: DeliveryStatus,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Oldest first.
    pub events: Vec<TrackingEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// 1 to 5.
    pub rating: u8,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// One step of an order's own history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub status: OrderStatus,
    /// Who or what made the change, and why (a cancel reason, say).
    pub note: Option<String>,
}

/// One order with everything a seller sees on its details page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub status: OrderStatus,
    pub customer: Customer,
    pub items: Vec<OrderItem>,
    pub subtotal: Money,
    pub shipping: Money,
    pub total: Money,
    pub payment: Payment,
    pub delivery: Delivery,
    pub feedback: Option<Feedback>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Order {
    pub fn summary(&self) -> OrderSummary {
        OrderSummary {
            id: self.id.clone(),
            status: self.status,
            customer_name: self.customer.name.clone(),
            item_count: self.items.iter().map(|item| item.quantity).sum(),
            total: self.total,
            payment_status: self.payment.status,
            delivery_status: self.delivery.status,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// Body of the seller's cancel: `{"reason": "out of stock"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelOrder {
    /// Shown to the buyer; 1 to 500 characters.
    pub reason: String,
}

impl CancelOrder {
    pub const MAX_REASON_CHARS: usize = 500;
}

/// One line of an order the admin creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderItem {
    pub product_id: String,
    pub quantity: u32,
}

/// Body of the admin's create-order: a new pending order for a seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrder {
    pub seller_id: String,
    /// At least one line; products must belong to the seller.
    pub items: Vec<CreateOrderItem>,
    /// A generated buyer when absent.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// Card when absent.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
}

/// A lifecycle step the marketplace (not the seller) applies to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminAction {
    /// The buyer's payment arrived (payment pending → paid).
    Pay,
    /// confirmed → processing.
    Process,
    /// processing → shipped.
    Ship,
    /// shipped → in_transit.
    InTransit,
    /// shipped or in_transit → delivered.
    Deliver,
    /// delivered → completed.
    Complete,
    /// The buyer cancels: allowed before shipping, like the seller's cancel.
    BuyerCancel,
    /// The buyer changed a confirmed order (items, address): it needs confirming again
    /// (confirmed → pending).
    Reopen,
}

impl AdminAction {
    pub const ALL: [AdminAction; 8] = [
        Self::Pay,
        Self::Process,
        Self::Ship,
        Self::InTransit,
        Self::Deliver,
        Self::Complete,
        Self::BuyerCancel,
        Self::Reopen,
    ];

    /// The status this action moves an order to from `from`, or `None` when it is not
    /// allowed. `Pay` keeps the status (it changes the payment only).
    pub fn next_status(self, from: OrderStatus) -> Option<OrderStatus> {
        use OrderStatus as S;
        match (self, from) {
            (Self::Pay, S::Cancelled) => None,
            (Self::Pay, status) => Some(status),
            (Self::Process, S::Confirmed) => Some(S::Processing),
            (Self::Ship, S::Processing) => Some(S::Shipped),
            (Self::InTransit, S::Shipped) => Some(S::InTransit),
            (Self::Deliver, S::Shipped | S::InTransit) => Some(S::Delivered),
            (Self::Complete, S::Delivered) => Some(S::Completed),
            (Self::BuyerCancel, status) if status.can_cancel() => Some(S::Cancelled),
            (Self::Reopen, S::Confirmed) => Some(S::Pending),
            _ => None,
        }
    }
}

/// Body of the admin's transition: `{"action": "ship"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionOrder {
    pub action: AdminAction,
    /// A reason, for `buyer_cancel` and `reopen`.
    #[serde(default)]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_through_its_wire_name() {
        for status in OrderStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
        }
        assert!("paid".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn lifecycle_rules() {
        use OrderStatus as S;
        assert!(S::Pending.can_confirm());
        assert!(!S::Confirmed.can_confirm());
        assert!(S::Processing.can_cancel());
        assert!(!S::Shipped.can_cancel());
        assert_eq!(
            AdminAction::Ship.next_status(S::Processing),
            Some(S::Shipped)
        );
        assert_eq!(AdminAction::Ship.next_status(S::Pending), None);
        assert_eq!(AdminAction::BuyerCancel.next_status(S::InTransit), None);
        assert_eq!(AdminAction::Pay.next_status(S::Cancelled), None);
        assert_eq!(
            AdminAction::Reopen.next_status(S::Confirmed),
            Some(S::Pending)
        );
        for from in [S::Pending, S::Processing, S::Shipped, S::Cancelled] {
            assert_eq!(AdminAction::Reopen.next_status(from), None, "{from}");
        }
        assert_eq!(
            serde_json::to_string(&AdminAction::Reopen).unwrap(),
            "\"reopen\""
        );
    }

    #[test]
    fn order_query_parses_status_lists() {
        let q = OrderQuery {
            status: Some("pending, in_transit".into()),
            ..Default::default()
        };
        assert_eq!(
            q.statuses(),
            Ok(vec![OrderStatus::Pending, OrderStatus::InTransit])
        );
        let bad = OrderQuery {
            status: Some("pending,lost".into()),
            ..Default::default()
        };
        assert_eq!(bad.statuses(), Err(UnknownOrderStatus("lost".into())));
    }
}
