//! The core's observable state as plain serde types: query keys, query snapshots,
//! connectivity and the events the core reports. The core produces them, the shell forwards
//! them as Tauri events and answers snapshot commands with them, the UI renders them.
//!
//! Serde and chrono only, so the UI can use it from wasm32.

pub mod outbox;
pub mod settings;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use sellerdash_api::{OrderStatus, OrderSummary, Period};

/// Orders on one page of a sales list ([`QueryKey::sales_page`]).
pub const SALES_PAGE_SIZE: u32 = 50;
/// The segment of a sales list key that precedes its search text.
pub const SALES_SEARCH: &str = "q";
/// The segment of a sales list key that precedes its page number.
pub const SALES_PAGE: &str = "p";

/// A hierarchical query key, `["seller", "orders", "pending"]`, shown as
/// `seller/orders/pending`. Invalidating a key invalidates every key it is a prefix of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueryKey(pub Vec<String>);

impl QueryKey {
    pub fn new<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self(segments.into_iter().map(Into::into).collect())
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// True when `self` is `prefix` or lies under it.
    pub fn starts_with(&self, prefix: &QueryKey) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// `seller/dashboard`: the dashboard stats of the default period (30 days), the key
    /// the core keeps pinned, and the prefix of every period's key.
    pub fn dashboard() -> Self {
        Self::new(["seller", "dashboard"])
    }

    /// The dashboard stats of one period: [`dashboard`](Self::dashboard) for the default
    /// period (so the pinned query serves it), `seller/dashboard/{today|7d|12m}` for the
    /// others. One period is always one key.
    pub fn dashboard_period(period: Period) -> Self {
        let mut key = Self::dashboard();
        if period != Period::default() {
            key.0.push(period.as_str().to_owned());
        }
        key
    }

    /// `seller/orders/pending`: the orders waiting for the seller's confirmation.
    pub fn pending_orders() -> Self {
        Self::new(["seller", "orders", "pending"])
    }

    /// `seller/sales`: the prefix of every sales list and order detail.
    pub fn sales_prefix() -> Self {
        Self::new(["seller", "sales"])
    }

    /// `seller/sales` (every status) or `seller/sales/{statuses}`: a sales list filtered by
    /// statuses, named in a canonical order so the same filter is always the same key.
    pub fn sales(statuses: &[OrderStatus]) -> Self {
        let mut statuses = statuses.to_vec();
        statuses.sort();
        statuses.dedup();
        let mut key = Self::sales_prefix();
        if !statuses.is_empty() {
            let names: Vec<&str> = statuses.iter().map(|status| status.as_str()).collect();
            key.0.push(names.join(","));
        }
        key
    }

    /// One page of a sales list: `seller/sales[/{statuses}][/q/{search}][/p/{page}]`.
    ///
    /// The statuses are named as in [`Self::sales`]; the search is trimmed and left out when
    /// blank, the page (1-based, [`SALES_PAGE_SIZE`] orders each) left out when it is the
    /// first, so `sales_page(s, "", 1) == sales(s)` and every list stays under
    /// [`Self::sales_prefix`].
    pub fn sales_page(statuses: &[OrderStatus], search: &str, page: u32) -> Self {
        let mut key = Self::sales(statuses);
        let search = search.trim();
        if !search.is_empty() {
            key.0.push(SALES_SEARCH.to_owned());
            key.0.push(search.to_owned());
        }
        if page > 1 {
            key.0.push(SALES_PAGE.to_owned());
            key.0.push(page.to_string());
        }
        key
    }

    /// `seller/sales/byId/{id}`: one order with its details.
    pub fn order(id: &str) -> Self {
        Self::new(["seller", "sales", "byId", id])
    }

    /// `seller/sales/byId`: the prefix of every order's details (under the sales prefix,
    /// but no list).
    pub fn order_prefix() -> Self {
        Self::new(["seller", "sales", "byId"])
    }

    /// `seller/payouts/stats`: balances, next payout date and schedule.
    pub fn payout_stats() -> Self {
        Self::new(["seller", "payouts", "stats"])
    }

    /// `seller/payouts/history[/{month}/{year}]`: the payout history, all of it or one
    /// month of one year.
    pub fn payout_history(period: Option<(u32, i32)>) -> Self {
        let mut key = Self::new(["seller", "payouts", "history"]);
        if let Some((month, year)) = period {
            key.0.push(month.to_string());
            key.0.push(year.to_string());
        }
        key
    }

    /// `seller/payouts/history/{year}`: every payout of one year.
    pub fn payout_history_year(year: i32) -> Self {
        Self::new([
            "seller".to_owned(),
            "payouts".to_owned(),
            "history".to_owned(),
            year.to_string(),
        ])
    }
}

impl fmt::Display for QueryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

/// Where a query stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryStatus {
    /// No data yet, neither cached nor fetched.
    Loading,
    /// The last fetch succeeded (or cached data waits for its first refresh).
    Success,
    /// The last fetch failed after its retries; `data` is the last good data, if any.
    Error,
}

/// Why a fetch or an action failed, in a form the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The server could not be reached, or did not answer in time.
    Network,
    /// The server answered with a 5xx.
    Server,
    /// The server's answer was not the JSON the contract promises.
    Decode,
    /// The token was refused.
    Unauthorized,
    /// The resource does not exist (for this seller).
    NotFound,
    /// The action is not allowed in the resource's current state.
    Conflict,
    /// The request was refused as malformed.
    BadRequest,
    /// Anything else inside the app (the cache, say).
    Internal,
}

/// An error with a class and a human message: what commands return and snapshots carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub code: ErrorKind,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

/// The last failure of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryError {
    pub error: AppError,
    pub at: DateTime<Utc>,
}

/// Everything the UI needs to render one query: its data (as JSON of the key's contract
/// type), how old it is and what the core is doing about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuerySnapshot {
    pub key: QueryKey,
    pub status: QueryStatus,
    /// The last good data, kept through failures.
    pub data: Option<serde_json::Value>,
    /// When `data` was fetched from the server (also for data loaded from the cache).
    pub updated_at: Option<DateTime<Utc>>,
    /// True while `data` comes from the on-disk cache and has not been refreshed yet.
    pub from_cache: bool,
    /// After this long without a refresh the data is stale.
    pub stale_after_ms: u64,
    /// A request for this key is in flight.
    pub fetching: bool,
    pub last_error: Option<QueryError>,
    /// Failures since the last success.
    pub failure_count: u32,
    /// When the next request is due (an interval tick or a retry).
    pub next_fetch_at: Option<DateTime<Utc>>,
    /// The refetch interval in force (for an adaptive one, the interval the current data
    /// chose); `None` when the query does not poll.
    #[serde(default)]
    pub refetch_interval_ms: Option<u64>,
}

impl QuerySnapshot {
    /// A query nobody has fetched yet.
    pub fn empty(key: QueryKey, stale_after_ms: u64) -> Self {
        Self {
            key,
            status: QueryStatus::Loading,
            data: None,
            updated_at: None,
            from_cache: false,
            stale_after_ms,
            fetching: false,
            last_error: None,
            failure_count: 0,
            next_fetch_at: None,
            refetch_interval_ms: None,
        }
    }

    /// The data decoded as the key's contract type.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.data.clone().map(serde_json::from_value)
    }

    /// True when the data is older than the query's stale time at `now` (or absent).
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        match self.updated_at {
            None => true,
            Some(at) => {
                (now - at).num_milliseconds()
                    > i64::try_from(self.stale_after_ms).unwrap_or(i64::MAX)
            }
        }
    }
}

/// How one query is doing, for the Diagnostics page and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryDiagnostics {
    pub key: QueryKey,
    pub status: QueryStatus,
    pub fetching: bool,
    /// Pages (or other observers) currently showing the query.
    pub observers: u32,
    /// Kept polling while the app runs, observed or not (dashboard, pending orders).
    pub pinned: bool,
    /// The refetch interval in force; `None` when the query does not poll now.
    pub interval_ms: Option<u64>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<QueryError>,
    pub next_fetch_at: Option<DateTime<Utc>>,
    /// Requests started in the last 60 s.
    pub requests_per_minute: u32,
    /// Requests that failed in the last 60 s.
    pub failures_per_minute: u32,
}

/// Whether the marketplace answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Connectivity {
    /// Nothing answered or failed yet.
    Connecting,
    Online {
        since: DateTime<Utc>,
    },
    /// Requests fail to reach the server (or it answers 5xx) since `since`.
    Offline {
        since: DateTime<Utc>,
        reason: String,
        /// When the core tries again next.
        retry_at: Option<DateTime<Utc>>,
    },
    /// The marketplace answers but refuses the seller's token (401/403) since `since`;
    /// polling goes on at the normal interval in case the token is fixed server-side.
    Unauthorized {
        since: DateTime<Utc>,
        reason: String,
    },
}

/// New orders waiting for confirmation that the seller has not been told about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPendingOrders {
    /// Newest first.
    pub orders: Vec<OrderSummary>,
    /// True when these arrived while the app was not running (one summary alert for all).
    pub while_away: bool,
}

/// A CSV export the shell saved: where, and how many rows (the header not counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedExport {
    pub path: String,
    pub rows: u64,
}

/// What a [`CacheNotice`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheNoticeKind {
    /// The cache file was unreadable at start: it was moved aside and a new one built.
    Rebuilt,
    /// Writing the cache failed (disk full, I/O error): it is kept in memory until the disk
    /// takes writes again or the app restarts.
    MemoryOnly,
}

/// Something the seller should know about the on-disk cache, shown once as a dismissable
/// banner. [`CoreEvent::CacheNotices`] carries every notice still shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheNotice {
    /// Unique within one run of the core; what dismissing names.
    pub id: u64,
    pub kind: CacheNoticeKind,
    /// The sentence the banner shows.
    pub message: String,
    pub at: DateTime<Utc>,
}

/// Everything the core reports, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CoreEvent {
    QueryUpdated(QuerySnapshot),
    ConnectivityChanged(Connectivity),
    NewPendingOrders(NewPendingOrders),
    /// The server's count of pending orders changed (the tray shows it).
    PendingTotal {
        total: u64,
    },
    /// The outbox changed: every unsettled action and every rejected one not yet dismissed,
    /// oldest first.
    OutboxChanged(Vec<outbox::OutboxEntry>),
    /// The cache notices not dismissed yet (all of them, replacing the previous list).
    CacheNotices {
        notices: Vec<CacheNotice>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sales_keys_are_canonical() {
        use OrderStatus as S;
        assert_eq!(QueryKey::sales(&[]).to_string(), "seller/sales");
        assert_eq!(
            QueryKey::sales(&[S::Shipped, S::Pending, S::Shipped]),
            QueryKey::sales(&[S::Pending, S::Shipped])
        );
        assert_eq!(
            QueryKey::sales(&[S::Shipped, S::Pending]).to_string(),
            "seller/sales/pending,shipped"
        );
        assert!(QueryKey::order("o1").starts_with(&QueryKey::sales_prefix()));
        assert_eq!(
            QueryKey::payout_history(Some((3, 2026))).to_string(),
            "seller/payouts/history/3/2026"
        );
    }

    #[test]
    fn sales_pages_stay_under_the_sales_prefix() {
        use OrderStatus as S;
        assert_eq!(QueryKey::sales_page(&[], "", 1), QueryKey::sales(&[]));
        assert_eq!(
            QueryKey::sales_page(&[S::Shipped, S::Pending], "  Ann Lee ", 3).to_string(),
            "seller/sales/pending,shipped/q/Ann Lee/p/3"
        );
        assert_eq!(
            QueryKey::sales_page(&[], "a/b", 2).segments(),
            ["seller", "sales", "q", "a/b", "p", "2"]
        );
        assert_eq!(
            QueryKey::sales_page(&[S::Pending], " ", 1),
            QueryKey::sales(&[S::Pending])
        );
        assert!(QueryKey::sales_page(&[], "x", 9).starts_with(&QueryKey::sales_prefix()));
        assert_eq!(
            QueryKey::payout_history_year(2026).to_string(),
            "seller/payouts/history/2026"
        );
        assert!(QueryKey::payout_history_year(2026).starts_with(&QueryKey::payout_history(None)));
    }

    #[test]
    fn unauthorized_is_tagged() {
        let since = DateTime::parse_from_rfc3339("2026-12-03T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let state = Connectivity::Unauthorized {
            since,
            reason: "invalid token".into(),
        };
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["state"], "unauthorized");
        assert_eq!(json["reason"], "invalid token");
        assert_eq!(serde_json::from_value::<Connectivity>(json).unwrap(), state);
    }

    #[test]
    fn keys_are_hierarchical() {
        let pending = QueryKey::pending_orders();
        assert_eq!(pending.to_string(), "seller/orders/pending");
        assert!(pending.starts_with(&QueryKey::new(["seller", "orders"])));
        assert!(!QueryKey::dashboard().starts_with(&QueryKey::new(["seller", "orders"])));
        assert_eq!(
            serde_json::to_string(&pending).unwrap(),
            r#"["seller","orders","pending"]"#
        );
    }

    #[test]
    fn every_dashboard_period_is_under_the_pinned_key() {
        let names: Vec<String> = Period::ALL
            .into_iter()
            .map(|p| QueryKey::dashboard_period(p).to_string())
            .collect();
        assert_eq!(
            names,
            [
                "seller/dashboard/today",
                "seller/dashboard/7d",
                "seller/dashboard",
                "seller/dashboard/12m",
            ]
        );
        assert!(
            Period::ALL
                .into_iter()
                .all(|p| QueryKey::dashboard_period(p).starts_with(&QueryKey::dashboard()))
        );
    }
}
