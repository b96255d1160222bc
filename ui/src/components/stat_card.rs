//! One headline figure of the dashboard, optionally a link to a page.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatCardProps {
    pub label: AttrValue,
    pub value: AttrValue,
    /// A small line under the value.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The card's `data-testid`.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// When set, the card is a button that runs this (e.g. opens a page).
    #[prop_or_default]
    pub onclick: Option<Callback<MouseEvent>>,
    #[prop_or_default]
    pub accent: bool,
}

#[component]
pub fn StatCard(props: &StatCardProps) -> Html {
    /// Characters that fit a card at the full size and at the smaller one (at the narrowest
    /// the layout allows); longer still wraps.
    const FITS: usize = 12;
    const FITS_SMALLER: usize = 16;
    let chars = props.value.chars().count();
    let size = if chars > FITS_SMALLER {
        Some("longer")
    } else if chars > FITS {
        Some("long")
    } else {
        None
    };
    let body = html! {
        <>
            <span class="stat-label">{props.label.clone()}</span>
            <span class={classes!("stat-value", size)}>{props.value.clone()}</span>
            if let Some(hint) = &props.hint {
                <span class="stat-hint">{hint.clone()}</span>
            }
        </>
    };
    let class = classes!("stat", props.accent.then_some("accent"));
    match &props.onclick {
        Some(onclick) => html! {
            <button type="button" class={classes!(class, "stat-link")}
                data-testid={props.testid.clone()} onclick={onclick.clone()}>
                {body}
            </button>
        },
        None => html! {
            <div class={class} data-testid={props.testid.clone()}>{body}</div>
        },
    }
}
