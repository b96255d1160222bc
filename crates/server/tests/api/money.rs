//! Money on the dashboard against the real server: sums are exact integers (1,000 orders of
//! 0.10 make exactly 100.00), amounts in another currency are never added to the seller's,
//! and a seller's time zone is validated and reported.

use sellerdash_api::{Currency, DashboardStats, Money, paths};
use serde_json::{Value, json};

use crate::common::{ADMIN, TestServer, assert_error, id, plain_server};

/// A new seller made through the admin API, with one product at `price_minor`; returns
/// `(seller id, token, product id)`.
async fn seller_with_product(
    t: &TestServer,
    body: Value,
    price_minor: i64,
) -> (String, String, String) {
    let (status, seller) = t.post(ADMIN, paths::ADMIN_SELLERS, Some(body)).await;
    assert_eq!(status, 201, "{seller}");
    let seller_id = id(&seller);
    let (status, product) = t
        .post(
            ADMIN,
            &paths::admin_seller_products(&seller_id),
            Some(json!({"sku": "DIME-1", "name": "Sticker", "price_minor": price_minor})),
        )
        .await;
    assert_eq!(status, 201, "{product}");
    let token = seller["token"].as_str().unwrap().to_owned();
    (seller_id, token, id(&product))
}

async fn new_order(t: &TestServer, seller_id: &str, product_id: &str) -> Value {
    let body =
        json!({"seller_id": seller_id, "items": [{"product_id": product_id, "quantity": 1}]});
    let (status, order) = t.post(ADMIN, paths::ADMIN_ORDERS, Some(body)).await;
    assert_eq!(status, 201, "{order}");
    order
}

async fn dashboard(t: &TestServer, token: &str, period: &str) -> DashboardStats {
    let (status, body) = t
        .get(token, &format!("{}?period={period}", paths::DASHBOARD))
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn a_thousand_dimes_make_exactly_one_hundred_euros() {
    let t = plain_server().await;
    let (seller, token, product) = seller_with_product(
        &t,
        json!({"name": "Dime Shop", "currency": "EUR", "time_zone": "America/New_York"}),
        10,
    )
    .await;
    for _ in 0..1_000 {
        new_order(&t, &seller, &product).await;
    }
    // 7 days so that the store's midnight passing during the test changes nothing.
    let dash = dashboard(&t, &token, "7d").await;
    assert_eq!(dash.time_zone, "America/New_York");
    assert_eq!(dash.sales_count, 1_000);
    let top = &dash.top_products[0];
    assert_eq!(top.units, 1_000);
    assert_eq!(top.revenue, Money::new(10_000, Currency::EUR));
    assert_eq!(top.revenue.to_string(), "€100.00");
    // Each order also pays 4.95 shipping: 5.05 × 1,000.
    assert_eq!(dash.revenue, Money::new(505_000, Currency::EUR));
    assert_eq!(dash.revenue.to_string(), "€5,050.00");
    assert_eq!(dash.average_order_value.to_string(), "€5.05");
    let series: i64 = dash.series.iter().map(|p| p.revenue.amount_minor).sum();
    assert_eq!(series, dash.revenue.amount_minor);
    assert_eq!(dash.series.len(), 7);
    t.server.shutdown().await;
}

#[tokio::test]
async fn another_currency_is_never_added() {
    let t = plain_server().await;
    let (seller, token, product) =
        seller_with_product(&t, json!({"name": "Yen Shop", "currency": "JPY"}), 5_000).await;
    // An order names no currency: it is always the seller's, and a body that tries is refused.
    let body = json!({
        "seller_id": seller, "currency": "USD",
        "items": [{"product_id": product, "quantity": 1}],
    });
    let answer = t.post(ADMIN, paths::ADMIN_ORDERS, Some(body)).await;
    assert_error(&answer, 400, "bad_request");

    let first = id(&new_order(&t, &seller, &product).await);
    let second = id(&new_order(&t, &seller, &product).await);
    let before = dashboard(&t, &token, "today").await;
    assert_eq!(before.revenue.currency, Currency::JPY);
    assert_eq!(before.revenue.to_string(), "¥10,000");

    // A row in another currency (a store written by something else) is left out, not added
    // as if it were yen.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", t.db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET currency = 'USD' WHERE id = ?")
        .bind(&second)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let after = dashboard(&t, &token, "today").await;
    assert_eq!(after.revenue, Money::new(5_000, Currency::JPY));
    assert_eq!(after.sales_count, 1);
    assert_eq!(
        after.top_products[0].revenue,
        Money::new(5_000, Currency::JPY)
    );
    let (_, order) = t.get(&token, &paths::order(&first)).await;
    assert_eq!(order["total"]["currency"], "JPY");
    t.server.shutdown().await;
}

#[tokio::test]
async fn time_zones_are_validated_and_default_to_utc() {
    let t = plain_server().await;
    let answer = t
        .post(
            ADMIN,
            paths::ADMIN_SELLERS,
            Some(json!({"name": "Mars Shop", "currency": "EUR", "time_zone": "Mars/Olympus_Mons"})),
        )
        .await;
    assert_error(&answer, 400, "bad_request");
    assert!(
        answer.1["message"].as_str().unwrap().contains("time_zone"),
        "{}",
        answer.1
    );
    let (_, list) = t.get(ADMIN, paths::ADMIN_SELLERS).await;
    assert_eq!(
        list["sellers"].as_array().unwrap().len(),
        0,
        "nothing created"
    );

    let (status, plain) = t
        .post(
            ADMIN,
            paths::ADMIN_SELLERS,
            Some(json!({"name": "Plain", "currency": "KWD"})),
        )
        .await;
    assert_eq!(status, 201, "{plain}");
    assert_eq!(plain["time_zone"], "UTC");
    let (status, tokyo) = t
        .post(
            ADMIN,
            paths::ADMIN_SELLERS,
            Some(json!({"name": "Tokyo", "currency": "JPY", "time_zone": "Asia/Tokyo"})),
        )
        .await;
    assert_eq!(status, 201, "{tokyo}");
    let (_, list) = t.get(ADMIN, paths::ADMIN_SELLERS).await;
    let zones: Vec<&str> = list["sellers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["time_zone"].as_str().unwrap())
        .collect();
    assert_eq!(zones, ["UTC", "Asia/Tokyo"]);
    let dash = dashboard(&t, plain["token"].as_str().unwrap(), "30d").await;
    assert_eq!(dash.time_zone, "UTC");
    assert_eq!(dash.revenue.to_string(), "KWD 0.000");
    assert_eq!(dash.change_bp, None);
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_order_over_the_largest_total_is_refused_so_the_dashboard_sums_stay_exact() {
    let t = plain_server().await;
    let max = sellerdash_api::CreateProduct::MAX_PRICE_MINOR;
    let (seller, token, product) =
        seller_with_product(&t, json!({"name": "Yacht Yard", "currency": "EUR"}), max).await;
    // One at the largest price is an order (shipping is free above 50.00).
    let order = new_order(&t, &seller, &product).await;
    assert_eq!(order["total"]["amount_minor"], json!(max));
    // Two of them are more than any order may total: a 400 that says so, nothing stored.
    let body = json!({"seller_id": seller, "items": [{"product_id": product, "quantity": 2}]});
    let refused = t.post(ADMIN, paths::ADMIN_ORDERS, Some(body)).await;
    assert_error(&refused, 400, "bad_request");
    let message = refused.1["message"].as_str().unwrap();
    assert!(
        message.contains("over the largest an order may have"),
        "{message}"
    );
    // Ninety-five orders at the largest total (more than 64 bits could hold at the old
    // limit of 1,000 × 100 lines each) still make an exact dashboard.
    for _ in 1..95 {
        new_order(&t, &seller, &product).await;
    }
    let dash = dashboard(&t, &token, "7d").await;
    assert_eq!(dash.sales_count, 95);
    assert_eq!(dash.revenue, Money::new(95 * max, Currency::EUR));
}
