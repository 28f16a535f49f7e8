//! 账号: creating accounts bound to an org unit, with an argon2 password hash.

use crate::{AppError, Result};
use argon2::password_hash::PasswordHasher;
use argon2::Argon2;
use emis_domain::access::{office_named, Role, OFFICES};
use emis_storage::audit::{Actor, Entry};
use emis_storage::{registry, users, Db};

/// A new account and its one-time password (shown once, changed at first login).
#[derive(Debug)]
pub struct CreatedAccount {
    pub username: String,
    pub password: String,
}

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Usage(format!("密码哈希失败：{e}")))
}

/// How many argon2 verifications this process has run (for tests that a login path
/// does the same work whether or not the account exists).
pub fn argon2_verifications() -> u64 {
    VERIFICATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

static VERIFICATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{phc::PasswordHash, PasswordVerifier};
    VERIFICATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A random password of 12 characters without look-alikes (0/O, 1/l/I) that passes the
/// password policy (letters and digits both present).
pub fn generate_password() -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    loop {
        let password: String = (0..12)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        if emis_domain::login::check_password(&password, "").is_ok() {
            return password;
        }
    }
}

/// `county`: the creator's county (an administrator's, or the database's for the command
/// line); for a region account the command line passes the region's own code, as the
/// server's operator acts at that level (see `access::may_grant_region_account`).
/// `class`: a 班主任's class; `office`: a county officer's 股室.
#[allow(clippy::too_many_arguments)]
pub async fn add_user(
    db: &Db,
    county: &str,
    username: &str,
    role: Role,
    org_code: &str,
    class: Option<&str>,
    office: Option<&str>,
    actor: &Actor,
) -> Result<CreatedAccount> {
    let username = emis_domain::text::fold_width(username);
    let office = office_of(role, office)?;
    // A bad class is refused before anything is written, so no account is left half set up.
    let class = match (class.map(str::trim).filter(|c| !c.is_empty()), role) {
        (Some(text), Role::ClassTeacher) => Some(
            parse_class(text)
                .ok_or_else(|| AppError::Usage(format!("班级“{text}”无法识别，应如 三年级3班")))?,
        ),
        (Some(_), _) => return Err(AppError::Usage("班级只用于班主任账号".into())),
        (None, _) => None,
    };
    if username.is_empty()
        || username.chars().count() > 32
        || username.chars().any(char::is_whitespace)
    {
        return Err(AppError::Usage("账号名应为1–32个字符，且不含空格".into()));
    }
    if role == Role::Region {
        crate::region::grant(db, county, org_code).await?;
    }
    let org = registry::org_unit(db, org_code).await?.ok_or_else(|| {
        AppError::Usage(format!(
            "机构代码 {org_code} 不存在（县、乡镇或学校标识码）"
        ))
    })?;
    if org.kind != role.org_level().kind() {
        return Err(AppError::Usage(format!(
            "角色“{}”应绑定到{}，而 {}（{}）是{}",
            role.label(),
            level_label(role.org_level().kind()),
            org.name,
            org.code,
            level_label(&org.kind)
        )));
    }
    // A region's account is kept under the region; every other under its org's county,
    // which must be the creator's: an administrator binds no account to another county.
    let account_county = if role == Role::Region {
        org_code
    } else {
        county
    };
    if org.county != account_county {
        return Err(AppError::Usage(format!(
            "机构 {}（{}）不属于本县",
            org.name, org.code
        )));
    }
    if let Some((grade, number)) = class {
        check_class(db, county, org_code, grade, number).await?;
    }
    let password = generate_password();
    let hash = hash_password(&password)?;
    let mut tx = db.begin().await?;
    users::create(
        &mut tx,
        &users::NewUser {
            username: &username,
            county: account_county,
            display_name: &username,
            role: role.code(),
            org_code,
            password_hash: &hash,
            office,
        },
    )
    .await
    .map_err(|e| match e {
        emis_storage::StorageError::UsernameTaken(name) => {
            AppError::Usage(format!("账号 {name} 已存在"))
        }
        other => other.into(),
    })?;
    if let Some((grade, number)) = class {
        users::set_class(&mut tx, &username, grade.label(), i64::from(number)).await?;
    }
    let class_label = class.map(|(grade, number)| format!("{}{number}班", grade.label()));
    Entry::new(county, "create", "user", &username)
        .after_json(
            &serde_json::json!({"role": role.code(), "org": org_code, "class": class_label, "office": office}),
        )
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(CreatedAccount { username, password })
}

fn level_label(kind: &str) -> &'static str {
    match kind {
        "region" => "市州或省",
        "county" => "县级机构",
        "township" => "乡镇",
        _ => "学校",
    }
}

/// Reads a class as people write it: `三年级3班`, `初二(1)班`, `高一 2`.
pub fn parse_class(text: &str) -> Option<(emis_domain::registry::Grade, u32)> {
    let text = emis_domain::text::fold_width(text);
    let split = text.find(|c: char| c.is_ascii_digit() || c == '(')?;
    let grade = emis_domain::registry::Grade::parse(text[..split].trim())?;
    let number = emis_domain::registry::parse_class_number(text[split..].trim())?;
    Some((grade, number))
}

/// A 班主任's class must be one the school can have: a grade its stage teaches, and when
/// the school has classes on its roll, one of them.
async fn check_class(
    db: &Db,
    county: &str,
    school_code: &str,
    grade: emis_domain::registry::Grade,
    number: u32,
) -> Result<()> {
    let schools = registry::schools(db, county).await?;
    let Some(school) = schools.iter().find(|s| s.code == school_code) else {
        return Ok(());
    };
    let label = format!("{}{number}班", grade.label());
    if !school.school_type.teaches(grade) {
        return Err(AppError::Usage(format!(
            "班级“{label}”不存在：{}（{}）不设{}",
            school.name,
            school.school_type,
            grade.label()
        )));
    }
    let classes = registry::school_classes(db, county, school_code).await?;
    if !classes.is_empty()
        && !classes
            .iter()
            .any(|(g, n)| g == grade.label() && *n == i64::from(number))
    {
        return Err(AppError::Usage(format!(
            "班级“{label}”不在{}的学籍中：请先导入该班学生，或检查班级名称",
            school.name
        )));
    }
    Ok(())
}

/// The office an account is given: one of [`OFFICES`], for a county officer only.
fn office_of(role: Role, office: Option<&str>) -> Result<Option<&'static str>> {
    match (office.map(str::trim).filter(|o| !o.is_empty()), role) {
        (None, _) => Ok(None),
        (Some(text), Role::Officer) => office_named(text).map(Some).ok_or_else(|| {
            AppError::Usage(format!(
                "股室“{text}”无法识别（可选：{}）",
                OFFICES.join("、")
            ))
        }),
        (Some(_), _) => Err(AppError::Usage("股室只用于股室账号（角色 officer）".into())),
    }
}

/// Sets or clears (`office` empty) the office of a county officer's account, audited: the
/// sections of the annual summary it may draft follow at once.
pub async fn assign_office(
    db: &Db,
    county: &str,
    username: &str,
    office: &str,
    actor: &Actor,
) -> Result<()> {
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == county)
        .ok_or_else(|| AppError::Usage(format!("账号 {username} 不存在")))?;
    let role = Role::parse(&user.role).unwrap_or(Role::ClassTeacher);
    let office = office_of(role, Some(office))?;
    let mut tx = db.begin().await?;
    users::set_office(&mut tx, username, office).await?;
    Entry::new(county, "assign_office", "user", username)
        .before(
            user.office
                .map(|o| serde_json::json!({ "office": o }).to_string()),
        )
        .after_json(&serde_json::json!({ "office": office }))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// Binds a 班主任 account to its class (grade and number at its school), audited.
pub async fn assign_class(
    db: &Db,
    county: &str,
    username: &str,
    class: &str,
    actor: &Actor,
) -> Result<()> {
    let user = users::find(db, username)
        .await?
        .filter(|u| u.county == county)
        .ok_or_else(|| AppError::Usage(format!("账号 {username} 不存在")))?;
    if Role::parse(&user.role) != Some(Role::ClassTeacher) {
        return Err(AppError::Usage("只有班主任账号需要绑定班级".into()));
    }
    let (grade, number) = parse_class(class)
        .ok_or_else(|| AppError::Usage(format!("班级“{class}”无法识别，应如 三年级3班")))?;
    check_class(db, county, &user.org_code, grade, number).await?;
    let mut tx = db.begin().await?;
    users::set_class(&mut tx, username, grade.label(), i64::from(number)).await?;
    Entry::new(county, "assign_class", "user", username)
        .before(user.class_grade.as_ref().map(|grade| {
            serde_json::json!({"grade": grade, "class": user.class_number}).to_string()
        }))
        .after_json(&serde_json::json!({"grade": grade.label(), "class": number}))
        .record(&mut tx, actor)
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_in_the_usual_spellings() {
        use emis_domain::registry::Grade;
        assert_eq!(parse_class("三年级3班"), Some((Grade::G3, 3)));
        assert_eq!(parse_class("初二(1)班"), Some((Grade::G8, 1)));
        assert_eq!(parse_class("高一 2"), Some((Grade::S1, 2)));
        assert_eq!(parse_class("三班"), None);
    }

    #[test]
    fn passwords_hash_and_verify() {
        for _ in 0..500 {
            let password = generate_password();
            assert_eq!(
                emis_domain::login::check_password(&password, "zhang"),
                Ok(()),
                "{password}"
            );
        }
        let password = generate_password();
        assert_eq!(password.len(), 12);
        let hash = hash_password(&password).expect("hash");
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password(&password, &hash));
        assert!(!verify_password("wrong", &hash));
    }
}

pub use emis_storage::lists::AuditRow;
pub use emis_storage::users::{PairLock, User};

/// The county's accounts, for the administrator's accounts page.
pub async fn users(db: &Db, account: &crate::auth::Account) -> Result<Vec<User>> {
    Ok(users::list(db, account.county()).await?)
}

/// What the audit log is filtered by: actor, record key, date range (YYYY-MM-DD).
#[derive(Debug, Default)]
pub struct AuditFilter<'a> {
    pub actor: Option<&'a str>,
    pub key: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// A page of the county's audit log, newest first.
pub async fn audit_log(
    db: &Db,
    account: &crate::auth::Account,
    filter: &AuditFilter<'_>,
    page: i64,
    per_page: i64,
) -> Result<crate::registry::queries::Page<AuditRow>> {
    Ok(emis_storage::lists::audit_page(
        db,
        account.county(),
        filter.actor,
        filter.key,
        filter.from,
        filter.to,
        page,
        per_page,
    )
    .await?)
}
