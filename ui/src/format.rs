//! Number and label formatting for the pages. Money is never formatted here: it always goes
//! through the contract's `Money` (`Display`, `format_amount`), in integer minor units.

use chrono::NaiveDate;
use sellerdash_api::{
    DeliveryStatus, OrderStatus, PaymentMethod, PaymentStatus, PayoutSchedule, PayoutStatus,
};

/// A count with thousands separators: `12345` → `"12,345"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Basis points as a percentage: `250` → `"2.50 %"`, `1234567` → `"12,345.67 %"`.
pub fn basis_points(bp: u32) -> String {
    format!("{}.{:02} %", count(u64::from(bp / 100)), bp % 100)
}

/// The conversion rate: a percentage of visitors, or `"—"` when there were none (no rate,
/// rather than a misleading `0.00 %`).
pub fn conversion(bp: u32, visitors: u64) -> String {
    if visitors == 0 {
        "—".to_owned()
    } else {
        basis_points(bp)
    }
}

/// Signed basis points as a change: `1250` → `"+12.50 %"`, `-310` → `"−3.10 %"`.
pub fn growth(bp: i64) -> String {
    let sign = match bp {
        bp if bp > 0 => "+",
        bp if bp < 0 => "−",
        _ => "",
    };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02} %", count(abs / 100), abs % 100)
}

/// `1` → `"Jan"` … `12` → `"Dec"`.
pub fn month_short(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    month
        .checked_sub(1)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// An error text shown as a sentence of its own, with a capital first letter: the core's
/// texts (`"the marketplace did not answer within 5 s"`) are written to follow a colon too.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `"1 item"`, `"3 items"`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", count(n))
    }
}

/// The colour family of a status badge (a CSS class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Info,
    Ok,
    Warn,
    Danger,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "neutral",
            Tone::Info => "info",
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Danger => "danger",
        }
    }
}

pub fn order_status(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "Pending",
        OrderStatus::Confirmed => "Confirmed",
        OrderStatus::Processing => "Processing",
        OrderStatus::Shipped => "Shipped",
        OrderStatus::InTransit => "In transit",
        OrderStatus::Delivered => "Delivered",
        OrderStatus::Completed => "Completed",
        OrderStatus::Cancelled => "Cancelled",
    }
}

pub fn order_status_tone(status: OrderStatus) -> Tone {
    match status {
        OrderStatus::Pending => Tone::Warn,
        OrderStatus::Confirmed
        | OrderStatus::Processing
        | OrderStatus::Shipped
        | OrderStatus::InTransit => Tone::Info,
        OrderStatus::Delivered | OrderStatus::Completed => Tone::Ok,
        OrderStatus::Cancelled => Tone::Danger,
    }
}

pub fn payment_status(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "Unpaid",
        PaymentStatus::Paid => "Paid",
        PaymentStatus::Refunded => "Refunded",
    }
}

pub fn payment_status_tone(status: PaymentStatus) -> Tone {
    match status {
        PaymentStatus::Pending => Tone::Warn,
        PaymentStatus::Paid => Tone::Ok,
        PaymentStatus::Refunded => Tone::Neutral,
    }
}

pub fn payment_method(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card => "Card",
        PaymentMethod::Paypal => "PayPal",
        PaymentMethod::BankTransfer => "Bank transfer",
        PaymentMethod::CashOnDelivery => "Cash on delivery",
    }
}

pub fn delivery_status(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::NotShipped => "Not shipped",
        DeliveryStatus::Shipped => "Shipped",
        DeliveryStatus::InTransit => "In transit",
        DeliveryStatus::Delivered => "Delivered",
        DeliveryStatus::Cancelled => "Not shipping",
    }
}

pub fn delivery_status_tone(status: DeliveryStatus) -> Tone {
    match status {
        DeliveryStatus::NotShipped | DeliveryStatus::Cancelled => Tone::Neutral,
        DeliveryStatus::Shipped | DeliveryStatus::InTransit => Tone::Info,
        DeliveryStatus::Delivered => Tone::Ok,
    }
}

pub fn payout_schedule(schedule: PayoutSchedule) -> &'static str {
    match schedule {
        PayoutSchedule::Weekly => "Weekly",
        PayoutSchedule::Biweekly => "Every two weeks",
        PayoutSchedule::Monthly => "Monthly",
    }
}

pub fn payout_status(status: PayoutStatus) -> &'static str {
    match status {
        PayoutStatus::Scheduled => "Scheduled",
        PayoutStatus::Paid => "Paid",
        PayoutStatus::Failed => "Failed",
    }
}

pub fn payout_status_tone(status: PayoutStatus) -> Tone {
    match status {
        PayoutStatus::Scheduled => Tone::Info,
        PayoutStatus::Paid => Tone::Ok,
        PayoutStatus::Failed => Tone::Danger,
    }
}

/// `January` … `December`.
pub fn month_long(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    month
        .checked_sub(1)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// A polling interval: `5000` → `"5 s"`, `60000` → `"1 min"`, `1500` → `"1.5 s"`.
pub fn interval(ms: u64) -> String {
    match ms {
        ms if ms >= 60_000 && ms.is_multiple_of(60_000) => format!("{} min", ms / 60_000),
        ms if ms.is_multiple_of(1_000) => format!("{} s", ms / 1_000),
        ms if ms >= 1_000 && ms.is_multiple_of(100) => {
            format!("{}.{} s", ms / 1_000, (ms % 1_000) / 100)
        }
        ms => format!("{ms} ms"),
    }
}

/// A 1–5 rating as five stars: `4` → `"★★★★☆"` (out-of-range ratings are clamped).
pub fn stars(rating: u8) -> String {
    let filled = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

/// A calendar date: `"Fri 4 Dec 2026"`.
pub fn date(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}

/// A date close to today, without the year: `"Mon 7 Dec"`.
pub fn short_date(day: NaiveDate) -> String {
    day.format("%a %-d %b").to_string()
}

/// A payout period: `"1 – 7 Dec 2026"`, `"28 Nov – 4 Dec 2026"`, `"28 Dec 2025 – 3 Jan 2026"`.
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    if start.year() != end.year() {
        format!(
            "{} – {}",
            start.format("%-d %b %Y"),
            end.format("%-d %b %Y")
        )
    } else if start.month() != end.month() {
        format!("{} – {}", start.format("%-d %b"), end.format("%-d %b %Y"))
    } else {
        format!("{} – {}", start.format("%-d"), end.format("%-d %b %Y"))
    }
}

/// How far a date is from today: `"today"`, `"tomorrow"`, `"in 3 days"`, `"2 days ago"`.
pub fn days_from_today(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", n.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_visitors_is_no_conversion_rate() {
        assert_eq!(conversion(0, 0), "—");
        assert_eq!(conversion(0, 12), "0.00 %");
        assert_eq!(conversion(250, 40), "2.50 %");
    }

    #[test]
    fn an_error_shown_alone_starts_with_a_capital() {
        assert_eq!(
            sentence("the marketplace did not answer within 5 s"),
            "The marketplace did not answer within 5 s"
        );
        assert_eq!(sentence("Already one"), "Already one");
        assert_eq!(sentence("élan"), "Élan");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn basis_points_are_exact() {
        assert_eq!(basis_points(250), "2.50 %");
        assert_eq!(basis_points(5), "0.05 %");
        assert_eq!(basis_points(10_000), "100.00 %");
        assert_eq!(growth(1250), "+12.50 %");
        assert_eq!(growth(-310), "−3.10 %");
        assert_eq!(growth(0), "0.00 %");
        assert_eq!(growth(974_658_869_400_551), "+9,746,588,694,005.51 %");
        assert_eq!(basis_points(1_234_567), "12,345.67 %");
    }

    #[test]
    fn months_and_plurals() {
        assert_eq!(month_short(1), "Jan");
        assert_eq!(month_short(12), "Dec");
        assert_eq!(month_short(13), "?");
        assert_eq!(plural(1, "item", "items"), "1 item");
        assert_eq!(plural(3, "item", "items"), "3 items");
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(order_status(OrderStatus::InTransit), "In transit");
        assert_eq!(order_status_tone(OrderStatus::Cancelled).class(), "danger");
        assert_eq!(payment_status(PaymentStatus::Pending), "Unpaid");
        assert_eq!(
            payment_method(PaymentMethod::CashOnDelivery),
            "Cash on delivery"
        );
        assert_eq!(delivery_status(DeliveryStatus::NotShipped), "Not shipped");
        assert_eq!(payout_schedule(PayoutSchedule::Biweekly), "Every two weeks");
        assert_eq!(payout_status(PayoutStatus::Failed), "Failed");
        assert_eq!(month_long(3), "March");
        assert_eq!(month_long(0), "?");
    }

    #[test]
    fn intervals_and_stars() {
        assert_eq!(interval(5_000), "5 s");
        assert_eq!(interval(15_000), "15 s");
        assert_eq!(interval(60_000), "1 min");
        assert_eq!(interval(90_000), "90 s");
        assert_eq!(interval(1_500), "1.5 s");
        assert_eq!(interval(250), "250 ms");
        assert_eq!(stars(4), "★★★★☆");
        assert_eq!(stars(0), "☆☆☆☆☆");
        assert_eq!(stars(9), "★★★★★");
    }

    #[test]
    fn dates_and_ranges() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(date(day(2026, 12, 4)), "Fri 4 Dec 2026");
        assert_eq!(short_date(day(2026, 12, 7)), "Mon 7 Dec");
        assert_eq!(
            date_range(day(2026, 12, 1), day(2026, 12, 7)),
            "1 – 7 Dec 2026"
        );
        assert_eq!(
            date_range(day(2026, 11, 28), day(2026, 12, 4)),
            "28 Nov – 4 Dec 2026"
        );
        assert_eq!(
            date_range(day(2025, 12, 28), day(2026, 1, 3)),
            "28 Dec 2025 – 3 Jan 2026"
        );
        let today = day(2026, 12, 3);
        assert_eq!(days_from_today(today, today), "today");
        assert_eq!(days_from_today(day(2026, 12, 4), today), "tomorrow");
        assert_eq!(days_from_today(day(2026, 12, 10), today), "in 7 days");
        assert_eq!(days_from_today(day(2026, 12, 1), today), "2 days ago");
    }
}
