//! "Updated 4 s ago": how old a query's data is, ticking every second, warning when stale
//! and saying so when the data comes from the on-disk cache.
//!
//! Staleness is `QuerySnapshot::is_stale` (exposed as `data-stale`). The visible warning
//! waits a short grace period beyond it: queries refetch on an interval equal to their stale
//! time, so without the grace a healthy query would flash "stale" before every refresh.

use std::rc::Rc;

use chrono::TimeDelta;
use sellerdash_state::QuerySnapshot;
use yew::prelude::*;

use crate::hooks::use_now;
use crate::time;

/// How long past its stale time data may be before the page warns about it.
const STALE_GRACE: TimeDelta = TimeDelta::seconds(2);

#[derive(Properties, PartialEq)]
pub struct DataAgeProps {
    pub snapshot: Option<Rc<QuerySnapshot>>,
    #[prop_or(AttrValue::Static("data-age"))]
    pub testid: AttrValue,
}

#[component]
pub fn DataAge(props: &DataAgeProps) -> Html {
    let now = use_now();
    let Some(snapshot) = &props.snapshot else {
        return html! { <span class="age" data-testid={props.testid.clone()}>{"Waiting for the app…"}</span> };
    };
    let Some(updated_at) = snapshot.updated_at else {
        let text = if snapshot.fetching {
            "Loading…"
        } else {
            "Not loaded yet"
        };
        return html! { <span class="age" data-testid={props.testid.clone()}>{text}</span> };
    };
    let stale = snapshot.is_stale(now);
    let warn = snapshot.is_stale(now - STALE_GRACE);
    let title = format!(
        "Fetched at {}; considered stale after {}",
        time::local_hh_mm(updated_at),
        time::duration_words(i64::try_from(snapshot.stale_after_ms / 1000).unwrap_or(i64::MAX)),
    );
    html! {
        <span class={classes!("age", warn.then_some("stale"))} data-testid={props.testid.clone()}
            data-stale={stale.to_string()} title={title}>
            if warn {
                <span class="warn-icon" aria-hidden="true">{"!"}</span>
                {"Stale · "}
            }
            {format!("Updated {} ago", time::age(updated_at, now))}
            if snapshot.from_cache {
                <span class="cache-tag">{"from cache"}</span>
            }
            if snapshot.fetching {
                <span class="spinner" aria-label="Refreshing"></span>
            }
        </span>
    }
}
