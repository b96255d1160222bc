//! The app header: brand, navigation between the pages (with the server's pending total;
//! Diagnostics is a small link at the end) and the connection badge.

use sellerdash_api::OrderPage;
use sellerdash_state::QueryKey;
use yew::prelude::*;

use crate::components::ConnectionBadge;
use crate::format;
use crate::hooks::{use_app, use_query};
use crate::state::{Action, Page};

#[component]
pub fn Header() -> Html {
    let app = use_app();
    let pending = use_query::<OrderPage>(QueryKey::pending_orders());
    let current = app.as_ref().map(|app| app.page.tab()).unwrap_or_default();
    let go = |page: Page| {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::Navigate(page.clone()));
            }
        })
    };
    let aria_current = |page: &Page| (current == *page).then_some("page");
    let tab_class = |page: &Page| classes!("tab", (current == *page).then_some("active"));
    let pending_total = pending.data.as_ref().map(|page| page.total);
    let tab = |page: Page, testid: &'static str, label: &'static str| {
        html! {
            <button type="button" data-testid={testid} class={tab_class(&page)}
                aria-current={aria_current(&page)} onclick={go(page)}>
                {label}
            </button>
        }
    };

    html! {
        <header class="topbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="2" y="12" width="5" height="10" rx="1.5" />
                    <rect x="9.5" y="7" width="5" height="15" rx="1.5" />
                    <rect x="17" y="2" width="5" height="20" rx="1.5" />
                </svg>
                <span>{"Sellerdash"}</span>
            </div>
            <nav class="tabs" aria-label="Pages">
                {tab(Page::Dashboard, "nav-dashboard", "Dashboard")}
                {tab(Page::Sales, "nav-sales", "Sales")}
                <button type="button" data-testid="nav-pending"
                    class={tab_class(&Page::Pending)}
                    aria-current={aria_current(&Page::Pending)}
                    onclick={go(Page::Pending)}>
                    {"Pending orders"}
                    if let Some(total) = pending_total {
                        {" "}
                        <span class={classes!("tab-count", (total > 0).then_some("hot"))}>
                            {format!("({})", format::count(total))}
                        </span>
                    }
                </button>
                {tab(Page::Payouts, "nav-payouts", "Payouts")}
                <span class="tabs-spacer"></span>
                <button type="button" data-testid="nav-diagnostics"
                    class={classes!(tab_class(&Page::Diagnostics), "tab-small")}
                    aria-current={aria_current(&Page::Diagnostics)}
                    onclick={go(Page::Diagnostics)}>
                    {"Diagnostics"}
                </button>
                <button type="button" data-testid="nav-settings"
                    class={classes!(tab_class(&Page::Settings), "tab-small")}
                    aria-current={aria_current(&Page::Settings)}
                    onclick={go(Page::Settings)}>
                    {"Settings"}
                </button>
            </nav>
            <ConnectionBadge />
        </header>
    }
}
