-- The core's on-disk cache: the last answer of every query and the orders already notified.
CREATE TABLE query_cache (
    -- The query key as a JSON array of its segments.
    query_key  TEXT PRIMARY KEY NOT NULL,
    -- The answer as JSON of the key's contract type.
    data       TEXT NOT NULL,
    -- RFC 3339 UTC: when the answer was fetched from the marketplace.
    fetched_at TEXT NOT NULL
);

CREATE TABLE notified_orders (
    order_id    TEXT PRIMARY KEY NOT NULL,
    notified_at TEXT NOT NULL
);
