//! Wall-clock time in the webview: "now" from `js_sys::Date` (chrono's clock is not available
//! on wasm32 without extra features), ages like "3 min", and local `HH:MM`.

use chrono::{DateTime, Utc};
use wasm_bindgen::JsValue;

/// The current instant, from the webview's clock.
pub fn now() -> DateTime<Utc> {
    // `Date.now()` is a whole number of milliseconds; the cast drops no information.
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// `at` as local wall-clock `HH:MM` (the webview's time zone).
pub fn local_hh_mm(at: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from(at.timestamp_millis() as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// How long ago `then` was at `now`, compactly: `"12 s"`, `"3 min"`, `"2 h"`, `"4 d"`.
/// A moment in the future (clock skew) reads as `"0 s"`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    duration_words((now - then).num_seconds().max(0))
}

/// Seconds from `now` until `then`, never negative.
pub fn seconds_until(then: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    // Round up, so "retrying in 1 s" shows until the retry is due.
    let millis = (then - now).num_milliseconds().max(0);
    (millis + 999) / 1000
}

/// `"12 s"`, `"3 min"`, `"2 h"`, `"4 d"`.
pub fn duration_words(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3_600),
        s => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0), "0 s");
        assert_eq!(duration_words(59), "59 s");
        assert_eq!(duration_words(180), "3 min");
        assert_eq!(duration_words(7_300), "2 h");
        assert_eq!(duration_words(200_000), "2 d");
    }

    #[test]
    fn future_times_are_not_negative() {
        let now = DateTime::from_timestamp(1_000, 0).unwrap_or_default();
        let later = DateTime::from_timestamp(1_010, 0).unwrap_or_default();
        assert_eq!(age(later, now), "0 s");
        assert_eq!(seconds_until(later, now), 10);
        assert_eq!(seconds_until(now, later), 0);
    }
}
