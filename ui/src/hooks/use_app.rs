//! `use_app`: the app state context provided by the root component.

use yew::prelude::*;

use crate::state::AppContext;

/// The app state handle; `None` only outside `App` (in which case navigation is inert).
#[hook]
pub fn use_app() -> Option<AppContext> {
    use_context::<AppContext>()
}
