//! Sellers and products made at run time (the admin API, the CLI): validated, and a new
//! seller's token stored only as its SHA-256 digest (see migration 0002). Random ids and
//! tokens come from the caller.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sellerdash_api::{CreateProduct, CreateSeller, Currency, Money, PayoutSchedule};
use sha2::{Digest, Sha256};

use super::codec::{name, ts};
use super::sellers::{NewProduct, Product, Seller, insert_product_in, seller_in};
use super::{Error, Result, Store};
use crate::echo::clip;

/// A seller account to add; its token is given separately and never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeller {
    pub id: String,
    pub name: String,
    pub currency: Currency,
    pub payout_schedule: PayoutSchedule,
    pub time_zone: Tz,
    pub created_at: DateTime<Utc>,
}

/// The lowercase hex SHA-256 of a bearer token: what the store keeps instead of the token.
/// A plain digest is enough: the tokens are long random strings, not passwords.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The IANA time zone `name` names (`"Europe/Berlin"`, `"UTC"`); UTC when absent. An
/// unknown name is [`Error::Invalid`] naming the `time_zone` field.
pub fn time_zone(name: Option<&str>) -> Result<Tz> {
    let Some(name) = name else {
        return Ok(Tz::UTC);
    };
    name.trim().parse().map_err(|_| {
        Error::Invalid(format!(
            "time_zone must be an IANA time zone name like \"Europe/Berlin\", got {:?}",
            clip(name)
        ))
    })
}

/// `text` trimmed, if it has 1 to `max` characters and no control characters.
fn checked_text(what: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > max {
        return Err(Error::Invalid(format!(
            "{what} must be 1 to {max} characters, got {chars}"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::Invalid(format!(
            "{what} must not hold control characters"
        )));
    }
    Ok(text.to_owned())
}

impl Store {
    /// Adds a seller whose bearer token is `token`, keeping only the token's digest. The
    /// name is trimmed and must have 1 to [`CreateSeller::MAX_NAME_CHARS`] characters.
    pub async fn create_seller(&self, new: &NewSeller, token: &str) -> Result<Seller> {
        let seller_name = checked_text("name", &new.name, CreateSeller::MAX_NAME_CHARS)?;
        let digest = token_digest(token);
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO sellers \
             (id, name, currency, token, token_hash, payout_schedule, time_zone, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&new.id)
        .bind(&seller_name)
        .bind(new.currency.as_str())
        .bind(format!("sha256:{digest}"))
        .bind(&digest)
        .bind(name(new.payout_schedule)?)
        .bind(new.time_zone.name())
        .bind(ts(new.created_at))
        .execute(&mut *tx)
        .await?;
        let seller = seller_in(&mut tx, &new.id)
            .await?
            .ok_or_else(|| Error::Corrupt(format!("seller {:?} vanished", new.id)))?;
        tx.commit().await?;
        Ok(seller)
    }

    /// Adds a product with id `id` to a seller's catalogue. The SKU must be new for the
    /// seller (409 otherwise); texts are trimmed and checked, the price is 0 to
    /// [`CreateProduct::MAX_PRICE_MINOR`].
    pub async fn create_product(
        &self,
        seller_id: &str,
        id: String,
        body: &CreateProduct,
        at: DateTime<Utc>,
    ) -> Result<Product> {
        let product = NewProduct {
            id,
            sku: checked_text("sku", &body.sku, CreateProduct::MAX_SKU_CHARS)?,
            name: checked_text("name", &body.name, CreateProduct::MAX_NAME_CHARS)?,
            price_minor: body.price_minor,
        };
        if !(0..=CreateProduct::MAX_PRICE_MINOR).contains(&product.price_minor) {
            return Err(Error::Invalid(format!(
                "price_minor must be 0 to {}, got {}",
                CreateProduct::MAX_PRICE_MINOR,
                product.price_minor
            )));
        }
        let mut tx = self.write_tx().await?;
        let seller = seller_in(&mut tx, seller_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no seller {:?}", clip(seller_id))))?;
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE seller_id = ? AND sku = ?")
                .bind(seller_id)
                .bind(&product.sku)
                .fetch_one(&mut *tx)
                .await?;
        if taken > 0 {
            return Err(Error::Conflict(format!(
                "seller {seller_id:?} already has a product with sku {:?}",
                product.sku
            )));
        }
        insert_product_in(&mut tx, seller_id, &product, at).await?;
        tx.commit().await?;
        Ok(Product {
            id: product.id,
            seller_id: seller.id,
            sku: product.sku,
            name: product.name,
            price: Money::new(product.price_minor, seller.currency),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_hex_sha256() {
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(checked_text("name", "  Shop ", 10).unwrap(), "Shop");
        assert!(checked_text("name", "   ", 10).is_err());
        assert!(checked_text("name", "x".repeat(11).as_str(), 10).is_err());
        assert_eq!(
            checked_text("name", "é".repeat(10).as_str(), 10)
                .unwrap()
                .chars()
                .count(),
            10
        );
        assert!(checked_text("name", "a\nb", 10).is_err());
    }
}
