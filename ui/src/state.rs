//! The app's own state (not the data, which lives in the core): which page is shown.
//! A `Reducible` with an `Action` enum, shared through a context.

use std::rc::Rc;

use serde::Deserialize;
use yew::prelude::*;

/// The pages of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    #[default]
    Dashboard,
    Pending,
}

/// Everything that changes [`AppState`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Navigate(Page),
}

/// The UI state shared by every component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppState {
    pub page: Page,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Navigate(page) if page == self.page => self,
            Action::Navigate(page) => Rc::new(AppState { page }),
        }
    }
}

/// The handle components get from the context to read the state and dispatch actions.
pub type AppContext = UseReducerHandle<AppState>;

/// The payload of the shell's `navigate` event (sent from the tray menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
    }
}
