-- The seller's action outbox: every confirm and cancel is written here before it is sent,
-- with the idempotency key every send of it carries, and replayed in `seq` order.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The marketplace account (fingerprint) the action belongs to.
    scope           TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('confirm', 'cancel')),
    -- The buyer-facing reason of a cancel.
    reason          TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'rejected')),
    -- RFC 3339 UTC.
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    -- A rejection the seller has read and dismissed.
    dismissed       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX outbox_by_scope_state ON outbox (scope, state, seq);
