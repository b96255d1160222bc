//! The inline form that asks for the reason before an order is cancelled.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CancelFormProps {
    pub order_id: AttrValue,
    /// True while the cancellation is in flight.
    pub busy: bool,
    /// Called with the trimmed, non-empty reason.
    pub on_submit: Callback<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn CancelForm(props: &CancelFormProps) -> Html {
    let reason = use_state(String::new);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(element) = input.cast::<HtmlInputElement>() {
                // Focus failing only means the seller has to click; nothing to report.
                let _ = element.focus();
            }
        });
    }
    let trimmed = reason.trim().to_owned();
    let oninput = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let onsubmit = {
        let on_submit = props.on_submit.clone();
        let trimmed = trimmed.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !trimmed.is_empty() {
                on_submit.emit(trimmed.clone());
            }
        })
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let input_id = format!("cancel-reason-{}", props.order_id);
    html! {
        <form class="cancel-form" onsubmit={onsubmit} onkeydown={onkeydown}>
            <label for={input_id.clone()}>{"Reason for cancelling"}</label>
            <input id={input_id} ref={input} type="text" data-testid="cancel-reason"
                required=true maxlength="500" placeholder="e.g. Out of stock"
                value={(*reason).clone()} oninput={oninput} disabled={props.busy} />
            <button type="submit" class="btn btn-danger" data-testid="cancel-submit"
                disabled={props.busy || trimmed.is_empty()}>
                {if props.busy { "Cancelling…" } else { "Cancel order" }}
            </button>
            <button type="button" class="btn btn-ghost" onclick={close} disabled={props.busy}>
                {"Keep order"}
            </button>
        </form>
    }
}
