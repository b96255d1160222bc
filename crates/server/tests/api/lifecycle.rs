//! The order lifecycle over HTTP: confirm and cancel rules, admin transitions, 409 JSON
//! bodies for illegal steps, tracking events and timeline entries, refunds.

use sellerdash_api::paths;
use serde_json::json;

use crate::common::{assert_error, demo_server, id};

#[tokio::test]
async fn an_order_goes_from_pending_to_completed() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = t.create_order(&seller.id).await;
    assert_eq!(order["status"], "pending");
    assert_eq!(order["payment"]["status"], "pending");
    assert_eq!(order["items"][0]["quantity"], 2);
    let unit = order["items"][0]["unit_price"]["amount_minor"]
        .as_i64()
        .unwrap();
    let subtotal = order["subtotal"]["amount_minor"].as_i64().unwrap();
    let shipping = order["shipping"]["amount_minor"].as_i64().unwrap();
    assert_eq!(subtotal, unit * 2);
    assert_eq!(
        order["total"]["amount_minor"].as_i64().unwrap(),
        subtotal + shipping
    );
    let order = id(&order);

    let (status, confirmed) = t
        .post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["status"], "confirmed");
    for (action, status) in [
        ("pay", "confirmed"),
        ("process", "processing"),
        ("ship", "shipped"),
        ("in_transit", "in_transit"),
        ("deliver", "delivered"),
        ("complete", "completed"),
    ] {
        let (code, body) = t.transition(&order, action).await;
        assert_eq!(code, 200, "{action}: {body}");
        assert_eq!(body["status"], status, "{action}");
    }
    let (_, done) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(done["payment"]["status"], "paid");
    assert!(done["payment"]["paid_at"].is_string());
    assert_eq!(done["delivery"]["status"], "delivered");
    assert!(done["delivery"]["carrier"].is_string());
    assert!(done["delivery"]["tracking_number"].is_string());
    let events: Vec<_> = done["delivery"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(
        events,
        ["not_shipped", "shipped", "in_transit", "delivered"]
    );
    let timeline: Vec<_> = done["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(
        timeline,
        [
            "pending",
            "confirmed",
            "confirmed",
            "processing",
            "shipped",
            "in_transit",
            "delivered",
            "completed"
        ]
    );
}

#[tokio::test]
async fn illegal_transitions_are_409_with_a_json_body() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);

    assert_error(&t.transition(&order, "deliver").await, 409, "conflict");
    assert_error(&t.transition(&order, "ship").await, 409, "conflict");
    assert_error(&t.transition(&order, "complete").await, 409, "conflict");

    let (status, _) = t
        .post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    assert_eq!(status, 200);
    assert_error(
        &t.post(&seller.token, &paths::confirm_order(&order), None)
            .await,
        409,
        "conflict",
    );

    t.transition(&order, "process").await;
    t.transition(&order, "ship").await;
    let cancel = json!({"reason": "too late"});
    assert_error(
        &t.post(&seller.token, &paths::cancel_order(&order), Some(cancel))
            .await,
        409,
        "conflict",
    );
    assert_error(&t.transition(&order, "buyer_cancel").await, 409, "conflict");
    let (_, now) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(now["status"], "shipped");
}

#[tokio::test]
async fn cancel_checks_the_reason_and_refunds_a_paid_order() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let path = paths::cancel_order(&order);
    assert_error(
        &t.post(&seller.token, &path, Some(json!({"reason": ""})))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &t.post(&seller.token, &path, Some(json!({"reason": "   "})))
            .await,
        400,
        "bad_request",
    );
    let long = "x".repeat(501);
    assert_error(
        &t.post(&seller.token, &path, Some(json!({"reason": long})))
            .await,
        400,
        "bad_request",
    );
    assert_error(
        &t.post(&seller.token, &path, Some(json!({}))).await,
        400,
        "bad_request",
    );

    t.transition(&order, "pay").await;
    assert_error(&t.transition(&order, "pay").await, 409, "conflict");
    let reason = "é".repeat(500);
    let (status, cancelled) = t
        .post(&seller.token, &path, Some(json!({"reason": reason})))
        .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["payment"]["status"], "refunded");
    assert_eq!(cancelled["delivery"]["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], reason.as_str());
    assert_error(
        &t.post(&seller.token, &path, Some(json!({"reason": "again"})))
            .await,
        409,
        "conflict",
    );
    assert_error(&t.transition(&order, "pay").await, 409, "conflict");
}

#[tokio::test]
async fn admin_create_checks_the_products() {
    let t = demo_server().await;
    let (a, b) = (t.main_seller(), t.other_seller());
    let admin = t.admin();
    let theirs = sellerdash_server::demo::product_id(&b.id, 0);
    let mine = sellerdash_server::demo::product_id(&a.id, 0);
    let bad = [
        json!({"seller_id": a.id, "items": [{"product_id": theirs, "quantity": 1}]}),
        json!({"seller_id": a.id, "items": [{"product_id": mine, "quantity": 0}]}),
        json!({"seller_id": a.id, "items": []}),
        json!({"seller_id": a.id, "items": [{"product_id": "prd_nope", "quantity": 1}]}),
    ];
    for body in bad {
        assert_error(
            &t.post(&admin, paths::ADMIN_ORDERS, Some(body)).await,
            400,
            "bad_request",
        );
    }
    let unknown_seller =
        json!({"seller_id": "sel_nope", "items": [{"product_id": mine, "quantity": 1}]});
    assert_error(
        &t.post(&admin, paths::ADMIN_ORDERS, Some(unknown_seller))
            .await,
        404,
        "not_found",
    );
    assert_error(&t.transition("ord_nope", "pay").await, 404, "not_found");
}

#[tokio::test]
async fn reopen_sends_a_confirmed_order_back_to_pending() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    // Only a confirmed order can be reopened.
    assert_error(&t.transition(&order, "reopen").await, 409, "conflict");
    let (status, _) = t
        .post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    assert_eq!(status, 200);
    let (code, reopened) = t.transition(&order, "reopen").await;
    assert_eq!(code, 200, "{reopened}");
    assert_eq!(reopened["status"], "pending");
    let (_, pending) = t.get(&seller.token, paths::PENDING_ORDERS).await;
    assert!(
        pending["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == order.as_str()),
        "the reopened order is waiting again: {pending}"
    );
    let (_, detail) = t.get(&seller.token, &paths::order(&order)).await;
    let notes: Vec<_> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(
        notes.contains(&"Changed by the buyer, to confirm again"),
        "{notes:?}"
    );
    // And the seller confirms it again.
    let (status, again) = t
        .post(&seller.token, &paths::confirm_order(&order), None)
        .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["status"], "confirmed");
}

#[tokio::test]
async fn the_openapi_document_lists_every_admin_action() {
    let t = demo_server().await;
    let url = format!(
        "{}{}",
        t.server.base_url(),
        sellerdash_server::openapi::OPENAPI_PATH
    );
    let doc: serde_json::Value = t
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions = &doc["components"]["schemas"]["TransitionOrder"]["properties"]["action"]["enum"];
    assert_eq!(
        actions,
        &json!([
            "pay",
            "process",
            "ship",
            "in_transit",
            "deliver",
            "complete",
            "buyer_cancel",
            "reopen"
        ])
    );
}
