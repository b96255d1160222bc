//! The fault mode: each fault as a client sees it over a real socket (delay, 500, a stall
//! that ends when the fault is cleared, truncated JSON, a dropped connection, an answer lost
//! after the action was applied), scoping to a path prefix, and the admin endpoint that
//! exists only when faults are allowed.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use sellerdash_api::paths;
use sellerdash_server::faults::Fault;
use sellerdash_server::{ServerConfig, demo};
use serde_json::{Value, json};

use crate::common::{TestServer, demo_server};

impl TestServer {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    async fn seller_get(&self, client: &Client, path: &str) -> reqwest::Result<reqwest::Response> {
        client
            .get(self.url(path))
            .bearer_auth(self.main_seller().token)
            .send()
            .await
    }
}

#[tokio::test]
async fn a_delay_answers_late_and_a_patient_client_gets_the_data() {
    let t = demo_server().await;
    t.server.faults().set(Fault::Delay(Duration::from_secs(3)));
    let impatient = Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let late = t.seller_get(&impatient, paths::PENDING_ORDERS).await;
    assert!(
        late.is_err_and(|e| e.is_timeout()),
        "answered before the delay"
    );

    t.server
        .faults()
        .set(Fault::Delay(Duration::from_millis(200)));
    let answer = t
        .seller_get(&t.client, paths::PENDING_ORDERS)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let page: Value = answer.json().await.unwrap();
    assert!(page["total"].as_u64().is_some(), "{page}");

    t.server.faults().clear();
    let answer = t
        .seller_get(&impatient, paths::PENDING_ORDERS)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn status_500_is_the_contract_error_and_spares_health_and_admin() {
    let t = demo_server().await;
    t.server.faults().set(Fault::Status500);
    let answer = t.seller_get(&t.client, paths::DASHBOARD).await.unwrap();
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "internal", "{body}");
    let health = t.client.get(t.url(paths::HEALTH)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let created = t.create_order(&t.main_seller().id).await;
    assert_eq!(created["status"], "pending", "admin routes still work");

    t.server.faults().clear();
    let answer = t.seller_get(&t.client, paths::DASHBOARD).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_stall_holds_the_request_until_the_fault_is_cleared() {
    let t = demo_server().await;
    t.server.faults().set(Fault::StallAfterAccept);
    let client = t.client.clone();
    let url = t.url(paths::PENDING_ORDERS);
    let token = t.main_seller().token;
    let request = tokio::spawn(async move { client.get(url).bearer_auth(token).send().await });
    // Accepted and read: the request counter (outside the fault) has seen it.
    for _ in 0..100 {
        if t.server.requests().contains_key(paths::PENDING_ORDERS) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(t.server.requests().get(paths::PENDING_ORDERS), Some(&1));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !request.is_finished(),
        "a stalled request must not be answered"
    );

    t.server.faults().clear();
    let answer = request.await.unwrap().unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let page: Value = answer.json().await.unwrap();
    assert!(page["orders"].is_array(), "{page}");
}

#[tokio::test]
async fn malformed_json_is_a_200_with_a_truncated_body() {
    let t = demo_server().await;
    t.server.faults().set(Fault::MalformedJson);
    let answer = t
        .seller_get(&t.client, paths::PENDING_ORDERS)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()[reqwest::header::CONTENT_TYPE],
        "application/json"
    );
    let text = answer.text().await.unwrap();
    assert!(text.starts_with("{\""), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_and_a_prefix_scopes_the_fault() {
    let t = demo_server().await;
    // A pooled connection first: the fault must drop connections already open too.
    let warm = t.seller_get(&t.client, paths::DASHBOARD).await.unwrap();
    assert_eq!(warm.status(), StatusCode::OK);
    t.server
        .faults()
        .set_on(paths::PENDING_ORDERS, Fault::DropConnection);
    let dropped = t.seller_get(&t.client, paths::PENDING_ORDERS).await;
    let error = dropped.expect_err("no answer on a dropped connection");
    assert!(error.is_request() && !error.is_timeout(), "{error:?}");
    let other = t.seller_get(&t.client, paths::DASHBOARD).await.unwrap();
    assert_eq!(other.status(), StatusCode::OK, "outside the prefix");

    t.server.faults().clear();
    let back = t
        .seller_get(&t.client, paths::PENDING_ORDERS)
        .await
        .unwrap();
    assert_eq!(back.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_lost_answer_comes_after_the_action_was_applied() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = crate::common::id(&t.create_order(&seller.id).await);
    t.server
        .faults()
        .set_on(&paths::confirm_order(&order), Fault::LoseAnswer);
    let lost = t
        .client
        .post(t.url(&paths::confirm_order(&order)))
        .bearer_auth(&seller.token)
        .send()
        .await;
    let error = lost.expect_err("the answer is lost");
    assert!(error.is_request() && !error.is_timeout(), "{error:?}");

    // Applied all the same: the seller's next look shows it confirmed.
    t.server.faults().clear();
    let (status, detail) = t.get(&seller.token, &paths::order(&order)).await;
    assert_eq!(status, 200);
    assert_eq!(detail["status"], "confirmed", "{detail}");
}

const FAULTS: &str = "/api/v1/admin/faults";

#[tokio::test]
async fn the_admin_fault_endpoint_exists_only_when_allowed() {
    let t = demo_server().await;
    let (status, body) = t
        .post(&t.admin(), FAULTS, Some(json!({"fault": "status_500"})))
        .await;
    assert_eq!(status, 404, "{body}");

    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = sellerdash_server::start(
        listener,
        ServerConfig::demo(dir.path().join("faults.db")).with_faults(),
    )
    .await
    .unwrap();
    let t = TestServer {
        server,
        client: Client::new(),
        db: dir.path().join("faults.db"),
        dir,
    };
    let seller = t.main_seller().token;
    let (status, _) = t
        .post(&seller, FAULTS, Some(json!({"fault": "status_500"})))
        .await;
    assert_eq!(status, 403, "a seller cannot switch faults");
    let (status, body) = t
        .post(&t.admin(), FAULTS, Some(json!({"fault": "delay"})))
        .await;
    assert_eq!(
        (status, &body["code"]),
        (400, &json!("bad_request")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("delay_ms"),
        "{body}"
    );

    let (status, body) = t
        .post(
            demo::DEMO_ADMIN_TOKEN,
            FAULTS,
            Some(json!({"fault": "status_500", "path_prefix": paths::DASHBOARD})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["path_prefix"], paths::DASHBOARD);
    assert_eq!(t.get(&seller, paths::DASHBOARD).await.0, 500);
    assert_eq!(t.get(&seller, paths::PENDING_ORDERS).await.0, 200);

    let (status, _) = t
        .post(&t.admin(), FAULTS, Some(json!({"fault": "none"})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(t.get(&seller, paths::DASHBOARD).await.0, 200);
}
