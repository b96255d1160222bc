//! Stored responses of mutations sent with an `Idempotency-Key`, per caller. A key is first
//! claimed (a row without a response), then completed with the response, or released when
//! the request failed on the server's side so that a retry runs again.

use chrono::{DateTime, Utc};

use super::codec::{parse_ts, ts};
use super::{Result, Store};

/// A claim on an idempotency key left unfinished this long (the server died mid-request)
/// may be taken over by a retry.
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// What a caller may do with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or abandoned): handle the request, then complete or release it.
    Claimed,
    /// The first request with this key got this response; send it again.
    Done { status: u16, body: String },
    /// The first request with this key is still being handled.
    InProgress,
    /// The key was used for another request (another method or path).
    Mismatch { request: String },
    /// The key was used for the same method and path with another body.
    DifferentBody,
}

type Row = (String, Option<String>, Option<i64>, Option<String>, String);

impl Store {
    /// Claims `key` for `request` (`"POST /path"`, whose method, path and body digest to
    /// `digest`) on behalf of `scope` (a seller id or `admin`).
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        request: &str,
        digest: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim> {
        let mut tx = self.write_tx().await?;
        let row: Option<Row> = sqlx::query_as(
            "SELECT request, request_digest, status, body, created_at FROM idempotency_keys \
             WHERE scope = ? AND key = ?",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let claim = match row {
            None => {
                sqlx::query(
                    "INSERT INTO idempotency_keys (scope, key, request, request_digest, created_at) \
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(scope)
                .bind(key)
                .bind(request)
                .bind(digest)
                .bind(ts(now))
                .execute(&mut *tx)
                .await?;
                Claim::Claimed
            }
            Some((stored, _, _, _, _)) if stored != request => Claim::Mismatch { request: stored },
            Some((_, Some(stored), _, _, _)) if stored != digest => Claim::DifferentBody,
            Some((_, _, Some(status), body, _)) => Claim::Done {
                status: u16::try_from(status).unwrap_or(500),
                body: body.unwrap_or_default(),
            },
            Some((_, _, None, _, created_at)) if parse_ts(&created_at)? + ABANDONED_AFTER < now => {
                sqlx::query(
                    "UPDATE idempotency_keys SET created_at = ?, request_digest = ? \
                     WHERE scope = ? AND key = ?",
                )
                .bind(ts(now))
                .bind(digest)
                .bind(scope)
                .bind(key)
                .execute(&mut *tx)
                .await?;
                Claim::Claimed
            }
            Some(_) => Claim::InProgress,
        };
        tx.commit().await?;
        Ok(claim)
    }

    /// Stores the response of a claimed key.
    pub async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ?")
            .bind(i64::from(status))
            .bind(body)
            .bind(scope)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets a claimed key whose request failed on the server's side.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status IS NULL")
            .bind(scope)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
