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
