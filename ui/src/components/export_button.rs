//! "Export CSV": asks the shell to save what the page shows (every page of it) as a CSV file
//! and says where it went ("Saved 1,234 orders to …") or why it could not.

use sellerdash_api::OrderStatus;
use sellerdash_state::{AppError, SavedExport};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::{format, shell};

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportRequest {
    /// Every order with these statuses (empty: all) matching the search (blank: all).
    Sales {
        statuses: Vec<OrderStatus>,
        search: String,
    },
    /// Payouts of one month of one year, one year, or all of them.
    Payouts {
        month: Option<u32>,
        year: Option<i32>,
    },
}

impl ExportRequest {
    fn nouns(&self) -> (&'static str, &'static str) {
        match self {
            Self::Sales { .. } => ("order", "orders"),
            Self::Payouts { .. } => ("payout", "payouts"),
        }
    }

    async fn run(self) -> Result<SavedExport, AppError> {
        match self {
            Self::Sales { statuses, search } => shell::export_sales_csv(&statuses, &search).await,
            Self::Payouts { month, year } => shell::export_payouts_csv(month, year).await,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportButtonProps {
    pub request: ExportRequest,
    /// The button's `data-testid`; the outcome line is `export-result` / `export-error`.
    pub testid: AttrValue,
    /// The button's tooltip.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Idle,
    Running,
    Saved(SavedExport),
    Failed(String),
}

#[component]
pub fn ExportButton(props: &ExportButtonProps) -> Html {
    let outcome = use_state(|| Outcome::Idle);
    let onclick = {
        let (outcome, request) = (outcome.clone(), props.request.clone());
        Callback::from(move |_: MouseEvent| {
            if *outcome == Outcome::Running {
                return;
            }
            outcome.set(Outcome::Running);
            let (outcome, request) = (outcome.clone(), request.clone());
            spawn_local(async move {
                outcome.set(match request.run().await {
                    Ok(saved) => Outcome::Saved(saved),
                    Err(error) => Outcome::Failed(error.message),
                });
            });
        })
    };
    let (one, many) = props.request.nouns();
    let running = *outcome == Outcome::Running;
    let message = match &*outcome {
        Outcome::Idle | Outcome::Running => html! {},
        Outcome::Saved(saved) => html! {
            <span class="export-note ok" data-testid="export-result" data-path={saved.path.clone()}
                data-rows={saved.rows.to_string()} title={saved.path.clone()}>
                {format!("Saved {} to {}", format::plural(saved.rows, one, many), saved.path)}
            </span>
        },
        Outcome::Failed(message) => html! {
            <span class="export-note error" data-testid="export-error">
                {format!("Export failed: {message}")}
            </span>
        },
    };
    html! {
        <div class="export" role="status" aria-live="polite">
            <button type="button" class="btn" data-testid={props.testid.clone()}
                disabled={running} aria-busy={running.to_string()} title={props.title.clone()}
                onclick={onclick}>
                {if running { "Exporting…" } else { "Export CSV" }}
            </button>
            {message}
        </div>
    }
}
