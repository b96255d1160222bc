//! Checks of the admin's input before it reaches the store and, from there, the sellers'
//! dashboards and notifications: visit counts and times, the buyer of a new order, order
//! lines. Each failure is a 400 whose message names the field. Pure functions, no SQL.

use chrono::{DateTime, Duration, Utc};
use sellerdash_api::{CreateOrder, Customer, RecordVisits};

use crate::echo::clip;
use crate::error::AppError;
use crate::store::MAX_QUANTITY;

/// The most visits one `POST /admin/visits` may record.
pub const MAX_VISITS_PER_CALL: u32 = 100_000;
/// How far in the future a visit's `at` may be (clock skew between machines).
pub const MAX_FUTURE_SKEW: Duration = Duration::minutes(5);
/// The most lines one order may hold.
pub const MAX_ORDER_LINES: usize = 100;
/// The longest buyer name and city, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

/// Checks a visits record against `now`.
pub fn visits(body: &RecordVisits, now: DateTime<Utc>) -> Result<(), AppError> {
    if !(1..=MAX_VISITS_PER_CALL).contains(&body.count) {
        return Err(bad(format!(
            "count must be 1 to {MAX_VISITS_PER_CALL}, got {}",
            body.count
        )));
    }
    if let Some(at) = body.at
        && at > now + MAX_FUTURE_SKEW
    {
        return Err(bad(format!(
            "at must not be more than {} minutes in the future, got {}",
            MAX_FUTURE_SKEW.num_minutes(),
            at.to_rfc3339()
        )));
    }
    Ok(())
}

/// Checks a new order's lines and returns its buyer trimmed (if it names one).
pub fn order(body: &CreateOrder) -> Result<Option<Customer>, AppError> {
    if body.items.is_empty() || body.items.len() > MAX_ORDER_LINES {
        return Err(bad(format!(
            "items must hold 1 to {MAX_ORDER_LINES} lines, got {}",
            body.items.len()
        )));
    }
    for (n, item) in body.items.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&item.quantity) {
            return Err(bad(format!(
                "items[{n}].quantity must be 1 to {MAX_QUANTITY}, got {}",
                item.quantity
            )));
        }
    }
    body.customer.as_ref().map(customer).transpose()
}

/// The buyer trimmed, or the first field that is wrong.
pub fn customer(customer: &Customer) -> Result<Customer, AppError> {
    let name = text("customer.name", &customer.name, MAX_NAME_CHARS)?;
    let city = text("customer.city", &customer.city, MAX_NAME_CHARS)?;
    let email = email(&customer.email)?;
    let country = customer.country.trim();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(format!(
            "customer.country must be an ISO 3166-1 alpha-2 code (two capital letters like DE), got {:?}",
            clip(country)
        )));
    }
    Ok(Customer {
        name,
        email,
        city,
        country: country.to_owned(),
    })
}

/// `text` trimmed, if it has 1 to `max` characters and no control characters.
fn text(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        return Err(bad(format!("{field} must not be blank")));
    }
    if chars > max {
        return Err(bad(format!(
            "{field} must be at most {max} characters, got {chars}"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(bad(format!("{field} must not hold control characters")));
    }
    Ok(text.to_owned())
}

/// An address that looks like one: a single `@` between non-empty parts, no spaces or
/// control characters, at most [`MAX_EMAIL_CHARS`].
fn email(email: &str) -> Result<String, AppError> {
    let email = email.trim();
    let chars = email.chars().count();
    if chars > MAX_EMAIL_CHARS {
        return Err(bad(format!(
            "customer.email must be at most {MAX_EMAIL_CHARS} characters, got {chars}"
        )));
    }
    let well_formed = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !well_formed {
        return Err(bad(format!(
            "customer.email must be an address like name@example.com, got {:?}",
            clip(email)
        )));
    }
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buyer(name: &str, email: &str, city: &str, country: &str) -> Customer {
        Customer {
            name: name.to_owned(),
            email: email.to_owned(),
            city: city.to_owned(),
            country: country.to_owned(),
        }
    }

    #[test]
    fn buyers_are_trimmed_and_checked() {
        let ok = customer(&buyer(" Ana Ruiz ", "ana@example.com ", "Madrid", "ES")).unwrap();
        assert_eq!(ok, buyer("Ana Ruiz", "ana@example.com", "Madrid", "ES"));
        for (bad, field) in [
            (buyer("", "a@b.c", "X", "DE"), "customer.name"),
            (buyer(&"n".repeat(101), "a@b.c", "X", "DE"), "customer.name"),
            (buyer("A\u{7}", "a@b.c", "X", "DE"), "customer.name"),
            (buyer("A", "x", "X", "DE"), "customer.email"),
            (buyer("A", "a@b@c", "X", "DE"), "customer.email"),
            (buyer("A", "@b", "X", "DE"), "customer.email"),
            (buyer("A", "a b@c", "X", "DE"), "customer.email"),
            (buyer("A", "a@b.c", " ", "DE"), "customer.city"),
            (buyer("A", "a@b.c", "X", "ZZZZ"), "customer.country"),
            (buyer("A", "a@b.c", "X", "de"), "customer.country"),
        ] {
            let err = customer(&bad).unwrap_err().to_string();
            assert!(err.starts_with(field), "{bad:?}: {err}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(customer(&buyer("A", &long, "X", "DE")).is_err());
    }

    #[test]
    fn visits_are_bounded_in_count_and_time() {
        let now = Utc::now();
        let body = |count, at| RecordVisits {
            seller_id: "s".to_owned(),
            count,
            at,
        };
        assert!(visits(&body(1, None), now).is_ok());
        assert!(visits(&body(MAX_VISITS_PER_CALL, Some(now)), now).is_ok());
        assert!(visits(&body(0, None), now).is_err());
        assert!(visits(&body(u32::MAX, None), now).is_err());
        assert!(visits(&body(1, Some(now + Duration::minutes(4))), now).is_ok());
        assert!(visits(&body(1, Some(now + Duration::minutes(6))), now).is_err());
    }
}
