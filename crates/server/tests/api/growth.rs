//! Month-to-date growth with fixed timestamps: this month until now against the same
//! elapsed span of the previous month (cut at its end), in exact basis points.

use chrono::{DateTime, Utc};
use sellerdash_api::{Currency, Customer, PaymentMethod, PayoutSchedule, Period};
use sellerdash_server::store::{NewOrder, NewOrderItem, NewProduct, SeedOp, Seller};
use sellerdash_server::{Shipment, Step, Store};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A store with one EUR seller and one product at 100.00 (free shipping: an order of
/// quantity n is worth n × 10 000 minor units).
async fn store(dir: &tempfile::TempDir) -> (Store, Seller) {
    let store = Store::open(&dir.path().join("growth.db")).await.unwrap();
    let seller = Seller {
        id: "sel_g".to_owned(),
        name: "Growth".to_owned(),
        currency: Currency::EUR,
        token: Some("growth-token".to_owned()),
        payout_schedule: PayoutSchedule::Weekly,
        time_zone: chrono_tz::Tz::UTC,
        created_at: at("2025-01-01T00:00:00Z"),
    };
    let product = NewProduct {
        id: "prd_g".to_owned(),
        sku: "G-1".to_owned(),
        name: "Bowl".to_owned(),
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

async fn order(store: &Store, n: usize, created: &str, quantity: u32) -> String {
    let id = format!("ord_{n}");
    let new = NewOrder {
        id: id.clone(),
        seller_id: "sel_g".to_owned(),
        customer: Customer {
            name: "Ada Buyer".to_owned(),
            email: "ada@example.com".to_owned(),
            city: "Berlin".to_owned(),
            country: "DE".to_owned(),
        },
        items: vec![NewOrderItem {
            product_id: "prd_g".to_owned(),
            quantity,
        }],
        payment_method: PaymentMethod::Card,
        paid: true,
        created_at: at(created),
    };
    let order = store.create_order(&new).await.unwrap();
    assert_eq!(order.total.amount_minor, i64::from(quantity) * 10_000);
    id
}

#[tokio::test]
async fn growth_compares_month_to_date_spans() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = store(&dir).await;
    // February, as of 3 March 12:00 the span is [1 Feb 00:00, 3 Feb 12:00).
    order(&store, 1, "2026-01-31T23:59:59Z", 7).await; // January: never counted
    order(&store, 2, "2026-02-01T00:00:00Z", 2).await; // in the span
    order(&store, 3, "2026-02-03T11:59:59Z", 1).await; // in the span
    order(&store, 4, "2026-02-03T12:00:00Z", 5).await; // just after it
    order(&store, 5, "2026-02-20T09:00:00Z", 9).await; // later in February
    // March.
    order(&store, 6, "2026-03-01T00:00:00Z", 1).await;
    let cancelled = order(&store, 7, "2026-03-02T08:00:00Z", 3).await;
    order(&store, 8, "2026-03-03T12:00:00Z", 1).await; // exactly now: counted
    order(&store, 9, "2026-03-03T12:00:01Z", 4).await; // after now
    let reason = Step::SellerCancel {
        reason: "out of stock".to_owned(),
    };
    let shipment = Shipment {
        carrier: "DHL".to_owned(),
        tracking_number: "DH1".to_owned(),
    };
    store
        .apply_step(
            None,
            &cancelled,
            &reason,
            at("2026-03-02T09:00:00Z"),
            shipment,
        )
        .await
        .unwrap();

    let dash = |now: &'static str| {
        let (store, seller) = (store.clone(), seller.clone());
        async move {
            store
                .dashboard(&seller, Period::Days30, at(now))
                .await
                .unwrap()
        }
    };

    // 20 000 this month so far against 30 000 in the same span of February: −33.33 %, where
    // the whole of February (170 000) would have said −88.23 %.
    let early = dash("2026-03-03T12:00:00Z").await;
    assert_eq!(early.monthly_growth_bp, Some(-3_333));
    let months = &early.monthly[10..];
    assert_eq!(
        (months[0].month, months[0].revenue.amount_minor),
        (2, 170_000)
    );
    assert_eq!(
        (months[1].month, months[1].revenue.amount_minor),
        (3, 20_000)
    );

    // On 31 March the span is longer than February: all of February counts.
    // (20 000 + 40 000 − 170 000) / 170 000 = −64.705… %.
    let late = dash("2026-03-31T12:00:00Z").await;
    assert_eq!(late.monthly_growth_bp, Some(-6_470));

    // On 1 February 00:00:01 the span of January holds nothing sold in its first second.
    let none = dash("2026-02-01T00:00:01Z").await;
    assert_eq!(none.monthly_growth_bp, None);

    // On 28 February the span [1 Jan, 28 Jan 23:59:59) holds nothing either: January sold
    // only on the 31st.
    let feb = dash("2026-02-28T23:59:59Z").await;
    assert_eq!(feb.monthly_growth_bp, None);
    store.close().await;
}

#[tokio::test]
async fn growth_is_positive_when_ahead_of_last_month() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seller) = store(&dir).await;
    order(&store, 1, "2026-04-01T06:00:00Z", 4).await; // in [1 Apr, 11 Apr 06:00)
    order(&store, 2, "2026-04-20T06:00:00Z", 9).await; // April, after the span
    order(&store, 3, "2026-05-02T06:00:00Z", 3).await;
    order(&store, 4, "2026-05-10T18:00:00Z", 2).await;
    let dash = store
        .dashboard(&seller, Period::Today, at("2026-05-11T06:00:00Z"))
        .await
        .unwrap();
    // 50 000 against 40 000: +25.00 %.
    assert_eq!(dash.monthly_growth_bp, Some(2_500));
    store.close().await;
}
