//! Helpers for the test suite: a private PostgreSQL schema per test, so tests run in
//! parallel on one server.

use crate::Result;
use sqlx::Connection;

/// Creates a new empty schema on the server at `base_url` and returns a URL whose
/// connections use it.
pub async fn fresh_postgres_schema(base_url: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!("t_{}_{}_{}", std::process::id(), n, nanos);
    let mut conn = sqlx::AnyConnection::connect(base_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let sep = if base_url.contains('?') { '&' } else { '?' };
    Ok(format!("{base_url}{sep}options[search_path]={schema}"))
}

/// Moves every session's last request into the past, to test the idle time-out.
pub async fn age_sessions(db: &crate::Db, minutes: i64) -> Result<()> {
    let past = (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    sqlx::query("UPDATE sessions SET last_seen = $1")
        .bind(past)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Every audit entry of every county, oldest first, unpaged (for scans in tests).
pub async fn all_audit(db: &crate::Db) -> Result<Vec<crate::lists::AuditRow>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, at, actor, source, action, entity, entity_key, before_json, after_json FROM audit_log ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| crate::lists::AuditRow {
            id: r.get(0),
            at: r.get(1),
            actor: r.get(2),
            source: r.get(3),
            action: r.get(4),
            entity: r.get(5),
            entity_key: r.get(6),
            before_json: r.get(7),
            after_json: r.get(8),
        })
        .collect())
}

/// Writes an audit entry as versions before schema 11 did, without masking (to test the
/// migration's clean-up).
pub async fn insert_unmasked_audit(
    db: &crate::Db,
    county: &str,
    key: &str,
    after: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (county, at, actor, source, action, entity, entity_key, before_json, after_json) \
         VALUES ($1, $2, 'cli', 'cli', 'update', 'student', $3, NULL, $4)",
    )
    .bind(county)
    .bind(crate::now_text())
    .bind(key)
    .bind(after)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Runs migration `version` again on a database that already has it (see `migrate::rerun`).
pub async fn rerun_migration(db: &crate::Db, version: i64) -> Result<()> {
    crate::migrate::rerun(db.pool(), db.backend(), version).await
}
