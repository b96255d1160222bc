//! The manual Refresh button: asks the core to refetch the page's queries now. While it is
//! on screen, R, F5 and Ctrl+R (⌘R) press it: they refresh the data instead of reloading the
//! page (a reload would only blank the window while the core keeps the same data).

use sellerdash_state::QueryKey;
use wasm_bindgen_futures::spawn_local;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::hooks::{typing_in_a_field, use_keydown};
use crate::{format, shell};

#[derive(Properties, PartialEq)]
pub struct RefreshButtonProps {
    /// Refetched together, in order; the first failure is shown.
    pub queries: Vec<QueryKey>,
    /// Whether R / F5 / Ctrl+R press this button (one button per page should).
    #[prop_or(true)]
    pub shortcut: bool,
}

/// True for the keys that mean "refresh": R (not while typing), F5, Ctrl+R and ⌘R.
pub fn is_refresh_key(key: &str, ctrl_or_meta: bool, alt: bool, typing: bool) -> bool {
    if alt {
        return false;
    }
    match key {
        "F5" => true,
        "r" | "R" if ctrl_or_meta => true,
        "r" | "R" => !typing,
        _ => false,
    }
}

#[component]
pub fn RefreshButton(props: &RefreshButtonProps) -> Html {
    let in_flight = use_state(|| false);
    let error = use_state(|| None::<String>);
    let refresh = {
        let keys = props.queries.clone();
        let in_flight = in_flight.clone();
        let error = error.clone();
        Callback::from(move |()| {
            if *in_flight {
                return;
            }
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
    {
        let refresh = refresh.clone();
        let enabled = props.shortcut;
        use_keydown(Callback::from(move |event: KeyboardEvent| {
            let ctrl_or_meta = event.ctrl_key() || event.meta_key();
            if enabled
                && !event.repeat()
                && is_refresh_key(
                    &event.key(),
                    ctrl_or_meta,
                    event.alt_key(),
                    typing_in_a_field(),
                )
            {
                event.prevent_default();
                refresh.emit(());
            }
        }));
    }
    let onclick = Callback::from(move |_: MouseEvent| refresh.emit(()));
    html! {
        <>
            if let Some(message) = &*error {
                <span class="inline-error" role="alert">{format::sentence(message)}</span>
            }
            <button type="button" class="btn btn-ghost" data-testid="refresh"
                disabled={*in_flight} onclick={onclick}
                title="Refresh now (R, F5 or Ctrl+R)" aria-keyshortcuts="R F5 Control+R">
                <svg class={classes!("icon", in_flight.then_some("spinning"))} viewBox="0 0 24 24"
                    aria-hidden="true">
                    <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5" />
                </svg>
                {if *in_flight { "Refreshing…" } else { "Refresh" }}
            </button>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::is_refresh_key;

    #[test]
    fn refresh_keys_leave_typing_alone() {
        assert!(is_refresh_key("r", false, false, false));
        assert!(is_refresh_key("R", false, false, false));
        assert!(
            !is_refresh_key("r", false, false, true),
            "typing an r in a field"
        );
        assert!(
            is_refresh_key("r", true, false, true),
            "Ctrl+R refreshes even in a field"
        );
        assert!(is_refresh_key("F5", false, false, true));
        assert!(
            !is_refresh_key("r", false, true, false),
            "Alt+R is not ours"
        );
        assert!(!is_refresh_key("t", false, false, false));
    }
}
