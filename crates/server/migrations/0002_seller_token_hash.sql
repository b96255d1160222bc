-- Seller tokens made by the admin API or the CLI are kept only as a digest: token_hash is the
-- lowercase hex SHA-256 of the token. Such a seller's token column (NOT NULL UNIQUE since
-- 0001) holds 'sha256:' and the digest, and lookups by clear token skip rows that have a
-- digest, so neither stored value is a credential. The demo sellers keep their fixed, public
-- tokens in token and have no digest.
ALTER TABLE sellers ADD COLUMN token_hash TEXT;

CREATE UNIQUE INDEX sellers_by_token_hash ON sellers (token_hash);
