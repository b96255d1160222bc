//! The dashboard figures (sales, revenue, visitors, conversion, top products, the last
//! twelve months, month-to-date growth) and visit counting. Cancelled orders count nowhere.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sellerdash_api::{DashboardStats, Money, MonthlyPoint, Period, TopProduct};
use sqlx::SqliteConnection;

use super::codec::{date, parse_ts, to_u64, ts};
use super::sellers::{Seller, seller_in};
use super::{Error, Result, Store};
use crate::echo::clip;

/// When a period that ends at `now` starts.
pub fn period_start(period: Period, now: DateTime<Utc>) -> DateTime<Utc> {
    let midnight = now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc();
    match period {
        Period::Today => midnight,
        Period::Days7 => now - chrono::Duration::days(7),
        Period::Days30 => now - chrono::Duration::days(30),
        Period::Months12 => now.checked_sub_months(Months::new(12)).unwrap_or(midnight),
    }
}

/// The month-to-date windows as of `now`: this month's start (its window ends at `now`),
/// and `[from, until)` in the previous month: the same elapsed time from that month's start,
/// cut at its end when the previous month is shorter.
pub fn month_to_date(now: DateTime<Utc>) -> (DateTime<Utc>, (DateTime<Utc>, DateTime<Utc>)) {
    let midnight = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
    let start = midnight(month_start(now.date_naive(), 0));
    let prev_start = midnight(month_start(now.date_naive(), 1));
    let until = (prev_start + (now - start)).min(start);
    (start, (prev_start, until))
}

/// `current` against `previous` in basis points, truncated toward zero; `None` without a
/// previous revenue to compare with.
pub fn growth_bp(current: i64, previous: i64) -> Option<i64> {
    if previous == 0 {
        return None;
    }
    let prev = i128::from(previous);
    i64::try_from((i128::from(current) - prev) * 10_000 / prev).ok()
}

/// The first day of the month `back` months before `day`'s month.
fn month_start(day: NaiveDate, back: u32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

impl Store {
    /// The seller's dashboard for `period` as of `now`.
    pub async fn dashboard(
        &self,
        seller: &Seller,
        period: Period,
        now: DateTime<Utc>,
    ) -> Result<DashboardStats> {
        let mut conn = self.pool.acquire().await?;
        let start = period_start(period, now);
        let cur = seller.currency;

        let (sales, revenue): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(total_minor), 0) FROM orders \
             WHERE seller_id = ? AND status <> 'cancelled' AND created_at >= ? AND created_at <= ?",
        )
        .bind(&seller.id)
        .bind(ts(start))
        .bind(ts(now))
        .fetch_one(&mut *conn)
        .await?;
        let visitors: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(count), 0) FROM visits WHERE seller_id = ? AND day >= ? AND day <= ?",
        )
        .bind(&seller.id)
        .bind(date(start.date_naive()))
        .bind(date(now.date_naive()))
        .fetch_one(&mut *conn)
        .await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders WHERE seller_id = ? AND status = 'pending'",
        )
        .bind(&seller.id)
        .fetch_one(&mut *conn)
        .await?;

        let top: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT i.product_id, MIN(i.name), SUM(i.quantity), SUM(i.line_total_minor) \
             FROM order_items i JOIN orders o ON o.id = i.order_id \
             WHERE o.seller_id = ? AND o.status <> 'cancelled' AND o.created_at >= ? AND o.created_at <= ? \
             GROUP BY i.product_id ORDER BY SUM(i.line_total_minor) DESC, i.product_id LIMIT 10",
        )
        .bind(&seller.id)
        .bind(ts(start))
        .bind(ts(now))
        .fetch_all(&mut *conn)
        .await?;
        let top_products = top
            .into_iter()
            .map(|(product_id, name, units, revenue)| {
                Ok(TopProduct {
                    product_id,
                    name,
                    units: to_u64(units, "units")?,
                    revenue: Money::new(revenue, cur),
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let monthly = monthly_points(&mut conn, seller, now).await?;
        let (_, (prev_from, prev_until)) = month_to_date(now);
        let previous: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(total_minor), 0) FROM orders \
             WHERE seller_id = ? AND status <> 'cancelled' AND created_at >= ? AND created_at < ?",
        )
        .bind(&seller.id)
        .bind(ts(prev_from))
        .bind(ts(prev_until))
        .fetch_one(&mut *conn)
        .await?;
        // The last point is this month until `now`, the month-to-date revenue.
        let current = monthly.last().map_or(0, |p| p.revenue.amount_minor);
        let growth = growth_bp(current, previous);

        let sales_count = to_u64(sales, "sales")?;
        let visitors = to_u64(visitors, "visitors")?;
        let conversion = sales_count
            .saturating_mul(10_000)
            .checked_div(visitors)
            .unwrap_or(0);
        let average = if sales == 0 { 0 } else { revenue / sales };
        Ok(DashboardStats {
            period,
            period_start: start,
            sales_count,
            revenue: Money::new(revenue, cur),
            visitors,
            conversion_rate_bp: u32::try_from(conversion).unwrap_or(u32::MAX),
            average_order_value: Money::new(average, cur),
            pending_orders: to_u64(pending, "pending")?,
            top_products,
            monthly,
            monthly_growth_bp: growth,
            generated_at: now,
        })
    }

    /// Adds `count` visits to the seller's shop on `day`.
    pub async fn record_visits(&self, seller_id: &str, day: NaiveDate, count: u32) -> Result<()> {
        let mut tx = self.write_tx().await?;
        if seller_in(&mut tx, seller_id).await?.is_none() {
            return Err(Error::NotFound(format!("no seller {:?}", clip(seller_id))));
        }
        add_visits_in(&mut tx, seller_id, day, i64::from(count)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The last twelve calendar months, oldest first, the current month last.
async fn monthly_points(
    conn: &mut SqliteConnection,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<Vec<MonthlyPoint>> {
    let today = now.date_naive();
    let first = month_start(today, 11);
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT created_at, total_minor FROM orders \
         WHERE seller_id = ? AND status <> 'cancelled' AND created_at >= ? AND created_at <= ?",
    )
    .bind(&seller.id)
    .bind(date(first))
    .bind(ts(now))
    .fetch_all(&mut *conn)
    .await?;
    let mut points: Vec<MonthlyPoint> = (0..12)
        .rev()
        .map(|back| {
            let start = month_start(today, back);
            MonthlyPoint {
                year: start.year(),
                month: start.month(),
                orders: 0,
                revenue: Money::zero(seller.currency),
            }
        })
        .collect();
    for (created_at, total) in rows {
        let day = parse_ts(&created_at)?.date_naive();
        if let Some(point) = points
            .iter_mut()
            .find(|p| p.year == day.year() && p.month == day.month())
        {
            point.orders += 1;
            point.revenue.amount_minor = point
                .revenue
                .amount_minor
                .checked_add(total)
                .ok_or_else(|| Error::Corrupt("monthly revenue overflows".to_owned()))?;
        }
    }
    Ok(points)
}

pub(super) async fn add_visits_in(
    conn: &mut SqliteConnection,
    seller_id: &str,
    day: NaiveDate,
    count: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO visits (seller_id, day, count) VALUES (?, ?, ?) \
         ON CONFLICT (seller_id, day) DO UPDATE SET count = visits.count + excluded.count",
    )
    .bind(seller_id)
    .bind(date(day))
    .bind(count)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn month_to_date_compares_the_same_elapsed_span() {
        let (start, prev) = month_to_date(at("2026-03-03T12:00:00Z"));
        assert_eq!(start, at("2026-03-01T00:00:00Z"));
        assert_eq!(
            prev,
            (at("2026-02-01T00:00:00Z"), at("2026-02-03T12:00:00Z"))
        );
        // 30.5 days into March: February has only 28, so all of it.
        let (_, prev) = month_to_date(at("2026-03-31T12:00:00Z"));
        assert_eq!(
            prev,
            (at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))
        );
        // Across a year; the first instant of a month compares nothing with nothing.
        let (start, prev) = month_to_date(at("2026-01-01T00:00:00Z"));
        assert_eq!(start, at("2026-01-01T00:00:00Z"));
        assert_eq!(
            prev,
            (at("2025-12-01T00:00:00Z"), at("2025-12-01T00:00:00Z"))
        );
    }

    #[test]
    fn growth_is_exact_basis_points() {
        assert_eq!(growth_bp(11_250, 10_000), Some(1_250));
        assert_eq!(growth_bp(1_023, 10_000), Some(-8_977));
        assert_eq!(growth_bp(0, 3), Some(-10_000));
        assert_eq!(growth_bp(2, 3), Some(-3_333));
        assert_eq!(growth_bp(5, 0), None);
    }
}
