//! Dashboard statistics and visit recording.

use chrono::{DateTime, Utc};
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
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Days7 => "7d",
            Self::Days30 => "30d",
            Self::Months12 => "12m",
        }
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

/// One calendar month (UTC) of sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyPoint {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub orders: u64,
    pub revenue: Money,
}

/// The seller's dashboard figures for one [`Period`]. Cancelled orders count nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardStats {
    pub period: Period,
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
    /// the current UTC month until `generated_at`, against revenue over the same elapsed
    /// span from the start of the previous month (cut at that month's end when it is
    /// shorter). On the 3rd at noon this compares two and a half days with two and a half
    /// days, not with a whole month. `None` when that span of the previous month had no
    /// revenue.
    pub monthly_growth_bp: Option<i64>,
    pub generated_at: DateTime<Utc>,
}

/// Admin body: visits to a seller's shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordVisits {
    pub seller_id: String,
    pub count: u32,
    /// Now when absent.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}
