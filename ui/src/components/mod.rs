//! Reusable pieces of the pages: the header, the freshness and refresh controls, the error
//! banner, stat cards, the revenue chart, the product table and the pending order row.

mod cancel_form;
mod connection_badge;
mod data_age;
mod header;
mod page_error;
mod pending_row;
mod query_tools;
mod refresh_button;
mod revenue_chart;
mod stat_card;
mod top_products;

pub use connection_badge::ConnectionBadge;
pub use header::Header;
pub use page_error::PageError;
pub use pending_row::PendingRow;
pub use query_tools::QueryTools;
pub use revenue_chart::RevenueChart;
pub use stat_card::StatCard;
pub use top_products::TopProducts;
