//! `use_outbox`: the seller's unsettled actions and unread rejections, from the `outbox`
//! command on mount and the `outbox-changed` events after it.

use std::cell::Cell;
use std::rc::Rc;

use sellerdash_state::outbox::OutboxEntry;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::{shell, tauri};

/// Follows the outbox; empty until the shell answers (or when it cannot).
#[hook]
pub fn use_outbox() -> Rc<Vec<OutboxEntry>> {
    let state = use_state(|| Rc::new(Vec::new()));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let heard_event = Rc::new(Cell::new(false));
            let subscription = {
                let state = state.clone();
                let heard_event = Rc::clone(&heard_event);
                tauri::listen::<Vec<OutboxEntry>>(shell::OUTBOX_CHANGED, move |entries| {
                    heard_event.set(true);
                    state.set(Rc::new(entries));
                })
            };
            spawn_local(async move {
                match shell::outbox().await {
                    Ok(entries) if !heard_event.get() => state.set(Rc::new(entries)),
                    Ok(_) => {}
                    Err(err) => gloo::console::warn!(format!("outbox: {}", err.message)),
                }
            });
            move || drop(subscription)
        });
    }
    (*state).clone()
}

/// The still unsettled action on `order_id`, if any.
pub fn queued_for<'a>(entries: &'a [OutboxEntry], order_id: &str) -> Option<&'a OutboxEntry> {
    entries
        .iter()
        .find(|e| e.order_id == order_id && e.state.is_unsettled())
}
