//! Reusable pieces of the pages: the header, the page frame (freshness, refresh and the
//! error banner), stat cards, badges, the revenue chart, the product table, the pending order
//! row, the cancel form and the CSV export button.

mod badge;
mod cache_notices;
mod cancel_form;
mod connection_badge;
mod data_age;
mod export_button;
mod header;
mod outbox_notices;
mod page_error;
mod pending_row;
mod query_page;
mod refresh_button;
mod revenue_chart;
mod stat_card;
mod top_products;

pub use badge::Badge;
pub use cache_notices::CacheNotices;
pub use cancel_form::CancelForm;
pub use connection_badge::ConnectionBadge;
pub use data_age::DataAge;
pub use export_button::{ExportButton, ExportRequest};
pub use header::Header;
pub use outbox_notices::OutboxNotices;
pub use page_error::PageError;
pub use pending_row::{PendingRow, queued_title};
pub use query_page::QueryPage;
pub use revenue_chart::RevenueChart;
pub use stat_card::StatCard;
pub use top_products::TopProducts;
