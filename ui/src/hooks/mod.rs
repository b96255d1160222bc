//! Hooks that connect components to the shell: query snapshots, connectivity, the clock,
//! and the app state context.

mod use_app;
mod use_connectivity;
mod use_now;
mod use_query;

pub use use_app::use_app;
pub use use_connectivity::{ConnectivityState, use_connectivity};
pub use use_now::use_now;
pub use use_query::use_query;
