//! Sellers (with their bearer tokens and payout schedule) and their products: reading them,
//! and the seed's inserts. Sellers and products made at run time are in `seller_write`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sellerdash_api::{Currency, Money, PayoutSchedule};
use sqlx::SqliteConnection;

use super::codec::{name, parse, parse_ts, ts};
use super::seller_write::token_digest;
use super::{Error, Result, Store};
use crate::echo::clip;

/// A seller account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seller {
    pub id: String,
    pub name: String,
    pub currency: Currency,
    /// The bearer token of the seller endpoints when the database holds it in clear (the
    /// demo sellers); `None` for a seller whose token is kept only as a digest.
    pub token: Option<String>,
    pub payout_schedule: PayoutSchedule,
    /// The store's time zone: its "today" and its day and month buckets.
    pub time_zone: Tz,
    pub created_at: DateTime<Utc>,
}

/// A product a seller sells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: String,
    pub seller_id: String,
    pub sku: String,
    pub name: String,
    pub price: Money,
}

/// A product to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub price_minor: i64,
}

#[derive(sqlx::FromRow)]
struct SellerRow {
    id: String,
    name: String,
    currency: String,
    token: String,
    token_hash: Option<String>,
    payout_schedule: String,
    time_zone: String,
    created_at: String,
}

/// `SELECT` of a [`SellerRow`] with the rest of the statement (a literal) appended.
macro_rules! select_sellers {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, currency, token, token_hash, payout_schedule, time_zone, created_at \
             FROM sellers ",
            $rest
        )
    };
}

impl TryFrom<SellerRow> for Seller {
    type Error = Error;
    fn try_from(row: SellerRow) -> Result<Seller> {
        Ok(Seller {
            currency: row
                .currency
                .parse()
                .map_err(|err| Error::Corrupt(format!("seller currency: {err}")))?,
            payout_schedule: parse(&row.payout_schedule)?,
            time_zone: row
                .time_zone
                .parse()
                .map_err(|err| Error::Corrupt(format!("seller time zone: {err}")))?,
            created_at: parse_ts(&row.created_at)?,
            id: row.id,
            name: row.name,
            token: row.token_hash.is_none().then_some(row.token),
        })
    }
}

impl Store {
    /// The seller whose bearer token this is: by its digest, or in clear for a seller that
    /// has no digest (the demo sellers).
    pub async fn seller_by_token(&self, token: &str) -> Result<Option<Seller>> {
        let row: Option<SellerRow> = sqlx::query_as(select_sellers!(
            "WHERE token_hash = ? OR (token_hash IS NULL AND token = ?)"
        ))
        .bind(token_digest(token))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Seller::try_from).transpose()
    }

    pub async fn seller(&self, id: &str) -> Result<Option<Seller>> {
        let mut conn = self.pool.acquire().await?;
        seller_in(&mut conn, id).await
    }

    /// Every seller, oldest account first.
    pub async fn sellers(&self) -> Result<Vec<Seller>> {
        let rows: Vec<SellerRow> = sqlx::query_as(select_sellers!("ORDER BY created_at, id"))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Seller::try_from).collect()
    }

    /// Whether the database holds no seller yet (the demo seed only goes into such a one).
    pub async fn is_empty(&self) -> Result<bool> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sellers")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }

    /// A seller's products, by id.
    pub async fn products(&self, seller_id: &str) -> Result<Vec<Product>> {
        let mut conn = self.pool.acquire().await?;
        let seller = seller_in(&mut conn, seller_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no seller {:?}", clip(seller_id))))?;
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT id, sku, name, price_minor FROM products WHERE seller_id = ? ORDER BY id",
        )
        .bind(seller_id)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, sku, name, price_minor)| Product {
                id,
                seller_id: seller.id.clone(),
                sku,
                name,
                price: Money::new(price_minor, seller.currency),
            })
            .collect())
    }
}

pub(super) async fn seller_in(conn: &mut SqliteConnection, id: &str) -> Result<Option<Seller>> {
    let row: Option<SellerRow> = sqlx::query_as(select_sellers!("WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(Seller::try_from).transpose()
}

/// Inserts a seller whose token is kept in clear (the demo sellers).
pub(super) async fn insert_seller_in(conn: &mut SqliteConnection, seller: &Seller) -> Result<()> {
    let token = seller
        .token
        .as_deref()
        .ok_or_else(|| Error::Invalid(format!("seller {:?} has no token", seller.id)))?;
    sqlx::query(
        "INSERT INTO sellers (id, name, currency, token, payout_schedule, time_zone, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&seller.id)
    .bind(&seller.name)
    .bind(seller.currency.as_str())
    .bind(token)
    .bind(name(seller.payout_schedule)?)
    .bind(seller.time_zone.name())
    .bind(ts(seller.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn insert_product_in(
    conn: &mut SqliteConnection,
    seller_id: &str,
    product: &NewProduct,
    created_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO products (id, seller_id, sku, name, price_minor, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&product.id)
    .bind(seller_id)
    .bind(&product.sku)
    .bind(&product.name)
    .bind(product.price_minor)
    .bind(ts(created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
