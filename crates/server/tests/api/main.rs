//! API tests against the real server on 127.0.0.1:0 with a temporary SQLite database: tenant
//! scoping, tokens, the order lifecycle, JSON errors, idempotency, dashboard figures, the
//! demo seed and restarts.

#![allow(clippy::unwrap_used)]

mod common;
mod dashboard;
mod errors;
mod idempotency;
mod lifecycle;
mod seed;
mod simulator;
mod tenancy;
