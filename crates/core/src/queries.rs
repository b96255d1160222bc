//! The seller queries the core polls: which key, which source call. Their policies live in
//! [`crate::Policies`].

use sellerdash_api::{DashboardQuery, DashboardStats, OrderPage, OrderQuery};
use sellerdash_state::QueryKey;

use crate::source::{Source, SourceError, SourceResult};

/// A seller query the core knows how to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SellerQuery {
    /// `seller/dashboard`: the dashboard figures of the default period.
    Dashboard,
    /// `seller/orders/pending`: the first page (the largest the contract allows) of the
    /// orders waiting for confirmation, with the server's total.
    PendingOrders,
}

/// A fresh answer, typed, before it becomes snapshot JSON.
#[derive(Debug, Clone)]
pub(crate) enum Fetched {
    Dashboard(DashboardStats),
    PendingOrders(OrderPage),
}

impl SellerQuery {
    /// The queries that poll for as long as the core runs (the tray and the alerts need them).
    pub const PINNED: [SellerQuery; 2] = [Self::Dashboard, Self::PendingOrders];

    pub fn key(self) -> QueryKey {
        match self {
            Self::Dashboard => QueryKey::dashboard(),
            Self::PendingOrders => QueryKey::pending_orders(),
        }
    }

    pub async fn fetch(self, source: &dyn Source) -> SourceResult<Fetched> {
        Ok(match self {
            Self::Dashboard => {
                Fetched::Dashboard(source.dashboard_stats(DashboardQuery::default()).await?)
            }
            Self::PendingOrders => {
                Fetched::PendingOrders(source.pending_orders(1, OrderQuery::MAX_PER_PAGE).await?)
            }
        })
    }
}

impl Fetched {
    /// The answer as the JSON the snapshot and the cache carry.
    pub fn to_json(&self) -> SourceResult<serde_json::Value> {
        let json = match self {
            Self::Dashboard(stats) => serde_json::to_value(stats),
            Self::PendingOrders(page) => serde_json::to_value(page),
        };
        json.map_err(|e| SourceError::Decode(e.to_string()))
    }
}
