//! Writing a prepared data set (the demo store) into an empty database in one transaction,
//! through the same code paths the API uses, so seeded orders obey the same rules.

use chrono::{DateTime, NaiveDate, Utc};

use crate::lifecycle::{Shipment, Step};

use super::order_write::{NewOrder, apply_step_in, create_order_in, insert_feedback_in};
use super::payouts::run_payout_in;
use super::sellers::{NewProduct, Seller, insert_product_in, insert_seller_in};
use super::stats::add_visits_in;
use super::{Result, Store};

/// One write of a seed, applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOp {
    Seller(Seller),
    Product {
        seller_id: String,
        product: NewProduct,
        at: DateTime<Utc>,
    },
    Order(NewOrder),
    Step {
        order_id: String,
        step: Step,
        at: DateTime<Utc>,
        shipment: Shipment,
    },
    Feedback {
        order_id: String,
        rating: u8,
        comment: String,
        at: DateTime<Utc>,
    },
    Visits {
        seller_id: String,
        day: NaiveDate,
        count: i64,
    },
    /// Pays out what the seller earned by `at`.
    Payout {
        seller_id: String,
        id: String,
        at: DateTime<Utc>,
    },
}

impl Store {
    /// Applies `ops` if the database holds no seller yet; returns whether it did.
    pub async fn seed(&self, ops: &[SeedOp]) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let sellers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sellers")
            .fetch_one(&mut *tx)
            .await?;
        if sellers > 0 {
            return Ok(false);
        }
        for op in ops {
            match op {
                SeedOp::Seller(seller) => insert_seller_in(&mut tx, seller).await?,
                SeedOp::Product {
                    seller_id,
                    product,
                    at,
                } => insert_product_in(&mut tx, seller_id, product, *at).await?,
                SeedOp::Order(order) => create_order_in(&mut tx, order).await?,
                SeedOp::Step {
                    order_id,
                    step,
                    at,
                    shipment,
                } => apply_step_in(&mut tx, None, order_id, step, *at, shipment.clone()).await?,
                SeedOp::Feedback {
                    order_id,
                    rating,
                    comment,
                    at,
                } => insert_feedback_in(&mut tx, order_id, *rating, comment, *at).await?,
                SeedOp::Visits {
                    seller_id,
                    day,
                    count,
                } => add_visits_in(&mut tx, seller_id, *day, *count).await?,
                SeedOp::Payout { seller_id, id, at } => {
                    run_payout_in(&mut tx, seller_id, *at, id).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }
}
