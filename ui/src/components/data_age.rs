//! "Updated 4 s ago": how old a query's data is, ticking every second, turning into an
//! amber "Stale — updated 2 min ago" warning with its reason, and saying so when the data
//! comes from the on-disk cache.
//!
//! The stale rule (see [`stale_warning`]): the warning shows when the last refresh failed
//! (the reason is the error), or when the data is older than [`STALE_INTERVALS`] times the
//! query's refresh period (the larger of its stale time and its refetch interval), i.e. at
//! least one whole refresh was missed. A healthy query, refreshed on time, never flashes it.
//! `data-stale` still exposes `QuerySnapshot::is_stale` (older than the stale time), and
//! `data-warn` whether the warning is shown.

use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use sellerdash_state::QuerySnapshot;
use yew::prelude::*;

use crate::hooks::use_now;
use crate::time;

/// How many refresh periods data may age before the page warns about it.
pub const STALE_INTERVALS: i64 = 2;

/// Why the page warns that its data is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleReason {
    /// The last refresh failed with this message.
    RefreshFailed(String),
    /// No refresh for this many seconds (more than [`STALE_INTERVALS`] periods).
    Overdue { period_secs: i64 },
}

impl StaleReason {
    /// The reason as the page shows it.
    pub fn text(&self) -> String {
        match self {
            StaleReason::RefreshFailed(message) => format!("Refresh failed: {message}"),
            StaleReason::Overdue { period_secs } => format!(
                "Expected a refresh every {}",
                time::duration_words(*period_secs)
            ),
        }
    }
}

/// The query's refresh period: the larger of its stale time and its refetch interval.
fn refresh_period(snapshot: &QuerySnapshot) -> TimeDelta {
    let millis = snapshot
        .stale_after_ms
        .max(snapshot.refetch_interval_ms.unwrap_or(0));
    TimeDelta::milliseconds(i64::try_from(millis).unwrap_or(i64::MAX / 4))
}

/// Whether `snapshot`'s data deserves a visible stale warning at `now`, and why.
/// `None` when there is no data yet (loading is shown instead) or the data is fresh enough.
pub fn stale_warning(snapshot: &QuerySnapshot, now: DateTime<Utc>) -> Option<StaleReason> {
    let updated_at = snapshot.updated_at?;
    if snapshot.failure_count > 0
        && let Some(error) = &snapshot.last_error
        && error.at >= updated_at
    {
        return Some(StaleReason::RefreshFailed(error.error.message.clone()));
    }
    let period = refresh_period(snapshot);
    if period > TimeDelta::zero()
        && now - updated_at > period * i32::try_from(STALE_INTERVALS).unwrap_or(2)
    {
        return Some(StaleReason::Overdue {
            period_secs: period.num_seconds().max(1),
        });
    }
    None
}

/// "Updated 4 s ago", "Stale — updated 2 min ago"; after the "from cache" tag the sentence
/// goes on in lower case: "from cache · updated 12 min ago".
fn age_text(warning: bool, from_cache: bool, age: &str) -> String {
    match (warning, from_cache) {
        (true, _) => format!("Stale — updated {age} ago"),
        (false, true) => format!("updated {age} ago"),
        (false, false) => format!("Updated {age} ago"),
    }
}

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
        return html! {
            <span class="age" data-testid={props.testid.clone()} aria-busy="true">
                <span class="age-line">
                    <span class="spinner" aria-hidden="true"></span>{"Loading…"}
                </span>
            </span>
        };
    };
    let Some(updated_at) = snapshot.updated_at else {
        let text = if snapshot.fetching || snapshot.last_error.is_none() {
            "Loading…"
        } else {
            "Not loaded yet"
        };
        return html! {
            <span class="age" data-testid={props.testid.clone()} aria-busy={snapshot.fetching.to_string()}>
                <span class="age-line">
                    if snapshot.fetching {
                        <span class="spinner" aria-hidden="true"></span>
                    }
                    {text}
                </span>
            </span>
        };
    };
    // The clock ticks once a second; data newer than the last tick is "0 s" old, not future.
    let now = now.max(updated_at);
    let stale = snapshot.is_stale(now);
    let warning = stale_warning(snapshot, now);
    let title = format!(
        "Fetched at {}; considered stale after {}",
        time::local_hh_mm(updated_at),
        time::duration_words(i64::try_from(snapshot.stale_after_ms / 1000).unwrap_or(i64::MAX)),
    );
    let age = time::age(updated_at, now);
    html! {
        <span class={classes!("age", warning.is_some().then_some("stale"))}
            data-testid={props.testid.clone()} data-stale={stale.to_string()}
            data-warn={warning.is_some().to_string()} title={title} role="status">
            <span class="age-line">
                if warning.is_some() {
                    <span class="warn-icon" aria-hidden="true">{"!"}</span>
                }
                if snapshot.from_cache {
                    <span class="cache-tag" data-testid="from-cache">{"from cache"}</span>
                    <span class="age-sep" aria-hidden="true">{"·"}</span>
                }
                <span class="age-text">{age_text(warning.is_some(), snapshot.from_cache, &age)}</span>
                if snapshot.fetching {
                    <span class="spinner" aria-label="Refreshing"></span>
                }
            </span>
            if let Some(reason) = &warning {
                <span class="age-reason" title={reason.text()}>{reason.text()}</span>
            }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_state::{AppError, ErrorKind, QueryError, QueryKey, QueryStatus};

    fn snapshot(updated_secs_ago: i64, now: DateTime<Utc>) -> QuerySnapshot {
        QuerySnapshot {
            status: QueryStatus::Success,
            data: Some(serde_json::json!({})),
            updated_at: Some(now - TimeDelta::seconds(updated_secs_ago)),
            refetch_interval_ms: Some(5_000),
            ..QuerySnapshot::empty(QueryKey::pending_orders(), 3_000)
        }
    }

    #[test]
    fn fresh_data_and_a_refresh_on_time_never_warn() {
        let now = Utc::now();
        assert_eq!(stale_warning(&snapshot(0, now), now), None);
        // Past the stale time (3 s) and at the interval (5 s): the refresh is due, not missed.
        assert_eq!(stale_warning(&snapshot(6, now), now), None);
        assert_eq!(stale_warning(&snapshot(10, now), now), None);
        // No data: loading, not stale.
        let empty = QuerySnapshot::empty(QueryKey::pending_orders(), 3_000);
        assert_eq!(stale_warning(&empty, now), None);
    }

    #[test]
    fn a_missed_refresh_warns() {
        let now = Utc::now();
        assert_eq!(
            stale_warning(&snapshot(11, now), now),
            Some(StaleReason::Overdue { period_secs: 5 })
        );
    }

    #[test]
    fn a_failed_refresh_warns_at_once_with_its_reason_until_a_success() {
        let now = Utc::now();
        let mut failed = snapshot(2, now);
        failed.failure_count = 1;
        failed.last_error = Some(QueryError {
            error: AppError::new(ErrorKind::Network, "the marketplace could not be reached"),
            at: now,
        });
        assert_eq!(
            stale_warning(&failed, now),
            Some(StaleReason::RefreshFailed(
                "the marketplace could not be reached".into()
            ))
        );
        // A later success resets the count: an old error no longer warns.
        failed.failure_count = 0;
        assert_eq!(stale_warning(&failed, now), None);
    }
}
