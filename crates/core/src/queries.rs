//! The seller queries: which key shapes exist, which source call answers each, and how a
//! sales list's statuses choose its interval. Their policies live in [`crate::Policies`].

use std::sync::Arc;

use futures::future::BoxFuture;
use sellerdash_api::{DashboardQuery, OrderQuery, OrderStatus, PayoutHistoryQuery, Period};
use sellerdash_query::{FetchError, Fetcher};
use sellerdash_state::{QueryKey, SALES_PAGE, SALES_PAGE_SIZE, SALES_SEARCH};
use serde::Serialize;

use crate::source::{Source, SourceError, SourceResult};

/// A seller query the core knows how to fetch, parsed from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SellerQuery {
    /// `seller/dashboard[/{period}]`: the dashboard figures of one period (the default
    /// period without a suffix).
    Dashboard(Period),
    /// `seller/orders/pending`: the first page (the largest the contract allows) of the
    /// orders waiting for confirmation, with the server's total.
    PendingOrders,
    /// `seller/sales[/{statuses}][/q/{search}][/p/{page}]`: one page of a sales list.
    Sales(SalesList),
    /// `seller/sales/byId/{id}`: one order.
    Order(String),
    /// `seller/payouts/stats`.
    PayoutStats,
    /// `seller/payouts/history[/{month}/{year}]`.
    PayoutHistory(Option<(u32, i32)>),
    /// `seller/payouts/history/{year}`.
    PayoutHistoryYear(i32),
}

/// One page of a sales list as its key names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SalesList {
    /// Empty means every status.
    pub statuses: Vec<OrderStatus>,
    /// Matches an order id or a customer name; `None` lists every order.
    pub search: Option<String>,
    /// 1-based, [`SALES_PAGE_SIZE`] orders a page.
    pub page: u32,
}

impl SalesList {
    /// Parses the segments after `seller/sales` (not `byId`): `[{statuses}][/q/{search}][/p/{page}]`.
    fn parse(rest: &[&str]) -> Option<Self> {
        let mut rest = rest;
        let mut list = SalesList {
            page: 1,
            ..Self::default()
        };
        if let [first, tail @ ..] = rest
            && *first != SALES_SEARCH
            && *first != SALES_PAGE
        {
            list.statuses = first
                .split(',')
                .map(str::parse)
                .collect::<Result<Vec<OrderStatus>, _>>()
                .ok()?;
            rest = tail;
        }
        if let [SALES_SEARCH, text, tail @ ..] = rest {
            list.search = Some((*text).to_owned());
            rest = tail;
        }
        if let [SALES_PAGE, page, tail @ ..] = rest {
            list.page = page.parse().ok()?;
            rest = tail;
        }
        rest.is_empty().then_some(list)
    }

    fn key(&self) -> QueryKey {
        QueryKey::sales_page(
            &self.statuses,
            self.search.as_deref().unwrap_or_default(),
            self.page,
        )
    }
}

impl SellerQuery {
    /// The query a key names; `None` for a key of no seller query (or a non-canonical one).
    pub fn parse(key: &QueryKey) -> Option<Self> {
        let segments: Vec<&str> = key.segments().iter().map(String::as_str).collect();
        let query = match segments.as_slice() {
            ["seller", "dashboard"] => Self::Dashboard(Period::default()),
            ["seller", "dashboard", period] => {
                let period: Period = period.parse().ok()?;
                // Only the canonical spelling: the default period is the bare key.
                (QueryKey::dashboard_period(period) == *key).then_some(())?;
                Self::Dashboard(period)
            }
            ["seller", "orders", "pending"] => Self::PendingOrders,
            ["seller", "sales", "byId", id] if !id.is_empty() => Self::Order((*id).to_owned()),
            ["seller", "sales", "byId", ..] => return None,
            ["seller", "sales", rest @ ..] => {
                let list = SalesList::parse(rest)?;
                // Only the canonical spelling, so one list is one key.
                (list.key() == *key).then_some(())?;
                Self::Sales(list)
            }
            ["seller", "payouts", "stats"] => Self::PayoutStats,
            ["seller", "payouts", "history"] => Self::PayoutHistory(None),
            ["seller", "payouts", "history", month, year] => {
                let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
                let year: i32 = year.parse().ok()?;
                (QueryKey::payout_history(Some((month, year))) == *key).then_some(())?;
                Self::PayoutHistory(Some((month, year)))
            }
            ["seller", "payouts", "history", year] => {
                let year: i32 = year.parse().ok()?;
                (QueryKey::payout_history_year(year) == *key).then_some(())?;
                Self::PayoutHistoryYear(year)
            }
            _ => return None,
        };
        Some(query)
    }

    /// True when `data` decodes as this query's contract type (what a page will decode it
    /// as): cached JSON written by another app version may not.
    pub fn decodes(&self, data: &serde_json::Value) -> bool {
        use sellerdash_api::{DashboardStats, Order, OrderPage, PayoutHistory, PayoutStats};
        fn is<T: serde::de::DeserializeOwned>(data: &serde_json::Value) -> bool {
            T::deserialize(data).is_ok()
        }
        match self {
            Self::Dashboard(_) => is::<DashboardStats>(data),
            Self::PendingOrders | Self::Sales(_) => is::<OrderPage>(data),
            Self::Order(_) => is::<Order>(data),
            Self::PayoutStats => is::<PayoutStats>(data),
            Self::PayoutHistory(_) | Self::PayoutHistoryYear(_) => is::<PayoutHistory>(data),
        }
    }

    pub async fn fetch(self, source: &dyn Source) -> SourceResult<serde_json::Value> {
        match self {
            Self::Dashboard(period) => {
                json(source.dashboard_stats(DashboardQuery { period }).await?)
            }
            Self::PendingOrders => json(source.pending_orders(1, OrderQuery::MAX_PER_PAGE).await?),
            Self::Sales(list) => {
                let query = order_query(
                    &list.statuses,
                    list.search.as_deref(),
                    list.page,
                    SALES_PAGE_SIZE,
                );
                json(source.list_orders(&query).await?)
            }
            Self::Order(id) => json(source.get_order(&id).await?),
            Self::PayoutStats => json(source.payout_stats().await?),
            Self::PayoutHistory(period) => {
                let query = PayoutHistoryQuery {
                    month: period.map(|(month, _)| month),
                    year: period.map(|(_, year)| year),
                };
                json(source.payout_history(query).await?)
            }
            Self::PayoutHistoryYear(year) => {
                let query = PayoutHistoryQuery {
                    month: None,
                    year: Some(year),
                };
                json(source.payout_history(query).await?)
            }
        }
    }
}

/// The contract's query string of one page of orders with these statuses and search.
pub(crate) fn order_query(
    statuses: &[OrderStatus],
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> OrderQuery {
    let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    OrderQuery {
        status: (!names.is_empty()).then(|| names.join(",")),
        q: search
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
        page: Some(page),
        per_page: Some(per_page),
    }
}

fn json(value: impl Serialize) -> SourceResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| SourceError::Decode(e.to_string()))
}

/// What a sales list holds, as far as its polling interval is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesActivity {
    /// Any processing, shipped or in-transit order.
    Moving,
    /// Else any pending or confirmed order.
    Waiting,
    /// Nothing that will change soon.
    Settled,
}

impl SalesActivity {
    /// The activity of an order page's JSON (rows with a `status`).
    pub fn of_page(page: &serde_json::Value) -> Self {
        let statuses = page
            .get("orders")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|row| row.get("status")?.as_str()?.parse::<OrderStatus>().ok());
        let mut activity = Self::Settled;
        for status in statuses {
            match status {
                OrderStatus::Processing | OrderStatus::Shipped | OrderStatus::InTransit => {
                    return Self::Moving;
                }
                OrderStatus::Pending | OrderStatus::Confirmed => activity = Self::Waiting,
                _ => {}
            }
        }
        activity
    }
}

impl From<SourceError> for FetchError {
    fn from(error: SourceError) -> Self {
        Self {
            retryable: error.is_retryable(),
            connectivity: error.is_connectivity(),
            error: error.into(),
        }
    }
}

/// The engine's [`Fetcher`] for seller keys, over a [`Source`].
pub(crate) struct SellerFetcher {
    pub source: Arc<dyn Source>,
}

impl Fetcher for SellerFetcher {
    fn fetch(&self, key: &QueryKey) -> BoxFuture<'static, Result<serde_json::Value, FetchError>> {
        let source = Arc::clone(&self.source);
        let query = SellerQuery::parse(key);
        let key = key.clone();
        Box::pin(async move {
            let Some(query) = query else {
                return Err(
                    SourceError::BadRequest(format!("no seller query is named {key}")).into(),
                );
            };
            Ok(query.fetch(source.as_ref()).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    #[test]
    fn every_design_key_parses_and_others_do_not() {
        let known = [
            QueryKey::dashboard(),
            QueryKey::pending_orders(),
            QueryKey::sales(&[]),
            QueryKey::sales(&[S::Shipped, S::Pending]),
            QueryKey::order("o1"),
            QueryKey::payout_stats(),
            QueryKey::payout_history(None),
            QueryKey::payout_history(Some((3, 2026))),
            QueryKey::dashboard_period(Period::Today),
            QueryKey::dashboard_period(Period::Days7),
            QueryKey::dashboard_period(Period::Months12),
            QueryKey::payout_history_year(2026),
            QueryKey::sales_page(&[S::Pending], "Ann", 1),
            QueryKey::sales_page(&[], "q", 2),
            QueryKey::sales_page(&[], "", 7),
            QueryKey::sales_page(&[S::Shipped, S::Pending], "p", 12),
        ];
        for key in known {
            assert!(SellerQuery::parse(&key).is_some(), "{key}");
        }
        for bad in [
            "seller",
            "seller/orders",
            "seller/sales/shipped,pending",
            "seller/sales/nonsense",
            "seller/payouts/history/13/2026",
            "seller/payouts/history/02026",
            "seller/sales/p/1",
            "seller/sales/p/02",
            "seller/sales/p/x",
            "seller/sales/q/ ann",
            "seller/sales/q/",
            "seller/sales/p/2/q/ann",
            "seller/sales/pending/shipped",
            "seller/sales/byId",
            "other/dashboard",
            "seller/dashboard/30d",
            "seller/dashboard/1y",
            "seller/dashboard/7d/x",
        ] {
            let key = QueryKey::new(bad.split('/'));
            assert_eq!(SellerQuery::parse(&key), None, "{bad}");
        }
    }

    #[test]
    fn each_dashboard_key_asks_for_its_period() {
        for period in Period::ALL {
            assert_eq!(
                SellerQuery::parse(&QueryKey::dashboard_period(period)),
                Some(SellerQuery::Dashboard(period))
            );
        }
    }

    #[test]
    fn sales_keys_parse_into_their_list() {
        let key = QueryKey::sales_page(&[S::Pending, S::Confirmed], "Ann Lee", 3);
        assert_eq!(
            SellerQuery::parse(&key),
            Some(SellerQuery::Sales(SalesList {
                statuses: vec![S::Pending, S::Confirmed],
                search: Some("Ann Lee".into()),
                page: 3,
            }))
        );
        assert_eq!(
            SellerQuery::parse(&QueryKey::sales(&[])),
            Some(SellerQuery::Sales(SalesList {
                page: 1,
                ..SalesList::default()
            }))
        );
        let query = order_query(&[S::Shipped], Some("  x "), 2, 50);
        assert_eq!(query.status.as_deref(), Some("shipped"));
        assert_eq!(query.q.as_deref(), Some("x"));
        assert_eq!((query.page, query.per_page), (Some(2), Some(50)));
    }

    #[test]
    fn statuses_choose_the_activity() {
        let page = |statuses: &[&str]| {
            let rows: Vec<_> = statuses
                .iter()
                .map(|s| serde_json::json!({ "status": s }))
                .collect();
            serde_json::json!({ "orders": rows })
        };
        assert_eq!(
            SalesActivity::of_page(&page(&["completed", "shipped"])),
            SalesActivity::Moving
        );
        assert_eq!(
            SalesActivity::of_page(&page(&["confirmed", "delivered"])),
            SalesActivity::Waiting
        );
        assert_eq!(
            SalesActivity::of_page(&page(&["completed", "cancelled"])),
            SalesActivity::Settled
        );
        assert_eq!(SalesActivity::of_page(&page(&[])), SalesActivity::Settled);
    }
}
