//! The dashboard on the store's calendar with fixed timestamps: orders at local 00:30 and
//! 23:30 around Berlin's daylight-saving changes land in the right local day, the DST day is
//! one bucket, "today" begins at the store's midnight, the previous period is compared.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sellerdash_api::{Currency, Customer, DashboardStats, PaymentMethod, PayoutSchedule, Period};
use sellerdash_server::Store;
use sellerdash_server::store::{NewOrder, NewOrderItem, NewProduct, SeedOp, Seller};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A Berlin store selling one product at 100.00 (free shipping: quantity n is n × 10 000).
async fn berlin_store(dir: &tempfile::TempDir) -> (Store, Seller) {
    let store = Store::open(&dir.path().join("tz.db")).await.unwrap();
    let seller = Seller {
        id: "sel_tz".to_owned(),
        name: "Berlin Shop".to_owned(),
        currency: Currency::EUR,
        token: Some("tz-token".to_owned()),
        payout_schedule: PayoutSchedule::Weekly,
        time_zone: Tz::Europe__Berlin,
        created_at: at("2025-01-01T00:00:00Z"),
    };
    let product = NewProduct {
        id: "prd_tz".to_owned(),
        sku: "TZ-1".to_owned(),
        name: "Lamp".to_owned(),
        price_minor: 10_000,
    };
    let ops = [
        SeedOp::Seller(seller.clone()),
        SeedOp::Product {
            seller_id: seller.id.clone(),
            product,
            at: seller.created_at,
        },
    ];
    assert!(store.seed(&ops).await.unwrap());
    (store, seller)
}

async fn order(store: &Store, n: usize, created: &str, quantity: u32) {
    let new = NewOrder {
        id: format!("ord_tz_{n}"),
        seller_id: "sel_tz".to_owned(),
        customer: Customer {
            name: "Ada Buyer".to_owned(),
            email: "ada@example.com".to_owned(),
            city: "Berlin".to_owned(),
            country: "DE".to_owned(),
        },
        items: vec![NewOrderItem {
            product_id: "prd_tz".to_owned(),
            quantity,
        }],
        payment_method: PaymentMethod::Card,
        paid: true,
        created_at: at(created),
    };
    store.create_order(&new).await.unwrap();
}

/// `(local day, orders, revenue in whole euros)` of each bucket.
fn days(dash: &DashboardStats) -> Vec<(String, u64, i64)> {
    dash.series
        .iter()
        .map(|p| {
            (
                p.local_start.format("%m-%d").to_string(),
                p.orders,
                p.revenue.amount_minor / 100,
            )
        })
        .collect()
}

fn wall(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

#[tokio::test]
async fn spring_forward_week_buckets_local_days() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = berlin_store(&dir).await;
    // Local times (CET is UTC+1 until 29 March 02:00, CEST UTC+2 after).
    order(&store, 1, "2026-03-27T23:30:00Z", 1).await; // 28 Mar 00:30 CET
    order(&store, 2, "2026-03-28T22:30:00Z", 2).await; // 28 Mar 23:30 CET
    order(&store, 3, "2026-03-28T23:30:00Z", 3).await; // 29 Mar 00:30 CET (DST day)
    order(&store, 4, "2026-03-29T21:30:00Z", 4).await; // 29 Mar 23:30 CEST (DST day)
    order(&store, 5, "2026-03-29T22:30:00Z", 5).await; // 30 Mar 00:30 CEST
    order(&store, 6, "2026-03-25T22:59:59Z", 9).await; // 25 Mar 23:59:59 CET: the first day
    order(&store, 7, "2026-03-24T22:59:59Z", 8).await; // 24 Mar 23:59:59 CET: before the week

    // A week to Tuesday 31 March 12:00 CEST: 25 March to 31 March.
    let dash = store
        .dashboard(&seller, Period::Days7, at("2026-03-31T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(dash.time_zone, "Europe/Berlin");
    assert_eq!(dash.period_start, at("2026-03-24T23:00:00Z"));
    assert_eq!(
        days(&dash),
        [
            ("03-25".into(), 1, 900),
            ("03-26".into(), 0, 0),
            ("03-27".into(), 0, 0),
            ("03-28".into(), 2, 300),
            ("03-29".into(), 2, 700),
            ("03-30".into(), 1, 500),
            ("03-31".into(), 0, 0),
        ]
    );
    assert_eq!(dash.sales_count, 6);
    assert_eq!(dash.revenue.amount_minor, 240_000);
    let series_total: i64 = dash.series.iter().map(|p| p.revenue.amount_minor).sum();
    assert_eq!(series_total, dash.revenue.amount_minor);

    // Today on the DST day, at 23:45 CEST: 23 hourly buckets from the store's midnight.
    let today = store
        .dashboard(&seller, Period::Today, at("2026-03-29T21:45:00Z"))
        .await
        .unwrap();
    assert_eq!(today.period_start, at("2026-03-28T23:00:00Z"));
    assert_eq!(today.series.len(), 23);
    assert_eq!((today.sales_count, today.revenue.amount_minor), (2, 70_000));
    let busy: Vec<_> = today
        .series
        .iter()
        .filter(|p| p.orders > 0)
        .map(|p| p.local_start)
        .collect();
    assert_eq!(busy, [wall("2026-03-29 00:00"), wall("2026-03-29 23:00")]);
    // Yesterday (28 March) until 23:45 held orders 1 and 2: 300 against 700 is +133.33 %.
    assert_eq!(today.previous_revenue.amount_minor, 30_000);
    assert_eq!(today.change_bp, Some(13_333));
    store.close().await;
}

#[tokio::test]
async fn fall_back_week_buckets_local_days() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = berlin_store(&dir).await;
    // CEST is UTC+2 until 25 October 03:00, CET UTC+1 after.
    order(&store, 1, "2026-10-24T22:30:00Z", 1).await; // 25 Oct 00:30 CEST (DST day)
    order(&store, 2, "2026-10-25T00:30:00Z", 2).await; // 25 Oct 02:30 CEST (first 02:30)
    order(&store, 3, "2026-10-25T01:30:00Z", 3).await; // 25 Oct 02:30 CET (second 02:30)
    order(&store, 4, "2026-10-25T22:30:00Z", 4).await; // 25 Oct 23:30 CET (DST day)
    order(&store, 5, "2026-10-25T23:30:00Z", 5).await; // 26 Oct 00:30 CET
    order(&store, 6, "2026-10-23T21:30:00Z", 6).await; // 23 Oct 23:30 CEST

    let dash = store
        .dashboard(&seller, Period::Days7, at("2026-10-27T11:00:00Z"))
        .await
        .unwrap();
    assert_eq!(dash.period_start, at("2026-10-20T22:00:00Z"));
    let got = days(&dash);
    assert_eq!(got.len(), 7);
    assert_eq!(got[2], ("10-23".into(), 1, 600));
    assert_eq!(got[4], ("10-25".into(), 4, 1_000));
    assert_eq!(got[5], ("10-26".into(), 1, 500));
    // The 25-hour day's bucket runs from 22:00Z to 23:00Z the next day.
    assert_eq!(dash.series[4].start, at("2026-10-24T22:00:00Z"));
    assert_eq!(dash.series[5].start, at("2026-10-25T23:00:00Z"));

    // On that day "today" has 25 hours; the repeated 02:00 is two buckets.
    let today = store
        .dashboard(&seller, Period::Today, at("2026-10-25T22:45:00Z"))
        .await
        .unwrap();
    assert_eq!(today.series.len(), 25);
    let twos: Vec<_> = today
        .series
        .iter()
        .filter(|p| p.local_start == wall("2026-10-25 02:00"))
        .map(|p| (p.orders, p.revenue.amount_minor))
        .collect();
    assert_eq!(twos, [(1, 20_000), (1, 30_000)]);
    assert_eq!(today.sales_count, 4);

    // Just after the store's midnight: today is 26 October and holds only order 5, although
    // in UTC it is still the 25th.
    let early = store
        .dashboard(&seller, Period::Today, at("2026-10-25T23:45:00Z"))
        .await
        .unwrap();
    assert_eq!(early.period_start, at("2026-10-25T23:00:00Z"));
    assert_eq!((early.sales_count, early.revenue.amount_minor), (1, 50_000));
    store.close().await;
}

#[tokio::test]
async fn no_previous_revenue_means_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = berlin_store(&dir).await;
    order(&store, 1, "2026-05-10T08:00:00Z", 1).await;
    let dash = store
        .dashboard(&seller, Period::Days30, at("2026-05-11T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(dash.previous_revenue.amount_minor, 0);
    assert_eq!(dash.change_bp, None);
    assert_eq!(dash.series.len(), 30);
    let year = store
        .dashboard(&seller, Period::Months12, at("2026-05-11T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(year.series.len(), 12);
    assert_eq!(year.series[11].local_start, wall("2026-05-01 00:00"));
    assert_eq!(
        (year.series[11].orders, year.series[11].revenue.amount_minor),
        (1, 10_000)
    );
    store.close().await;
}

#[tokio::test]
async fn visits_count_on_the_stores_day() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = berlin_store(&dir).await;
    // 00:30 on 2 July in Berlin, still 1 July in UTC.
    store
        .record_visits(&seller.id, at("2026-07-01T22:30:00Z"), 25)
        .await
        .unwrap();
    order(&store, 1, "2026-07-01T22:40:00Z", 1).await;
    let today = store
        .dashboard(&seller, Period::Today, at("2026-07-01T23:00:00Z"))
        .await
        .unwrap();
    assert_eq!((today.visitors, today.sales_count), (25, 1));
    assert_eq!(today.conversion_rate_bp, 400);
    // At 23:00 on 1 July in Berlin those visits are tomorrow's.
    let before = store
        .dashboard(&seller, Period::Today, at("2026-07-01T21:00:00Z"))
        .await
        .unwrap();
    assert_eq!((before.visitors, before.sales_count), (0, 0));
    store.close().await;
}
