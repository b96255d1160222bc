//! `use_connectivity`: the connection to the marketplace, from the `connectivity` command on
//! mount and the `connectivity-changed` events after it.

use std::cell::Cell;
use std::rc::Rc;

use sellerdash_state::{AppError, Connectivity};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::{shell, tauri};

/// What the connection badge renders.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectivityState {
    /// The shell has not answered yet.
    Unknown,
    Known(Connectivity),
    /// The shell itself is unreachable (the UI runs outside the app, or the shell failed).
    ShellError(AppError),
}

/// Follows the connectivity state.
#[hook]
pub fn use_connectivity() -> ConnectivityState {
    let state = use_state(|| ConnectivityState::Unknown);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let heard_event = Rc::new(Cell::new(false));
            let subscription = {
                let state = state.clone();
                let heard_event = Rc::clone(&heard_event);
                tauri::listen::<Connectivity>(shell::CONNECTIVITY_CHANGED, move |update| {
                    heard_event.set(true);
                    state.set(ConnectivityState::Known(update));
                })
            };
            spawn_local(async move {
                match shell::connectivity().await {
                    Ok(current) if !heard_event.get() => {
                        state.set(ConnectivityState::Known(current));
                    }
                    Ok(_) => {}
                    Err(err) => state.set(ConnectivityState::ShellError(err)),
                }
            });
            move || drop(subscription)
        });
    }
    (*state).clone()
}
