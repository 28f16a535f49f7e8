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

/// An account as the web layer needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub username: String,
    pub county: String,
    pub display_name: String,
    pub role: String,
    pub org_code: String,
    pub org_name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub class_grade: Option<String>,
    pub class_number: Option<i64>,
}

const USER_COLUMNS: &str =
    "u.username, u.county, u.display_name, u.role, u.org_code, o.name, u.password_hash, \
    u.must_change_password, u.failed_logins, u.locked_until, u.class_grade, u.class_number";

fn user_from_row(r: &sqlx::any::AnyRow) -> User {
    use sqlx::Row;
    User {
        username: r.get(0),
        county: r.get(1),
        display_name: r.get(2),
        role: r.get(3),
        org_code: r.get(4),
        org_name: r.get(5),
        password_hash: r.get(6),
        must_change_password: r.get::<i64, _>(7) != 0,
        failed_logins: r.get(8),
        locked_until: r.get(9),
        class_grade: r.get(10),
        class_number: r.get(11),
    }
}

pub async fn find(db: &Db, username: &str) -> Result<Option<User>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN org_units o ON o.code = u.org_code WHERE u.username = $1"
    )))
    .bind(username)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(user_from_row))
}

pub async fn list(db: &Db, county: &str) -> Result<Vec<User>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN org_units o ON o.code = u.org_code WHERE u.county = $1 ORDER BY u.username"
    )))
    .bind(county)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(user_from_row).collect())
}

/// Records a failed login; returns the new count.
pub async fn record_failed_login(db: &Db, username: &str, lock_until: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($1, locked_until) WHERE username = $2")
        .bind(lock_until)
        .bind(username)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn record_successful_login(db: &Db, username: &str) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = $1")
        .bind(username)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn set_password(
    tx: &mut Tx,
    username: &str,
    hash: &str,
    must_change: bool,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL WHERE username = $3")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_class(tx: &mut Tx, username: &str, grade: &str, number: i64) -> Result<()> {
    sqlx::query("UPDATE users SET class_grade = $1, class_number = $2 WHERE username = $3")
        .bind(grade)
        .bind(number)
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sessions are stored by the hash of their cookie value, so a database leak
/// does not hand out live sessions.
pub async fn create_session(
    db: &Db,
    id_hash: &str,
    username: &str,
    csrf: &str,
    source: &str,
) -> Result<()> {
    let now = crate::now_text();
    sqlx::query(
        "INSERT INTO sessions (id_hash, county, username, csrf, created_at, last_seen, source) \
         SELECT $1, county, $2, $3, $4, $5, $6 FROM users WHERE username = $2",
    )
    .bind(id_hash)
    .bind(username)
    .bind(csrf)
    .bind(&now)
    .bind(&now)
    .bind(source)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Session {
    pub username: String,
    pub csrf: String,
    pub created_at: String,
    pub last_seen: String,
}

pub async fn session(db: &Db, id_hash: &str) -> Result<Option<Session>> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT username, csrf, created_at, last_seen FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| Session {
        username: r.get(0),
        csrf: r.get(1),
        created_at: r.get(2),
        last_seen: r.get(3),
    }))
}

pub async fn touch_session(db: &Db, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2")
        .bind(crate::now_text())
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_sessions_of(tx: &mut Tx, username: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE username = $1")
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn create_token(
    tx: &mut Tx,
    token_hash: &str,
    username: &str,
    label: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, county, username, label, created_at) \
         SELECT $1, county, $2, $3, $4 FROM users WHERE username = $2",
    )
    .bind(token_hash)
    .bind(username)
    .bind(label)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn token_user(db: &Db, token_hash: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT username FROM api_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db.pool())
            .await?,
    )
}
