//! Payouts: the seller's balance and the history of money sent to them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutSchedule {
    Weekly,
    Biweekly,
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutStatus {
    Scheduled,
    Paid,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutStats {
    /// Earned on completed orders and not paid out yet.
    pub available: Money,
    /// Earned on paid orders that are not completed yet.
    pub pending: Money,
    pub next_payout_date: NaiveDate,
    pub schedule: PayoutSchedule,
    pub lifetime_paid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub id: String,
    pub amount: Money,
    pub status: PayoutStatus,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub paid_at: Option<DateTime<Utc>>,
    pub order_count: u64,
    pub created_at: DateTime<Utc>,
}

/// Query string of the payout history: `?month=3&year=2026`; both optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutHistoryQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// [`PayoutHistoryQuery::YEARS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl PayoutHistoryQuery {
    /// The years a history can be asked for (anything else is a 400, not an empty list).
    pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutHistory {
    /// Newest first.
    pub payouts: Vec<Payout>,
    /// Sum of the listed payouts that were paid.
    pub total_paid: Money,
}

/// Admin body: pay out every seller's available balance (or one seller's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunPayouts {
    #[serde(default)]
    pub seller_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPayoutsResult {
    pub payouts: Vec<Payout>,
}
