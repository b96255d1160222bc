//! API tests against the real server on 127.0.0.1:0 with a temporary SQLite database: tenant
//! scoping, tokens, the order lifecycle, JSON errors, idempotency, dashboard figures, the
//! demo seed and restarts, seller management (HTTP and CLI) and month-to-date growth, admin input validation,
//! order search and paging and a year of payout history.

#![allow(clippy::unwrap_used)]

mod account;
mod cli;
mod common;
mod dashboard;
mod errors;
mod faults;
mod growth;
mod idempotency;
mod lifecycle;
mod messages;
mod metrics;
mod money;
mod search;
mod seed;
mod sellers;
#[cfg(unix)]
mod signals;
mod simulator;
mod tenancy;
mod time_zone;
mod timeouts;
mod tokens;
mod validation;
