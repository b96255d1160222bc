//! A page's freshness controls: the data age and the Refresh button, side by side.

use std::rc::Rc;

use sellerdash_state::{QueryKey, QuerySnapshot};
use yew::prelude::*;

use super::data_age::DataAge;
use super::refresh_button::RefreshButton;

#[derive(Properties, PartialEq)]
pub struct QueryToolsProps {
    pub query: QueryKey,
    pub snapshot: Option<Rc<QuerySnapshot>>,
}

#[component]
pub fn QueryTools(props: &QueryToolsProps) -> Html {
    html! {
        <div class="page-tools">
            <DataAge snapshot={props.snapshot.clone()} />
            <RefreshButton query={props.query.clone()} />
        </div>
    }
}
