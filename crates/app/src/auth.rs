//! 登录与会话: argon2 passwords, a login throttle per (name, address), per address and per
//! name (see `emis_domain::login` for the design), sessions stored by hash with a CSRF
//! token each, forced password change, API tokens with an expiry and revocation.

use crate::accounts::{hash_password, verify_password};
use crate::{AppError, Result};
use chrono::{DateTime, Duration, Utc};
use emis_domain::access::{Role, Scope};
use emis_domain::login::{self as rules, Gate};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{users, Db};
use sha2::{Digest, Sha256};

/// Failed logins of one name from one address before that pair is locked, and for how long.
pub const MAX_FAILED_LOGINS: i64 = rules::PAIR_MAX_FAILURES;
pub const LOCK_MINUTES: i64 = rules::PAIR_LOCK_MINUTES;
/// A session ends after this long without a request, or this long after login.
pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;
/// API tokens: valid this many days unless another term (at most the maximum) is chosen.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
pub const MAX_TOKEN_DAYS: i64 = 365;

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
}

fn account_from(user: users::User) -> Option<Account> {
    let role = Role::parse(&user.role)?;
    let scope = match role.org_level() {
        emis_domain::access::OrgLevel::Region => Scope::Region {
            code: user.org_code.clone(),
        },
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

/// Why a login was refused (`AppError::Login`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// Wrong password, unknown name, or a locked (name, address) pair: one message for all
    /// three, so that neither names nor locks can be probed.
    #[error(
        "账号或密码错误。同一账号连续输错{MAX_FAILED_LOGINS}次后，须等待{LOCK_MINUTES}分钟再试"
    )]
    Invalid,
    /// Too many failures from this address, whatever the name.
    #[error("本机登录失败次数过多，请{minutes_left}分钟后再试")]
    Throttled { minutes_left: i64 },
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

/// A hash with the parameters of real ones, verified when the name does not exist so that
/// every login attempt costs one argon2 verification.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_password(&random_token()).unwrap_or_else(|_| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
                .into()
        })
    })
}

fn throttle_count(count: users::ThrottleCount) -> rules::Count {
    rules::Count {
        attempts: count.attempts,
        locked_until: count.locked_until.as_deref().and_then(parse_time),
    }
}

/// Signs in with name and password from `source` (the caller's address). The attempt is
/// counted first (see `emis_domain::login`); then, unless the address is throttled, exactly
/// one argon2 verification runs, against a dummy hash when the name does not exist; a
/// wrong password, an unknown name and a locked pair give the same answer. Every refusal is
/// audited with the address (unknown names kept, cut to 64 characters).
pub async fn login(db: &Db, username: &str, password: &str, source: &str) -> Result<NewSession> {
    let name = rules::bounded_name(username);
    let now = Utc::now();
    let now_text = time_text(now);
    let window_cut = time_text(now - Duration::minutes(rules::WINDOW_MINUTES));
    let attempt = |kind: &'static str, name: String, address: String| {
        let (now_text, window_cut) = (now_text.clone(), window_cut.clone());
        async move {
            users::throttle_attempt(db, kind, &name, &address, &now_text, &window_cut)
                .await
                .map(throttle_count)
        }
    };
    let pair = attempt("pair", name.clone(), source.to_string()).await?;
    let address = attempt("address", String::new(), source.to_string()).await?;
    let by_name = attempt("name", name.clone(), String::new()).await?;
    let gate = rules::gate(now, pair, address, by_name);
    let user = users::find(db, &name).await?;
    let county = match &user {
        Some(u) => u.county.clone(),
        None => emis_storage::registry::default_county(db)
            .await
            .unwrap_or_default(),
    };
    let refusal = |action: &'static str, after: Option<String>| {
        let actor = Actor {
            name: if user.is_some() {
                name.clone()
            } else {
                "anonymous".into()
            },
            source: source.to_string(),
        };
        let (county, name) = (county.clone(), name.clone());
        async move {
            let mut tx = db.begin().await?;
            Entry::new(&county, action, "user", &name)
                .after(after)
                .record(&mut tx, &actor)
                .await?;
            emis_storage::commit(tx).await?;
            Ok::<(), AppError>(())
        }
    };
    let slow = match gate {
        Gate::AddressThrottled { until } => {
            // Audited once, when the throttle starts; the refusals after it are not.
            if address.locked_until.is_none() {
                users::throttle_lock(db, "address", "", source, &time_text(until)).await?;
                refusal(
                    "login_throttled",
                    Some(serde_json::json!({"failures": address.attempts - 1}).to_string()),
                )
                .await?;
            }
            let minutes_left = ((until - now).num_seconds() + 59) / 60;
            return Err(LoginError::Throttled { minutes_left }.into());
        }
        Gate::Open { slow } | Gate::PairLocked { slow } => slow,
    };
    if slow {
        tokio::time::sleep(std::time::Duration::from_secs(rules::ACCOUNT_SLOW_SECONDS)).await;
    }
    // The one argon2 verification, on every path past the address throttle.
    let hash: &str = match &user {
        Some(u) => &u.password_hash,
        None => dummy_hash(),
    };
    let password_ok = verify_password(password, hash);
    let pair_locked = matches!(gate, Gate::PairLocked { .. });
    let Some(user) = user.clone().filter(|_| password_ok && !pair_locked) else {
        let locks = !pair_locked && rules::failure_locks_pair(pair);
        if locks {
            let until = now + Duration::minutes(rules::PAIR_LOCK_MINUTES);
            users::throttle_lock(db, "pair", &name, source, &time_text(until)).await?;
        }
        let action = match (&user, pair_locked, locks) {
            (None, _, _) => "login_unknown",
            (Some(_), true, _) => "login_locked",
            (Some(_), false, true) => "lock",
            (Some(_), false, false) => "login_failed",
        };
        refusal(action, None).await?;
        return Err(LoginError::Invalid.into());
    };
    let stale = time_text(now - Duration::days(1));
    users::throttle_success(db, &name, source, &stale, &now_text).await?;
    let cookie = random_token();
    let csrf = random_token();
    users::create_session(db, &hash_secret(&cookie), &user.username, &csrf, source).await?;
    let county = user.county.clone();
    let name = user.username.clone();
    let account = account_from(user).ok_or_else(|| AppError::Refused("账号角色无效".into()))?;
    let mut tx = db.begin().await?;
    Entry::new(&county, "login", "user", &name)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(NewSession {
        cookie,
        csrf,
        account,
    })
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
    Ok(account_from(session.user).map(|a| (a, session.csrf)))
}

pub async fn logout(db: &Db, cookie: &str) -> Result<()> {
    users::delete_session(db, &hash_secret(cookie)).await?;
    Ok(())
}

/// When a token stops working: its own expiry, or for tokens created before tokens had
/// one, [`DEFAULT_TOKEN_DAYS`] after creation.
pub fn token_expiry(token: &users::Token) -> Option<DateTime<Utc>> {
    match token.expires_at.as_deref() {
        Some(at) => parse_time(at),
        None => parse_time(&token.created_at).map(|c| c + Duration::days(DEFAULT_TOKEN_DAYS)),
    }
}

/// The account behind an API token; `None` when the token is unknown, revoked or expired.
pub async fn token_account(db: &Db, token: &str) -> Result<Option<Account>> {
    let Some(found) = users::token_by_hash(db, &hash_secret(token)).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if token_expiry(&found).is_none_or(|until| until <= now) {
        return Ok(None);
    }
    // The last use is written at most once a minute.
    let recent = found
        .last_used_at
        .as_deref()
        .and_then(parse_time)
        .is_some_and(|t| now - t < Duration::seconds(60));
    if !recent {
        users::touch_token(db, found.id).await?;
    }
    Ok(users::find(db, &found.username)
        .await?
        .and_then(account_from))
}

/// Password rules (`emis_domain::login::check_password`), with the reason in Chinese.
pub fn check_new_password(password: &str, username: &str) -> std::result::Result<(), String> {
    rules::check_password(password, username)
}

/// Changes one's own password; field errors come back as (field, reason). Every other
/// session of the account ends (the one with `current_cookie` stays signed in) and all of
/// its API tokens are revoked.
pub async fn change_password(
    db: &Db,
    account: &Account,
    old: &str,
    new: &str,
    confirm: &str,
    source: &str,
    current_cookie: Option<&str>,
) -> Result<()> {
    let invalid = |field, message: &str| {
        Err(AppError::Invalid {
            field,
            message: message.to_string(),
        })
    };
    let Some(user) = users::find(db, &account.username).await? else {
        return Err(AppError::Refused("账号不存在".into()));
    };
    if !verify_password(old, &user.password_hash) {
        return invalid("old", "原密码不正确");
    }
    if let Err(reason) = check_new_password(new, &account.username) {
        return invalid("new", &reason);
    }
    if new != confirm {
        return invalid("confirm", "两次输入的新密码不一致");
    }
    if old == new {
        return invalid("new", "新密码不能与原密码相同");
    }
    let hash = hash_password(new)?;
    let mut tx = db.begin().await?;
    users::set_password(&mut tx, &account.username, &hash, false).await?;
    let sessions_ended = match current_cookie {
        Some(cookie) => {
            users::delete_other_sessions(&mut tx, &account.username, &hash_secret(cookie)).await?
        }
        None => users::delete_sessions_of(&mut tx, &account.username).await?,
    };
    let tokens_revoked = users::revoke_tokens_of(&mut tx, &account.username).await?;
    Entry::new(account.county(), "change_password", "user", &account.username).after_json(&serde_json::json!({"other_sessions_ended": sessions_ended, "tokens_revoked": tokens_revoked})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// An administrator resets a password: a new one-time password, all sessions ended, all
/// API tokens revoked, the account's login locks lifted.
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
    let sessions_ended = users::delete_sessions_of(&mut tx, &user.username).await?;
    let tokens_revoked = users::revoke_tokens_of(&mut tx, &user.username).await?;
    users::clear_pair_locks(&mut tx, &user.username).await?;
    Entry::new(admin.county(), "reset_password", "user", &user.username)
        .after_json(&serde_json::json!({"sessions_ended": sessions_ended, "tokens_revoked": tokens_revoked}))
        .record(&mut tx, &admin.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(password)
}

/// A new API token for an account, valid [`DEFAULT_TOKEN_DAYS`] days (shown once; stored
/// as a hash).
pub async fn create_token(
    db: &Db,
    admin: &Account,
    username: &str,
    label: &str,
    source: &str,
) -> Result<String> {
    create_token_for(db, admin, username, label, DEFAULT_TOKEN_DAYS, source).await
}

/// A new API token valid for `days` (1 to [`MAX_TOKEN_DAYS`]), audited.
pub async fn create_token_for(
    db: &Db,
    admin: &Account,
    username: &str,
    label: &str,
    days: i64,
    source: &str,
) -> Result<String> {
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(AppError::Refused(format!(
            "令牌有效期应为1–{MAX_TOKEN_DAYS}天"
        )));
    }
    let label: String = label.trim().chars().take(64).collect();
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == admin.county())
        .ok_or_else(|| AppError::Refused("账号不存在".into()))?;
    let token = format!("emis_{}", random_token());
    let expires_at = time_text(Utc::now() + Duration::days(days));
    let mut tx = db.begin().await?;
    users::create_token(
        &mut tx,
        &hash_secret(&token),
        &user.username,
        &label,
        &expires_at,
    )
    .await?;
    Entry::new(admin.county(), "create_token", "user", &user.username)
        .after_json(&serde_json::json!({"label": label, "expires_at": expires_at}))
        .record(&mut tx, &admin.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(token)
}

/// An API token as the accounts page lists it.
#[derive(Clone, Debug)]
pub struct TokenView {
    pub id: i64,
    pub username: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub expired: bool,
}

/// The county's tokens that have not been revoked (expired ones marked).
pub async fn tokens(db: &Db, county: &str) -> Result<Vec<TokenView>> {
    let now = Utc::now();
    Ok(users::tokens(db, county)
        .await?
        .into_iter()
        .map(|t| {
            let expiry = token_expiry(&t);
            TokenView {
                id: t.id,
                expires_at: expiry.map(time_text).unwrap_or_default(),
                expired: expiry.is_none_or(|e| e <= now),
                username: t.username,
                label: t.label,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            }
        })
        .collect())
}

/// Revokes one API token of an account of the administrator's county, audited.
pub async fn revoke_token(
    db: &Db,
    admin: &Account,
    username: &str,
    token_id: i64,
    source: &str,
) -> Result<()> {
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == admin.county())
        .ok_or_else(|| AppError::Refused("账号不存在".into()))?;
    let mut tx = db.begin().await?;
    if !users::revoke_token(&mut tx, token_id, &user.username).await? {
        return Err(AppError::Refused("该令牌不存在或已吊销".into()));
    }
    Entry::new(admin.county(), "revoke_token", "user", &user.username)
        .after_json(&serde_json::json!({"token": token_id}))
        .record(&mut tx, &admin.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The (name, address) login locks in force for the county's accounts.
pub async fn login_locks(db: &Db, county: &str) -> Result<Vec<users::PairLock>> {
    Ok(users::active_pair_locks(db, county, &time_text(Utc::now())).await?)
}
