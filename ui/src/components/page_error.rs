//! The page's error banner: the last error, and whether older data is still shown.

use std::rc::Rc;

use sellerdash_state::QuerySnapshot;
use yew::prelude::*;

use crate::{format, time};

#[derive(Properties, PartialEq)]
pub struct PageErrorProps {
    pub message: String,
    pub snapshot: Option<Rc<QuerySnapshot>>,
    /// True when the page still shows the last good data below the banner.
    pub has_data: bool,
    #[prop_or(AttrValue::Static("page-error"))]
    pub testid: AttrValue,
}

#[component]
pub fn PageError(props: &PageErrorProps) -> Html {
    let detail = match props.snapshot.as_ref().and_then(|s| s.updated_at) {
        Some(at) if props.has_data => {
            format!("Showing the data from {}.", time::local_hh_mm(at))
        }
        _ => "Nothing to show yet.".to_owned(),
    };
    let retries = props
        .snapshot
        .as_ref()
        .map(|s| s.failure_count)
        .filter(|count| *count > 1)
        .map(|count| format!(" Failed {count} times in a row."));
    html! {
        <div class="banner banner-error" data-testid={props.testid.clone()} role="alert">
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M12 3 2 21h20L12 3zm0 6v5m0 3v.5" />
            </svg>
            <div>
                <strong>{format::sentence(&props.message)}</strong>
                <span class="banner-detail">{" "}{detail}{retries}</span>
            </div>
        </div>
    }
}
