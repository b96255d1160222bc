//! The frame every query-backed page shares: its title and subtitle, the data age and the
//! Refresh button (with anything else the page puts beside them), and the error banner that
//! keeps the last data on screen below it.

use std::rc::Rc;

use sellerdash_state::{QueryKey, QuerySnapshot};
use yew::prelude::*;

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
            {props.children.clone()}
        </section>
    }
}
