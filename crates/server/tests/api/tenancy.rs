//! Tenant scoping and tokens: a seller's token never reads or changes another seller's
//! orders, and only the admin token opens the admin endpoints.

use reqwest::Method;
use sellerdash_api::paths;
use serde_json::json;

use crate::common::{assert_error, demo_server, id};

#[tokio::test]
async fn a_seller_never_sees_or_changes_another_sellers_orders() {
    let t = demo_server().await;
    let (a, b) = (t.main_seller(), t.other_seller());
    let theirs = id(&t.create_order(&b.id).await);

    // Lists hold only the caller's orders.
    let (status, page) = t
        .get(&a.token, &format!("{}?per_page=200", paths::ORDERS))
        .await;
    assert_eq!(status, 200);
    assert!(
        page["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["total"]["currency"] == "EUR")
    );
    assert!(
        page["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != theirs.as_str())
    );
    let (_, pending) = t.get(&a.token, paths::PENDING_ORDERS).await;
    assert!(
        pending["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != theirs.as_str())
    );
    let (_, search) = t
        .get(&a.token, &format!("{}?q={theirs}", paths::ORDERS))
        .await;
    assert_eq!(search["total"], 0);

    // The other seller's order is simply not found, for reads and for changes.
    assert_error(
        &t.get(&a.token, &paths::order(&theirs)).await,
        404,
        "not_found",
    );
    assert_error(
        &t.post(&a.token, &paths::confirm_order(&theirs), None).await,
        404,
        "not_found",
    );
    let cancel = json!({"reason": "not mine"});
    assert_error(
        &t.post(&a.token, &paths::cancel_order(&theirs), Some(cancel))
            .await,
        404,
        "not_found",
    );

    // …and it is untouched.
    let (status, order) = t.get(&b.token, &paths::order(&theirs)).await;
    assert_eq!(status, 200);
    assert_eq!(order["status"], "pending");
    assert_eq!(order["total"]["currency"], "GBP");
    let (_, found) = t
        .get(&b.token, &format!("{}?q={theirs}", paths::ORDERS))
        .await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn seller_figures_are_per_seller() {
    let t = demo_server().await;
    let (a, b) = (t.main_seller(), t.other_seller());
    let (_, da) = t.get(&a.token, paths::DASHBOARD).await;
    let (_, db) = t.get(&b.token, paths::DASHBOARD).await;
    assert_eq!(da["revenue"]["currency"], "EUR");
    assert_eq!(db["revenue"]["currency"], "GBP");
    assert_ne!(da["sales_count"], db["sales_count"]);
    let (_, pa) = t.get(&a.token, paths::PAYOUT_STATS).await;
    let (_, pb) = t.get(&b.token, paths::PAYOUT_STATS).await;
    assert_eq!(pa["available"]["currency"], "EUR");
    assert_eq!(pb["available"]["currency"], "GBP");
    assert_eq!(pb["schedule"], "monthly");
}

#[tokio::test]
async fn admin_routes_need_the_admin_token() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let create =
        json!({"seller_id": seller.id, "items": [{"product_id": "prd_lumen_000", "quantity": 1}]});
    let transition = json!({"action": "pay"});
    let visits = json!({"seller_id": seller.id, "count": 3});
    let routes = [
        (paths::ADMIN_ORDERS.to_owned(), create),
        (paths::admin_transition(&order), transition),
        (paths::ADMIN_VISITS.to_owned(), visits),
        (paths::ADMIN_RUN_PAYOUTS.to_owned(), json!({})),
    ];
    for (path, body) in routes {
        let none = t
            .send(Method::POST, None, &path, Some(body.clone()), None)
            .await;
        assert_error(&none, 401, "unauthorized");
        let wrong = t
            .send(
                Method::POST,
                Some("not-a-token"),
                &path,
                Some(body.clone()),
                None,
            )
            .await;
        assert_error(&wrong, 401, "unauthorized");
        let as_seller = t
            .send(Method::POST, Some(&seller.token), &path, Some(body), None)
            .await;
        assert_error(&as_seller, 403, "forbidden");
    }
    // Nothing of that changed the order.
    let (_, order) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(order["payment"]["status"], "pending");
}

#[tokio::test]
async fn seller_routes_need_a_seller_token() {
    let t = demo_server().await;
    let none = t
        .send(Method::GET, None, paths::DASHBOARD, None, None)
        .await;
    assert_error(&none, 401, "unauthorized");
    assert_error(&t.get("wrong", paths::ORDERS).await, 401, "unauthorized");
    assert_error(&t.get(&t.admin(), paths::ORDERS).await, 403, "forbidden");
    let (status, _) = t.get(&t.main_seller().token, paths::ORDERS).await;
    assert_eq!(status, 200);
}
