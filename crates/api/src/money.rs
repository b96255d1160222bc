//! Money as integer minor units with an ISO 4217 currency code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: three ASCII capital letters (`"EUR"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// A string that is not three ASCII capital letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("currency must be a three-letter ISO 4217 code like \"EUR\", got {0:?}")]
pub struct CurrencyError(pub String);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");
    pub const JPY: Currency = Currency(*b"JPY");
    pub const KWD: Currency = Currency(*b"KWD");

    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII capitals.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal point in this currency's major unit (ISO 4217 exponent).
    pub fn minor_digits(&self) -> u32 {
        match &self.0 {
            b"BIF" | b"CLP" | b"DJF" | b"GNF" | b"ISK" | b"JPY" | b"KMF" | b"KRW" | b"PYG"
            | b"RWF" | b"UGX" | b"UYI" | b"VND" | b"VUV" | b"XAF" | b"XOF" | b"XPF" => 0,
            b"BHD" | b"IQD" | b"JOD" | b"KWD" | b"LYD" | b"OMR" | b"TND" => 3,
            _ => 2,
        }
    }

    /// The symbol sellers expect for the common currencies, else the code itself.
    pub fn symbol(&self) -> &str {
        match &self.0 {
            b"EUR" => "€",
            b"USD" => "$",
            b"GBP" => "£",
            b"JPY" => "¥",
            _ => self.as_str(),
        }
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(Currency([*a, *b, *c]))
            }
            _ => Err(CurrencyError(s.to_owned())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An amount of money: `{"amount_minor": 1234, "currency": "EUR"}` is €12.34.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount in the currency's minor unit (cents, pence; yen for JPY).
    pub amount_minor: i64,
    pub currency: Currency,
}

/// Arithmetic that would mix currencies or overflow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("amount overflows")]
    Overflow,
}

impl Money {
    pub const fn new(amount_minor: i64, currency: Currency) -> Self {
        Self {
            amount_minor,
            currency,
        }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self {
            amount_minor: 0,
            currency,
        }
    }

    /// The sum of two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let amount_minor = self
            .amount_minor
            .checked_add(other.amount_minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount_minor,
            currency: self.currency,
        })
    }

    /// This amount times a whole quantity.
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let amount_minor = self
            .amount_minor
            .checked_mul(quantity)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount_minor,
            currency: self.currency,
        })
    }

    /// The amount in major units with the currency's own number of decimals, without the
    /// currency: `1234 EUR` → `"12.34"`, `1234 JPY` → `"1234"`, `1234 KWD` → `"1.234"`.
    pub fn format_amount(&self) -> String {
        let digits = self.currency.minor_digits();
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let abs = self.amount_minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{}", group_thousands(abs));
        }
        let scale = 10u64.pow(digits);
        format!(
            "{sign}{}.{:0width$}",
            group_thousands(abs / scale),
            abs % scale,
            width = digits as usize
        )
    }
}

fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    loop {
        if n < 1000 {
            groups.push(n.to_string());
            break;
        }
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.reverse();
    groups.join(",")
}

impl fmt::Display for Money {
    /// `€12.34`, `¥1,234`, `KWD 1.234`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let symbol = self.currency.symbol();
        let amount = self.format_amount();
        let (sign, digits) = match amount.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", amount.as_str()),
        };
        if symbol.len() == 3 && symbol.is_ascii() {
            write!(f, "{sign}{symbol} {digits}")
        } else {
            write!(f, "{sign}{symbol}{digits}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_per_currency_exponent() {
        assert_eq!(Money::new(1234, Currency::EUR).to_string(), "€12.34");
        assert_eq!(
            Money::new(123_456_789, Currency::USD).to_string(),
            "$1,234,567.89"
        );
        assert_eq!(Money::new(1234, Currency::JPY).to_string(), "¥1,234");
        assert_eq!(Money::new(1234, Currency::KWD).to_string(), "KWD 1.234");
        assert_eq!(Money::new(-5, Currency::EUR).to_string(), "-€0.05");
    }

    #[test]
    fn formats_negative_zero_and_large_amounts_per_exponent() {
        let cases = [
            (Money::new(0, Currency::EUR), "€0.00"),
            (Money::new(0, Currency::JPY), "¥0"),
            (Money::new(0, Currency::KWD), "KWD 0.000"),
            (Money::new(-1, Currency::KWD), "-KWD 0.001"),
            (Money::new(-1_234_567, Currency::JPY), "-¥1,234,567"),
            (Money::new(-123_456, Currency::EUR), "-€1,234.56"),
            (
                Money::new(1_000_000_000, Currency::KWD),
                "KWD 1,000,000.000",
            ),
            (Money::new(10, Currency::EUR), "€0.10"),
            (Money::new(10_000, Currency::EUR), "€100.00"),
            (
                Money::new(5, Currency::from_str("CHF").unwrap()),
                "CHF 0.05",
            ),
            (
                Money::new(i64::MAX, Currency::EUR),
                "€92,233,720,368,547,758.07",
            ),
            (
                Money::new(i64::MIN, Currency::EUR),
                "-€92,233,720,368,547,758.08",
            ),
            (
                Money::new(i64::MAX, Currency::JPY),
                "¥9,223,372,036,854,775,807",
            ),
            (
                Money::new(i64::MIN, Currency::KWD),
                "-KWD 9,223,372,036,854,775.808",
            ),
        ];
        for (money, text) in cases {
            assert_eq!(money.to_string(), text, "{money:?}");
        }
        assert_eq!(Money::new(-5, Currency::JPY).format_amount(), "-5");
        assert_eq!(Money::new(1_000, Currency::KWD).format_amount(), "1.000");
    }

    #[test]
    fn overflow_is_an_error_not_a_wrong_total() {
        let max = Money::new(i64::MAX, Currency::EUR);
        assert_eq!(
            max.checked_add(Money::new(1, Currency::EUR)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(max.checked_mul(2), Err(MoneyError::Overflow));
        let negative = Money::new(-250, Currency::EUR).checked_add(Money::new(100, Currency::EUR));
        assert_eq!(negative, Ok(Money::new(-150, Currency::EUR)));
    }

    #[test]
    fn sums_are_exact_and_never_mix_currencies() {
        let dime = Money::new(10, Currency::EUR);
        let total = (0..1000).try_fold(Money::zero(Currency::EUR), |acc, _| acc.checked_add(dime));
        assert_eq!(total, Ok(Money::new(10_000, Currency::EUR)));
        assert_eq!(
            dime.checked_add(Money::new(1, Currency::USD)),
            Err(MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD))
        );
    }

    #[test]
    fn currency_wire_form_is_validated() {
        let m: Money = serde_json::from_str(r#"{"amount_minor":5,"currency":"GBP"}"#).unwrap();
        assert_eq!(m, Money::new(5, Currency::GBP));
        assert!(serde_json::from_str::<Money>(r#"{"amount_minor":5,"currency":"eur"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount_minor":5.5,"currency":"EUR"}"#).is_err());
    }
}
