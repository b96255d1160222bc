//! How values are written to and read from columns: timestamps as fixed-width UTC RFC 3339
//! text (string order is time order), dates as `YYYY-MM-DD`, and the contract's enums by
//! their wire names (so the contract stays the one place that names them).

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Error, Result};

/// `2026-01-31T12:00:00.000000Z`.
pub fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_ts(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|err| Error::Corrupt(format!("timestamp {text:?}: {err}")))
}

pub fn parse_ts_opt(text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    text.map(parse_ts).transpose()
}

/// The current time at the precision the store keeps (microseconds), so a value read back
/// equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|err| Error::Corrupt(format!("date {text:?}: {err}")))
}

/// The wire name of a contract enum (`PaymentMethod::BankTransfer` → `bank_transfer`).
pub fn name<T: Serialize>(value: T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        Ok(other) => Err(Error::Corrupt(format!("{other} is not a unit variant"))),
        Err(err) => Err(Error::Corrupt(err.to_string())),
    }
}

/// The contract enum with this wire name.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|err| Error::Corrupt(format!("{text:?}: {err}")))
}

/// A count or quantity stored as BIGINT.
pub fn to_u32(value: i64, what: &str) -> Result<u32> {
    u32::try_from(value).map_err(|_| Error::Corrupt(format!("{what} {value} out of range")))
}

pub fn to_u64(value: i64, what: &str) -> Result<u64> {
    u64::try_from(value).map_err(|_| Error::Corrupt(format!("{what} {value} out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_api::{OrderStatus, PaymentMethod};

    #[test]
    fn timestamps_round_trip_and_sort_as_text() {
        let at = now();
        assert_eq!(parse_ts(&ts(at)).unwrap(), at);
        let later = at + chrono::Duration::milliseconds(1);
        assert!(ts(at) < ts(later));
    }

    #[test]
    fn enums_use_wire_names() {
        assert_eq!(name(PaymentMethod::BankTransfer).unwrap(), "bank_transfer");
        assert_eq!(
            parse::<OrderStatus>("in_transit").unwrap(),
            OrderStatus::InTransit
        );
        assert!(parse::<OrderStatus>("lost").is_err());
    }
}
