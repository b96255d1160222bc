//! The admin endpoints (admin token only): create orders for a seller, move orders through
//! their lifecycle, record shop visits, run payouts. This is how a marketplace (or a test,
//! or the simulator's HTTP twin) drives the seller's data.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use sellerdash_api::{
    CreateOrder, Order, PaymentMethod, RecordVisits, RunPayouts, RunPayoutsResult, TransitionOrder,
};

use crate::auth::AdminAuth;
use crate::demo;
use crate::error::AppError;
use crate::extract::{Json, Path};
use crate::ids;
use crate::lifecycle::Step;
use crate::state::AppState;
use crate::store::{self, NewOrder, NewOrderItem};
use crate::validate;

/// A new pending order for a seller; its payment is pending until the `pay` transition.
pub async fn create_order(
    _: AdminAuth,
    State(state): State<AppState>,
    Json(body): Json<CreateOrder>,
) -> Result<(StatusCode, Json<Order>), AppError> {
    let customer = validate::order(&body)?;
    let (id, customer) = {
        let mut rng = rand::rng();
        let customer = customer.unwrap_or_else(|| demo::customer(&mut rng, demo::EU_CITIES));
        (ids::order_id(&mut rng), customer)
    };
    let new = NewOrder {
        id,
        seller_id: body.seller_id,
        customer,
        items: body
            .items
            .into_iter()
            .map(|item| NewOrderItem {
                product_id: item.product_id,
                quantity: item.quantity,
            })
            .collect(),
        payment_method: body.payment_method.unwrap_or(PaymentMethod::Card),
        paid: false,
        created_at: store::now(),
    };
    let order = state.store().create_order(&new).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

pub async fn transition(
    _: AdminAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<TransitionOrder>,
) -> Result<Json<Order>, AppError> {
    let step = Step::Admin {
        action: body.action,
        note: body.note,
    };
    let shipment = ids::shipment(&mut rand::rng(), ids::CARRIERS);
    let order = state
        .store()
        .apply_step(None, &id, &step, store::now(), shipment)
        .await?;
    Ok(Json(order))
}

pub async fn record_visits(
    _: AdminAuth,
    State(state): State<AppState>,
    Json(body): Json<RecordVisits>,
) -> Result<StatusCode, AppError> {
    let now = store::now();
    validate::visits(&body, now)?;
    state
        .store()
        .record_visits(&body.seller_id, body.at.unwrap_or(now), body.count)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pays out available balances; an empty body means every seller.
pub async fn run_payouts(
    _: AdminAuth,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<RunPayoutsResult>, AppError> {
    let body: RunPayouts = if body.iter().all(u8::is_ascii_whitespace) {
        RunPayouts::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|err| AppError::BadRequest(format!("invalid JSON body: {err}")))?
    };
    let payouts = state
        .store()
        .run_payouts(body.seller_id.as_deref(), store::now(), || {
            ids::payout_id(&mut rand::rng())
        })
        .await?;
    Ok(Json(RunPayoutsResult { payouts }))
}

/// Sets the fault plan (`POST /api/v1/admin/faults`, registered only when the server was
/// started with faults allowed); answers the plan now in force.
pub async fn set_fault(
    _: AdminAuth,
    State(state): State<AppState>,
    Json(body): Json<crate::faults::SetFault>,
) -> Result<Json<serde_json::Value>, AppError> {
    let plan = body.plan().map_err(AppError::BadRequest)?;
    state.faults().set_plan(plan.clone());
    Ok(Json(serde_json::json!({
        "fault": body.fault,
        "delay_ms": body.delay_ms,
        "path_prefix": plan.path_prefix,
    })))
}
