//! The orders list as the Sales page uses it: search by order id or customer name
//! (case-insensitive, `%` and `_` taken literally), server paging with the total, and the
//! payout history of a whole year.

use sellerdash_api::paths;
use serde_json::{Value, json};

use crate::common::{TestServer, demo_server, id};

async fn order_for(t: &TestServer, seller_id: &str, name: &str) -> String {
    let body = json!({
        "seller_id": seller_id,
        "items": [{"product_id": sellerdash_server::demo::product_id(seller_id, 0), "quantity": 1}],
        "customer": {"name": name, "email": "b@example.com", "city": "Porto", "country": "PT"},
    });
    let (status, order) = t.post(&t.admin(), paths::ADMIN_ORDERS, Some(body)).await;
    assert_eq!(status, 201, "{order}");
    id(&order)
}

fn ids(page: &Value) -> Vec<String> {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_matches_ids_and_names_case_insensitively() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let first = order_for(&t, &seller.id, "Wilhelmina Zebrowski").await;
    let second = order_for(&t, &seller.id, "wilhelmina 100%_sure").await;

    let (status, page) = t
        .get(&seller.token, &format!("{}?q=WILHELMINA", paths::ORDERS))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 2);
    assert_eq!(ids(&page), [second.clone(), first.clone()], "newest first");

    // `%` and `_` are literal characters, not wildcards.
    let (_, literal) = t
        .get(&seller.token, &format!("{}?q=100%25_s", paths::ORDERS))
        .await;
    assert_eq!(ids(&literal), vec![second.clone()]);
    let (_, wildcard) = t
        .get(&seller.token, &format!("{}?q=%25", paths::ORDERS))
        .await;
    assert_eq!(ids(&wildcard), vec![second.clone()]);

    // By order id, combined with a status filter.
    let (_, by_id) = t
        .get(
            &seller.token,
            &format!(
                "{}?q={}&status=pending",
                paths::ORDERS,
                first.to_uppercase()
            ),
        )
        .await;
    assert_eq!(ids(&by_id), vec![first.clone()]);
    let (_, other_status) = t
        .get(
            &seller.token,
            &format!("{}?q={first}&status=completed", paths::ORDERS),
        )
        .await;
    assert_eq!(other_status["total"], 0);
    assert_eq!(ids(&other_status), Vec::<String>::new());
}

#[tokio::test]
async fn pages_partition_the_list_and_carry_the_total() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let (_, all) = t
        .get(&seller.token, &format!("{}?per_page=200", paths::ORDERS))
        .await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 100, "the demo store has {total} orders");
    let mut walked = Vec::new();
    for page in 1..=3 {
        let (status, answer) = t
            .get(
                &seller.token,
                &format!("{}?page={page}&per_page=50", paths::ORDERS),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(answer["total"], total);
        assert_eq!(answer["page"], page);
        assert_eq!(answer["per_page"], 50);
        walked.extend(ids(&answer));
    }
    let first_150: Vec<String> = ids(&all).into_iter().take(150).collect();
    assert_eq!(walked, first_150);

    // Past the end: an empty page, still with the total.
    let (_, beyond) = t
        .get(
            &seller.token,
            &format!("{}?page=9999&per_page=50", paths::ORDERS),
        )
        .await;
    assert_eq!(beyond["total"], total);
    assert_eq!(ids(&beyond), Vec::<String>::new());
}

#[tokio::test]
async fn a_year_of_payout_history_is_every_month_of_it() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let (_, all) = t.get(&seller.token, paths::PAYOUT_HISTORY).await;
    let payouts = all["payouts"].as_array().unwrap();
    assert!(!payouts.is_empty(), "the demo store has payouts");
    let year: i32 = payouts[0]["created_at"].as_str().unwrap()[..4]
        .parse()
        .unwrap();
    let in_year: Vec<&Value> = payouts
        .iter()
        .filter(|p| {
            p["created_at"]
                .as_str()
                .unwrap()
                .starts_with(&year.to_string())
        })
        .collect();
    let (status, history) = t
        .get(
            &seller.token,
            &format!("{}?year={year}", paths::PAYOUT_HISTORY),
        )
        .await;
    assert_eq!(status, 200);
    let got: Vec<&Value> = history["payouts"].as_array().unwrap().iter().collect();
    assert_eq!(got, in_year);
    let (_, none) = t
        .get(
            &seller.token,
            &format!("{}?year={}", paths::PAYOUT_HISTORY, year - 50),
        )
        .await;
    assert_eq!(none["payouts"], json!([]));
    assert_eq!(none["total_paid"]["amount_minor"], 0);
}

#[tokio::test]
async fn an_over_long_search_is_refused_naming_q() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let limit = sellerdash_api::OrderQuery::MAX_SEARCH_CHARS;
    // At the limit (in characters, not bytes): an ordinary, empty answer.
    let at_limit = "é".repeat(limit);
    let (status, page) = t
        .get(&seller.token, &format!("{}?q={at_limit}", paths::ORDERS))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 0);
    for path in [paths::ORDERS, paths::PENDING_ORDERS] {
        let answer = t
            .get(
                &seller.token,
                &format!("{path}?q={}", "x".repeat(limit + 1)),
            )
            .await;
        crate::common::assert_error(&answer, 400, "bad_request");
        let message = answer.1["message"].as_str().unwrap();
        assert!(message.starts_with("q "), "{message}");
        assert!(message.contains(&limit.to_string()), "{message}");
    }
}
