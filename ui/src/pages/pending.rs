//! The orders waiting for the seller's confirmation: a live list with Confirm and Cancel,
//! plus loading, empty and error states.

use std::rc::Rc;

use sellerdash_api::OrderPage;
use sellerdash_state::QueryKey;
use yew::prelude::*;

use crate::components::{PendingRow, QueryPage};
use crate::format;
use crate::hooks::{use_now, use_query};

#[component]
pub fn PendingPage() -> Html {
    let query = use_query::<OrderPage>(QueryKey::pending_orders());
    let subtitle = match query.data.as_ref().map(|page| page.total) {
        Some(0) => "Nothing to confirm".to_owned(),
        Some(total) => format!("{} waiting for confirmation", format::count(total)),
        None => "Orders waiting for your confirmation".to_owned(),
    };
    html! {
        <QueryPage testid="pending-page" title="Pending orders" subtitle={subtitle}
            query={query.key.clone()} snapshot={query.snapshot.clone()}
            error={query.error_message()} has_data={query.data.is_some()}>
            if let Some(page) = &query.data {
                <PendingList page={Rc::clone(page)} />
            } else if query.is_loading() {
                <div class="card list-skeleton" aria-busy="true">
                    <p class="muted">{"Loading pending orders…"}</p>
                </div>
            }
        </QueryPage>
    }
}

#[derive(Properties, PartialEq)]
struct PendingListProps {
    page: Rc<OrderPage>,
}

#[component]
fn PendingList(props: &PendingListProps) -> Html {
    let now = use_now();
    let page = &props.page;
    if page.orders.is_empty() {
        return html! {
            <div class="card empty" data-testid="pending-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 12.5l5 5L20 6.5" />
                </svg>
                <p class="empty-title">{"No orders waiting for confirmation"}</p>
                <p class="muted">{"New orders show up here as soon as they are placed."}</p>
            </div>
        };
    }
    let shown = u64::try_from(page.orders.len()).unwrap_or(u64::MAX);
    html! {
        <>
            <ul class="card orders" data-testid="pending-list">
                {for page.orders.iter().enumerate().map(|(index, order)| html! {
                    <PendingRow key={order.id.clone()} order={order.clone()} index={index} now={now} />
                })}
            </ul>
            if page.total > shown {
                <p class="muted list-note">
                    {format!("Showing the newest {} of {} pending orders.",
                        format::count(shown), format::count(page.total))}
                </p>
            }
        </>
    }
}
