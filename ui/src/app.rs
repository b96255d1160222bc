//! The root component: the app state (a reducer shared by context), the header, the
//! current page, and the tray's `navigate` requests.

use yew::prelude::*;

use crate::components::Header;
use crate::pages::{DashboardPage, PendingPage};
use crate::state::{Action, AppContext, AppState, NavigateRequest, Page};
use crate::{shell, tauri};

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let subscription = tauri::listen::<NavigateRequest>(shell::NAVIGATE, move |request| {
                state.dispatch(Action::Navigate(request.page));
            });
            move || drop(subscription)
        });
    }
    let page = match state.page {
        Page::Dashboard => html! { <DashboardPage /> },
        Page::Pending => html! { <PendingPage /> },
    };
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <Header />
            <main class="content">{page}</main>
        </ContextProvider<AppContext>>
    }
}
