//! The app's pages, one per `state::Page`.

mod dashboard;
mod pending;

pub use dashboard::DashboardPage;
pub use pending::PendingPage;
