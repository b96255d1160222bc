//! The dashboard figures (sales, revenue, visitors, conversion, top products, revenue over
//! time against the previous period, the last twelve months, month-to-date growth) and visit
//! counting. Periods and buckets follow the store's calendar in its own time zone, daylight
//! saving included. Cancelled orders count nowhere.

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;
use sellerdash_api::{DashboardStats, Money, MonthlyPoint, Period, RevenuePoint, TopProduct};
use sqlx::SqliteConnection;

use super::codec::{date, parse_ts, to_u64, ts};
use super::sellers::{Seller, seller_in};
use super::{Error, Result, Store};
use crate::echo::clip;

/// The instant the store's wall clock in `tz` shows `local`. An ambiguous time (the hour
/// repeated when the clocks go back) is its first occurrence; a time the clocks skip (going
/// forward) is the first instant after the gap.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    // No zone skips more than a day; 15 minutes is the finest offset step there is.
    for _ in 0..=96 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => return at.to_utc(),
            LocalResult::None => probe += TimeDelta::minutes(15),
        }
    }
    local.and_utc()
}

/// The first instant of the store's calendar day `day` in `tz`.
pub fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    local_instant(tz, day.and_time(NaiveTime::MIN))
}

/// The calendar windows of a dashboard period ending at `now`, on the store's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodWindows {
    /// The period's first instant (the store's midnight of its first day).
    pub start: DateTime<Utc>,
    /// The store's first and last calendar day of the period (for the daily visits).
    pub days: (NaiveDate, NaiveDate),
    /// The previous period of the same length, `[from, until)`: the same window one period
    /// earlier on the store's calendar, until the same elapsed point.
    pub previous: (DateTime<Utc>, DateTime<Utc>),
    /// The buckets' first instants and their wall-clock times, oldest first, covering the
    /// whole period: the store's hours of today, its days, or its months.
    pub buckets: Vec<(DateTime<Utc>, NaiveDateTime)>,
}

/// The windows of `period` as of `now` for a store in `tz`: today from the store's
/// midnight in hourly buckets (23 or 25 of them on a daylight-saving day), 7 and 30 days as
/// that many store days including today in daily buckets, 12 months as that many store
/// months including this one in monthly buckets.
pub fn period_windows(period: Period, tz: Tz, now: DateTime<Utc>) -> PeriodWindows {
    let local_now = now.with_timezone(&tz).naive_local();
    let today = local_now.date();
    let back_days = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let days_ago = |n: u64| {
        local_now
            .checked_sub_days(Days::new(n))
            .unwrap_or(local_now)
    };
    let (first, previous_first, previous_now) = match period {
        Period::Today => (today, back_days(1), days_ago(1)),
        Period::Days7 => (back_days(6), back_days(13), days_ago(7)),
        Period::Days30 => (back_days(29), back_days(59), days_ago(30)),
        Period::Months12 => (
            month_start(today, 11),
            month_start(today, 23),
            local_now
                .checked_sub_months(Months::new(12))
                .unwrap_or(local_now),
        ),
    };
    let start = local_midnight(tz, first);
    let wall = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
    let buckets = match period {
        Period::Today => {
            let end = local_midnight(tz, today.succ_opt().unwrap_or(today));
            let mut hours = Vec::new();
            let mut at = start;
            while at < end {
                hours.push((at, wall(at)));
                at += TimeDelta::hours(1);
            }
            hours
        }
        Period::Days7 | Period::Days30 => first
            .iter_days()
            .take_while(|day| *day <= today)
            .map(|day| {
                let at = local_midnight(tz, day);
                (at, wall(at))
            })
            .collect(),
        Period::Months12 => (0..12)
            .rev()
            .map(|back| {
                let at = local_midnight(tz, month_start(today, back));
                (at, wall(at))
            })
            .collect(),
    };
    PeriodWindows {
        start,
        days: (first, today),
        previous: (
            local_midnight(tz, previous_first),
            local_instant(tz, previous_now),
        ),
        buckets,
    }
}

/// When a period that ends at `now` starts for a store in `tz`.
pub fn period_start(period: Period, tz: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    period_windows(period, tz, now).start
}

/// The month-to-date windows as of `now` on the calendar of `tz`: this month's start (its
/// window ends at `now`), and `[from, until)` in the previous month: the same elapsed time
/// from that month's start, cut at its end when the previous month is shorter.
pub fn month_to_date(
    tz: Tz,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, (DateTime<Utc>, DateTime<Utc>)) {
    let today = now.with_timezone(&tz).date_naive();
    let start = local_midnight(tz, month_start(today, 0));
    let prev_start = local_midnight(tz, month_start(today, 1));
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

/// Orders per visitor in basis points, rounded to the nearest (half up): 198 of 8,156 is
/// 243 (2.43 %), not 242. No visitors make 0.
pub fn conversion_bp(sales: u64, visitors: u64) -> u32 {
    let sales = u128::from(sales);
    let visitors = u128::from(visitors);
    let bp = (sales * 20_000 + visitors)
        .checked_div(visitors * 2)
        .unwrap_or(0);
    u32::try_from(bp).unwrap_or(u32::MAX)
}

/// The first day of the month `back` months before `day`'s month.
fn month_start(day: NaiveDate, back: u32) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

/// Adds `amount` to `total`. Order totals are capped ([`super::MAX_ORDER_TOTAL_MINOR`]) so
/// that this cannot overflow with orders the server took; one that does is a store written
/// around the server, and an error rather than a wrong figure.
fn add_minor(total: &mut i64, amount: i64, what: &str) -> Result<()> {
    *total = total.checked_add(amount).ok_or_else(|| {
        Error::Corrupt(format!(
            "{what} overflows 64 bits: the store holds orders larger than the server accepts"
        ))
    })?;
    Ok(())
}

impl Store {
    /// The seller's dashboard for `period` as of `now`, on the store's calendar. Only orders
    /// in the seller's currency are summed (the server creates no other; a foreign row would
    /// be a corrupt store and is left out rather than added to the wrong unit).
    pub async fn dashboard(
        &self,
        seller: &Seller,
        period: Period,
        now: DateTime<Utc>,
    ) -> Result<DashboardStats> {
        let mut conn = self.pool.acquire().await?;
        let tz = seller.time_zone;
        let windows = period_windows(period, tz, now);
        let start = windows.start;
        let cur = seller.currency;

        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT created_at, total_minor FROM orders \
             WHERE seller_id = ? AND currency = ? AND status <> 'cancelled' \
             AND created_at >= ? AND created_at <= ?",
        )
        .bind(&seller.id)
        .bind(cur.as_str())
        .bind(ts(start))
        .bind(ts(now))
        .fetch_all(&mut *conn)
        .await?;
        let mut series: Vec<RevenuePoint> = windows
            .buckets
            .iter()
            .map(|(start, local_start)| RevenuePoint {
                start: *start,
                local_start: *local_start,
                orders: 0,
                revenue: Money::zero(cur),
            })
            .collect();
        let (mut sales, mut revenue) = (0_u64, 0_i64);
        for (created_at, total) in rows {
            let created = parse_ts(&created_at)?;
            sales += 1;
            add_minor(&mut revenue, total, "revenue")?;
            let index = series.partition_point(|point| point.start <= created);
            if let Some(point) = index.checked_sub(1).and_then(|i| series.get_mut(i)) {
                point.orders += 1;
                add_minor(&mut point.revenue.amount_minor, total, "bucket revenue")?;
            }
        }
        let (prev_from, prev_until) = windows.previous;
        let previous_revenue = revenue_between(&mut conn, seller, prev_from, prev_until).await?;

        let visitors: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(count), 0) FROM visits WHERE seller_id = ? AND day >= ? AND day <= ?",
        )
        .bind(&seller.id)
        .bind(date(windows.days.0))
        .bind(date(windows.days.1))
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
             WHERE o.seller_id = ? AND o.currency = ? AND o.status <> 'cancelled' \
             AND o.created_at >= ? AND o.created_at <= ? \
             GROUP BY i.product_id ORDER BY SUM(i.line_total_minor) DESC, i.product_id LIMIT 10",
        )
        .bind(&seller.id)
        .bind(cur.as_str())
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
        let (_, (mtd_from, mtd_until)) = month_to_date(tz, now);
        let previous_mtd = revenue_between(&mut conn, seller, mtd_from, mtd_until).await?;
        // The last point is this month until `now`, the month-to-date revenue.
        let current_mtd = monthly.last().map_or(0, |p| p.revenue.amount_minor);

        let visitors = to_u64(visitors, "visitors")?;
        let conversion = conversion_bp(sales, visitors);
        let average = i64::try_from(sales)
            .ok()
            .and_then(|n| revenue.checked_div(n))
            .unwrap_or(0);
        Ok(DashboardStats {
            period,
            time_zone: tz.name().to_owned(),
            period_start: start,
            sales_count: sales,
            revenue: Money::new(revenue, cur),
            visitors,
            conversion_rate_bp: conversion,
            average_order_value: Money::new(average, cur),
            pending_orders: to_u64(pending, "pending")?,
            top_products,
            monthly,
            monthly_growth_bp: growth_bp(current_mtd, previous_mtd),
            series,
            previous_revenue: Money::new(previous_revenue, cur),
            change_bp: growth_bp(revenue, previous_revenue),
            generated_at: now,
        })
    }

    /// Adds `count` visits to the seller's shop on the store's calendar day that `at` falls
    /// on (its own time zone, as the dashboard reads them).
    pub async fn record_visits(
        &self,
        seller_id: &str,
        at: DateTime<Utc>,
        count: u32,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let Some(seller) = seller_in(&mut tx, seller_id).await? else {
            return Err(Error::NotFound(format!("no seller {:?}", clip(seller_id))));
        };
        let day = at.with_timezone(&seller.time_zone).date_naive();
        add_visits_in(&mut tx, seller_id, day, i64::from(count)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Revenue in the seller's currency of the orders placed in `[from, until)`.
async fn revenue_between(
    conn: &mut SqliteConnection,
    seller: &Seller,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<i64> {
    let revenue: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(total_minor), 0) FROM orders \
         WHERE seller_id = ? AND currency = ? AND status <> 'cancelled' \
         AND created_at >= ? AND created_at < ?",
    )
    .bind(&seller.id)
    .bind(seller.currency.as_str())
    .bind(ts(from))
    .bind(ts(until))
    .fetch_one(&mut *conn)
    .await?;
    Ok(revenue)
}

/// The last twelve calendar months of the store, oldest first, the current month last.
async fn monthly_points(
    conn: &mut SqliteConnection,
    seller: &Seller,
    now: DateTime<Utc>,
) -> Result<Vec<MonthlyPoint>> {
    let tz = seller.time_zone;
    let today = now.with_timezone(&tz).date_naive();
    let first = local_midnight(tz, month_start(today, 11));
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT created_at, total_minor FROM orders \
         WHERE seller_id = ? AND currency = ? AND status <> 'cancelled' \
         AND created_at >= ? AND created_at <= ?",
    )
    .bind(&seller.id)
    .bind(seller.currency.as_str())
    .bind(ts(first))
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
        let day = parse_ts(&created_at)?.with_timezone(&tz).date_naive();
        if let Some(point) = points
            .iter_mut()
            .find(|p| p.year == day.year() && p.month == day.month())
        {
            point.orders += 1;
            add_minor(&mut point.revenue.amount_minor, total, "monthly revenue")?;
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
        let (start, prev) = month_to_date(Tz::UTC, at("2026-03-03T12:00:00Z"));
        assert_eq!(start, at("2026-03-01T00:00:00Z"));
        assert_eq!(
            prev,
            (at("2026-02-01T00:00:00Z"), at("2026-02-03T12:00:00Z"))
        );
        // 30.5 days into March: February has only 28, so all of it.
        let (_, prev) = month_to_date(Tz::UTC, at("2026-03-31T12:00:00Z"));
        assert_eq!(
            prev,
            (at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))
        );
        // Across a year; the first instant of a month compares nothing with nothing.
        let (start, prev) = month_to_date(Tz::UTC, at("2026-01-01T00:00:00Z"));
        assert_eq!(start, at("2026-01-01T00:00:00Z"));
        assert_eq!(
            prev,
            (at("2025-12-01T00:00:00Z"), at("2025-12-01T00:00:00Z"))
        );
    }

    const BERLIN: Tz = Tz::Europe__Berlin;

    fn wall(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn today_starts_at_the_stores_midnight_and_has_its_hours() {
        // 29 March 2026: Berlin springs forward at 02:00 CET to 03:00 CEST, a 23-hour day.
        let w = period_windows(Period::Today, BERLIN, at("2026-03-29T10:00:00Z"));
        assert_eq!(w.start, at("2026-03-28T23:00:00Z"));
        assert_eq!(w.buckets.len(), 23);
        let hours: Vec<String> = w.buckets[..4]
            .iter()
            .map(|(_, local)| local.format("%H:%M").to_string())
            .collect();
        assert_eq!(hours, ["00:00", "01:00", "03:00", "04:00"]);
        assert_eq!(w.buckets[2].0, at("2026-03-29T01:00:00Z"));
        // Yesterday until the same wall-clock time (12:00 CEST is 11:00 CET the day before).
        assert_eq!(
            w.previous,
            (at("2026-03-27T23:00:00Z"), at("2026-03-28T11:00:00Z"))
        );

        // 25 October 2026: back from 03:00 CEST to 02:00 CET, a 25-hour day whose 02:00
        // comes twice.
        let w = period_windows(Period::Today, BERLIN, at("2026-10-25T20:00:00Z"));
        assert_eq!(w.start, at("2026-10-24T22:00:00Z"));
        assert_eq!(w.buckets.len(), 25);
        assert_eq!(w.buckets[2].1, wall("2026-10-25 02:00"));
        assert_eq!(w.buckets[3].1, wall("2026-10-25 02:00"));
        assert_eq!(w.buckets[24].1, wall("2026-10-25 23:00"));

        // Just after midnight in Berlin it is still yesterday in UTC: today is the store's.
        let w = period_windows(Period::Today, BERLIN, at("2026-07-01T22:30:00Z"));
        assert_eq!(w.start, at("2026-07-01T22:00:00Z"));
        let july_2 = NaiveDate::from_ymd_opt(2026, 7, 2).unwrap();
        assert_eq!(w.days, (july_2, july_2));
    }

    #[test]
    fn conversion_rounds_to_the_nearest_basis_point() {
        assert_eq!(conversion_bp(198, 8_156), 243);
        assert_eq!(conversion_bp(1, 8), 1_250);
        assert_eq!(conversion_bp(1, 3), 3_333);
        assert_eq!(conversion_bp(2, 3), 6_667);
        assert_eq!(conversion_bp(1, 20_000), 1, "half a basis point rounds up");
        assert_eq!(conversion_bp(5, 0), 0);
        assert_eq!(conversion_bp(u64::MAX, 1), u32::MAX);
    }

    #[test]
    fn day_buckets_are_the_stores_calendar_days_across_dst() {
        // 7 days to Wednesday 1 April 2026 noon: 26 March to 1 April, the 23-hour 29 March
        // one bucket among them.
        let w = period_windows(Period::Days7, BERLIN, at("2026-04-01T10:00:00Z"));
        let starts: Vec<_> = w.buckets.iter().map(|(start, _)| *start).collect();
        assert_eq!(
            starts,
            [
                at("2026-03-25T23:00:00Z"),
                at("2026-03-26T23:00:00Z"),
                at("2026-03-27T23:00:00Z"),
                at("2026-03-28T23:00:00Z"),
                at("2026-03-29T22:00:00Z"),
                at("2026-03-30T22:00:00Z"),
                at("2026-03-31T22:00:00Z"),
            ]
        );
        assert!(
            w.buckets
                .iter()
                .all(|(_, local)| local.time() == NaiveTime::MIN)
        );
        assert_eq!(w.start, starts[0]);
        // The 7 days before, until the same time of day a week ago.
        assert_eq!(
            w.previous,
            (at("2026-03-18T23:00:00Z"), at("2026-03-25T11:00:00Z"))
        );

        // 30 days to 10 November 2026 hold the 25-hour 25 October once.
        let w = period_windows(Period::Days30, BERLIN, at("2026-11-10T12:00:00Z"));
        assert_eq!(w.buckets.len(), 30);
        let oct_25 = w
            .buckets
            .iter()
            .position(|(_, local)| *local == wall("2026-10-25 00:00"))
            .unwrap();
        assert_eq!(w.buckets[oct_25].0, at("2026-10-24T22:00:00Z"));
        assert_eq!(w.buckets[oct_25 + 1].0, at("2026-10-25T23:00:00Z"));
    }

    #[test]
    fn months_are_the_stores_calendar_months() {
        // 1 March 00:30 in Berlin is still February in UTC.
        let w = period_windows(Period::Months12, BERLIN, at("2026-02-28T23:30:00Z"));
        assert_eq!(w.buckets.len(), 12);
        assert_eq!(
            w.buckets[11],
            (at("2026-02-28T23:00:00Z"), wall("2026-03-01 00:00"))
        );
        assert_eq!(w.buckets[0].1, wall("2025-04-01 00:00"));
        assert_eq!(w.start, at("2025-03-31T22:00:00Z"));
        let (start, _) = month_to_date(BERLIN, at("2026-02-28T23:30:00Z"));
        assert_eq!(start, at("2026-02-28T23:00:00Z"));
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_after_the_gap() {
        // Chile sprang forward at midnight on 11 September 2022: that day began at 01:00.
        let santiago = Tz::America__Santiago;
        let day = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        assert_eq!(local_midnight(santiago, day), at("2022-09-11T04:00:00Z"));
        let w = period_windows(Period::Today, santiago, at("2022-09-11T15:00:00Z"));
        assert_eq!(w.start, at("2022-09-11T04:00:00Z"));
        assert_eq!(w.buckets.len(), 23);
        assert_eq!(w.buckets[0].1, wall("2022-09-11 01:00"));
        // A repeated hour is its first occurrence.
        assert_eq!(
            local_instant(BERLIN, wall("2026-10-25 02:30")),
            at("2026-10-25T00:30:00Z")
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
