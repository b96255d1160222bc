//! The marketplace refused an action the seller took offline: one dismissable notice per
//! rejection ("Could not confirm order X: the buyer cancelled it"), on every page, until the
//! seller dismisses it.

use sellerdash_state::outbox::OutboxState;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::hooks::use_outbox;
use crate::shell;

#[component]
pub fn OutboxNotices() -> Html {
    let outbox = use_outbox();
    let rejected: Vec<_> = outbox
        .iter()
        .filter(|e| e.state == OutboxState::Rejected)
        .collect();
    if rejected.is_empty() {
        return html! {};
    }
    html! {
        <div class="outbox-notices" data-testid="outbox-notices">
            {for rejected.into_iter().map(|entry| {
                let seq = entry.seq;
                let dismiss = Callback::from(move |_: MouseEvent| {
                    spawn_local(async move {
                        if let Err(err) = shell::dismiss_outbox(seq).await {
                            gloo::console::warn!(format!("dismiss: {}", err.message));
                        }
                    });
                });
                html! {
                    <div class="outbox-rejected" role="alert" data-testid="outbox-rejected"
                        data-order-id={entry.order_id.clone()} key={seq}>
                        <span class="outbox-rejected-text">{entry.rejected_text()}</span>
                        <button type="button" class="btn btn-ghost" data-testid="outbox-dismiss"
                            onclick={dismiss}>
                            {"Dismiss"}
                        </button>
                    </div>
                }
            })}
        </div>
    }
}
