//! `GET /api/v1/seller/account`: each token sees its own shop (the Settings page's
//! "Connected as"), never a token; no token or a wrong one is a 401.

use sellerdash_api::paths;

use crate::common::{assert_error, demo_server};

#[tokio::test]
async fn each_token_sees_its_own_shop_and_no_token() {
    let t = demo_server().await;
    for seller in [t.main_seller(), t.other_seller()] {
        let (status, account) = t.get(&seller.token, paths::ACCOUNT).await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(account["id"], seller.id.as_str());
        assert_eq!(account["name"], seller.name.as_str());
        assert!(account.get("token").is_none(), "{account}");
        assert!(!account.to_string().contains(&seller.token));
    }
    assert_error(
        &t.get("wrong-token", paths::ACCOUNT).await,
        401,
        "unauthorized",
    );
}
