use crate::{Result, StorageError};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    url: String,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Db {
    /// Opens `sqlite://PATH`, a bare file path, or `postgres://…`; a missing SQLite file
    /// is created, and pending migrations run.
    pub async fn open(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        let pool = connect(backend, &url).await?;
        crate::migrate::run(&pool, backend).await?;
        let pool = if backend == Backend::Sqlite {
            // A SQLite connection keeps the schema it read: one that read it before a
            // migration added an index would prepare an upsert naming that index's columns
            // against the old schema, and SQLite does not retry that error (seen with 0033).
            // The program's connections are opened after the migrations.
            pool.close().await;
            connect(backend, &url).await?
        } else {
            pool
        };
        let db = Db { pool, backend, url };
        crate::registry::know_counties(&db).await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Refreshes the planner's statistics after a bulk load, so that searches by name use
    /// the name index instead of scanning a term's roll.
    ///
    /// SQLite samples at most `SQLITE_ANALYSIS_LIMIT` rows per index (what its own `PRAGMA
    /// optimize` does): the full pass over 150,000 students took 0.3 s and 50 MB more memory
    /// than the import itself, for the same plans.
    pub async fn analyze(&self) -> Result<()> {
        const SQLITE_ANALYSIS_LIMIT: u32 = 1000;
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Sqlite {
            conn.execute(sqlx::AssertSqlSafe(format!(
                "PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"
            )))
            .await?;
        }
        for table in ["students", "enrollments", "classes", "schools", "staff"] {
            conn.execute(sqlx::AssertSqlSafe(format!("ANALYZE {table}")))
                .await?;
        }
        Ok(())
    }

    /// A consistent copy of a live SQLite database (VACUUM INTO).
    pub async fn backup_sqlite(&self, target: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StorageError::BackupNeedsSqlite);
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The connection pool, each connection set up for the engine.
async fn connect(backend: Backend, url: &str) -> Result<AnyPool> {
    let options = AnyConnectOptions::from_str(url)?;
    let max = match backend {
        Backend::Sqlite => 4,
        Backend::Postgres => 8,
    };
    Ok(AnyPoolOptions::new()
        .max_connections(max)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers work during an import; NORMAL is safe under WAL.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    // Reads map the file instead of copying each page through a syscall into
                    // a small per-connection cache; the pages are the OS's, shared by all
                    // connections, so the server's own memory does not grow with it.
                    conn.execute("PRAGMA mmap_size = 1073741824").await?;
                } else {
                    // PostgreSQL compiles a costly plan with LLVM first; on a county's
                    // reports (a few hundred thousand rows) that took seconds of the
                    // query's time, more than running it (EXPLAIN in docs/postgresql.md).
                    conn.execute("SET jit = off").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}

fn normalize_url(url: &str) -> Result<(Backend, String)> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() || path.contains("://") {
        return Err(StorageError::BadUrl(url.to_string()));
    }
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, format!("?{q}")),
        None => (path, "?mode=rwc".to_string()),
    };
    Ok((Backend::Sqlite, format!("sqlite://{path}{query}")))
}

/// Now, as stored: UTC, ISO-8601 with seconds.
pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Commits a transaction (callers outside storage need not know sqlx).
pub async fn commit(tx: Tx) -> Result<()> {
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_bare_paths() {
        assert_eq!(
            normalize_url("emis.db").expect("path").1,
            "sqlite://emis.db?mode=rwc"
        );
        assert_eq!(
            normalize_url("sqlite:///tmp/x.db").expect("url").1,
            "sqlite:///tmp/x.db?mode=rwc"
        );
        assert_eq!(
            normalize_url("postgres://u@h/d").expect("pg").0,
            Backend::Postgres
        );
        assert!(normalize_url("mysql://x").is_err());
    }
}
