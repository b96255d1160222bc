//! The manual Refresh button: asks the core to refetch a query now.

use sellerdash_state::QueryKey;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::shell;

#[derive(Properties, PartialEq)]
pub struct RefreshButtonProps {
    pub query: QueryKey,
}

#[component]
pub fn RefreshButton(props: &RefreshButtonProps) -> Html {
    let in_flight = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let key = props.query.clone();
        let in_flight = in_flight.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let key = key.clone();
            let in_flight = in_flight.clone();
            let error = error.clone();
            in_flight.set(true);
            spawn_local(async move {
                let result = shell::refetch(&key).await;
                error.set(result.err().map(|err| err.message));
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
