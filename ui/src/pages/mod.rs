//! The app's pages, one per `state::Page`.

mod dashboard;
mod diagnostics;
mod order;
mod payouts;
mod pending;
mod sales;
mod settings;

pub use dashboard::DashboardPage;
pub use diagnostics::DiagnosticsPage;
pub use order::OrderDetailsPage;
pub use payouts::PayoutsPage;
pub use pending::PendingPage;
pub use sales::SalesPage;
pub use settings::SettingsPage;
