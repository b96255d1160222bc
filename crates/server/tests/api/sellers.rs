//! Seller management: the admin creates sellers (the token is shown once and works at once),
//! lists them without tokens and adds products; a new seller sees only its own orders; bad
//! bodies are 400s; seller tokens are refused.

use reqwest::Method;
use sellerdash_api::paths;
use sellerdash_server::store::token_digest;
use serde_json::{Value, json};

use crate::common::{ADMIN, TestServer, assert_error, demo_server, id, plain_server, start};

/// A new seller; returns the 201 body.
async fn new_seller(t: &TestServer, body: Value) -> Value {
    let (status, created) = t.post(&t.admin(), paths::ADMIN_SELLERS, Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created
}

/// A product of `seller` at 100.00 (free shipping); returns its id.
async fn new_product(t: &TestServer, seller: &str, sku: &str) -> String {
    let body = json!({"sku": sku, "name": "Linen apron", "price_minor": 10_000});
    let (status, product) = t
        .post(
            &t.admin(),
            &paths::admin_seller_products(seller),
            Some(body),
        )
        .await;
    assert_eq!(status, 201, "{product}");
    assert_eq!(product["price"]["amount_minor"], 10_000);
    id(&product)
}

async fn new_order(t: &TestServer, seller: &str, product: &str) -> String {
    let body = json!({"seller_id": seller, "items": [{"product_id": product, "quantity": 1}]});
    let (status, order) = t.post(&t.admin(), paths::ADMIN_ORDERS, Some(body)).await;
    assert_eq!(status, 201, "{order}");
    id(&order)
}

#[tokio::test]
async fn a_new_seller_works_at_once_and_sees_only_its_own_orders() {
    let t = plain_server().await;
    let a = new_seller(
        &t,
        json!({"name": "  Nordlicht Design ", "currency": "SEK"}),
    )
    .await;
    assert_eq!(a["name"], "Nordlicht Design");
    assert_eq!(a["currency"], "SEK");
    assert_eq!(a["payout_schedule"], "weekly");
    let (a_id, a_token) = (id(&a), a["token"].as_str().unwrap().to_owned());
    assert!(a_id.starts_with("sel_"), "{a_id}");
    assert!(a_token.len() >= 40, "an unguessable token: {a_token}");
    let b = new_seller(
        &t,
        json!({"name": "Kiln & Co", "currency": "EUR", "payout_schedule": "monthly"}),
    )
    .await;
    let (b_id, b_token) = (id(&b), b["token"].as_str().unwrap().to_owned());
    assert_ne!(a_token, b_token);

    // The token works at once, on an empty shop.
    let (status, dash) = t.get(&a_token, paths::DASHBOARD).await;
    assert_eq!(status, 200, "{dash}");
    assert_eq!(
        dash["revenue"],
        json!({"amount_minor": 0, "currency": "SEK"})
    );
    let (_, stats) = t.get(&b_token, paths::PAYOUT_STATS).await;
    assert_eq!(stats["schedule"], "monthly");

    let a_product = new_product(&t, &a_id, "NL-1").await;
    let b_product = new_product(&t, &b_id, "NL-1").await;
    let mine = new_order(&t, &a_id, &a_product).await;
    let theirs = new_order(&t, &b_id, &b_product).await;
    // An order holds only its seller's products.
    let wrong = json!({"seller_id": a_id, "items": [{"product_id": b_product, "quantity": 1}]});
    assert_error(
        &t.post(&t.admin(), paths::ADMIN_ORDERS, Some(wrong)).await,
        400,
        "bad_request",
    );

    let (_, list) = t.get(&a_token, paths::ORDERS).await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["orders"][0]["id"], mine.as_str());
    assert_eq!(list["orders"][0]["total"]["currency"], "SEK");
    assert_error(
        &t.get(&a_token, &paths::order(&theirs)).await,
        404,
        "not_found",
    );
    assert_error(
        &t.post(&a_token, &paths::confirm_order(&theirs), None).await,
        404,
        "not_found",
    );
    let (status, order) = t.post(&a_token, &paths::confirm_order(&mine), None).await;
    assert_eq!(
        (status, &order["status"]),
        (200, &json!("confirmed")),
        "{order}"
    );
    let (_, list) = t.get(&b_token, paths::PENDING_ORDERS).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["orders"][0]["id"], theirs.as_str());

    // The list shows both accounts, never a token.
    let (status, listed) = t.get(ADMIN, paths::ADMIN_SELLERS).await;
    assert_eq!(status, 200, "{listed}");
    let sellers = listed["sellers"].as_array().unwrap();
    assert_eq!(sellers.len(), 2);
    assert_eq!(sellers[0]["id"], a_id.as_str());
    assert_eq!(sellers[1]["payout_schedule"], "monthly");
    assert!(sellers.iter().all(|s| s.get("token").is_none()), "{listed}");
    assert!(!listed.to_string().contains(&a_token));

    // Only a digest is stored: the store cannot tell the token, the digest is no token.
    let stored = t.server.store().sellers().await.unwrap();
    assert!(stored.iter().all(|s| s.token.is_none()));
    assert!(t.server.sellers().is_empty());
    let digest = token_digest(&a_token);
    assert_error(&t.get(&digest, paths::ORDERS).await, 401, "unauthorized");
    let prefixed = format!("sha256:{digest}");
    assert_error(&t.get(&prefixed, paths::ORDERS).await, 401, "unauthorized");

    // A restart on the same file keeps the accounts and their tokens.
    let TestServer {
        server,
        client,
        db,
        dir,
    } = t;
    server.shutdown().await;
    let server = start(db.clone(), false, Some(ADMIN.to_owned())).await;
    let t = TestServer {
        server,
        client,
        db,
        dir,
    };
    let (_, list) = t.get(&a_token, paths::ORDERS).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn demo_tokens_keep_working_next_to_new_sellers() {
    let t = demo_server().await;
    let created = new_seller(&t, json!({"name": "Third shop", "currency": "USD"})).await;
    let token = created["token"].as_str().unwrap();
    let (_, list) = t.get(token, paths::ORDERS).await;
    assert_eq!(list["total"], 0);
    let (status, list) = t.get(&t.main_seller().token, paths::ORDERS).await;
    assert_eq!(status, 200);
    assert!(list["total"].as_u64().unwrap() > 300);
    let (_, listed) = t.get(&t.admin(), paths::ADMIN_SELLERS).await;
    assert_eq!(listed["sellers"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_seller_bodies_are_400() {
    let t = plain_server().await;
    let long = "x".repeat(101);
    for body in [
        json!({"name": "", "currency": "EUR"}),
        json!({"name": "   ", "currency": "EUR"}),
        json!({"name": long, "currency": "EUR"}),
        json!({"name": "Line\nbreak", "currency": "EUR"}),
        json!({"name": "Shop", "currency": "eur"}),
        json!({"name": "Shop", "currency": "EURO"}),
        json!({"name": "Shop", "currency": 978}),
        json!({"name": "Shop"}),
        json!({"currency": "EUR"}),
        json!({"name": "Shop", "currency": "EUR", "payout_schedule": "daily"}),
        json!({"name": "Shop", "currency": "EUR", "token": "mine"}),
        json!("Shop"),
    ] {
        let answer = t
            .post(ADMIN, paths::ADMIN_SELLERS, Some(body.clone()))
            .await;
        assert_error(&answer, 400, "bad_request");
    }
    let fits = new_seller(&t, json!({"name": "é".repeat(100), "currency": "EUR"})).await;
    let (_, listed) = t.get(ADMIN, paths::ADMIN_SELLERS).await;
    assert_eq!(listed["sellers"].as_array().unwrap().len(), 1, "{listed}");

    let seller = id(&fits);
    let products = paths::admin_seller_products(&seller);
    for body in [
        json!({"sku": "", "name": "Apron", "price_minor": 100}),
        json!({"sku": "A", "name": "", "price_minor": 100}),
        json!({"sku": "A", "name": "Apron", "price_minor": -1}),
        json!({"sku": "A", "name": "Apron", "price_minor": 1.5}),
    ] {
        assert_error(
            &t.post(ADMIN, &products, Some(body)).await,
            400,
            "bad_request",
        );
    }
    new_product(&t, &seller, "A").await;
    let again = json!({"sku": "A", "name": "Other", "price_minor": 1});
    assert_error(
        &t.post(ADMIN, &products, Some(again)).await,
        409,
        "conflict",
    );
    let nobody = paths::admin_seller_products("sel_nobody");
    let body = json!({"sku": "A", "name": "Apron", "price_minor": 1});
    assert_error(&t.post(ADMIN, &nobody, Some(body)).await, 404, "not_found");
}

#[tokio::test]
async fn seller_tokens_cannot_manage_sellers() {
    let t = demo_server().await;
    let created = new_seller(&t, json!({"name": "Fresh", "currency": "EUR"})).await;
    let body = json!({"name": "Sneaky", "currency": "EUR"});
    let product = json!({"sku": "S", "name": "Sneaky", "price_minor": 1});
    let products = paths::admin_seller_products(&id(&created));
    for token in [
        t.main_seller().token,
        created["token"].as_str().unwrap().to_owned(),
    ] {
        let answers = [
            t.post(&token, paths::ADMIN_SELLERS, Some(body.clone()))
                .await,
            t.get(&token, paths::ADMIN_SELLERS).await,
            t.post(&token, &products, Some(product.clone())).await,
        ];
        for answer in &answers {
            assert_error(answer, 403, "forbidden");
        }
    }
    let none = t
        .send(Method::GET, None, paths::ADMIN_SELLERS, None, None)
        .await;
    assert_error(&none, 401, "unauthorized");
    let none = t
        .send(Method::POST, None, paths::ADMIN_SELLERS, Some(body), None)
        .await;
    assert_error(&none, 401, "unauthorized");
    let (_, listed) = t.get(&t.admin(), paths::ADMIN_SELLERS).await;
    assert_eq!(listed["sellers"].as_array().unwrap().len(), 3);
}
