-- The request an Idempotency-Key was first used for, as the lowercase hex SHA-256 of its
-- method, path and body: a reuse of the key with another body is refused instead of being
-- answered with the first response. Rows stored before this migration have no digest and
-- are matched on method and path only.
ALTER TABLE idempotency_keys ADD COLUMN request_digest TEXT;
