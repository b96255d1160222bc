//! The admin's seller management (admin token only): create a seller (its token is in the
//! answer, once), list sellers without tokens, add products to a seller's catalogue so that
//! orders can be created for it.
//!
//! Creating a seller does not take part in `Idempotency-Key` replay: a replay would need
//! the token stored in clear. A retried create makes a second seller; list to check.

use axum::extract::State;
use axum::http::StatusCode;
use sellerdash_api::{CreateProduct, CreateSeller, CreatedSeller, ProductInfo, SellerList};

use crate::accounts;
use crate::auth::AdminAuth;
use crate::error::AppError;
use crate::extract::{Json, Path};
use crate::ids;
use crate::state::AppState;
use crate::store;

pub async fn create_seller(
    _: AdminAuth,
    State(state): State<AppState>,
    Json(body): Json<CreateSeller>,
) -> Result<(StatusCode, Json<CreatedSeller>), AppError> {
    let created = accounts::create_seller(state.store(), &body, store::now()).await?;
    tracing::info!(seller = %created.id, "seller created");
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn list_sellers(
    _: AdminAuth,
    State(state): State<AppState>,
) -> Result<Json<SellerList>, AppError> {
    let sellers = state.store().sellers().await?;
    Ok(Json(SellerList {
        sellers: sellers.into_iter().map(accounts::account).collect(),
    }))
}

pub async fn create_product(
    _: AdminAuth,
    State(state): State<AppState>,
    Path(seller_id): Path<String>,
    Json(body): Json<CreateProduct>,
) -> Result<(StatusCode, Json<ProductInfo>), AppError> {
    let id = ids::product_id(&mut rand::rng());
    let product = state
        .store()
        .create_product(&seller_id, id, &body, store::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProductInfo {
            id: product.id,
            sku: product.sku,
            name: product.name,
            price: product.price,
        }),
    ))
}
