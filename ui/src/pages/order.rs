//! One order's details: its items and totals, payment, delivery with the carrier's tracking
//! events, the buyer's feedback, the order's own timeline, and Confirm / Cancel (with a
//! reason) when its status allows them.

use std::rc::Rc;

use chrono::{DateTime, Utc};
use sellerdash_api::{Order, OrderStatus};
use sellerdash_state::outbox::ActionOutcome;
use sellerdash_state::{ErrorKind, QueryKey, QuerySnapshot, QueryStatus};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::{Badge, CancelForm, QueryPage, queued_title};
use crate::format;
use crate::hooks::{
    order_opened_from, queued_for, use_app, use_now, use_outbox, use_query, use_settled,
};
use crate::state::{Action, Page};
use crate::{shell, time};

/// The marketplace answered that the order does not exist (for this seller).
pub fn is_not_found(snapshot: &QuerySnapshot) -> bool {
    snapshot.status == QueryStatus::Error
        && snapshot
            .last_error
            .as_ref()
            .is_some_and(|e| e.error.code == ErrorKind::NotFound)
}

#[derive(Properties, PartialEq)]
pub struct OrderDetailsPageProps {
    pub id: String,
}

#[component]
pub fn OrderDetailsPage(props: &OrderDetailsPageProps) -> Html {
    let query = use_query::<Order>(QueryKey::order(&props.id));
    let app = use_app();
    let return_to = use_state(|| order_opened_from(&props.id));
    let back_label = match *return_to {
        Page::Pending => "← Back to pending orders",
        Page::Dashboard => "← Back to the dashboard",
        _ => "← Back to sales",
    };
    let back = {
        let return_to = (*return_to).clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(app) = &app {
                app.dispatch(Action::Navigate(return_to.clone()));
            }
        })
    };
    let subtitle = match &query.data {
        Some(order) => format!(
            "{} · {}",
            order.customer.name,
            format::plural(
                order
                    .items
                    .iter()
                    .map(|item| u64::from(item.quantity))
                    .sum(),
                "item",
                "items"
            )
        ),
        None => "Order details".to_owned(),
    };
    // The marketplace says there is no such order (for this seller): a plain message
    // instead of an error banner that retries forever.
    let not_found = query.data.is_none() && query.snapshot.as_deref().is_some_and(is_not_found);
    let error = if not_found {
        None
    } else {
        query.error_message()
    };
    html! {
        <>
            <button type="button" class="link back" data-testid="order-back"
                onclick={back.clone()}>
                {back_label}
            </button>
            <QueryPage testid="order-page" title={format!("Order {}", props.id)}
                subtitle={subtitle} query={query.key.clone()} snapshot={query.snapshot.clone()}
                error={error} has_data={query.data.is_some()}>
                if let Some(order) = &query.data {
                    <OrderBody order={Rc::clone(order)} />
                } else if not_found {
                    <div class="card empty" data-testid="order-not-found" role="alert">
                        <p class="empty-title">{format!("No order {} in your shop", props.id)}</p>
                        <p class="muted">
                            {"The marketplace does not know this order id for your seller account. \
                              It may be mistyped, or belong to another shop."}
                        </p>
                        <button type="button" class="btn" data-testid="order-not-found-back"
                            onclick={back}>
                            {back_label.trim_start_matches("← ")}
                        </button>
                    </div>
                } else if query.is_loading() {
                    <div class="card list-skeleton" aria-busy="true" data-testid="order-loading">
                        <p class="muted">{"Loading the order…"}</p>
                    </div>
                }
            </QueryPage>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct OrderBodyProps {
    order: Rc<Order>,
}

#[component]
fn OrderBody(props: &OrderBodyProps) -> Html {
    let now = use_now();
    let order = &props.order;
    html! {
        <>
            <div class="order-summary card">
                <div class="order-status-line">
                    <span data-testid="order-status" data-status={order.status.as_str()}>
                        <Badge label={format::order_status(order.status)}
                            tone={format::order_status_tone(order.status)} />
                    </span>
                    <span class="muted">
                        {format!("Placed {} · updated {} ago",
                            time::local_moment(order.created_at, now),
                            time::age(order.updated_at, now))}
                    </span>
                </div>
                <OrderActions id={order.id.clone()} status={order.status}
                    updated_at={order.updated_at} />
                if let Some(reason) = &order.cancel_reason {
                    <p class="cancel-reason" data-testid="order-cancel-reason">
                        <strong>{"Cancelled: "}</strong>{reason.clone()}
                    </p>
                }
            </div>
            <div class="panels">
                <Items order={Rc::clone(order)} />
                <div class="side">
                    <section class="card" aria-labelledby="customer-title"
                        data-testid="order-customer">
                        <div class="card-head"><h2 id="customer-title">{"Customer"}</h2></div>
                        <p class="strong">{order.customer.name.clone()}</p>
                        <p class="muted">{order.customer.email.clone()}</p>
                        <p class="muted">
                            {format!("{}, {}", order.customer.city, order.customer.country)}
                        </p>
                    </section>
                    <section class="card" aria-labelledby="payment-title">
                        <div class="card-head">
                            <h2 id="payment-title">{"Payment"}</h2>
                            <Badge label={format::payment_status(order.payment.status)}
                                tone={format::payment_status_tone(order.payment.status)}
                                testid="order-payment"
                                value={wire_name(&order.payment.status)} />
                        </div>
                        <dl class="facts">
                            <dt>{"Method"}</dt>
                            <dd data-testid="order-payment-method"
                                data-method={wire_name(&order.payment.method)}>
                                {format::payment_method(order.payment.method)}
                            </dd>
                            if let Some(paid_at) = order.payment.paid_at {
                                <dt>{"Paid"}</dt>
                                <dd data-testid="order-paid-at" data-at={paid_at.to_rfc3339()}>
                                    {time::local_moment(paid_at, now)}
                                </dd>
                            }
                        </dl>
                    </section>
                    <Delivery order={Rc::clone(order)} now={now} />
                    <FeedbackCard order={Rc::clone(order)} now={now} />
                    <History order={Rc::clone(order)} now={now} />
                </div>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct OrderPartProps {
    order: Rc<Order>,
    #[prop_or_default]
    now: DateTime<Utc>,
}

#[component]
fn Items(props: &OrderPartProps) -> Html {
    let order = &props.order;
    let rows = order.items.iter().map(|item| {
        html! {
            <tr key={item.product_id.clone()} data-testid="order-item"
                data-product-id={item.product_id.clone()}>
                <td class="name" title={item.name.clone()}>
                    {item.name.clone()}
                    <span class="sku">{item.sku.clone()}</span>
                </td>
                <td class="num">
                    {format!("{} × {}", item.unit_price, format::count(u64::from(item.quantity)))}
                </td>
                <td class="num strong" data-testid="order-item-total">
                    {item.line_total.to_string()}
                </td>
            </tr>
        }
    });
    html! {
        <section class="card" aria-labelledby="items-title">
            <div class="card-head"><h2 id="items-title">{"Items"}</h2></div>
            <table class="table">
                <thead>
                    <tr>
                        <th>{"Product"}</th>
                        <th class="num">{"Unit price × qty"}</th>
                        <th class="num">{"Line total"}</th>
                    </tr>
                </thead>
                <tbody>{for rows}</tbody>
            </table>
            <dl class="totals">
                <dt>{"Subtotal"}</dt>
                <dd data-testid="order-subtotal">{order.subtotal.to_string()}</dd>
                <dt>{"Shipping"}</dt>
                <dd data-testid="order-shipping">{order.shipping.to_string()}</dd>
                <dt class="grand">{"Total"}</dt>
                <dd class="grand" data-testid="order-total">{order.total.to_string()}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Delivery(props: &OrderPartProps) -> Html {
    let delivery = &props.order.delivery;
    let events = delivery.events.iter().rev().map(|event| {
        html! {
            <li data-testid="order-tracking-event" data-at={event.at.to_rfc3339()}>
                <span class="when">{time::local_moment(event.at, props.now)}</span>
                <span class="what">
                    <strong>{format::delivery_status(event.status)}</strong>
                    {" · "}{event.description.clone()}
                </span>
            </li>
        }
    });
    html! {
        <section class="card" aria-labelledby="delivery-title">
            <div class="card-head">
                <h2 id="delivery-title">{"Delivery"}</h2>
                <Badge label={format::delivery_status(delivery.status)}
                    tone={format::delivery_status_tone(delivery.status)}
                    testid="order-delivery" value={wire_name(&delivery.status)} />
            </div>
            <dl class="facts">
                <dt>{"Carrier"}</dt>
                <dd data-testid="order-carrier">
                    {delivery.carrier.clone().unwrap_or_else(|| "—".to_owned())}
                </dd>
                <dt>{"Tracking"}</dt>
                <dd class={classes!(delivery.tracking_number.is_some().then_some("order-id"))}
                    data-testid="order-tracking">
                    {delivery.tracking_number.clone().unwrap_or_else(|| "—".to_owned())}
                </dd>
            </dl>
            if delivery.events.is_empty() {
                <p class="muted">{"No tracking events yet."}</p>
            } else {
                <ol class="timeline" data-testid="order-tracking-events"
                    aria-label="Tracking events, newest first">
                    {for events}
                </ol>
            }
        </section>
    }
}

#[component]
fn FeedbackCard(props: &OrderPartProps) -> Html {
    html! {
        <section class="card" aria-labelledby="feedback-title">
            <div class="card-head"><h2 id="feedback-title">{"Customer feedback"}</h2></div>
            if let Some(feedback) = &props.order.feedback {
                <p class="stars" data-testid="order-feedback"
                    data-rating={feedback.rating.to_string()}
                    aria-label={format!("{} out of 5 stars", feedback.rating.min(5))}>
                    {format::stars(feedback.rating)}
                </p>
                if !feedback.comment.is_empty() {
                    <blockquote class="comment" data-testid="order-feedback-comment">{feedback.comment.clone()}</blockquote>
                }
                <p class="muted small">{time::local_moment(feedback.created_at, props.now)}</p>
            } else {
                <p class="muted">{"No feedback yet."}</p>
            }
        </section>
    }
}

#[component]
fn History(props: &OrderPartProps) -> Html {
    let entries = props.order.timeline.iter().rev().map(|entry| {
        html! {
            <li data-testid="order-timeline-entry" data-status={entry.status.as_str()}
                data-at={entry.at.to_rfc3339()}>
                <span class="when">{time::local_moment(entry.at, props.now)}</span>
                <span class="what">
                    <strong>{format::order_status(entry.status)}</strong>
                    if let Some(note) = &entry.note {
                        {" · "}{note.clone()}
                    }
                </span>
            </li>
        }
    });
    html! {
        <section class="card" aria-labelledby="history-title">
            <div class="card-head"><h2 id="history-title">{"Order history"}</h2></div>
            if props.order.timeline.is_empty() {
                <p class="muted">{"No history yet."}</p>
            } else {
                <ol class="timeline" data-testid="order-timeline"
                    aria-label="Status changes, newest first">
                    {for entries}
                </ol>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OrderActionsProps {
    id: String,
    status: OrderStatus,
    /// The order's last change on the server; a new one resets the buttons.
    updated_at: DateTime<Utc>,
}

/// Where the seller's action on this order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Idle,
    Confirming,
    AskingReason,
    Cancelling,
    /// Sent; waiting for the order's next snapshot to show the new status.
    Sent,
}

/// Confirm and Cancel, shown only when the status allows them. A changed order (the next
/// snapshot after the command) resets the buttons.
#[component]
fn OrderActions(props: &OrderActionsProps) -> Html {
    let step = use_state(|| Step::Idle);
    let error = use_state(|| None::<String>);
    let outbox = use_outbox();
    // A banner coming above moves the buttons: a click they did not stay put for is ignored.
    let card = use_node_ref();
    let settled = use_settled(card.clone());
    {
        let step = step.clone();
        use_effect_with((props.status, props.updated_at), move |_| {
            step.set(Step::Idle)
        });
    }
    let can_confirm = props.status.can_confirm();
    let can_cancel = props.status.can_cancel();
    if !can_confirm && !can_cancel {
        return html! {};
    }
    let confirm = {
        let (step, error, id) = (step.clone(), error.clone(), props.id.clone());
        let settled = settled.clone();
        Callback::from(move |_: MouseEvent| {
            if !settled.check() {
                return;
            }
            let (step, error, id) = (step.clone(), error.clone(), id.clone());
            step.set(Step::Confirming);
            error.set(None);
            spawn_local(async move {
                match shell::confirm_order(&id).await {
                    Ok(ActionOutcome::Applied { .. }) => step.set(Step::Sent),
                    // Shown from the outbox until it is sent.
                    Ok(ActionOutcome::Queued { .. }) => step.set(Step::Idle),
                    Err(err) => {
                        error.set(Some(err.message));
                        step.set(Step::Idle);
                    }
                }
            });
        })
    };
    let ask_reason = {
        let (step, error) = (step.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            if !settled.check() {
                return;
            }
            error.set(None);
            step.set(Step::AskingReason);
        })
    };
    let close_form = {
        let step = step.clone();
        Callback::from(move |()| step.set(Step::Idle))
    };
    let cancel = {
        let (step, error, id) = (step.clone(), error.clone(), props.id.clone());
        Callback::from(move |reason: String| {
            let (step, error, id) = (step.clone(), error.clone(), id.clone());
            step.set(Step::Cancelling);
            error.set(None);
            spawn_local(async move {
                match shell::cancel_order(&id, &reason).await {
                    Ok(ActionOutcome::Applied { .. }) => step.set(Step::Sent),
                    Ok(ActionOutcome::Queued { .. }) => step.set(Step::Idle),
                    Err(err) => {
                        error.set(Some(err.message));
                        step.set(Step::AskingReason);
                    }
                }
            });
        })
    };
    let queued = queued_for(&outbox, &props.id);
    let busy =
        matches!(*step, Step::Confirming | Step::Cancelling | Step::Sent) || queued.is_some();
    let asking = matches!(*step, Step::AskingReason | Step::Cancelling) && queued.is_none();
    html! {
        <div ref={card} class={classes!("order-detail-actions", queued.is_some().then_some("queued"))}
            data-queued={queued.map(|q| q.action.verb())}>
            if let Some(entry) = queued {
                <p class="queued-note" data-testid="order-queued-note" role="status"
                    title={queued_title(entry)}>
                    {entry.queued_text()}
                </p>
            }
            <div class="order-actions">
                if *step == Step::Sent {
                    <span class="done-tag" role="status">{"Sent · updating…"}</span>
                }
                if can_confirm {
                    <button type="button" class="btn btn-primary" data-testid="order-confirm"
                        disabled={busy || asking} onclick={confirm}>
                        {if *step == Step::Confirming { "Confirming…" } else { "Confirm order" }}
                    </button>
                }
                if can_cancel {
                    <button type="button" class="btn btn-ghost" data-testid="order-cancel"
                        disabled={busy || asking} onclick={ask_reason}>
                        {"Cancel order"}
                    </button>
                }
            </div>
            if asking {
                <CancelForm order_id={props.id.clone()} busy={*step == Step::Cancelling}
                    on_submit={cancel} on_close={close_form} />
            }
            if let Some(message) = &*error {
                <p class="inline-error" role="alert">{format::sentence(message)}</p>
            }
        </div>
    }
}

/// A contract enum's wire name (`"card"`), for `data-*` attributes tests compare with the API.
fn wire_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_state::{AppError, QueryError};

    fn failed(code: ErrorKind) -> QuerySnapshot {
        QuerySnapshot {
            status: QueryStatus::Error,
            last_error: Some(QueryError {
                error: AppError::new(code, "no order \"o-x\""),
                at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            }),
            failure_count: 1,
            ..QuerySnapshot::empty(QueryKey::order("o-x"), 2_000)
        }
    }

    #[test]
    fn only_a_not_found_answer_is_an_unknown_order() {
        assert!(is_not_found(&failed(ErrorKind::NotFound)));
        assert!(
            !is_not_found(&failed(ErrorKind::Network)),
            "an outage is not a missing order"
        );
        assert!(!is_not_found(&QuerySnapshot::empty(
            QueryKey::order("o-x"),
            2_000
        )));
    }
}
