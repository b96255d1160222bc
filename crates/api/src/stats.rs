//! Dashboard statistics and visit recording.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Money;

/// The window the dashboard figures cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    #[serde(rename = "today")]
    Today,
    #[serde(rename = "7d")]
    Days7,
    #[default]
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "12m")]
    Months12,
}

impl Period {
    /// Every period, shortest first (the order a period choice offers them).
    pub const ALL: [Period; 4] = [Self::Today, Self::Days7, Self::Days30, Self::Months12];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Days7 => "7d",
            Self::Days30 => "30d",
            Self::Months12 => "12m",
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|period| period.as_str() == s)
            .ok_or_else(|| format!("period must be today, 7d, 30d or 12m, got {s:?}"))
    }
}

/// Query string of the dashboard: `?period=7d` (30 days when absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopProduct {
    pub product_id: String,
    pub name: String,
    pub units: u64,
    pub revenue: Money,
}

/// One calendar month of sales in the store's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyPoint {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub orders: u64,
    pub revenue: Money,
}

/// One bucket of the revenue-over-time series: an hour of the store's day for
/// [`Period::Today`], a day of the store's calendar for 7 and 30 days, a month for 12 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenuePoint {
    /// The bucket's first instant.
    pub start: DateTime<Utc>,
    /// The same instant on the store's wall clock (no offset: a label, not a timestamp), so
    /// a client can name the bucket without a time-zone database.
    pub local_start: NaiveDateTime,
    /// Orders placed in the bucket.
    pub orders: u64,
    pub revenue: Money,
}

/// The seller's dashboard figures for one [`Period`]. Cancelled orders count nowhere.
///
/// Periods are calendar windows in the store's [`time_zone`](Self::time_zone): today from
/// the store's midnight, 7 and 30 days as that many store days including today, 12 months
/// as that many store months including this one. Every amount is in the seller's currency;
/// an order in another currency is never added to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub period: Period,
    /// The store's IANA time zone (`"Europe/Berlin"`) the periods and buckets follow.
    pub time_zone: String,
    /// The period's first instant (the store's midnight on its first day).
    pub period_start: DateTime<Utc>,
    /// Orders placed in the period.
    pub sales_count: u64,
    pub revenue: Money,
    pub visitors: u64,
    /// Orders per visitor in basis points: 250 is 2.50 %.
    pub conversion_rate_bp: u32,
    pub average_order_value: Money,
    /// The server's count of orders waiting for confirmation (all time).
    pub pending_orders: u64,
    /// Best sellers of the period by revenue, at most ten.
    pub top_products: Vec<TopProduct>,
    /// The last twelve calendar months, oldest first, the current month last.
    pub monthly: Vec<MonthlyPoint>,
    /// Month-to-date growth in basis points (1250 is +12.50 %): revenue from the start of
    /// the current month (the store's calendar) until `generated_at`, against revenue over the same elapsed
    /// span from the start of the previous month (cut at that month's end when it is
    /// shorter). On the 3rd at noon this compares two and a half days with two and a half
    /// days, not with a whole month. `None` when that span of the previous month had no
    /// revenue.
    pub monthly_growth_bp: Option<i64>,
    /// Revenue over time in the period, oldest bucket first, covering the whole period (the
    /// hours of today still to come included, with nothing in them).
    pub series: Vec<RevenuePoint>,
    /// Revenue of the previous period of the same length: the same window one period
    /// earlier on the store's calendar, until the same elapsed point (yesterday until this
    /// time of day for today).
    pub previous_revenue: Money,
    /// `revenue` against `previous_revenue` in basis points (1250 is +12.50 %), truncated
    /// toward zero; `None` when the previous period had no revenue.
    pub change_bp: Option<i64>,
    pub generated_at: DateTime<Utc>,
}

/// Admin body: visits to a seller's shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordVisits {
    pub seller_id: String,
    pub count: u32,
    /// Now when absent. The visits count on the day `at` falls on in the store's time zone.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}
