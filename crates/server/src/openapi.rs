//! The OpenAPI 3.1 document of the seller API, served at [`OPENAPI_PATH`]. It lists every
//! operation with its parameters, body and answers; the body types are named after the
//! contract crate's types, which stay the single source of truth for their fields.

use serde_json::{Value, json};

use sellerdash_api::{AdminAction, paths};

/// Where the document is served (no token needed).
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn ok(status: &str, schema: Option<&str>, errors: &[&str]) -> Value {
    let mut responses = serde_json::Map::new();
    let success = match schema {
        Some(name) => {
            json!({"description": name, "content": {"application/json": {"schema": reference(name)}}})
        }
        None => json!({"description": "done"}),
    };
    responses.insert(status.to_owned(), success);
    for code in errors {
        responses.insert(
            (*code).to_owned(),
            json!({"$ref": "#/components/responses/Error"}),
        );
    }
    Value::Object(responses)
}

fn query(name: &str, kind: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}, "description": description})
}

fn body(name: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": reference(name)}}})
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn key_param() -> Value {
    json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255},
           "description": "The same key returns the first response and changes nothing twice."})
}

/// The document.
pub fn document() -> Value {
    let seller = json!([{"sellerToken": []}]);
    let admin = json!([{"adminToken": []}]);
    let read = ["400", "401", "403", "404"];
    let write = ["400", "401", "403", "404", "409", "413", "415"];
    let page = [
        query(
            "q",
            "string",
            "Matches the order id or the customer's name; at most 200 characters",
        ),
        query("page", "integer", "1-based"),
        query("per_page", "integer", "1 to 200, default 50"),
    ];
    let order = format!("{}/{{id}}", paths::ORDERS);
    let schemas: serde_json::Map<String, Value> = [
        "DashboardStats", "OrderPage", "Order", "CancelOrder", "PayoutStats", "PayoutHistory",
        "CreateOrder", "RecordVisits", "RunPayouts", "RunPayoutsResult",
        "CreateSeller", "CreatedSeller", "SellerList", "SellerAccount", "CreateProduct", "ProductInfo",
    ]
    .into_iter()
    .map(|name| (name.to_owned(), json!({"type": "object", "description": format!("sellerdash_api::{name}")})))
    .chain([(
        "TransitionOrder".to_owned(),
        json!({"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": AdminAction::ALL.map(|a| serde_json::to_value(a).unwrap_or_default()),
                       "description": "pay, process, ship, in_transit, deliver, complete; buyer_cancel before shipping; \
                                       reopen sends a confirmed order back to pending (the buyer changed it)"},
            "note": {"type": "string", "description": "A reason, for buyer_cancel and reopen"}}}),
    ), (
        "ApiError".to_owned(),
        json!({"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found",
                     "conflict", "payload_too_large", "internal", "unavailable"]},
            "message": {"type": "string"}}}),
    )])
    .collect();

    json!({
        "openapi": "3.1.0",
        "info": {"title": "Sellerdash seller API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Money is integer minor units with an ISO 4217 code; times are UTC RFC 3339."},
        "paths": {
            paths::DASHBOARD: {"get": {"security": seller, "parameters": [query("period", "string", "today, 7d, 30d (default) or 12m")],
                "responses": ok("200", Some("DashboardStats"), &read)}},
            paths::ORDERS: {"get": {"security": seller,
                "parameters": [query("status", "string", "Comma-separated statuses"), page[0].clone(), page[1].clone(), page[2].clone()],
                "responses": ok("200", Some("OrderPage"), &read)}},
            paths::PENDING_ORDERS: {"get": {"security": seller, "parameters": page,
                "responses": ok("200", Some("OrderPage"), &read)}},
            order.clone(): {"get": {"security": seller, "parameters": [id_param()],
                "responses": ok("200", Some("Order"), &read)}},
            format!("{order}/confirm"): {"post": {"security": seller, "parameters": [id_param(), key_param()],
                "responses": ok("200", Some("Order"), &write)}},
            format!("{order}/cancel"): {"post": {"security": seller, "parameters": [id_param(), key_param()],
                "requestBody": body("CancelOrder"), "responses": ok("200", Some("Order"), &write)}},
            paths::ACCOUNT: {"get": {"security": seller, "responses": ok("200", Some("SellerAccount"), &read)}},
            paths::PAYOUT_STATS: {"get": {"security": seller, "responses": ok("200", Some("PayoutStats"), &read)}},
            paths::PAYOUT_HISTORY: {"get": {"security": seller,
                "parameters": [query("month", "integer", "1 to 12"), query("year", "integer", "Calendar year")],
                "responses": ok("200", Some("PayoutHistory"), &read)}},
            paths::ADMIN_ORDERS: {"post": {"security": admin, "parameters": [key_param()],
                "requestBody": body("CreateOrder"), "responses": ok("201", Some("Order"), &write)}},
            format!("{}/{{id}}/transition", paths::ADMIN_ORDERS): {"post": {"security": admin, "parameters": [id_param(), key_param()],
                "requestBody": body("TransitionOrder"), "responses": ok("200", Some("Order"), &write)}},
            paths::ADMIN_VISITS: {"post": {"security": admin, "requestBody": body("RecordVisits"),
                "responses": ok("204", None, &write)}},
            paths::ADMIN_RUN_PAYOUTS: {"post": {"security": admin, "requestBody": body("RunPayouts"),
                "responses": ok("200", Some("RunPayoutsResult"), &write)}},
            paths::ADMIN_SELLERS: {
                "post": {"security": admin, "requestBody": body("CreateSeller"),
                    "description": "The answer holds the new seller's token, shown only this once.",
                    "responses": ok("201", Some("CreatedSeller"), &["400", "401", "403", "413", "415"])},
                "get": {"security": admin, "responses": ok("200", Some("SellerList"), &["401", "403"])}},
            format!("{}/{{id}}/products", paths::ADMIN_SELLERS): {"post": {"security": admin, "parameters": [id_param(), key_param()],
                "requestBody": body("CreateProduct"), "responses": ok("201", Some("ProductInfo"), &write)}},
            paths::HEALTH: {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {
            "securitySchemes": {
                "sellerToken": {"type": "http", "scheme": "bearer", "description": "A seller's token"},
                "adminToken": {"type": "http", "scheme": "bearer", "description": "The marketplace admin token"},
            },
            "responses": {"Error": {"description": "Every failure",
                "content": {"application/json": {"schema": reference("ApiError")}}}},
            "schemas": schemas,
        },
    })
}
