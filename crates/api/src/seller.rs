//! Seller accounts and their products, as the marketplace's admin creates and lists them.
//! A new seller's token is shown once, in [`CreatedSeller`]; the server keeps only a digest.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Currency, Money, PayoutSchedule};

/// Admin body: a new seller account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSeller {
    /// The shop's name, 1 to [`CreateSeller::MAX_NAME_CHARS`] characters (trimmed).
    pub name: String,
    /// The currency of every amount of this seller.
    pub currency: Currency,
    /// Weekly when absent.
    #[serde(default)]
    pub payout_schedule: Option<PayoutSchedule>,
    /// The store's IANA time zone (`"Europe/Berlin"`), which its "today" and its day and
    /// month buckets follow. UTC when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl CreateSeller {
    pub const MAX_NAME_CHARS: usize = 100;
}

/// A seller account as the admin sees it (never with its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerAccount {
    pub id: String,
    pub name: String,
    pub currency: Currency,
    pub payout_schedule: PayoutSchedule,
    /// The store's IANA time zone.
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

/// The answer to [`CreateSeller`]: the account and its bearer token. The token is shown
/// only here; the server cannot tell it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedSeller {
    pub id: String,
    pub name: String,
    pub currency: Currency,
    pub payout_schedule: PayoutSchedule,
    /// The store's IANA time zone.
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    /// The seller's bearer token.
    pub token: String,
}

/// Every seller account, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerList {
    pub sellers: Vec<SellerAccount>,
}

/// Admin body: a product a seller sells (orders can only hold a seller's own products).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateProduct {
    /// 1 to [`CreateProduct::MAX_SKU_CHARS`] characters.
    pub sku: String,
    /// 1 to [`CreateProduct::MAX_NAME_CHARS`] characters.
    pub name: String,
    /// The unit price in the seller's currency's minor units, 0 to
    /// [`CreateProduct::MAX_PRICE_MINOR`].
    pub price_minor: i64,
}

impl CreateProduct {
    pub const MAX_SKU_CHARS: usize = 64;
    pub const MAX_NAME_CHARS: usize = 200;
    pub const MAX_PRICE_MINOR: i64 = 1_000_000_000_000;
}

/// A seller's product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInfo {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub price: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_seller_reads_its_wire_form() {
        let body: CreateSeller =
            serde_json::from_str(r#"{"name":"Shop","currency":"EUR","payout_schedule":"monthly"}"#)
                .unwrap();
        assert_eq!(body.currency, Currency::EUR);
        assert_eq!(body.payout_schedule, Some(PayoutSchedule::Monthly));
        let short: CreateSeller = serde_json::from_str(r#"{"name":"S","currency":"GBP"}"#).unwrap();
        assert_eq!(short.payout_schedule, None);
        assert_eq!(short.time_zone, None);
        let zoned: CreateSeller =
            serde_json::from_str(r#"{"name":"S","currency":"USD","time_zone":"America/New_York"}"#)
                .unwrap();
        assert_eq!(zoned.time_zone.as_deref(), Some("America/New_York"));
        assert!(serde_json::from_str::<CreateSeller>(r#"{"name":"S","currency":"eur"}"#).is_err());
        assert!(
            serde_json::from_str::<CreateSeller>(r#"{"name":"S","currency":"EUR","x":1}"#).is_err()
        );
    }
}
