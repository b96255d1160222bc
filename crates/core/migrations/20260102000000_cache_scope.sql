-- Which marketplace account the cached answers belong to (a fingerprint, never the token).
CREATE TABLE cache_meta (
    name  TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
