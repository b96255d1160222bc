//! Payouts: the balance a seller has earned (available: completed and paid orders not yet
//! paid out; pending: paid orders still on their way), running a payout, and the history.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sellerdash_api::{Money, Payout, PayoutHistory, PayoutSchedule, PayoutStats, PayoutStatus};
use sqlx::SqliteConnection;

use super::codec::{date, name, parse, parse_date, parse_ts, parse_ts_opt, to_u64, ts};
use super::sellers::{Seller, seller_in};
use super::{Error, Result, Store};
use crate::echo::clip;

/// The orders a payout takes: completed, paid, not paid out yet, completed by the cutoff.
const PAYABLE: &str = "seller_id = ? AND status = 'completed' AND payment_status = 'paid' \
                       AND payout_id IS NULL AND completed_at <= ?";

#[derive(sqlx::FromRow)]
struct PayoutRow {
    id: String,
    amount_minor: i64,
    currency: String,
    status: String,
    period_start: String,
    period_end: String,
    paid_at: Option<String>,
    order_count: i64,
    created_at: String,
}

impl TryFrom<PayoutRow> for Payout {
    type Error = Error;
    fn try_from(row: PayoutRow) -> Result<Payout> {
        let currency = row
            .currency
            .parse()
            .map_err(|err| Error::Corrupt(format!("payout currency: {err}")))?;
        Ok(Payout {
            amount: Money::new(row.amount_minor, currency),
            status: parse(&row.status)?,
            period_start: parse_date(&row.period_start)?,
            period_end: parse_date(&row.period_end)?,
            paid_at: parse_ts_opt(row.paid_at.as_deref())?,
            order_count: to_u64(row.order_count, "order count")?,
            created_at: parse_ts(&row.created_at)?,
            id: row.id,
        })
    }
}

const PAYOUT_COLUMNS: &str = "SELECT id, amount_minor, currency, status, period_start, period_end, \
                              paid_at, order_count, created_at FROM payouts";

impl Store {
    /// Pays out each seller's available balance (or one seller's) at `at`. `new_id` names
    /// each payout. Sellers with nothing available get no payout.
    pub async fn run_payouts(
        &self,
        seller_id: Option<&str>,
        at: DateTime<Utc>,
        mut new_id: impl FnMut() -> String,
    ) -> Result<Vec<Payout>> {
        let mut tx = self.write_tx().await?;
        let sellers: Vec<String> = match seller_id {
            Some(id) => {
                seller_in(&mut tx, id)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("no seller {:?}", clip(id))))?;
                vec![id.to_owned()]
            }
            None => {
                sqlx::query_scalar("SELECT id FROM sellers ORDER BY id")
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        let mut payouts = Vec::new();
        for id in sellers {
            if let Some(payout) = run_payout_in(&mut tx, &id, at, &new_id()).await? {
                payouts.push(payout);
            }
        }
        tx.commit().await?;
        Ok(payouts)
    }

    /// The seller's balance and next payout date as of `now`.
    pub async fn payout_stats(&self, seller: &Seller, now: DateTime<Utc>) -> Result<PayoutStats> {
        let mut conn = self.pool.acquire().await?;
        let available: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(total_minor), 0) FROM orders WHERE seller_id = ? \
             AND status = 'completed' AND payment_status = 'paid' AND payout_id IS NULL",
        )
        .bind(&seller.id)
        .fetch_one(&mut *conn)
        .await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(total_minor), 0) FROM orders WHERE seller_id = ? \
             AND payment_status = 'paid' AND status NOT IN ('completed', 'cancelled')",
        )
        .bind(&seller.id)
        .fetch_one(&mut *conn)
        .await?;
        let lifetime: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM payouts WHERE seller_id = ? AND status = 'paid'",
        )
        .bind(&seller.id)
        .fetch_one(&mut *conn)
        .await?;
        let last: Option<String> =
            sqlx::query_scalar("SELECT MAX(created_at) FROM payouts WHERE seller_id = ?")
                .bind(&seller.id)
                .fetch_one(&mut *conn)
                .await?;
        let last = parse_ts_opt(last.as_deref())?.map(|at| at.date_naive());
        Ok(PayoutStats {
            available: Money::new(available, seller.currency),
            pending: Money::new(pending, seller.currency),
            next_payout_date: next_payout_date(seller.payout_schedule, now.date_naive(), last),
            schedule: seller.payout_schedule,
            lifetime_paid: Money::new(lifetime, seller.currency),
        })
    }

    /// The seller's payouts made in `year` (and `month`), newest first; all when `year` is
    /// `None`.
    pub async fn payout_history(
        &self,
        seller: &Seller,
        range: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<PayoutHistory> {
        let (from, until) = match range {
            Some((from, until)) => (date(from), date(until)),
            None => ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        let rows: Vec<PayoutRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{PAYOUT_COLUMNS} WHERE seller_id = ? AND created_at >= ? AND created_at < ? \
             ORDER BY created_at DESC, id DESC"
        )))
        .bind(&seller.id)
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let payouts = rows
            .into_iter()
            .map(Payout::try_from)
            .collect::<Result<Vec<_>>>()?;
        let mut total_paid = Money::zero(seller.currency);
        for payout in payouts.iter().filter(|p| p.status == PayoutStatus::Paid) {
            total_paid = total_paid
                .checked_add(payout.amount)
                .map_err(|err| Error::Corrupt(format!("payout sum: {err}")))?;
        }
        Ok(PayoutHistory {
            payouts,
            total_paid,
        })
    }
}

/// Pays out one seller's orders completed by `at`, as one paid payout named `id`.
pub(super) async fn run_payout_in(
    conn: &mut SqliteConnection,
    seller_id: &str,
    at: DateTime<Utc>,
    id: &str,
) -> Result<Option<Payout>> {
    let cutoff = ts(at);
    let (count, amount, first, last): (i64, i64, Option<String>, Option<String>) =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), COALESCE(SUM(total_minor), 0), MIN(completed_at), MAX(completed_at) \
             FROM orders WHERE {PAYABLE}"
        )))
        .bind(seller_id)
        .bind(&cutoff)
        .fetch_one(&mut *conn)
        .await?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None);
    };
    if count == 0 {
        return Ok(None);
    }
    let currency: String = sqlx::query_scalar("SELECT currency FROM sellers WHERE id = ?")
        .bind(seller_id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO payouts (id, seller_id, amount_minor, currency, status, period_start, \
         period_end, paid_at, order_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(seller_id)
    .bind(amount)
    .bind(&currency)
    .bind(name(PayoutStatus::Paid)?)
    .bind(date(parse_ts(&first)?.date_naive()))
    .bind(date(parse_ts(&last)?.date_naive()))
    .bind(&cutoff)
    .bind(count)
    .bind(&cutoff)
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE orders SET payout_id = ? WHERE {PAYABLE}"
    )))
    .bind(id)
    .bind(seller_id)
    .bind(&cutoff)
    .execute(&mut *conn)
    .await?;
    let row: PayoutRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PAYOUT_COLUMNS} WHERE id = ?"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Payout::try_from(row).map(Some)
}

/// Weekly payouts go out on Mondays, biweekly ones two weeks after the last, monthly ones on
/// the first of the month; always after `today`.
pub fn next_payout_date(
    schedule: PayoutSchedule,
    today: NaiveDate,
    last: Option<NaiveDate>,
) -> NaiveDate {
    let next_monday = {
        let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
        today.checked_add_days(Days::new(ahead)).unwrap_or(today)
    };
    match schedule {
        PayoutSchedule::Weekly => next_monday,
        PayoutSchedule::Biweekly => last
            .and_then(|day| day.checked_add_days(Days::new(14)))
            .filter(|day| *day > today)
            .unwrap_or(next_monday),
        PayoutSchedule::Monthly => {
            let (year, month) = if today.month() == 12 {
                (today.year() + 1, 1)
            } else {
                (today.year(), today.month() + 1)
            };
            NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(next_monday)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_payout_dates() {
        let wed = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let mon = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(next_payout_date(PayoutSchedule::Weekly, wed, None), mon);
        assert_eq!(
            next_payout_date(PayoutSchedule::Weekly, mon, None),
            mon + Days::new(7)
        );
        assert_eq!(
            next_payout_date(PayoutSchedule::Monthly, wed, None),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        let last = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(
            next_payout_date(PayoutSchedule::Biweekly, wed, Some(last)),
            NaiveDate::from_ymd_opt(2026, 3, 16).unwrap()
        );
    }
}
