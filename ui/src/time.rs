//! Wall-clock time in the webview: "now" from `js_sys::Date` (chrono's clock is not available
//! on wasm32 without extra features), ages like "3 min", local `HH:MM` and local dates.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
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

/// `at` in the webview's time zone (its offset at that instant).
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    let date = js_sys::Date::new(&JsValue::from(at.timestamp_millis() as f64));
    // Minutes west of UTC, a whole number for every real time zone.
    let offset = date.get_timezone_offset() as i64;
    (at - TimeDelta::minutes(offset)).naive_utc()
}

/// The webview's IANA time zone (`"Europe/Berlin"`), when it names one.
pub fn local_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
}

/// Today's date in the webview's time zone.
pub fn local_today() -> NaiveDate {
    local(now()).date()
}

/// `at` as a local moment, as short as it can be next to `now`: `"14:05"` today,
/// `"3 Dec, 14:05"` this year, `"3 Dec 2025, 14:05"` before.
pub fn local_moment(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    moment(local(at), local(now))
}

fn moment(at: NaiveDateTime, now: NaiveDateTime) -> String {
    use chrono::Datelike;
    if at.date() == now.date() {
        at.format("%H:%M").to_string()
    } else if at.year() == now.year() {
        at.format("%-d %b, %H:%M").to_string()
    } else {
        at.format("%-d %b %Y, %H:%M").to_string()
    }
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

    #[test]
    fn moments_are_as_short_as_they_can_be() {
        let at = |y, mo, d, h, mi| {
            NaiveDate::from_ymd_opt(y, mo, d)
                .and_then(|day| day.and_hms_opt(h, mi, 0))
                .unwrap_or_default()
        };
        let now = at(2026, 12, 3, 18, 0);
        assert_eq!(moment(at(2026, 12, 3, 9, 5), now), "09:05");
        assert_eq!(moment(at(2026, 11, 28, 14, 30), now), "28 Nov, 14:30");
        assert_eq!(moment(at(2025, 12, 31, 23, 59), now), "31 Dec 2025, 23:59");
    }
}
