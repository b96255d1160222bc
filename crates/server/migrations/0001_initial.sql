-- The reference seller API's schema. Migrations are only ever added, never edited.
--
-- Portable SQL on purpose (SQLite today, PostgreSQL later): TEXT ids, BIGINT money in minor
-- units, timestamps as fixed-width UTC RFC 3339 TEXT ('2026-01-31T12:00:00.000000Z') so that
-- string order is time order, calendar dates as 'YYYY-MM-DD' TEXT.

CREATE TABLE sellers (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    currency        TEXT NOT NULL,
    token           TEXT NOT NULL UNIQUE,
    payout_schedule TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    seller_id   TEXT NOT NULL REFERENCES sellers (id),
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX products_by_seller ON products (seller_id);

CREATE TABLE payouts (
    id           TEXT PRIMARY KEY,
    seller_id    TEXT NOT NULL REFERENCES sellers (id),
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    paid_at      TEXT,
    order_count  BIGINT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE INDEX payouts_by_seller ON payouts (seller_id, created_at);

CREATE TABLE orders (
    id               TEXT PRIMARY KEY,
    seller_id        TEXT NOT NULL REFERENCES sellers (id),
    status           TEXT NOT NULL,
    customer_name    TEXT NOT NULL,
    customer_email   TEXT NOT NULL,
    customer_city    TEXT NOT NULL,
    customer_country TEXT NOT NULL,
    currency         TEXT NOT NULL,
    subtotal_minor   BIGINT NOT NULL,
    shipping_minor   BIGINT NOT NULL,
    total_minor      BIGINT NOT NULL,
    item_count       BIGINT NOT NULL,
    payment_status   TEXT NOT NULL,
    payment_method   TEXT NOT NULL,
    paid_at          TEXT,
    delivery_status  TEXT NOT NULL,
    carrier          TEXT,
    tracking_number  TEXT,
    cancel_reason    TEXT,
    completed_at     TEXT,
    payout_id        TEXT REFERENCES payouts (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE INDEX orders_by_seller_created ON orders (seller_id, created_at);
CREATE INDEX orders_by_seller_status ON orders (seller_id, status);

CREATE TABLE order_items (
    order_id         TEXT NOT NULL REFERENCES orders (id),
    position         INTEGER NOT NULL,
    product_id       TEXT NOT NULL REFERENCES products (id),
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE tracking_events (
    order_id    TEXT NOT NULL REFERENCES orders (id),
    position    INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status      TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE timeline_entries (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    at       TEXT NOT NULL,
    status   TEXT NOT NULL,
    note     TEXT,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE feedback (
    order_id   TEXT PRIMARY KEY REFERENCES orders (id),
    rating     INTEGER NOT NULL,
    comment    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Shop visits, one counter per seller and UTC day.
CREATE TABLE visits (
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    day       TEXT NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (seller_id, day)
);

-- Responses to mutations sent with an Idempotency-Key, per caller (a seller id or 'admin').
-- A row with a NULL status is a request still being handled.
CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    request     TEXT NOT NULL,
    status      INTEGER,
    body        TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
