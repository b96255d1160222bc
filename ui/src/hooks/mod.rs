//! Hooks that connect components to the shell: query snapshots, connectivity, the clock, the action outbox,
//! the app state context, the colour theme, keyboard shortcuts, and clicks that only count on
//! an element that stayed put.

mod use_app;
mod use_connectivity;
mod use_now;
mod use_outbox;
mod use_query;
mod use_settled;
mod use_shortcuts;
mod use_theme;

pub use use_app::{current_tab, open_order_from, order_opened_from, use_app};
pub use use_connectivity::{ConnectivityState, use_connectivity};
pub use use_now::use_now;
pub use use_outbox::{queued_for, use_outbox};
pub use use_query::use_query;
pub use use_settled::use_settled;
pub use use_shortcuts::{typing_in_a_field, use_keydown};
pub use use_theme::{Theme, use_theme};
