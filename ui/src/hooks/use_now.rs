//! `use_now`: the current time, re-rendering the component once a second so ages
//! ("updated 4 s ago") and countdowns ("retrying in 3 s") stay current.

use chrono::{DateTime, Utc};
use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::time;

/// The current time, refreshed every second while the component is mounted.
#[hook]
pub fn use_now() -> DateTime<Utc> {
    let now = use_state(time::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let ticker = Interval::new(1_000, move || now.set(time::now()));
            move || drop(ticker)
        });
    }
    *now
}
