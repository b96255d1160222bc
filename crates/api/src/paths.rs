//! The endpoint paths. Seller endpoints take `Authorization: Bearer <seller token>` and only
//! ever see that seller's data; admin endpoints take the admin token.

/// `GET` → `DashboardStats` (`?period=`).
pub const DASHBOARD: &str = "/api/v1/seller/dashboard";
/// `GET` → `OrderPage` (`?status=&q=&page=&per_page=`).
pub const ORDERS: &str = "/api/v1/seller/orders";
/// `GET` → `OrderPage` of the pending orders (`?page=&per_page=`).
pub const PENDING_ORDERS: &str = "/api/v1/seller/orders/pending";
/// `GET` → `SellerAccount`: the token's own seller (its shop name, for "connected as").
pub const ACCOUNT: &str = "/api/v1/seller/account";
/// `GET` → `PayoutStats`.
pub const PAYOUT_STATS: &str = "/api/v1/seller/payouts/stats";
/// `GET` → `PayoutHistory` (`?month=&year=`).
pub const PAYOUT_HISTORY: &str = "/api/v1/seller/payouts/history";
/// `POST CreateOrder` → `Order` (201).
pub const ADMIN_ORDERS: &str = "/api/v1/admin/orders";
/// `POST RecordVisits` → 204.
pub const ADMIN_VISITS: &str = "/api/v1/admin/visits";
/// `POST RunPayouts` → `RunPayoutsResult`.
pub const ADMIN_RUN_PAYOUTS: &str = "/api/v1/admin/payouts/run";
/// `POST CreateSeller` → `CreatedSeller` (201, the token shown once); `GET` → `SellerList`.
pub const ADMIN_SELLERS: &str = "/api/v1/admin/sellers";
/// `GET` → 200 `ok`, no token.
pub const HEALTH: &str = "/healthz";

/// `GET` → `Order`.
pub fn order(id: &str) -> String {
    format!("{ORDERS}/{}", encode_segment(id))
}

/// `POST` (no body) → `Order`; 409 unless the order is pending.
pub fn confirm_order(id: &str) -> String {
    format!("{}/confirm", order(id))
}

/// `POST CancelOrder` → `Order`; 409 once the order has shipped.
pub fn cancel_order(id: &str) -> String {
    format!("{}/cancel", order(id))
}

/// `POST TransitionOrder` → `Order`; 409 when the action is not allowed now.
pub fn admin_transition(id: &str) -> String {
    format!("{ADMIN_ORDERS}/{}/transition", encode_segment(id))
}

/// `POST CreateProduct` → `ProductInfo` (201): a product of seller `seller_id`.
pub fn admin_seller_products(seller_id: &str) -> String {
    format!("{ADMIN_SELLERS}/{}/products", encode_segment(seller_id))
}

/// Percent-encodes everything but unreserved characters, so an id is always one segment.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(order("ord_1"), "/api/v1/seller/orders/ord_1");
        assert_eq!(
            confirm_order("a/b c"),
            "/api/v1/seller/orders/a%2Fb%20c/confirm"
        );
        assert_eq!(admin_transition("x"), "/api/v1/admin/orders/x/transition");
        assert_eq!(
            admin_seller_products("sel_1"),
            "/api/v1/admin/sellers/sel_1/products"
        );
    }
}
