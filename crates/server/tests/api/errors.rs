//! Every failure is a JSON `{code, message}` body: malformed bodies, wrong content type, bad
//! query strings and paths, unknown ids and routes, wrong methods, oversize bodies.

use reqwest::Method;
use sellerdash_api::paths;
use serde_json::Value;

use crate::common::{TestServer, assert_error, demo_server};

/// Sends a raw body with a content type and returns (status, JSON body).
async fn raw(
    t: &TestServer,
    token: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}{path}", t.server.base_url()))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    (status, body)
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let t = demo_server().await;
    let seller = t.main_seller().token;
    let admin = t.admin();
    let order = crate::common::id(&t.create_order(&t.main_seller().id).await);
    let cancel = paths::cancel_order(&order);

    let syntax = raw(
        &t,
        &seller,
        &cancel,
        "application/json",
        b"{\"reason\": ".to_vec(),
    )
    .await;
    assert_error(&syntax, 400, "bad_request");
    let shape = raw(
        &t,
        &seller,
        &cancel,
        "application/json",
        b"{\"reason\": 5}".to_vec(),
    )
    .await;
    assert_error(&shape, 400, "bad_request");
    let unknown_field = raw(
        &t,
        &seller,
        &cancel,
        "application/json",
        b"{\"reason\":\"x\",\"y\":1}".to_vec(),
    )
    .await;
    assert_error(&unknown_field, 400, "bad_request");
    let text = raw(
        &t,
        &seller,
        &cancel,
        "text/plain",
        b"{\"reason\":\"x\"}".to_vec(),
    )
    .await;
    assert_error(&text, 415, "bad_request");
    let huge = vec![b' '; sellerdash_server::MAX_BODY_BYTES + 1];
    assert_error(
        &raw(&t, &admin, paths::ADMIN_ORDERS, "application/json", huge).await,
        413,
        "payload_too_large",
    );
    let action = raw(
        &t,
        &admin,
        &paths::admin_transition(&order),
        "application/json",
        b"{\"action\":\"fly\"}".to_vec(),
    )
    .await;
    assert_error(&action, 400, "bad_request");

    // The order is still pending after all that.
    let (_, now) = t.get(&seller, &paths::order(&order)).await;
    assert_eq!(now["status"], "pending");
}

#[tokio::test]
async fn bad_queries_paths_and_routes_get_json_errors() {
    let t = demo_server().await;
    let seller = t.main_seller().token;
    let bad = [
        format!("{}?status=pending,lost", paths::ORDERS),
        format!("{}?page=0", paths::ORDERS),
        format!("{}?page=abc", paths::ORDERS),
        format!("{}?per_page=201", paths::ORDERS),
        format!("{}?period=1y", paths::DASHBOARD),
        format!("{}?month=13&year=2025", paths::PAYOUT_HISTORY),
        format!("{}?month=x", paths::PAYOUT_HISTORY),
        format!("{}?year=0", paths::PAYOUT_HISTORY),
        format!("{}?year=-5", paths::PAYOUT_HISTORY),
        format!("{}?month=1&year=10000", paths::PAYOUT_HISTORY),
        format!("{}/%FF%FE", paths::ORDERS),
    ];
    for path in bad {
        assert_error(&t.get(&seller, &path).await, 400, "bad_request");
    }
    assert_error(
        &t.get(&seller, &paths::order("ord_does_not_exist")).await,
        404,
        "not_found",
    );
    assert_error(
        &t.post(&seller, &paths::confirm_order("ord_does_not_exist"), None)
            .await,
        404,
        "not_found",
    );
    assert_error(
        &t.get(&seller, "/api/v1/seller/nothing-here").await,
        404,
        "not_found",
    );
    assert_error(
        &t.send(Method::GET, None, "/no/such/route", None, None)
            .await,
        404,
        "not_found",
    );
    assert_error(
        &t.send(Method::DELETE, Some(&seller), paths::ORDERS, None, None)
            .await,
        405,
        "bad_request",
    );
    assert_error(
        &t.send(
            Method::GET,
            Some(&seller),
            &paths::confirm_order("x"),
            None,
            None,
        )
        .await,
        405,
        "bad_request",
    );

    let (status, body) = t
        .get(
            &seller,
            &format!("{}?status=pending,%20confirmed&per_page=1", paths::ORDERS),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let res = t
        .client
        .get(format!("{}{}", t.server.base_url(), paths::HEALTH))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn the_openapi_document_lists_every_operation() {
    let t = demo_server().await;
    let url = format!(
        "{}{}",
        t.server.base_url(),
        sellerdash_server::openapi::OPENAPI_PATH
    );
    let doc: Value = t
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let documented = doc["paths"].as_object().unwrap();
    for path in [
        paths::DASHBOARD,
        paths::ORDERS,
        paths::PENDING_ORDERS,
        paths::PAYOUT_STATS,
        paths::PAYOUT_HISTORY,
        paths::ADMIN_ORDERS,
        paths::ADMIN_VISITS,
        paths::ADMIN_RUN_PAYOUTS,
    ] {
        assert!(documented.contains_key(path), "{path} is not documented");
    }
    assert!(documented.contains_key("/api/v1/seller/orders/{id}/cancel"));
}
