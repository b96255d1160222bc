//! Error messages say what is wrong: a blank cancel reason, an order that is already
//! cancelled, and unknown ids echoed only in part.

use sellerdash_api::paths;
use serde_json::json;

use crate::common::{assert_error, demo_server, id};

#[tokio::test]
async fn cancel_messages_and_echoed_ids_are_to_the_point() {
    let t = demo_server().await;
    let seller = t.main_seller();
    let order = id(&t.create_order(&seller.id).await);
    let cancel = paths::cancel_order(&order);

    let blank = t
        .post(&seller.token, &cancel, Some(json!({"reason": "   "})))
        .await;
    assert_error(&blank, 400, "bad_request");
    let message = blank.1["message"].as_str().unwrap();
    assert!(message.contains("must not be blank"), "{message}");
    assert!(!message.contains("got 0"), "{message}");

    let (status, body) = t
        .post(
            &seller.token,
            &cancel,
            Some(json!({"reason": "out of stock"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let again = t
        .post(
            &seller.token,
            &cancel,
            Some(json!({"reason": "out of stock"})),
        )
        .await;
    assert_error(&again, 409, "conflict");
    let message = again.1["message"].as_str().unwrap();
    assert!(message.contains("already cancelled"), "{message}");
    assert!(!message.contains("before it ships"), "{message}");

    let long = "x".repeat(5000);
    for path in [paths::order(&long), paths::confirm_order(&long)] {
        let answer = t.post(&seller.token, &path, None).await;
        let answer = if answer.0 == 405 {
            t.get(&seller.token, &path).await
        } else {
            answer
        };
        assert_error(&answer, 404, "not_found");
        let message = answer.1["message"].as_str().unwrap();
        assert!(
            message.len() < 200,
            "{} chars: {message:.100}",
            message.len()
        );
        assert!(message.contains(&"x".repeat(64)), "{message}");
    }
    t.server.shutdown().await;
}
