//! `Idempotency-Key`: the same caller and key get the first response back and change
//! nothing twice; keys are per caller.

use reqwest::Method;
use sellerdash_api::paths;
use serde_json::json;

use crate::common::{assert_error, demo_server, id};

#[tokio::test]
async fn a_repeated_key_replays_the_first_response() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let confirm = paths::confirm_order(&order);

    let first = t
        .send(
            Method::POST,
            Some(&seller.token),
            &confirm,
            None,
            Some("k-confirm-1"),
        )
        .await;
    assert_eq!(first.0, 200);
    let again = t
        .send(
            Method::POST,
            Some(&seller.token),
            &confirm,
            None,
            Some("k-confirm-1"),
        )
        .await;
    assert_eq!(
        again, first,
        "the same key returns the same status and body"
    );
    // Without the key the second confirm is a real one, and refused.
    assert_error(
        &t.post(&seller.token, &confirm, None).await,
        409,
        "conflict",
    );
    let (_, now) = t.get(&seller.token, &paths::order(&order)).await;
    let confirms = now["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "confirmed")
        .count();
    assert_eq!(confirms, 1);

    // A stored 409 is replayed too, and the same key on another path is refused.
    let conflict = t
        .send(
            Method::POST,
            Some(&seller.token),
            &confirm,
            None,
            Some("k-confirm-2"),
        )
        .await;
    assert_error(&conflict, 409, "conflict");
    let replay = t
        .send(
            Method::POST,
            Some(&seller.token),
            &confirm,
            None,
            Some("k-confirm-2"),
        )
        .await;
    assert_eq!(replay, conflict);
    let cancel = t
        .send(
            Method::POST,
            Some(&seller.token),
            &paths::cancel_order(&order),
            Some(json!({"reason": "x"})),
            Some("k-confirm-1"),
        )
        .await;
    assert_error(&cancel, 400, "bad_request");
}

#[tokio::test]
async fn admin_create_with_a_key_creates_one_order() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let (_, before) = t.get(&seller.token, paths::PENDING_ORDERS).await;
    let body =
        json!({"seller_id": seller.id, "items": [{"product_id": "prd_lumen_001", "quantity": 1}]});
    let admin = t.admin();
    let first = t
        .send(
            Method::POST,
            Some(&admin),
            paths::ADMIN_ORDERS,
            Some(body.clone()),
            Some("create-1"),
        )
        .await;
    assert_eq!(first.0, 201);
    let second = t
        .send(
            Method::POST,
            Some(&admin),
            paths::ADMIN_ORDERS,
            Some(body),
            Some("create-1"),
        )
        .await;
    assert_eq!(second, first);
    let (_, after) = t.get(&seller.token, paths::PENDING_ORDERS).await;
    assert_eq!(
        after["total"].as_u64().unwrap(),
        before["total"].as_u64().unwrap() + 1
    );

    // Transitions replay too.
    let order = id(&first.1);
    let pay = json!({"action": "pay"});
    let path = paths::admin_transition(&order);
    let paid = t
        .send(
            Method::POST,
            Some(&admin),
            &path,
            Some(pay.clone()),
            Some("pay-1"),
        )
        .await;
    assert_eq!(paid.0, 200);
    assert_eq!(
        t.send(Method::POST, Some(&admin), &path, Some(pay), Some("pay-1"))
            .await,
        paid
    );
}

#[tokio::test]
async fn keys_are_per_caller() {
    let t = demo_server().await;
    let (a, b) = (t.main_seller(), t.other_seller());
    let mine = id(&t.create_order(&a.id).await);
    let theirs = id(&t.create_order(&b.id).await);
    let (status, _) = t
        .send(
            Method::POST,
            Some(&a.token),
            &paths::confirm_order(&mine),
            None,
            Some("shared"),
        )
        .await;
    assert_eq!(status, 200);
    // Another seller with the same key and path gets its own answer: not found, not A's order.
    let (status, body) = t
        .send(
            Method::POST,
            Some(&b.token),
            &paths::confirm_order(&mine),
            None,
            Some("shared"),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = t
        .send(
            Method::POST,
            Some(&b.token),
            &paths::confirm_order(&theirs),
            None,
            Some("own"),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_key_reused_with_another_body_is_refused() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let cancel = paths::cancel_order(&order);
    let send = |reason: &str| {
        t.send(
            Method::POST,
            Some(&seller.token),
            &cancel,
            Some(json!({"reason": reason})),
            Some("k3"),
        )
    };

    let first = send("first").await;
    assert_eq!(first.0, 200, "{}", first.1);
    let different = send("different").await;
    assert_error(&different, 400, "bad_request");
    let message = different.1["message"].as_str().unwrap();
    assert!(message.contains("different request"), "{message}");
    assert_eq!(send("first").await, first, "the same body still replays");

    // Whitespace is not a different request.
    let res = t
        .client
        .post(format!("{}{cancel}", t.server.base_url()))
        .bearer_auth(&seller.token)
        .header("Idempotency-Key", "k3")
        .header("Content-Type", "application/json")
        .body("{ \"reason\" :  \"first\" }")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["Idempotent-Replayed"], "true");

    let (_, now) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(now["cancel_reason"], "first", "{now}");
    t.server.shutdown().await;
}

/// The hex SHA-256 the middleware keys a request without a body by.
fn digest_without_body(method: &str, path: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("{method}\n{path}\n").as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[tokio::test]
async fn a_key_still_being_handled_is_a_409_that_asks_to_retry() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let confirm = paths::confirm_order(&order);
    // The first request with the key is still running (claimed, no response yet).
    let claim = t
        .server
        .store()
        .claim_idempotency_key(
            &format!("seller:{}", seller.id),
            "k-slow",
            &format!("POST {confirm}"),
            &digest_without_body("POST", &confirm),
            sellerdash_server::store::now(),
        )
        .await
        .unwrap();
    assert_eq!(claim, sellerdash_server::store::Claim::Claimed);

    let repeat = t
        .client
        .post(format!("{}{confirm}", t.server.base_url()))
        .bearer_auth(&seller.token)
        .header("Idempotency-Key", "k-slow")
        .send()
        .await
        .unwrap();
    assert_eq!(repeat.status().as_u16(), 409);
    assert_eq!(
        repeat
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    // Nothing happened to the order.
    let (_, now) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(now["status"], "pending");
}

#[tokio::test]
async fn a_stored_response_is_replayed_days_later() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let confirm = paths::confirm_order(&order);
    let first = t
        .send(
            Method::POST,
            Some(&seller.token),
            &confirm,
            None,
            Some("k-offline"),
        )
        .await;
    assert_eq!(first.0, 200);
    // An app that was offline for two days replays the same action.
    let later = sellerdash_server::store::now() + chrono::Duration::days(2);
    let claim = t
        .server
        .store()
        .claim_idempotency_key(
            &format!("seller:{}", seller.id),
            "k-offline",
            &format!("POST {confirm}"),
            &digest_without_body("POST", &confirm),
            later,
        )
        .await
        .unwrap();
    let sellerdash_server::store::Claim::Done { status, body } = claim else {
        panic!("the stored response is gone: {claim:?}");
    };
    assert_eq!(status, 200);
    let replayed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(replayed, first.1);
}
