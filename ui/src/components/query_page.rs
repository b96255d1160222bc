//! The frame every query-backed page shares: its title and subtitle, the data age and the
//! Refresh button (with anything else the page puts beside them), the error banner that
//! keeps the last data on screen below it, and, for a page with nothing to show while the
//! marketplace is known to be unreachable, why it waits (rather than a spinner that never
//! explains itself).

use std::rc::Rc;

use sellerdash_state::{Connectivity, QueryKey, QuerySnapshot};
use yew::prelude::*;

use crate::hooks::{ConnectivityState, use_connectivity};

use super::data_age::DataAge;
use super::page_error::PageError;
use super::refresh_button::RefreshButton;

#[derive(Properties, PartialEq)]
pub struct QueryPageProps {
    /// The page root's `data-testid`.
    pub testid: AttrValue,
    pub title: AttrValue,
    pub subtitle: AttrValue,
    /// The query the page shows (its Refresh refetches it).
    pub query: QueryKey,
    pub snapshot: Option<Rc<QuerySnapshot>>,
    /// The error banner's message, if the query or the shell failed.
    pub error: Option<String>,
    /// True when the page shows data (the banner then says it is the last good data).
    pub has_data: bool,
    /// More queries the page shows; Refresh refetches them too.
    #[prop_or_default]
    pub also_refresh: Vec<QueryKey>,
    /// Shown before the data age (e.g. the refresh interval).
    #[prop_or_default]
    pub tools: Html,
    /// The page's body.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn QueryPage(props: &QueryPageProps) -> Html {
    let queries: Vec<QueryKey> = std::iter::once(props.query.clone())
        .chain(props.also_refresh.iter().cloned())
        .collect();
    let connectivity = use_connectivity();
    let waiting = match &connectivity {
        _ if props.has_data || props.error.is_some() => None,
        ConnectivityState::Known(Connectivity::Offline { reason, .. }) => Some(reason.clone()),
        ConnectivityState::Known(Connectivity::Unauthorized { .. }) => {
            Some("the marketplace refused the seller token (see Settings)".to_owned())
        }
        _ => None,
    };
    html! {
        <section class="page" data-testid={props.testid.clone()} aria-labelledby="page-title">
            <div class="page-head">
                <div>
                    <h1 id="page-title">{props.title.clone()}</h1>
                    <p class="subtitle">{props.subtitle.clone()}</p>
                </div>
                <div class="page-tools">
                    {props.tools.clone()}
                    <DataAge snapshot={props.snapshot.clone()} />
                    <RefreshButton queries={queries} />
                </div>
            </div>
            if let Some(message) = &props.error {
                <PageError message={message.clone()} snapshot={props.snapshot.clone()}
                    has_data={props.has_data} />
            }
            if let Some(reason) = waiting {
                <div class="banner banner-warn" data-testid="page-waiting" role="status">
                    <div>
                        <strong>{"Not loaded yet: "}{reason}{"."}</strong>
                        <span class="banner-detail">
                            {" This page fills in as soon as the marketplace answers."}
                        </span>
                    </div>
                </div>
            }
            {props.children.clone()}
        </section>
    }
}
