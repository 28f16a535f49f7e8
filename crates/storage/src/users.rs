//! Accounts: each bound to an org unit, which bounds what it may see and change.

use crate::sql::{county_rows, Flag};
use crate::{Db, Result, StorageError, Tx};

#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub county: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub org_code: &'a str,
    pub password_hash: &'a str,
    /// 股室 of a county officer (see `emis_domain::access::OFFICES`).
    pub office: Option<&'a str>,
}

pub async fn create(tx: &mut Tx, user: &NewUser<'_>) -> Result<()> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
            .bind(user.username)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_some() {
        return Err(StorageError::UsernameTaken(user.username.to_string()));
    }
    sqlx::query(
        "INSERT INTO users (username, county, display_name, role, org_code, password_hash, must_change_password, failed_logins, created_at, office) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7, $8)",
    )
    .bind(user.username)
    .bind(user.county)
    .bind(user.display_name)
    .bind(user.role)
    .bind(user.org_code)
    .bind(user.password_hash)
    .bind(crate::now_text())
    .bind(user.office)
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
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct User {
    pub username: String,
    pub county: String,
    pub display_name: String,
    pub role: String,
    pub org_code: String,
    pub org_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "Flag")]
    pub must_change_password: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub class_grade: Option<String>,
    pub class_number: Option<i64>,
    /// 股室 of a county officer.
    pub office: Option<String>,
}

const USER_COLUMNS: &str =
    "u.username, u.county, u.display_name, u.role, u.org_code, o.name AS org_name, u.password_hash, \
    u.must_change_password, u.failed_logins, u.locked_until, u.class_grade, u.class_number, u.office";

pub async fn find(db: &Db, username: &str) -> Result<Option<User>> {
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN org_units o ON o.county = u.county AND o.code = u.org_code WHERE u.username = $1"
    )))
    .bind(username)
    .fetch_optional(db.pool())
    .await?;
    Ok(row)
}

pub async fn list(db: &Db, county: &str) -> Result<Vec<User>> {
    let rows = county_rows(db, sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN org_units o ON o.county = u.county AND o.code = u.org_code WHERE u.county = $1 ORDER BY u.username"
    )), county).await?;
    Ok(rows)
}

/// A login-throttle counter after an attempt was added: attempts in the window and the
/// lock, if any (see `emis_domain::login`).
#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct ThrottleCount {
    pub attempts: i64,
    pub locked_until: Option<String>,
}

/// Adds one attempt to a counter in one statement (concurrent attempts cannot be lost): a
/// window that started before `window_cut`, or a lock that ran out by `now`, starts a
/// fresh count. Times are `YYYY-MM-DDTHH:MM:SSZ`, which compare as text.
pub async fn throttle_attempt(
    db: &Db,
    kind: &str,
    username: &str,
    address: &str,
    now: &str,
    window_cut: &str,
) -> Result<ThrottleCount> {
    let mut tx = db.begin().await?;
    let fresh = "(login_throttle.locked_until IS NULL AND login_throttle.window_start < $5) \
         OR (login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= $4)";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO login_throttle (kind, username, address, attempts, window_start, locked_until) \
         VALUES ($1, $2, $3, 1, $4, NULL) \
         ON CONFLICT (kind, username, address) DO UPDATE SET \
         attempts = CASE WHEN {fresh} THEN 1 ELSE login_throttle.attempts + 1 END, \
         window_start = CASE WHEN {fresh} THEN $4 ELSE login_throttle.window_start END, \
         locked_until = CASE WHEN {fresh} THEN NULL ELSE login_throttle.locked_until END"
    )))
    .bind(kind)
    .bind(username)
    .bind(address)
    .bind(now)
    .bind(window_cut)
    .execute(&mut *tx)
    .await?;
    let count: ThrottleCount = sqlx::query_as(
        "SELECT attempts, locked_until FROM login_throttle WHERE kind = $1 AND username = $2 AND address = $3",
    )
    .bind(kind)
    .bind(username)
    .bind(address)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(count)
}

/// Locks a counter until the given time (a lock already set is kept).
pub async fn throttle_lock(
    db: &Db,
    kind: &str,
    username: &str,
    address: &str,
    until: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE login_throttle SET locked_until = $4 \
         WHERE kind = $1 AND username = $2 AND address = $3 AND locked_until IS NULL",
    )
    .bind(kind)
    .bind(username)
    .bind(address)
    .bind(until)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A successful login: its pair is cleared and its own attempt taken back off the address
/// and name counters; counters idle for a day are dropped.
pub async fn throttle_success(
    db: &Db,
    username: &str,
    address: &str,
    stale_before: &str,
    now: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM login_throttle WHERE kind = 'pair' AND username = $1 AND address = $2",
    )
    .bind(username)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE login_throttle SET attempts = attempts - 1 WHERE attempts > 0 AND \
         ((kind = 'address' AND username = '' AND address = $2) OR (kind = 'name' AND username = $1 AND address = ''))",
    )
    .bind(username)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM login_throttle WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(stale_before)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the (name, address) locks of an account (its password was reset).
pub async fn clear_pair_locks(tx: &mut Tx, username: &str) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM login_throttle WHERE kind = 'pair' AND username = $1")
            .bind(username)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// The (name, address) locks in force now, of the given names.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PairLock {
    pub username: String,
    pub address: String,
    pub locked_until: String,
}

pub async fn active_pair_locks(db: &Db, county: &str, now: &str) -> Result<Vec<PairLock>> {
    Ok(sqlx::query_as(
        "SELECT t.username, t.address, t.locked_until FROM login_throttle t \
         JOIN users u ON u.username = t.username \
         WHERE t.kind = 'pair' AND u.county = $1 AND t.locked_until > $2 ORDER BY t.username, t.address",
    )
    .bind(county)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
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

/// Sets (or clears) an account's office.
pub async fn set_office(tx: &mut Tx, username: &str, office: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET office = $1 WHERE username = $2")
        .bind(office)
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An account's office, if it has one.
pub async fn office(db: &Db, username: &str) -> Result<Option<String>> {
    let office: Option<Option<String>> =
        sqlx::query_scalar("SELECT office FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(db.pool())
            .await?;
    Ok(office.flatten())
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

/// A session with its account: every request asks for both, so one statement reads them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Session {
    pub csrf: String,
    pub created_at: String,
    pub last_seen: String,
    #[sqlx(flatten)]
    pub user: User,
}

/// The session `id_hash` and its account (as [`find`] reads it); none when either is gone.
pub async fn session(db: &Db, id_hash: &str) -> Result<Option<Session>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT s.csrf, s.created_at, s.last_seen, {USER_COLUMNS} FROM sessions s \
         JOIN users u ON u.username = s.username \
         JOIN org_units o ON o.county = u.county AND o.code = u.org_code WHERE s.id_hash = $1"
    )))
    .bind(id_hash)
    .fetch_optional(db.pool())
    .await?)
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

/// Ends every session of an account; returns how many.
pub async fn delete_sessions_of(tx: &mut Tx, username: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE username = $1")
        .bind(username)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Ends every session of an account but one (the caller's own); returns how many.
pub async fn delete_other_sessions(tx: &mut Tx, username: &str, keep_hash: &str) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE username = $1 AND id_hash <> $2")
            .bind(username)
            .bind(keep_hash)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// A new API token, stored by its hash, valid until `expires_at`.
pub async fn create_token(
    tx: &mut Tx,
    token_hash: &str,
    username: &str,
    label: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, county, username, label, created_at, expires_at) \
         SELECT $1, county, $2, $3, $4, $5 FROM users WHERE username = $2",
    )
    .bind(token_hash)
    .bind(username)
    .bind(label)
    .bind(crate::now_text())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An API token as listed and checked; `expires_at` is `None` for tokens created before
/// tokens had an expiry (the app applies its default to them).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Token {
    pub id: i64,
    pub username: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const TOKEN_COLUMNS: &str = "id, username, label, created_at, expires_at, last_used_at, revoked_at";

/// The unrevoked token with this hash (expiry is the caller's to check).
pub async fn token_by_hash(db: &Db, token_hash: &str) -> Result<Option<Token>> {
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )))
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(row)
}

pub async fn touch_token(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(crate::now_text())
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The county's tokens that have not been revoked, by account and age.
pub async fn tokens(db: &Db, county: &str) -> Result<Vec<Token>> {
    let rows = county_rows(db, sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE county = $1 AND revoked_at IS NULL ORDER BY username, id"
    )), county).await?;
    Ok(rows)
}

/// Revokes one token of an account; false when there is no such live token.
pub async fn revoke_token(tx: &mut Tx, id: i64, username: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND username = $3 AND revoked_at IS NULL",
    )
    .bind(crate::now_text())
    .bind(id)
    .bind(username)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Revokes every live token of an account; returns how many.
pub async fn revoke_tokens_of(tx: &mut Tx, username: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE username = $2 AND revoked_at IS NULL",
    )
    .bind(crate::now_text())
    .bind(username)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}
