//! The marketplace seller API contract: the JSON types and the paths of the seller and admin
//! endpoints, shared by the reference server, the core's HTTP source and the UI.
//!
//! This crate is the single source of truth for the wire format. It depends on serde and
//! chrono only, so it also builds for `wasm32-unknown-unknown`.
//!
//! Conventions, end to end:
//! - money is [`Money`]: integer minor units plus an ISO 4217 currency code, never a float;
//! - timestamps are `DateTime<Utc>`, RFC 3339 on the wire; calendar dates are `YYYY-MM-DD`;
//! - ids are opaque strings;
//! - every error body is an [`ApiError`] `{code, message}`.

mod error;
mod money;
mod order;
pub mod paths;
mod payout;
mod seller;
mod stats;

pub use error::{ApiError, ErrorCode};
pub use money::{Currency, CurrencyError, Money, MoneyError};
pub use order::{
    AdminAction, CancelOrder, CreateOrder, CreateOrderItem, Customer, Delivery, DeliveryStatus,
    Feedback, Order, OrderItem, OrderPage, OrderQuery, OrderStatus, OrderSummary, Payment,
    PaymentMethod, PaymentStatus, TimelineEntry, TrackingEvent, TransitionOrder,
    UnknownOrderStatus,
};
pub use payout::{
    Payout, PayoutHistory, PayoutHistoryQuery, PayoutSchedule, PayoutStats, PayoutStatus,
    RunPayouts, RunPayoutsResult,
};
pub use seller::{
    CreateProduct, CreateSeller, CreatedSeller, ProductInfo, SellerAccount, SellerList,
};
pub use stats::{
    DashboardQuery, DashboardStats, MonthlyPoint, Period, RecordVisits, RevenuePoint, TopProduct,
};

/// The `Idempotency-Key` request header accepted by every mutation.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
