//! A small coloured status label (order, payment, delivery, payout and query statuses).

use yew::prelude::*;

use crate::format::Tone;

#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    pub label: AttrValue,
    pub tone: Tone,
    /// A longer explanation shown on hover.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// The machine value the badge stands for (`data-value`, e.g. a status' wire name).
    #[prop_or_default]
    pub value: Option<AttrValue>,
}

#[component]
pub fn Badge(props: &BadgeProps) -> Html {
    html! {
        <span class={classes!("badge", props.tone.class())} title={props.title.clone()}
            data-testid={props.testid.clone()} data-value={props.value.clone()}>
            {props.label.clone()}
        </span>
    }
}
