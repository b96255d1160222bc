//! The manual Refresh button: asks the core to refetch the page's queries now.

use sellerdash_state::QueryKey;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::shell;

#[derive(Properties, PartialEq)]
pub struct RefreshButtonProps {
    /// Refetched together, in order; the first failure is shown.
    pub queries: Vec<QueryKey>,
}

#[component]
pub fn RefreshButton(props: &RefreshButtonProps) -> Html {
    let in_flight = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let keys = props.queries.clone();
        let in_flight = in_flight.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let keys = keys.clone();
            let in_flight = in_flight.clone();
            let error = error.clone();
            in_flight.set(true);
            spawn_local(async move {
                let mut first_error = None;
                for key in &keys {
                    if let Err(err) = shell::refetch(key).await {
                        first_error.get_or_insert(err.message);
                    }
                }
                error.set(first_error);
                in_flight.set(false);
            });
        })
    };
    html! {
        <>
            if let Some(message) = &*error {
                <span class="inline-error" role="alert">{message.clone()}</span>
            }
            <button type="button" class="btn btn-ghost" data-testid="refresh"
                disabled={*in_flight} onclick={onclick}>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5" />
                </svg>
                {"Refresh"}
            </button>
        </>
    }
}
