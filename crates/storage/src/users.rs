//! Accounts: each bound to an org unit, which bounds what it may see and change.

use crate::{Db, Result, StorageError, Tx};

#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub county: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub org_code: &'a str,
    pub password_hash: &'a str,
}

pub async fn create(tx: &mut Tx, user: &NewUser<'_>) -> Result<()> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
            .bind(user.username)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_some() {
        return Err(StorageError::Conflict(format!(
            "账号 {} 已存在",
            user.username
        )));
    }
    sqlx::query(
        "INSERT INTO users (username, county, display_name, role, org_code, password_hash, must_change_password, failed_logins, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7)",
    )
    .bind(user.username)
    .bind(user.county)
    .bind(user.display_name)
    .bind(user.role)
    .bind(user.org_code)
    .bind(user.password_hash)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn exists_any(db: &Db, county: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE county = $1")
        .bind(county)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

pub async fn password_hash(db: &Db, username: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(db.pool())
            .await?,
    )
}
