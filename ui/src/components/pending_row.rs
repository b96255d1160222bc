//! One order waiting for confirmation, with Confirm and Cancel (reason asked inline; Escape
//! closes the form and puts the focus back on Cancel). A newly arrived order is marked "New".
//! Buttons are disabled while the command runs; a failure shows the shell's message.
//! The row leaves the list when the core's next pending-orders snapshot arrives.
//!
//! Rows move when an order arrives above or leaves, or a banner comes above the list: a click
//! on a row that moved within the last 700 ms is ignored
//! ([`use_settled`]), so a double click on Confirm never confirms the order that slid under
//! the pointer. An action's error fades after [`ERROR_SHOWN`].
//!
//! An action queued in the outbox (the marketplace was unreachable) marks the row and says
//! so, with both buttons disabled, until it is sent (the row leaves) or rejected (the row
//! comes back as it was, the reason shown by the outbox notices).

use chrono::{DateTime, TimeDelta, Utc};
use sellerdash_api::OrderSummary;
use sellerdash_state::outbox::{ActionOutcome, OutboxAction, OutboxEntry};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::cancel_form::CancelForm;
use crate::hooks::use_settled;
use crate::{format, shell, time};

/// How long an action's error stays under the row.
const ERROR_SHOWN: TimeDelta = TimeDelta::seconds(15);

#[derive(Properties, PartialEq)]
pub struct PendingRowProps {
    pub order: OrderSummary,
    pub now: DateTime<Utc>,
    /// The order arrived while the seller was watching: marked "New", its background fading.
    #[prop_or_default]
    pub arrived: bool,
    /// Opens the order's details (the customer's name becomes a link); `None`: plain text.
    #[prop_or_default]
    pub on_open: Option<Callback<String>>,
    /// The seller's action on this order waiting in the outbox.
    #[prop_or_default]
    pub queued: Option<OutboxEntry>,
    /// An action was applied: what to tell the seller ("Confirmed Ann's order …"). The row
    /// itself leaves the list at once, so the page says it.
    #[prop_or_default]
    pub on_done: Callback<String>,
}

/// Where the seller's action on this row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Idle,
    Confirming,
    Confirmed,
    AskingReason,
    Cancelling,
    Cancelled,
}

#[component]
pub fn PendingRow(props: &PendingRowProps) -> Html {
    let action = use_state(|| RowAction::Idle);
    let error = use_state(|| None::<(String, DateTime<Utc>)>);
    let row = use_node_ref();
    let settled = use_settled(row.clone());
    let order = &props.order;

    let done_text = |verb: &str| format!("{verb} {}'s order {}", order.customer_name, order.id);
    let confirm = {
        let (action, error, id) = (action.clone(), error.clone(), order.id.clone());
        let (on_done, text) = (props.on_done.clone(), done_text("Confirmed"));
        let settled = settled.clone();
        Callback::from(move |_: MouseEvent| {
            if !settled.check() {
                return;
            }
            let (action, error, id) = (action.clone(), error.clone(), id.clone());
            let (on_done, text) = (on_done.clone(), text.clone());
            action.set(RowAction::Confirming);
            error.set(None);
            spawn_local(async move {
                match shell::confirm_order(&id).await {
                    Ok(ActionOutcome::Applied { .. }) => {
                        on_done.emit(text);
                        action.set(RowAction::Confirmed);
                    }
                    // Shown from the outbox until it is sent.
                    Ok(ActionOutcome::Queued { .. }) => action.set(RowAction::Idle),
                    Err(err) => {
                        error.set(Some((err.message, time::now())));
                        action.set(RowAction::Idle);
                    }
                }
            });
        })
    };
    let ask_reason = {
        let (action, error) = (action.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            if !settled.check() {
                return;
            }
            error.set(None);
            action.set(RowAction::AskingReason);
        })
    };
    let cancel_button = use_node_ref();
    let refocus = use_mut_ref(|| false);
    {
        let (cancel_button, refocus) = (cancel_button.clone(), refocus.clone());
        use_effect_with(*action, move |action| {
            if *action == RowAction::Idle
                && refocus.replace(false)
                && let Some(button) = cancel_button.cast::<web_sys::HtmlElement>()
            {
                // Focus failing only leaves it where it was.
                let _ = button.focus();
            }
        });
    }
    let close_form = {
        let action = action.clone();
        let refocus = refocus.clone();
        Callback::from(move |()| {
            *refocus.borrow_mut() = true;
            action.set(RowAction::Idle);
        })
    };
    let cancel = {
        let (action, error, id) = (action.clone(), error.clone(), order.id.clone());
        let (on_done, text) = (props.on_done.clone(), done_text("Cancelled"));
        Callback::from(move |reason: String| {
            let (action, error, id) = (action.clone(), error.clone(), id.clone());
            let (on_done, text) = (on_done.clone(), text.clone());
            action.set(RowAction::Cancelling);
            error.set(None);
            spawn_local(async move {
                match shell::cancel_order(&id, &reason).await {
                    Ok(ActionOutcome::Applied { .. }) => {
                        on_done.emit(text);
                        action.set(RowAction::Cancelled);
                    }
                    Ok(ActionOutcome::Queued { .. }) => action.set(RowAction::Idle),
                    Err(err) => {
                        error.set(Some((err.message, time::now())));
                        action.set(RowAction::AskingReason);
                    }
                }
            });
        })
    };

    let queued = props.queued.as_ref();
    let busy = matches!(*action, RowAction::Confirming | RowAction::Cancelling) || queued.is_some();
    let done = matches!(*action, RowAction::Confirmed | RowAction::Cancelled);
    let asking = matches!(*action, RowAction::AskingReason | RowAction::Cancelling);
    let placed = format!("placed {} ago", time::age(order.created_at, props.now));
    let placed_title = format!("Placed at {}", time::local_hh_mm(order.created_at));

    html! {
        <li ref={row} class={classes!("order", done.then_some("done"), props.arrived.then_some("arrived"),
                queued.is_some().then_some("queued"))}
            data-testid="pending-order" data-order-id={order.id.clone()}
            data-new={props.arrived.to_string()}
            data-queued={queued.map(|q| q.action.verb())}>
            <div class="order-line">
                // The whole name-and-details block opens the order (the name is the keyboard's
                // way in); the buttons beside it do not.
                <div class={classes!("order-who", props.on_open.is_some().then_some("opens"))}
                    onclick={props.on_open.clone().map(|on_open| {
                        let id = order.id.clone();
                        Callback::from(move |_: MouseEvent| on_open.emit(id.clone()))
                    })}>
                    <span class="customer">
                        if props.on_open.is_some() {
                            // The block's click opens it; a click here bubbles there.
                            <button type="button" class="link customer-link" data-testid="pending-open"
                                aria-describedby={format!("meta-{}", order.id)}>
                                {order.customer_name.clone()}
                            </button>
                        } else {
                            {order.customer_name.clone()}
                        }
                        if props.arrived {
                            <span class="new-tag" data-testid="new-tag">{"New"}</span>
                        }
                    </span>
                    <span class="order-meta" id={format!("meta-{}", order.id)}>
                        <span class="order-id">{order.id.clone()}</span>
                        {" · "}{format::plural(u64::from(order.item_count), "item", "items")}
                        {" · "}<span title={placed_title}>{placed}</span>
                    </span>
                </div>
                <div class="order-total">{order.total.to_string()}</div>
                <div class="order-actions">
                    {match *action {
                        RowAction::Confirmed => html! {
                            <span class="done-tag ok" role="status">{"Confirmed"}</span>
                        },
                        RowAction::Cancelled => html! {
                            <span class="done-tag" role="status">{"Cancelled"}</span>
                        },
                        _ => html! {
                            <>
                                <button type="button" class="btn btn-primary" data-testid="confirm"
                                    disabled={busy || asking} onclick={confirm}>
                                    {if *action == RowAction::Confirming { "Confirming…" } else { "Confirm" }}
                                </button>
                                <button type="button" class="btn btn-ghost" data-testid="cancel"
                                    ref={cancel_button.clone()} disabled={busy || asking} onclick={ask_reason}>
                                    {"Cancel"}
                                </button>
                            </>
                        },
                    }}
                </div>
            </div>
            if let Some(entry) = queued {
                <p class="queued-note" data-testid="queued-note" role="status"
                    title={queued_title(entry)}>
                    {entry.queued_text()}
                </p>
            }
            if asking && queued.is_none() {
                <CancelForm order_id={order.id.clone()} busy={busy}
                    on_submit={cancel} on_close={close_form} />
            }
            if let Some((message, at)) = &*error {
                if props.now - *at < ERROR_SHOWN {
                    <p class="inline-error" role="alert">{format::sentence(message)}</p>
                }
            }
        </li>
    }
}

/// "Queued at 14:02 · tried 3 times: the marketplace is not answering".
pub fn queued_title(entry: &OutboxEntry) -> String {
    let what = match &entry.action {
        OutboxAction::Confirm => "Confirmation".to_owned(),
        OutboxAction::Cancel { reason } => format!("Cancellation (\"{reason}\")"),
    };
    let mut title = format!("{what} queued at {}", time::local_hh_mm(entry.created_at));
    if let Some(error) = &entry.error {
        title.push_str(&format!(" · last try: {error}"));
    }
    title
}
