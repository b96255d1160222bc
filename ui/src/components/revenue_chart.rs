//! Revenue over the dashboard's period as a small inline SVG bar chart: one bar per hour of
//! the store's day, per store day or per month, with the period's total and its change
//! against the previous period. Bar heights are integer arithmetic on minor units; every bar
//! names its bucket and its amount in a tooltip. Buckets are labelled with the store's wall
//! clock as the server reports it, so the chart needs no time-zone database.

use std::rc::Rc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use sellerdash_api::{Currency, DashboardStats, Money, Period, RevenuePoint};
use yew::prelude::*;

use crate::{format, time};

const WIDTH: i64 = 600;
/// Room on the left for the scale's amounts.
const PLOT_LEFT: i64 = 76;
const PLOT_TOP: i64 = 10;
const PLOT_HEIGHT: i64 = 136;
const BASELINE: i64 = PLOT_TOP + PLOT_HEIGHT;
const HEIGHT: i64 = BASELINE + 24;

#[derive(Properties, PartialEq)]
pub struct RevenueChartProps {
    pub stats: Rc<DashboardStats>,
}

/// The bar's height in SVG units for `amount` when the tallest bar is `max`.
fn bar_height(amount: i64, max: i64) -> i64 {
    if amount <= 0 || max <= 0 {
        return 0;
    }
    let scaled = i128::from(amount) * i128::from(PLOT_HEIGHT) / i128::from(max);
    i64::try_from(scaled).unwrap_or(PLOT_HEIGHT).max(2)
}

/// The scale's top: the smallest 1, 2 or 5 × 10ⁿ whole major units at or above `max`
/// minor units (`max` itself when that would overflow), so its labels read as round amounts.
fn nice_top(max: i64, currency: Currency) -> i64 {
    let unit = 10_i64.pow(currency.minor_digits());
    let mut step = unit;
    loop {
        for factor in [1, 2, 5] {
            match step.checked_mul(factor) {
                Some(top) if top >= max => return top,
                Some(_) => {}
                None => return max,
            }
        }
        match step.checked_mul(10) {
            Some(next) => step = next,
            None => return max,
        }
    }
}

/// A round scale amount without its zero decimals, millions and billions short so the label
/// fits beside the plot: `"€15,000"`, `"¥500"`, `"KWD 20"`, `"€20 M"`, `"€5 bn"`.
fn scale_label(amount: Money) -> String {
    let text = amount.to_string();
    let whole = match text.rsplit_once('.') {
        Some((whole, decimals)) if decimals.chars().all(|c| c == '0') => whole,
        _ => return text,
    };
    for (zeros, short) in [(",000,000,000", " bn"), (",000,000", " M")] {
        if let Some(head) = whole.strip_suffix(zeros) {
            return format!("{head}{short}");
        }
    }
    whole.to_owned()
}

/// What the previous period is called after "vs".
pub fn previous_name(period: Period) -> &'static str {
    match period {
        Period::Today => "yesterday at this time",
        Period::Days7 => "previous 7 days",
        Period::Days30 => "previous 30 days",
        Period::Months12 => "previous 12 months",
    }
}

/// When the previous period's revenue was made, after an amount: `"€12.00 yesterday by this
/// time"`, `"no revenue in the previous 7 days"`.
pub fn previous_when(period: Period) -> &'static str {
    match period {
        Period::Today => "yesterday by this time",
        Period::Days7 => "in the previous 7 days",
        Period::Days30 => "in the previous 30 days",
        Period::Months12 => "in the previous 12 months",
    }
}

/// The bucket's name in its tooltip: `"Sun 29 Mar, 14:00 – 15:00"`, `"Sun 29 Mar 2026"`,
/// `"March 2026"`.
pub fn bucket_name(period: Period, start: NaiveDateTime) -> String {
    match period {
        Period::Today => {
            let next = (start.hour() + 1) % 24;
            format!(
                "{}, {:02}:00 – {next:02}:00",
                format::short_date(start.date()),
                start.hour()
            )
        }
        Period::Days7 | Period::Days30 => format::date(start.date()),
        Period::Months12 => format!("{} {}", format::month_long(start.month()), start.year()),
    }
}

/// The axis label under bucket `index` of `count`, if that bucket gets one: every sixth
/// hour, every day of a week, every seventh day of 30 counted back from today, every month.
pub fn axis_label(
    period: Period,
    start: NaiveDateTime,
    index: usize,
    count: usize,
) -> Option<String> {
    match period {
        Period::Today => (start.hour().is_multiple_of(6) && start.minute() == 0)
            .then(|| format!("{:02}:00", start.hour())),
        Period::Days7 => Some(start.format("%a %-d").to_string()),
        Period::Days30 => (count.saturating_sub(index + 1).is_multiple_of(7))
            .then(|| start.format("%-d %b").to_string()),
        Period::Months12 => Some(if start.month() == 1 {
            format!("{} ’{:02}", format::month_short(1), start.year() % 100)
        } else {
            format::month_short(start.month()).to_owned()
        }),
    }
}

/// What the chart is, for a screen reader.
fn chart_label(period: Period, time_zone: &str) -> String {
    let what = match period {
        Period::Today => "Revenue per hour today",
        Period::Days7 => "Revenue per day, last 7 days",
        Period::Days30 => "Revenue per day, last 30 days",
        Period::Months12 => "Revenue per month, last 12 months",
    };
    format!("{what} ({time_zone} time)")
}

/// The index of the bucket holding the moment the figures were made (the last one that has
/// begun), for the highlight; later buckets (the rest of today) are still to come.
fn current_index(stats: &DashboardStats) -> Option<usize> {
    stats
        .series
        .iter()
        .rposition(|point| point.start <= stats.generated_at)
}

#[component]
pub fn RevenueChart(props: &RevenueChartProps) -> Html {
    let stats = &props.stats;
    let period = stats.period;
    let currency = stats.revenue.currency;
    let series: &[RevenuePoint] = &stats.series;
    let highest = series
        .iter()
        .map(|p| p.revenue.amount_minor)
        .max()
        .unwrap_or(0);
    let max = if highest > 0 {
        nice_top(highest, currency)
    } else {
        0
    };
    let change = match stats.change_bp {
        Some(bp) => html! {
            <span class={classes!("growth", if bp < 0 { "down" } else { "up" })}
                data-testid="revenue-change"
                title={format!("{} {}", stats.previous_revenue, previous_when(period))}>
                {format::growth(bp)}
                <span class="muted">{format!(" vs {}", previous_name(period))}</span>
            </span>
        },
        None => html! {
            <span class="growth muted" data-testid="revenue-change">
                {format!("— no revenue {} to compare", previous_when(period))}
            </span>
        },
    };
    let figure = html! {
        <p class="chart-figure">
            <strong data-testid="chart-total">{stats.revenue.to_string()}</strong>
            <span class="muted">
                {format!(" · {}", format::plural(stats.sales_count, "order", "orders"))}
            </span>
        </p>
    };
    let empty = series
        .iter()
        .all(|p| p.orders == 0 && p.revenue.amount_minor == 0);
    let count = series.len();
    let slots = i64::try_from(count).unwrap_or(1).max(1);
    let plot_width = WIDTH - PLOT_LEFT;
    let slot = plot_width / slots;
    let bar_width = (slot * 3 / 5).max(2);
    let current = current_index(stats);
    let bars = series.iter().enumerate().map(|(i, point)| {
        let x = PLOT_LEFT + i64::try_from(i).unwrap_or(0) * slot + (slot - bar_width) / 2;
        let height = bar_height(point.revenue.amount_minor, max);
        let tip = format!(
            "{}: {} · {}",
            bucket_name(period, point.local_start),
            point.revenue,
            format::plural(point.orders, "order", "orders"),
        );
        let state = match current {
            Some(now) if i == now => Some("current"),
            Some(now) if i > now => Some("future"),
            _ => None,
        };
        let label = axis_label(period, point.local_start, i, count);
        html! {
            <g class={classes!("bar", state)} data-testid="chart-bar"
                data-start={point.start.to_rfc3339()}>
                <title>{tip}</title>
                // The full slot takes the hover and the tooltip, so a zero bar has one too.
                <rect class="hit" x={(PLOT_LEFT + i64::try_from(i).unwrap_or(0) * slot).to_string()}
                    y={PLOT_TOP.to_string()} width={slot.to_string()}
                    height={PLOT_HEIGHT.to_string()} />
                <rect class="fill" x={x.to_string()} y={(BASELINE - height).to_string()}
                    width={bar_width.to_string()} height={height.to_string()} rx="2" />
                if let Some(label) = label {
                    <text x={(x + bar_width / 2).to_string()} y={(HEIGHT - 6).to_string()}
                        text-anchor="middle">{label}</text>
                }
            </g>
        }
    });
    let scale = (max > 0).then(|| {
        let top = scale_label(Money::new(max, currency));
        let half = scale_label(Money::new(max / 2, currency));
        let mid = PLOT_TOP + PLOT_HEIGHT / 2;
        html! {
            <g class="scale" aria-hidden="true">
                <line class="grid" x1={PLOT_LEFT.to_string()} x2={WIDTH.to_string()}
                    y1={PLOT_TOP.to_string()} y2={PLOT_TOP.to_string()} />
                <line class="grid" x1={PLOT_LEFT.to_string()} x2={WIDTH.to_string()}
                    y1={mid.to_string()} y2={mid.to_string()} />
                <text x={(PLOT_LEFT - 8).to_string()} y={(PLOT_TOP + 4).to_string()}
                    text-anchor="end">{top}</text>
                <text x={(PLOT_LEFT - 8).to_string()} y={(mid + 4).to_string()}
                    text-anchor="end">{half}</text>
                <text x={(PLOT_LEFT - 8).to_string()} y={(BASELINE + 4).to_string()}
                    text-anchor="end">{"0"}</text>
            </g>
        }
    });
    let label = chart_label(period, &stats.time_zone);
    html! {
        <section class="card chart-card" aria-labelledby="revenue-title" data-testid="revenue-chart">
            <div class="card-head">
                <h2 id="revenue-title">{"Revenue over time"}</h2>
                {change}
            </div>
            {figure}
            if empty {
                <p class="chart-empty" data-testid="chart-empty">
                    {"No sales in this period yet. New orders appear here as they come in."}
                </p>
            } else {
                <svg class="chart" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                    aria-labelledby="revenue-chart-title" data-testid="chart-svg">
                    <title id="revenue-chart-title">{label.clone()}</title>
                    {for scale}
                    <line class="axis" x1={PLOT_LEFT.to_string()} x2={WIDTH.to_string()}
                        y1={BASELINE.to_string()} y2={BASELINE.to_string()} />
                    {for bars}
                </svg>
            }
            <div class="chart-foot">
                <span class="muted" data-testid="chart-zone">
                    {zone_note(&stats.time_zone, time::local_zone().as_deref())}
                </span>
                <span class="muted">
                    {"This month so far: "}
                    <strong data-testid="stat-growth" class={classes!("growth",
                        stats.monthly_growth_bp.map(|bp| if bp < 0 { "down" } else { "up" }))}>
                        {stats.monthly_growth_bp.map_or("—".to_owned(), format::growth)}
                    </strong>
                    {" vs the same days last month"}
                </span>
            </div>
        </section>
    }
}

/// Whose clock the chart's days and hours follow; when this computer's differs, that the
/// other pages' times follow this computer's.
fn zone_note(store: &str, local: Option<&str>) -> String {
    match local {
        Some(local) if local != store => format!(
            "Times are the store's: {store} (other pages show this computer's time, {local})"
        ),
        _ => format!("Times are the store's: {store}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zone_note_names_this_computers_clock_only_when_it_differs() {
        assert_eq!(
            zone_note("Europe/Berlin", Some("Europe/Berlin")),
            "Times are the store's: Europe/Berlin"
        );
        assert_eq!(zone_note("UTC", None), "Times are the store's: UTC");
        assert_eq!(
            zone_note("Europe/Berlin", Some("America/New_York")),
            "Times are the store's: Europe/Berlin (other pages show this computer's time, America/New_York)"
        );
    }

    fn wall(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn bars_scale_to_the_tallest() {
        assert_eq!(bar_height(100, 100), PLOT_HEIGHT);
        assert_eq!(bar_height(50, 100), PLOT_HEIGHT / 2);
        assert_eq!(bar_height(0, 100), 0);
        assert_eq!(bar_height(-5, 100), 0);
        assert_eq!(bar_height(1, i64::MAX), 2);
        assert_eq!(bar_height(i64::MAX, i64::MAX), PLOT_HEIGHT);
    }

    #[test]
    fn the_scale_is_round_in_each_currency() {
        assert_eq!(nice_top(1_421_060, Currency::EUR), 2_000_000);
        assert_eq!(nice_top(96_350, Currency::EUR), 100_000);
        assert_eq!(nice_top(20_430, Currency::EUR), 50_000);
        assert_eq!(nice_top(3, Currency::EUR), 100);
        assert_eq!(nice_top(4_501, Currency::JPY), 5_000);
        assert_eq!(nice_top(1_200, Currency::KWD), 2_000);
        assert_eq!(nice_top(i64::MAX, Currency::EUR), i64::MAX);
        assert_eq!(scale_label(Money::new(2_000_000, Currency::EUR)), "€20,000");
        assert_eq!(scale_label(Money::new(2_500, Currency::KWD)), "KWD 2.500");
        assert_eq!(scale_label(Money::new(5_000, Currency::JPY)), "¥5,000");
        assert_eq!(scale_label(Money::new(50, Currency::EUR)), "€0.50");
        assert_eq!(
            scale_label(Money::new(2_000_000_000, Currency::EUR)),
            "€20 M"
        );
        assert_eq!(
            scale_label(Money::new(250_000_000_000, Currency::EUR)),
            "€2,500 M"
        );
        assert_eq!(
            scale_label(Money::new(500_000_000_000_000, Currency::EUR)),
            "€5,000 bn"
        );
        assert_eq!(
            scale_label(Money::new(20_000_000_000, Currency::KWD)),
            "KWD 20 M"
        );
    }

    #[test]
    fn buckets_are_named_per_period() {
        let at = wall("2026-03-29 14:00");
        assert_eq!(bucket_name(Period::Today, at), "Sun 29 Mar, 14:00 – 15:00");
        assert_eq!(
            bucket_name(Period::Today, wall("2026-03-29 23:00")),
            "Sun 29 Mar, 23:00 – 00:00"
        );
        assert_eq!(bucket_name(Period::Days7, at), "Sun 29 Mar 2026");
        assert_eq!(bucket_name(Period::Months12, at), "March 2026");
    }

    #[test]
    fn axis_labels_make_sense_per_period() {
        let hour = |h: &str| wall(&format!("2026-03-29 {h}"));
        assert_eq!(
            axis_label(Period::Today, hour("06:00"), 5, 23).as_deref(),
            Some("06:00")
        );
        assert_eq!(axis_label(Period::Today, hour("07:00"), 6, 23), None);
        assert_eq!(
            axis_label(Period::Days7, wall("2026-03-30 00:00"), 0, 7).as_deref(),
            Some("Mon 30")
        );
        // 30 days: today (the last) and every seventh day before it.
        let labelled: Vec<usize> = (0..30)
            .filter(|&i| axis_label(Period::Days30, wall("2026-03-01 00:00"), i, 30).is_some())
            .collect();
        assert_eq!(labelled, [1, 8, 15, 22, 29]);
        assert_eq!(
            axis_label(Period::Months12, wall("2027-01-01 00:00"), 3, 12).as_deref(),
            Some("Jan ’27")
        );
        assert_eq!(
            axis_label(Period::Months12, wall("2026-11-01 00:00"), 1, 12).as_deref(),
            Some("Nov")
        );
    }

    #[test]
    fn the_previous_period_is_named() {
        assert_eq!(previous_name(Period::Days7), "previous 7 days");
        // Each period reads as English after an amount or "no revenue".
        assert_eq!(previous_when(Period::Today), "yesterday by this time");
        for period in [Period::Days7, Period::Days30, Period::Months12] {
            assert_eq!(
                previous_when(period),
                format!("in the {}", previous_name(period))
            );
        }
        assert_eq!(
            chart_label(Period::Today, "Europe/Berlin"),
            "Revenue per hour today (Europe/Berlin time)"
        );
    }
}
