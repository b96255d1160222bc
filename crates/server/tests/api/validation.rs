//! Admin input that would put nonsense on a seller's dashboard is refused with a 400 naming
//! the field: visit counts and times, the buyer of a new order, order lines.

use sellerdash_api::paths;
use sellerdash_server::demo;
use serde_json::{Value, json};

use crate::common::{TestServer, assert_error, demo_server};

async fn visitors_today(t: &TestServer) -> Value {
    let (status, dash) = t
        .get(
            &t.main_seller().token,
            &format!("{}?period=today", paths::DASHBOARD),
        )
        .await;
    assert_eq!(status, 200, "{dash}");
    dash["visitors"].clone()
}

fn message_names(answer: &(u16, Value), field: &str) {
    let message = answer.1["message"].as_str().unwrap_or_default();
    assert!(message.contains(field), "{field}: {}", answer.1);
}

#[tokio::test]
async fn visits_are_bounded_in_count_and_time() {
    let t = demo_server().await;
    let before = visitors_today(&t).await;
    let seller = demo::DEMO_SELLER_ID;
    for (body, field) in [
        (
            json!({"seller_id": seller, "count": 4_294_967_295_u32}),
            "count",
        ),
        (json!({"seller_id": seller, "count": 100_001}), "count"),
        (json!({"seller_id": seller, "count": 0}), "count"),
        (
            json!({"seller_id": seller, "count": 3, "at": "3000-01-01T00:00:00Z"}),
            "at",
        ),
    ] {
        let answer = t
            .post(&t.admin(), paths::ADMIN_VISITS, Some(body.clone()))
            .await;
        assert_error(&answer, 400, "bad_request");
        message_names(&answer, field);
    }
    assert_eq!(visitors_today(&t).await, before, "nothing was recorded");

    let (status, _) = t
        .post(
            &t.admin(),
            paths::ADMIN_VISITS,
            Some(json!({"seller_id": seller, "count": 100_000})),
        )
        .await;
    assert_eq!(status, 204);
    t.server.shutdown().await;
}

#[tokio::test]
async fn new_orders_need_a_plausible_buyer_and_lines() {
    let t = demo_server().await;
    let seller = demo::DEMO_SELLER_ID;
    let product = demo::product_id(seller, 0);
    let good = json!({"name": " Ana Ruiz ", "email": "ana@example.com", "city": "Madrid", "country": "ES"});
    let with = |field: &str, value: Value| {
        let mut customer = good.clone();
        customer[field] = value;
        json!({"seller_id": seller, "items": [{"product_id": product, "quantity": 1}], "customer": customer})
    };
    let lines = |n: usize, quantity: u32| {
        let items: Vec<Value> = (0..n)
            .map(|_| json!({"product_id": product, "quantity": quantity}))
            .collect();
        json!({"seller_id": seller, "items": items})
    };
    let cases = [
        (with("name", json!("")), "customer.name"),
        (with("name", json!("   ")), "customer.name"),
        (
            with("name", json!(format!("<b>{}</b>", "x".repeat(273)))),
            "customer.name",
        ),
        (with("name", json!("Ana\u{1b}[31m")), "customer.name"),
        (with("email", json!("x")), "customer.email"),
        (with("email", json!("a@b@c")), "customer.email"),
        (with("city", json!("")), "customer.city"),
        (with("country", json!("ZZZZ")), "customer.country"),
        (with("country", json!("es")), "customer.country"),
        (lines(1, 0), "quantity"),
        (lines(1, 1001), "quantity"),
        (lines(0, 1), "items"),
        (lines(101, 1), "items"),
    ];
    for (body, field) in cases {
        let answer = t.post(&t.admin(), paths::ADMIN_ORDERS, Some(body)).await;
        assert_error(&answer, 400, "bad_request");
        message_names(&answer, field);
    }

    let (status, order) = t
        .post(
            &t.admin(),
            paths::ADMIN_ORDERS,
            Some(with("name", json!(" Ana Ruiz "))),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["customer"]["name"], "Ana Ruiz", "{order}");
    let (status, order) = t
        .post(&t.admin(), paths::ADMIN_ORDERS, Some(lines(100, 1000)))
        .await;
    assert_eq!(status, 201, "{order}");
    t.server.shutdown().await;
}
