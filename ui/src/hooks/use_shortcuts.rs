//! Keyboard shortcuts: a document-wide `keydown` listener while the component is mounted.
//!
//! Shortcuts that are plain letters (`R`, `?`) stay out of the way of typing: they are
//! ignored while the focus is in a text field, a select or a text area.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// True when the focused element takes typed text (letters then belong to it).
pub fn typing_in_a_field() -> bool {
    let Some(active) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())
    else {
        return false;
    };
    matches!(
        active.tag_name().to_ascii_uppercase().as_str(),
        "INPUT" | "TEXTAREA" | "SELECT"
    ) || active.get_attribute("contenteditable").is_some()
}

/// Calls `on_key` for every `keydown` on the document while mounted. The callback may call
/// `prevent_default` (e.g. so F5 refreshes the data instead of reloading the page).
#[hook]
pub fn use_keydown(on_key: Callback<KeyboardEvent>) {
    // The listener always calls the latest callback, without re-registering.
    let latest = use_mut_ref(|| on_key.clone());
    *latest.borrow_mut() = on_key;
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|window| window.document())
            .map(|document| {
                EventListener::new_with_options(
                    &document,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        if let Some(event) = event.dyn_ref::<KeyboardEvent>() {
                            let callback = latest.borrow().clone();
                            callback.emit(event.clone());
                        }
                    },
                )
            });
        move || drop(listener)
    });
}
