//! CSV exports: every order of a sales filter (all pages, walked through the [`Source`]) and
//! a payout history, as RFC 4180 text, and saving such a file without overwriting another.
//!
//! Money is written as decimal text from its integer minor units by the currency's exponent
//! (`12.34`, `1234` for JPY, `1.234` for KWD) next to a currency column, never through a
//! float. Times are UTC RFC 3339. Text a spreadsheet would run as a formula (`=`, `+`, `-`,
//! `@` first) is prefixed with `'`.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sellerdash_api::{Money, OrderQuery, OrderStatus, OrderSummary, Payout, PayoutHistoryQuery};
use serde::Serialize;

use crate::queries::order_query;
use crate::source::{Source, SourceResult};

/// Orders asked for per request while exporting (the contract's largest page).
pub const EXPORT_PAGE_SIZE: u32 = OrderQuery::MAX_PER_PAGE;

/// A finished CSV document and how many data rows (not counting the header) it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvExport {
    pub csv: String,
    pub rows: u64,
}

/// The header of the sales export.
pub const SALES_HEADER: [&str; 10] = [
    "order_id",
    "placed_at",
    "updated_at",
    "status",
    "customer",
    "items",
    "total",
    "currency",
    "payment_status",
    "delivery_status",
];

/// The header of the payouts export.
pub const PAYOUTS_HEADER: [&str; 9] = [
    "payout_id",
    "status",
    "period_start",
    "period_end",
    "paid_at",
    "created_at",
    "order_count",
    "amount",
    "currency",
];

/// Every order with these statuses (empty: all) matching `search` (blank: all), newest
/// first, as CSV. Walks the source's pages of [`EXPORT_PAGE_SIZE`] until the server's total
/// is reached; an order seen twice (new orders shift the pages while walking) is written
/// once.
pub async fn sales_csv(
    source: &dyn Source,
    statuses: &[OrderStatus],
    search: &str,
) -> SourceResult<CsvExport> {
    let mut seen = HashSet::new();
    let mut orders: Vec<OrderSummary> = Vec::new();
    let mut page = 1u32;
    loop {
        let query = order_query(statuses, Some(search), page, EXPORT_PAGE_SIZE);
        let answer = source.list_orders(&query).await?;
        let count = answer.orders.len();
        for order in answer.orders {
            if seen.insert(order.id.clone()) {
                orders.push(order);
            }
        }
        let walked = u64::from(page) * u64::from(EXPORT_PAGE_SIZE);
        if count < EXPORT_PAGE_SIZE as usize || walked >= answer.total {
            break;
        }
        page += 1;
    }
    Ok(orders_csv(&orders))
}

/// Orders as CSV: [`SALES_HEADER`], then one row per order.
pub fn orders_csv(orders: &[OrderSummary]) -> CsvExport {
    let mut csv = String::new();
    push_row(&mut csv, SALES_HEADER.iter().map(|h| (*h).to_owned()));
    for order in orders {
        push_row(
            &mut csv,
            [
                text_cell(&order.id),
                time(order.created_at),
                time(order.updated_at),
                order.status.as_str().to_owned(),
                text_cell(&order.customer_name),
                order.item_count.to_string(),
                decimal(order.total),
                order.total.currency.to_string(),
                wire_name(&order.payment_status),
                wire_name(&order.delivery_status),
            ],
        );
    }
    CsvExport {
        csv,
        rows: orders.len() as u64,
    }
}

/// The payouts of one month of one year, one year, or all of them, as CSV.
pub async fn payouts_csv(
    source: &dyn Source,
    query: PayoutHistoryQuery,
) -> SourceResult<CsvExport> {
    let history = source.payout_history(query).await?;
    Ok(payout_rows_csv(&history.payouts))
}

/// Payouts as CSV: [`PAYOUTS_HEADER`], then one row per payout.
pub fn payout_rows_csv(payouts: &[Payout]) -> CsvExport {
    let mut csv = String::new();
    push_row(&mut csv, PAYOUTS_HEADER.iter().map(|h| (*h).to_owned()));
    for payout in payouts {
        push_row(
            &mut csv,
            [
                text_cell(&payout.id),
                wire_name(&payout.status),
                payout.period_start.to_string(),
                payout.period_end.to_string(),
                payout.paid_at.map(time).unwrap_or_default(),
                time(payout.created_at),
                payout.order_count.to_string(),
                decimal(payout.amount),
                payout.amount.currency.to_string(),
            ],
        );
    }
    CsvExport {
        csv,
        rows: payouts.len() as u64,
    }
}

/// Appends one record, each field quoted when it must be, ended by CRLF.
fn push_row(csv: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            csv.push(',');
        }
        csv.push_str(&quote(&field));
    }
    csv.push_str("\r\n");
}

/// A field as RFC 4180 wants it: quoted (inner quotes doubled) when it holds a comma, a
/// quote or a line break, as is otherwise.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Free text, defused for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or CR would make
/// it a formula there, so such text gets a leading `'`.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The amount as plain decimal text by the currency's exponent: `-0.05`, `1234`, `1.234`.
/// No grouping, no symbol (the currency has its own column).
pub fn decimal(money: Money) -> String {
    let digits = money.currency.minor_digits();
    let sign = if money.amount_minor < 0 { "-" } else { "" };
    let abs = money.amount_minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits);
    let mut out = String::new();
    let _ = write!(
        out,
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    );
    out
}

/// UTC RFC 3339 to the second: `2026-12-03T18:00:00Z`.
fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A unit enum's wire name (`bank_transfer`), as the contract spells it.
fn wire_name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// Writes `contents` into `dir` (created if missing) as `{stem}-{date}.csv`, or
/// `{stem}-{date}-2.csv`, `-3`, … when that name is taken: an existing file is never
/// overwritten (each name is claimed with create-new, so two exports at once cannot clash).
pub fn save_new_file(
    dir: &Path,
    stem: &str,
    date: NaiveDate,
    contents: &str,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for n in 1u32.. {
        let name = match n {
            1 => format!("{stem}-{date}.csv"),
            n => format!("{stem}-{date}-{n}.csv"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let written = file
                    .write_all(contents.as_bytes())
                    .and_then(|()| file.sync_all());
                if let Err(error) = written {
                    // A half-written export is worse than none.
                    let _ = std::fs::remove_file(&path);
                    return Err(error);
                }
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::other("no free file name left"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdash_api::{Currency, DeliveryStatus, PaymentStatus};

    fn order(id: &str, name: &str, total: Money) -> OrderSummary {
        let at = DateTime::parse_from_rfc3339("2026-12-03T18:04:05.123Z")
            .unwrap()
            .with_timezone(&Utc);
        OrderSummary {
            id: id.into(),
            status: OrderStatus::InTransit,
            customer_name: name.into(),
            item_count: 2,
            total,
            payment_status: PaymentStatus::Paid,
            delivery_status: DeliveryStatus::InTransit,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn money_is_decimal_by_exponent_without_floats() {
        assert_eq!(decimal(Money::new(1234, Currency::EUR)), "12.34");
        assert_eq!(decimal(Money::new(-5, Currency::EUR)), "-0.05");
        assert_eq!(decimal(Money::new(1234, Currency::JPY)), "1234");
        assert_eq!(decimal(Money::new(1234, Currency::KWD)), "1.234");
        assert_eq!(decimal(Money::new(7, Currency::KWD)), "0.007");
        assert_eq!(
            decimal(Money::new(i64::MAX, Currency::USD)),
            "92233720368547758.07"
        );
        assert_eq!(
            decimal(Money::new(i64::MIN, Currency::USD)),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(quote("Ann Lee"), "Ann Lee");
        assert_eq!(quote("Lee, Ann"), "\"Lee, Ann\"");
        assert_eq!(quote("Ann \"The Seller\""), "\"Ann \"\"The Seller\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\rlf"), "\"cr\rlf\"");
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_cell("-Ann"), "'-Ann");
        assert_eq!(text_cell("Ann-Lee"), "Ann-Lee");
    }

    #[test]
    fn an_order_row_reads_back_field_for_field() {
        let export = orders_csv(&[
            order(
                "o-2",
                "Lee, \"Ann\"\nSecond line",
                Money::new(1005, Currency::EUR),
            ),
            order("o-1", "Jō", Money::new(1234, Currency::JPY)),
        ]);
        assert_eq!(export.rows, 2);
        assert_eq!(
            export.csv,
            "order_id,placed_at,updated_at,status,customer,items,total,currency,payment_status,delivery_status\r\n\
             o-2,2026-12-03T18:04:05Z,2026-12-03T18:04:05Z,in_transit,\"Lee, \"\"Ann\"\"\nSecond line\",2,10.05,EUR,paid,in_transit\r\n\
             o-1,2026-12-03T18:04:05Z,2026-12-03T18:04:05Z,in_transit,Jō,2,1234,JPY,paid,in_transit\r\n"
        );
    }

    #[test]
    fn saving_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let nested = dir.path().join("Downloads");
        let first = save_new_file(&nested, "sellerdash-sales", day, "a").unwrap();
        let second = save_new_file(&nested, "sellerdash-sales", day, "b").unwrap();
        let third = save_new_file(&nested, "sellerdash-sales", day, "c").unwrap();
        assert_eq!(
            first.file_name().unwrap(),
            "sellerdash-sales-2026-12-03.csv"
        );
        assert_eq!(
            second.file_name().unwrap(),
            "sellerdash-sales-2026-12-03-2.csv"
        );
        assert_eq!(
            third.file_name().unwrap(),
            "sellerdash-sales-2026-12-03-3.csv"
        );
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(&third).unwrap(), "c");
    }
}
