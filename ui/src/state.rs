//! The app's own state (not the data, which lives in the core): which page is shown, the
//! Sales page's filter (kept here so it survives a visit to an order's details) and the
//! dashboard's period (remembered while the app runs).
//! A `Reducible` with an `Action` enum, shared through a context.

use std::rc::Rc;

use sellerdash_api::{OrderStatus, Period};
use serde::Deserialize;
use yew::prelude::*;

/// The pages of the app.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    #[default]
    Dashboard,
    Sales,
    Pending,
    /// One order's details, by id.
    Order(String),
    Payouts,
    Diagnostics,
    Settings,
}

impl Page {
    /// The navigation tab that is current on this page (an order belongs to Sales).
    pub fn tab(&self) -> Page {
        match self {
            Page::Order(_) => Page::Sales,
            page => page.clone(),
        }
    }
}

/// The Sales page's status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SalesFilter {
    #[default]
    All,
    /// Orders on their way: processing, shipped and in transit.
    Active,
    Status(OrderStatus),
}

impl SalesFilter {
    /// The statuses that make up an active order.
    pub const ACTIVE: [OrderStatus; 3] = [
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::InTransit,
    ];

    /// Every choice, in the order the page offers them.
    pub fn choices() -> impl Iterator<Item = SalesFilter> {
        [SalesFilter::All, SalesFilter::Active]
            .into_iter()
            .chain(OrderStatus::ALL.into_iter().map(SalesFilter::Status))
    }

    /// The statuses the list asks for; empty means every status.
    pub fn statuses(self) -> Vec<OrderStatus> {
        match self {
            SalesFilter::All => Vec::new(),
            SalesFilter::Active => Self::ACTIVE.to_vec(),
            SalesFilter::Status(status) => vec![status],
        }
    }

    /// The filter's stable name (`data-status`): `all`, `active` or the status' wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SalesFilter::All => "all",
            SalesFilter::Active => "active",
            SalesFilter::Status(status) => status.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SalesFilter::All => "All",
            SalesFilter::Active => "Active",
            SalesFilter::Status(status) => crate::format::order_status(status),
        }
    }
}

/// Everything that changes [`AppState`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Navigate(Page),
    /// A new status filter; the list goes back to its first page.
    SetSalesFilter(SalesFilter),
    SetDashboardPeriod(Period),
    /// A new search (order id or customer); the list goes back to its first page.
    SetSalesSearch(String),
    /// Another page (1-based) of the sales list.
    SetSalesPage(u32),
}

/// The UI state shared by every component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppState {
    pub page: Page,
    pub sales_filter: SalesFilter,
    /// The dashboard's period (30 days, the pinned query's, until the seller picks another).
    pub dashboard_period: Period,
    /// The Sales page's search text, as typed (blank: every order).
    pub sales_search: String,
    /// The Sales page's page, 1-based (0 counts as 1).
    pub sales_page: u32,
}

impl AppState {
    /// The Sales page's page, 1-based.
    pub fn sales_page(&self) -> u32 {
        self.sales_page.max(1)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Navigate(page) if page == self.page => self,
            Action::Navigate(page) => Rc::new(AppState {
                page,
                ..(*self).clone()
            }),
            Action::SetSalesFilter(filter) if filter == self.sales_filter => self,
            Action::SetSalesFilter(sales_filter) => Rc::new(AppState {
                sales_filter,
                sales_page: 1,
                ..(*self).clone()
            }),
            Action::SetSalesSearch(search) if search == self.sales_search => self,
            Action::SetSalesSearch(sales_search) => Rc::new(AppState {
                sales_search,
                sales_page: 1,
                ..(*self).clone()
            }),
            Action::SetSalesPage(page) if page.max(1) == self.sales_page() => self,
            Action::SetSalesPage(page) => Rc::new(AppState {
                sales_page: page.max(1),
                ..(*self).clone()
            }),
            Action::SetDashboardPeriod(period) if period == self.dashboard_period => self,
            Action::SetDashboardPeriod(dashboard_period) => Rc::new(AppState {
                dashboard_period,
                ..(*self).clone()
            }),
        }
    }
}

/// The handle components get from the context to read the state and dispatch actions.
pub type AppContext = UseReducerHandle<AppState>;

/// The payload of the shell's `navigate` event (sent from the tray menu).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NavigateRequest {
    pub page: Page,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigate_changes_the_page() {
        let state = Rc::new(AppState::default());
        let next = state.reduce(Action::Navigate(Page::Pending));
        assert_eq!(next.page, Page::Pending);
    }

    #[test]
    fn navigate_payload_decodes() {
        let request: NavigateRequest =
            serde_json::from_str(r#"{"page":"pending"}"#).unwrap_or(NavigateRequest {
                page: Page::Dashboard,
            });
        assert_eq!(request.page, Page::Pending);
        let request: Option<NavigateRequest> =
            serde_json::from_str(r#"{"page":{"order":"o-1"}}"#).ok();
        assert_eq!(request.map(|r| r.page), Some(Page::Order("o-1".into())));
    }

    #[test]
    fn the_sales_filter_survives_an_order_visit() {
        let state = Rc::new(AppState::default())
            .reduce(Action::SetSalesFilter(SalesFilter::Active))
            .reduce(Action::Navigate(Page::Order("o-1".into())));
        assert_eq!(state.page.tab(), Page::Sales);
        let back = state.reduce(Action::Navigate(Page::Sales));
        assert_eq!(back.sales_filter, SalesFilter::Active);
    }

    #[test]
    fn the_dashboard_period_survives_other_pages() {
        let state = Rc::new(AppState::default());
        assert_eq!(state.dashboard_period, Period::Days30);
        let state = state
            .reduce(Action::SetDashboardPeriod(Period::Days7))
            .reduce(Action::Navigate(Page::Pending))
            .reduce(Action::Navigate(Page::Dashboard));
        assert_eq!(state.dashboard_period, Period::Days7);
    }

    #[test]
    fn a_new_filter_or_search_starts_at_the_first_page() {
        let state = Rc::new(AppState::default());
        assert_eq!(state.sales_page(), 1);
        let paged = state.reduce(Action::SetSalesPage(3));
        assert_eq!(paged.sales_page(), 3);
        let searched = paged.clone().reduce(Action::SetSalesSearch("ann".into()));
        assert_eq!(
            (searched.sales_page(), searched.sales_search.as_str()),
            (1, "ann")
        );
        let filtered = paged
            .reduce(Action::SetSalesFilter(SalesFilter::Active))
            .reduce(Action::Navigate(Page::Order("o-1".into())));
        assert_eq!(filtered.sales_page(), 1);
    }

    #[test]
    fn sales_filters_name_their_statuses() {
        use OrderStatus as S;
        assert!(SalesFilter::All.statuses().is_empty());
        assert_eq!(
            SalesFilter::Active.statuses(),
            vec![S::Processing, S::Shipped, S::InTransit]
        );
        assert_eq!(SalesFilter::Status(S::InTransit).as_str(), "in_transit");
        assert_eq!(SalesFilter::choices().count(), 10);
        let names: Vec<_> = SalesFilter::choices().map(SalesFilter::as_str).collect();
        assert_eq!(names[..3], ["all", "active", "pending"]);
    }
}
