//! 登录与会话: argon2 passwords, lock-out after repeated failures, sessions stored by
//! hash with a CSRF token each, forced password change, API tokens.

use crate::accounts::{hash_password, verify_password};
use crate::{AppError, Result};
use chrono::{DateTime, Duration, Utc};
use emis_domain::access::{Role, Scope};
use emis_storage::audit::{self, Actor, Entry};
use emis_storage::{users, Db};
use sha2::{Digest, Sha256};

/// Failed logins before the account is locked, and for how long.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// A session ends after this long without a request, or this long after login.
pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;

/// The signed-in account as every request sees it.
#[derive(Clone, Debug)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: String,
    pub org_name: String,
    pub scope: Scope,
    pub must_change_password: bool,
}

impl Account {
    pub fn actor(&self, source: &str) -> Actor {
        Actor {
            name: self.username.clone(),
            source: source.to_string(),
        }
    }

    pub fn county(&self) -> &str {
        self.scope.county()
    }

    /// Whether the account may change registry records (leaders and class teachers read).
    pub fn can_edit_registry(&self) -> bool {
        matches!(
            self.role,
            Role::Admin | Role::Officer | Role::Township | Role::SchoolAdmin
        )
    }
}

fn account_from(user: users::User) -> Option<Account> {
    let role = Role::parse(&user.role)?;
    let scope = match role.org_level() {
        emis_domain::access::OrgLevel::County => Scope::County {
            county: user.county.clone(),
        },
        emis_domain::access::OrgLevel::Township => Scope::Township {
            county: user.county.clone(),
            township: user.org_code.clone(),
        },
        emis_domain::access::OrgLevel::School => match (
            role,
            user.class_grade
                .as_deref()
                .and_then(emis_domain::registry::Grade::parse),
            user.class_number,
        ) {
            (Role::ClassTeacher, Some(grade), Some(number)) => Scope::Class {
                county: user.county.clone(),
                school: user.org_code.clone(),
                grade,
                number: u32::try_from(number).unwrap_or(0),
            },
            // A 班主任 not (or no longer) bound to a class sees no class: class 0 matches none.
            (Role::ClassTeacher, _, _) => Scope::Class {
                county: user.county.clone(),
                school: user.org_code.clone(),
                grade: emis_domain::registry::Grade::ALL[0],
                number: 0,
            },
            _ => Scope::School {
                county: user.county.clone(),
                school: user.org_code.clone(),
            },
        },
    };
    Some(Account {
        username: user.username,
        display_name: user.display_name,
        role,
        org_code: user.org_code,
        org_name: user.org_name,
        scope,
        must_change_password: user.must_change_password,
    })
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// 256 random bits as hex: session ids, CSRF tokens, upload names.
pub fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong name or password: one message for both, so names cannot be probed.
    Invalid,
    Locked {
        minutes_left: i64,
    },
}

impl std::fmt::Display for LoginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoginError::Invalid => write!(f, "账号或密码错误"),
            LoginError::Locked { minutes_left } => {
                write!(
                    f,
                    "连续{MAX_FAILED_LOGINS}次密码错误，账号已锁定，请{minutes_left}分钟后再试"
                )
            }
        }
    }
}

pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
    pub account: Account,
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn time_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    source: &str,
) -> Result<std::result::Result<NewSession, LoginError>> {
    let Some(user) = users::find(db, username.trim()).await? else {
        // Spend the same time as a real check so that timing does not reveal names.
        let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g");
        return Ok(Err(LoginError::Invalid));
    };
    let now = Utc::now();
    if let Some(until) = user.locked_until.as_deref().and_then(parse_time) {
        if until > now {
            let minutes_left = ((until - now).num_seconds() + 59) / 60;
            return Ok(Err(LoginError::Locked { minutes_left }));
        }
    }
    if !verify_password(password, &user.password_hash) {
        // A lock that has run out starts a fresh count.
        let expired_lock = user.locked_until.is_some();
        if expired_lock {
            users::record_successful_login(db, &user.username).await?;
        }
        let failures = if expired_lock {
            1
        } else {
            user.failed_logins + 1
        };
        let lock = (failures >= MAX_FAILED_LOGINS)
            .then(|| time_text(now + Duration::minutes(LOCK_MINUTES)));
        users::record_failed_login(db, &user.username, lock.as_deref()).await?;
        let mut tx = db.begin().await?;
        audit::record(
            &mut tx,
            &Actor {
                name: user.username.clone(),
                source: source.to_string(),
            },
            Entry {
                county: &user.county,
                action: if lock.is_some() {
                    "lock"
                } else {
                    "login_failed"
                },
                entity: "user",
                entity_key: &user.username,
                before: None,
                after: None,
            },
        )
        .await?;
        emis_storage::commit(tx).await?;
        return Ok(Err(match lock {
            Some(_) => LoginError::Locked {
                minutes_left: LOCK_MINUTES,
            },
            None => LoginError::Invalid,
        }));
    }
    users::record_successful_login(db, &user.username).await?;
    let cookie = random_token();
    let csrf = random_token();
    users::create_session(db, &hash_secret(&cookie), &user.username, &csrf, source).await?;
    let county = user.county.clone();
    let name = user.username.clone();
    let account = account_from(user).ok_or_else(|| AppError::Refused("账号角色无效".into()))?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: &county,
            action: "login",
            entity: "user",
            entity_key: &name,
            before: None,
            after: None,
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(Ok(NewSession {
        cookie,
        csrf,
        account,
    }))
}

/// The account behind a session cookie, with the session's CSRF token; `None` when the
/// session is unknown or has timed out (it is then deleted).
pub async fn session_account(db: &Db, cookie: &str) -> Result<Option<(Account, String)>> {
    let id_hash = hash_secret(cookie);
    let Some(session) = users::session(db, &id_hash).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let created = parse_time(&session.created_at).unwrap_or(now);
    let last_seen = parse_time(&session.last_seen).unwrap_or(now);
    if now - last_seen > Duration::minutes(IDLE_MINUTES)
        || now - created > Duration::hours(ABSOLUTE_HOURS)
    {
        users::delete_session(db, &id_hash).await?;
        return Ok(None);
    }
    // Write the last-seen time at most once a minute, not on every request.
    if now - last_seen > Duration::seconds(60) {
        users::touch_session(db, &id_hash).await?;
    }
    let Some(user) = users::find(db, &session.username).await? else {
        return Ok(None);
    };
    Ok(account_from(user).map(|a| (a, session.csrf)))
}

pub async fn logout(db: &Db, cookie: &str) -> Result<()> {
    users::delete_session(db, &hash_secret(cookie)).await?;
    Ok(())
}

/// The account behind an API token.
pub async fn token_account(db: &Db, token: &str) -> Result<Option<Account>> {
    let Some(username) = users::token_user(db, &hash_secret(token)).await? else {
        return Ok(None);
    };
    Ok(users::find(db, &username).await?.and_then(account_from))
}

/// Password rules, with the reason in Chinese.
pub fn check_new_password(password: &str) -> std::result::Result<(), String> {
    if password.chars().count() < 8 {
        return Err("新密码至少8位".into());
    }
    if !password.chars().any(|c| c.is_ascii_alphabetic())
        || !password.chars().any(|c| c.is_ascii_digit())
    {
        return Err("新密码须同时包含字母和数字".into());
    }
    Ok(())
}

/// Changes one's own password; field errors come back as (field, reason).
pub async fn change_password(
    db: &Db,
    account: &Account,
    old: &str,
    new: &str,
    confirm: &str,
    source: &str,
) -> Result<std::result::Result<(), (String, String)>> {
    let Some(user) = users::find(db, &account.username).await? else {
        return Err(AppError::Refused("账号不存在".into()));
    };
    if !verify_password(old, &user.password_hash) {
        return Ok(Err(("old".into(), "原密码不正确".into())));
    }
    if let Err(reason) = check_new_password(new) {
        return Ok(Err(("new".into(), reason)));
    }
    if new != confirm {
        return Ok(Err(("confirm".into(), "两次输入的新密码不一致".into())));
    }
    if old == new {
        return Ok(Err(("new".into(), "新密码不能与原密码相同".into())));
    }
    let hash = hash_password(new)?;
    let mut tx = db.begin().await?;
    users::set_password(&mut tx, &account.username, &hash, false).await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "change_password",
            entity: "user",
            entity_key: &account.username,
            before: None,
            after: None,
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(Ok(()))
}

/// An administrator resets a password: a new one-time password, all sessions ended.
pub async fn reset_password(
    db: &Db,
    admin: &Account,
    username: &str,
    source: &str,
) -> Result<String> {
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == admin.county())
        .ok_or_else(|| AppError::Refused("账号不存在".into()))?;
    let password = crate::accounts::generate_password();
    let hash = hash_password(&password)?;
    let mut tx = db.begin().await?;
    users::set_password(&mut tx, &user.username, &hash, true).await?;
    users::delete_sessions_of(&mut tx, &user.username).await?;
    audit::record(
        &mut tx,
        &admin.actor(source),
        Entry {
            county: admin.county(),
            action: "reset_password",
            entity: "user",
            entity_key: &user.username,
            before: None,
            after: None,
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(password)
}

/// A new API token for an account (shown once; stored as a hash).
pub async fn create_token(
    db: &Db,
    admin: &Account,
    username: &str,
    label: &str,
    source: &str,
) -> Result<String> {
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == admin.county())
        .ok_or_else(|| AppError::Refused("账号不存在".into()))?;
    let token = format!("emis_{}", random_token());
    let mut tx = db.begin().await?;
    users::create_token(&mut tx, &hash_secret(&token), &user.username, label).await?;
    audit::record(
        &mut tx,
        &admin.actor(source),
        Entry {
            county: admin.county(),
            action: "create_token",
            entity: "user",
            entity_key: &user.username,
            before: None,
            after: Some(serde_json::json!({"label": label}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(token)
}
