//! The seller queries: which key shapes exist, which source call answers each, and how a
//! sales list's statuses choose its interval. Their policies live in [`crate::Policies`].

use std::sync::Arc;

use futures::future::BoxFuture;
use sellerdash_api::{DashboardQuery, OrderQuery, OrderStatus, PayoutHistoryQuery, Period};
use sellerdash_query::{FetchError, Fetcher};
use sellerdash_state::QueryKey;
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
    /// `seller/sales[/{statuses}]`: the first page of the orders with these statuses.
    Sales(Vec<OrderStatus>),
    /// `seller/sales/byId/{id}`: one order.
    Order(String),
    /// `seller/payouts/stats`.
    PayoutStats,
    /// `seller/payouts/history[/{month}/{year}]`.
    PayoutHistory(Option<(u32, i32)>),
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
            ["seller", "sales"] => Self::Sales(Vec::new()),
            ["seller", "sales", "byId", id] if !id.is_empty() => Self::Order((*id).to_owned()),
            ["seller", "sales", list] => {
                let statuses = list
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<Vec<OrderStatus>, _>>()
                    .ok()?;
                // Only the canonical spelling, so one filter is one key.
                (QueryKey::sales(&statuses) == *key).then_some(())?;
                Self::Sales(statuses)
            }
            ["seller", "payouts", "stats"] => Self::PayoutStats,
            ["seller", "payouts", "history"] => Self::PayoutHistory(None),
            ["seller", "payouts", "history", month, year] => {
                let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
                let year: i32 = year.parse().ok()?;
                (QueryKey::payout_history(Some((month, year))) == *key).then_some(())?;
                Self::PayoutHistory(Some((month, year)))
            }
            _ => return None,
        };
        Some(query)
    }

    pub async fn fetch(self, source: &dyn Source) -> SourceResult<serde_json::Value> {
        match self {
            Self::Dashboard(period) => {
                json(source.dashboard_stats(DashboardQuery { period }).await?)
            }
            Self::PendingOrders => json(source.pending_orders(1, OrderQuery::MAX_PER_PAGE).await?),
            Self::Sales(statuses) => {
                let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
                let query = OrderQuery {
                    status: (!names.is_empty()).then(|| names.join(",")),
                    q: None,
                    page: Some(1),
                    per_page: Some(OrderQuery::MAX_PER_PAGE),
                };
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
        }
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
