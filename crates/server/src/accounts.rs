//! Seller accounts for the engineer who deploys a marketplace: a new seller gets a random id
//! and a fresh random bearer token, shown once (the store keeps only its digest). The admin
//! endpoints and the `sellers` CLI both come through here.

use chrono::{DateTime, Utc};
use sellerdash_api::{CreateSeller, CreatedSeller, PayoutSchedule, SellerAccount};

use crate::ids;
use crate::store::{self, NewSeller, Seller, Store};

/// Creates the seller `body` describes at `now` (weekly payouts unless it says otherwise)
/// and returns it with its token (UTC unless it names a time zone). Bad names and unknown
/// time zones are [`store::Error::Invalid`].
pub async fn create_seller(
    store: &Store,
    body: &CreateSeller,
    now: DateTime<Utc>,
) -> Result<CreatedSeller, store::Error> {
    let time_zone = store::time_zone(body.time_zone.as_deref())?;
    let (id, token) = {
        let mut rng = rand::rng();
        (ids::seller_id(&mut rng), ids::seller_token(&mut rng))
    };
    let new = NewSeller {
        id,
        name: body.name.clone(),
        currency: body.currency,
        payout_schedule: body.payout_schedule.unwrap_or(PayoutSchedule::Weekly),
        time_zone,
        created_at: now,
    };
    let seller = store.create_seller(&new, &token).await?;
    Ok(CreatedSeller {
        id: seller.id,
        name: seller.name,
        currency: seller.currency,
        payout_schedule: seller.payout_schedule,
        time_zone: seller.time_zone.name().to_owned(),
        created_at: seller.created_at,
        token,
    })
}

/// The admin's view of a seller: everything but the token.
pub fn account(seller: Seller) -> SellerAccount {
    SellerAccount {
        id: seller.id,
        name: seller.name,
        currency: seller.currency,
        payout_schedule: seller.payout_schedule,
        time_zone: seller.time_zone.name().to_owned(),
        created_at: seller.created_at,
    }
}
