//! The app's pages, one per `state::Page`.

mod dashboard;
mod order;
mod pending;
mod sales;

pub use dashboard::DashboardPage;
pub use order::OrderDetailsPage;
pub use pending::PendingPage;
pub use sales::SalesPage;
