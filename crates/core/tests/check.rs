//! "Test connection" against the real reference server: the right token names the seller
//! and its pending count, a wrong one is refused, a closed port is not answering.

#![allow(clippy::unwrap_used)]

use sellerdash_api::{OrderPage, paths};
use sellerdash_core::check_connection;
use sellerdash_server::ServerConfig;
use sellerdash_state::settings::ConnectionCheck;

#[tokio::test]
async fn the_check_names_the_seller_or_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server =
        sellerdash_server::start(listener, ServerConfig::demo(dir.path().join("server.db")))
            .await
            .unwrap();
    let seller = server.sellers().into_iter().next().unwrap();
    let pending: OrderPage = reqwest::Client::new()
        .get(format!("{}{}", server.base_url(), paths::PENDING_ORDERS))
        .bearer_auth(&seller.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let ok = check_connection(&server.base_url(), &seller.token).await;
    assert_eq!(
        ok,
        ConnectionCheck::Connected {
            seller: seller.name.clone(),
            pending_orders: pending.total,
        }
    );
    assert!(
        ok.text()
            .starts_with(&format!("Connected as {}", seller.name))
    );

    let refused = check_connection(&server.base_url(), "not-a-token").await;
    assert!(
        matches!(refused, ConnectionCheck::Refused { .. }),
        "{refused:?}"
    );

    let wrong_path = check_connection(
        &format!("{}/nothing-here", server.base_url()),
        &seller.token,
    )
    .await;
    assert!(
        matches!(wrong_path, ConnectionCheck::Failed { .. }),
        "{wrong_path:?}"
    );

    let url = server.base_url();
    server.shutdown().await;
    let down = check_connection(&url, &seller.token).await;
    assert!(
        matches!(down, ConnectionCheck::NotAnswering { .. }),
        "{down:?}"
    );
    assert!(
        down.text().starts_with("Not answering: "),
        "{}",
        down.text()
    );
}
