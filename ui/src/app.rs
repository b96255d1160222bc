//! The root component: the app state (a reducer shared by context), the header, the
//! current page, and the tray's `navigate` requests.

use yew::prelude::*;

use crate::components::{CacheNotices, Header, OutboxNotices};
use crate::pages::{
    DashboardPage, DiagnosticsPage, OrderDetailsPage, PayoutsPage, PendingPage, SalesPage,
    SettingsPage,
};
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
    use_effect_with(state.page.clone(), |_| {
        // A new page starts at its top, wherever the previous one was scrolled to.
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let page = match &state.page {
        Page::Dashboard => html! { <DashboardPage /> },
        Page::Sales => html! { <SalesPage /> },
        Page::Pending => html! { <PendingPage /> },
        Page::Order(id) => html! { <OrderDetailsPage key={id.clone()} id={id.clone()} /> },
        Page::Payouts => html! { <PayoutsPage /> },
        Page::Diagnostics => html! { <DiagnosticsPage /> },
        Page::Settings => html! { <SettingsPage /> },
    };
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <Header />
            <CacheNotices />
            <main class="content"><OutboxNotices />{page}</main>
        </ContextProvider<AppContext>>
    }
}
