//! Dashboard and payout figures agree with the orders: the pending count is the pending
//! list's total, a new order raises it, sums are exact integers.

use sellerdash_api::paths;
use serde_json::json;

use crate::common::{demo_server, id};

#[tokio::test]
async fn pending_count_follows_the_orders() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let (_, dash) = t.get(&seller.token, paths::DASHBOARD).await;
    let (_, pending) = t.get(&seller.token, paths::PENDING_ORDERS).await;
    let count = dash["pending_orders"].as_u64().unwrap();
    assert!(count >= 1, "the demo store has recent pending orders");
    assert_eq!(pending["total"].as_u64().unwrap(), count);
    let (_, filtered) = t
        .get(&seller.token, &format!("{}?status=pending", paths::ORDERS))
        .await;
    assert_eq!(filtered["total"], pending["total"]);

    let order = id(&t.create_order(&seller.id).await);
    let (_, dash) = t
        .get(&seller.token, &format!("{}?period=today", paths::DASHBOARD))
        .await;
    assert_eq!(dash["pending_orders"].as_u64().unwrap(), count + 1);
    t.post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    let (_, dash) = t.get(&seller.token, paths::DASHBOARD).await;
    assert_eq!(dash["pending_orders"].as_u64().unwrap(), count);
}

#[tokio::test]
async fn sales_and_revenue_match_the_order_list() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let (status, dash) = t
        .get(&seller.token, &format!("{}?period=7d", paths::DASHBOARD))
        .await;
    assert_eq!(status, 200, "{dash}");
    let start =
        chrono::DateTime::parse_from_rfc3339(dash["period_start"].as_str().unwrap()).unwrap();

    let mut sales = 0_u64;
    let mut revenue = 0_i64;
    for page in 1.. {
        let (_, list) = t
            .get(
                &seller.token,
                &format!("{}?per_page=200&page={page}", paths::ORDERS),
            )
            .await;
        let orders = list["orders"].as_array().unwrap();
        for order in orders {
            let created =
                chrono::DateTime::parse_from_rfc3339(order["created_at"].as_str().unwrap())
                    .unwrap();
            if created >= start && order["status"] != "cancelled" {
                sales += 1;
                revenue += order["total"]["amount_minor"].as_i64().unwrap();
            }
        }
        if orders.len() < 200 {
            break;
        }
    }
    assert!(sales > 0);
    assert_eq!(dash["sales_count"].as_u64().unwrap(), sales);
    assert_eq!(dash["revenue"]["amount_minor"].as_i64().unwrap(), revenue);
    assert_eq!(
        dash["average_order_value"]["amount_minor"]
            .as_i64()
            .unwrap(),
        revenue / sales as i64
    );
    let visitors = dash["visitors"].as_u64().unwrap();
    assert!(visitors > 0);
    assert_eq!(
        u64::from(dash["conversion_rate_bp"].as_u64().unwrap() as u32),
        (sales * 20_000 + visitors) / (2 * visitors),
        "the nearest basis point"
    );
    assert_eq!(dash["monthly"].as_array().unwrap().len(), 12);
    assert_eq!(dash["time_zone"], "Europe/Berlin");
    let series = dash["series"].as_array().unwrap();
    assert_eq!(series.len(), 7);
    let in_series: i64 = series
        .iter()
        .map(|p| p["revenue"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(in_series, revenue);
    let (_, other) = t.get(&t.other_seller().token, paths::DASHBOARD).await;
    assert_eq!(other["time_zone"], "Europe/London");
    let top = dash["top_products"].as_array().unwrap();
    assert!(!top.is_empty() && top.len() <= 10);
}

#[tokio::test]
async fn visits_and_payouts_add_up() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let admin = t.admin();
    let (_, before) = t
        .get(&seller.token, &format!("{}?period=today", paths::DASHBOARD))
        .await;
    let (status, _) = t
        .post(
            &admin,
            paths::ADMIN_VISITS,
            Some(json!({"seller_id": seller.id, "count": 25})),
        )
        .await;
    assert_eq!(status, 204);
    let (_, after) = t
        .get(&seller.token, &format!("{}?period=today", paths::DASHBOARD))
        .await;
    assert_eq!(
        after["visitors"].as_u64().unwrap(),
        before["visitors"].as_u64().unwrap() + 25
    );

    let (_, stats) = t.get(&seller.token, paths::PAYOUT_STATS).await;
    let available = stats["available"]["amount_minor"].as_i64().unwrap();
    let lifetime = stats["lifetime_paid"]["amount_minor"].as_i64().unwrap();
    assert!(available > 0 && lifetime > 0);
    let (_, history) = t.get(&seller.token, paths::PAYOUT_HISTORY).await;
    let listed: i64 = history["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(listed, lifetime);
    assert_eq!(
        history["total_paid"]["amount_minor"].as_i64().unwrap(),
        lifetime
    );

    let (status, run) = t
        .post(
            &admin,
            paths::ADMIN_RUN_PAYOUTS,
            Some(json!({"seller_id": seller.id})),
        )
        .await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(
        run["payouts"][0]["amount"]["amount_minor"]
            .as_i64()
            .unwrap(),
        available
    );
    let (_, stats) = t.get(&seller.token, paths::PAYOUT_STATS).await;
    assert_eq!(stats["available"]["amount_minor"], 0);
    assert_eq!(
        stats["lifetime_paid"]["amount_minor"].as_i64().unwrap(),
        lifetime + available
    );
    let (_, run) = t
        .post(
            &admin,
            paths::ADMIN_RUN_PAYOUTS,
            Some(json!({"seller_id": seller.id})),
        )
        .await;
    assert_eq!(
        run["payouts"].as_array().unwrap().len(),
        0,
        "nothing left to pay out"
    );

    let today = chrono::Utc::now();
    let month = format!(
        "{}?month={}&year={}",
        paths::PAYOUT_HISTORY,
        chrono::Datelike::month(&today),
        chrono::Datelike::year(&today)
    );
    let (status, this_month) = t.get(&seller.token, &month).await;
    assert_eq!(status, 200);
    assert!(!this_month["payouts"].as_array().unwrap().is_empty());
}
