//! Revenue per month for the last twelve months as a small inline SVG bar chart, with the
//! month-over-month growth. Bar heights are integer arithmetic on minor units.

use std::rc::Rc;

use sellerdash_api::MonthlyPoint;
use yew::prelude::*;

use crate::format;

const WIDTH: i64 = 600;
const PLOT_TOP: i64 = 8;
const PLOT_HEIGHT: i64 = 136;
const BASELINE: i64 = PLOT_TOP + PLOT_HEIGHT;
const HEIGHT: i64 = BASELINE + 24;

#[derive(Properties, PartialEq)]
pub struct RevenueChartProps {
    /// Oldest first, the current month last.
    pub months: Rc<Vec<MonthlyPoint>>,
    /// Current month against the previous one, in basis points.
    pub growth_bp: Option<i64>,
}

/// The bar's height in SVG units for `amount` when the tallest bar is `max`.
fn bar_height(amount: i64, max: i64) -> i64 {
    if amount <= 0 || max <= 0 {
        return 0;
    }
    let scaled = i128::from(amount) * i128::from(PLOT_HEIGHT) / i128::from(max);
    i64::try_from(scaled).unwrap_or(PLOT_HEIGHT).max(2)
}

#[component]
pub fn RevenueChart(props: &RevenueChartProps) -> Html {
    let months = &props.months;
    let max = months
        .iter()
        .map(|m| m.revenue.amount_minor)
        .max()
        .unwrap_or(0);
    let slots = i64::try_from(months.len()).unwrap_or(1).max(1);
    let slot = WIDTH / slots;
    let bar_width = slot * 3 / 5;
    let last = months.len().saturating_sub(1);
    let growth = match props.growth_bp {
        Some(bp) => html! {
            <span class={classes!("growth", if bp < 0 { "down" } else { "up" })}>
                {format::growth(bp)}
                <span class="muted">{" vs the same days last month"}</span>
            </span>
        },
        None => {
            html! { <span class="growth muted">{"No revenue in the same days last month to compare"}</span> }
        }
    };
    let this_month = months.last().map(|point| {
        html! {
            <p class="chart-figure">
                <strong>{point.revenue.to_string()}</strong>
                <span class="muted">
                    {format!(" in {} · {}", format::month_short(point.month),
                        format::plural(point.orders, "order", "orders"))}
                </span>
            </p>
        }
    });
    let bars = months.iter().enumerate().map(|(i, point)| {
        let x = i64::try_from(i).unwrap_or(0) * slot + (slot - bar_width) / 2;
        let height = bar_height(point.revenue.amount_minor, max);
        let label = format!(
            "{} {}: {} · {}",
            format::month_short(point.month),
            point.year,
            point.revenue,
            format::plural(point.orders, "order", "orders"),
        );
        html! {
            <g class={classes!("bar", (i == last).then_some("current"))}>
                <title>{label}</title>
                <rect x={x.to_string()} y={(BASELINE - height).to_string()}
                    width={bar_width.to_string()} height={height.to_string()} rx="3" />
                <text x={(x + bar_width / 2).to_string()} y={(HEIGHT - 6).to_string()}
                    text-anchor="middle">
                    {format::month_short(point.month)}
                </text>
            </g>
        }
    });
    html! {
        <section class="card chart-card" aria-labelledby="revenue-title">
            <div class="card-head">
                <h2 id="revenue-title">{"Revenue by month"}</h2>
                {growth}
            </div>
            {for this_month}
            if months.is_empty() {
                <p class="muted">{"No monthly figures yet."}</p>
            } else {
                <svg class="chart" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                    aria-label="Revenue for the last twelve months">
                    <line class="axis" x1="0" x2={WIDTH.to_string()}
                        y1={BASELINE.to_string()} y2={BASELINE.to_string()} />
                    {for bars}
                </svg>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_tallest() {
        assert_eq!(bar_height(100, 100), PLOT_HEIGHT);
        assert_eq!(bar_height(50, 100), PLOT_HEIGHT / 2);
        assert_eq!(bar_height(0, 100), 0);
        assert_eq!(bar_height(1, i64::MAX), 2);
        assert_eq!(bar_height(i64::MAX, i64::MAX), PLOT_HEIGHT);
    }
}
