//! 学籍变动: status changes and transfers made in the web UI or API, each checked against
//! the account's scope and audited with before, after and the reason.

use crate::auth::Account;
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_domain::registry::{parse_class_number, StudentStatus};
use emis_storage::audit::Entry;
use emis_storage::lists::{self, StudentDetail};
use emis_storage::{registry, transfers, Db};

pub mod former_names;
pub mod queries;

/// A change refused for a reason the user can fix, tied to a form field.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

/// Refuses the first text longer than its limit ([`emis_domain::limits`]): each entry is
/// (form field, its label, the text, the most characters).
pub fn check_lengths(
    fields: &[(&'static str, &str, &str, usize)],
) -> std::result::Result<(), FieldError> {
    for (name, label, value, max) in fields {
        emis_domain::limits::check_len(label, value.trim(), *max).map_err(|reason| FieldError {
            field: name,
            reason,
        })?;
    }
    Ok(())
}

fn field(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

/// How a refusal of an org unit outside the caller's scope ends; the API answers such a
/// refusal 403 rather than 422.
pub const OUT_OF_SCOPE: &str = "不在您的管理范围内";

impl FieldError {
    /// A request naming an org unit (`what`: 学校, 乡镇) outside the caller's scope.
    pub fn out_of_scope(field: &'static str, what: &str) -> FieldError {
        FieldError {
            field,
            reason: format!("该{what}{OUT_OF_SCOPE}"),
        }
    }

    pub fn is_out_of_scope(&self) -> bool {
        self.reason.ends_with(OUT_OF_SCOPE)
    }
}

/// The org unit a request names for a write, checked against the caller's own one: left
/// empty it is the caller's own; naming another is refused (never rewritten to the caller's).
/// `own` is the caller's school (or township) when its scope is that narrow, else `None`
/// (the request's value is then checked against the scope by the caller).
pub fn requested_org(
    field_name: &'static str,
    what: &str,
    requested: &str,
    own: Option<&str>,
) -> std::result::Result<String, FieldError> {
    let requested = emis_domain::text::fold_width(requested.trim());
    match own {
        Some(own) if requested.is_empty() || requested == own => Ok(own.to_string()),
        Some(_) => Err(FieldError::out_of_scope(field_name, what)),
        None => Ok(requested),
    }
}

/// The caller's own school when its scope is one school (or a class of it).
pub fn own_school(scope: &emis_domain::access::Scope) -> Option<&str> {
    match scope {
        emis_domain::access::Scope::School { school, .. }
        | emis_domain::access::Scope::Class { school, .. } => Some(school),
        _ => None,
    }
}

/// The student if visible to the account, else `NotFound` (no leak of existence).
pub async fn visible_student(db: &Db, account: &Account, id: i64) -> Result<StudentDetail> {
    lists::student(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn require_edit(account: &Account) -> Result<()> {
    crate::require(account.role, Permission::EditStudents)
}

pub async fn change_status(
    db: &Db,
    account: &Account,
    id: i64,
    status: &str,
    reason: &str,
    source: &str,
) -> Result<()> {
    let student = visible_student(db, account, id).await?;
    require_edit(account)?;
    let Some(status) = StudentStatus::parse(status) else {
        return Err(field(
            "status",
            format!("学籍状态应为 {}", StudentStatus::choices()),
        )
        .into());
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(field("reason", "请填写变动原因").into());
    }
    let Some(current) = student.terms.last() else {
        return Err(AppError::NotFound);
    };
    if current.status == status {
        return Err(field("status", format!("该生当前已是“{}”", status.label())).into());
    }
    let mut tx = db.begin().await?;
    registry::set_status(&mut tx, account.county(), id, &current.term, status.label()).await?;
    Entry::new(
        account.county(),
        "status_change",
        "student",
        &student.id_number,
    )
    .before_json(&serde_json::json!({"term": current.term, "status": current.status}))
    .after_json(
        &serde_json::json!({"term": current.term, "status": status.label(), "reason": reason}),
    )
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// 转学 (the sending side): a transfer to an existing class of another school, which then
/// waits (待接收) until the receiving school accepts or declines it; the student stays on
/// this school's roll meanwhile. Returns the pending transfer's id.
pub async fn transfer(
    db: &Db,
    account: &Account,
    id: i64,
    to_school: &str,
    class: &str,
    reason: &str,
    source: &str,
) -> Result<i64> {
    let student = visible_student(db, account, id).await?;
    require_edit(account)?;
    let Some(current) = student.terms.last() else {
        return Err(AppError::NotFound);
    };
    let to_school = emis_domain::text::fold_width(to_school.trim());
    let schools = registry::schools(db, account.county()).await?;
    let Some(target) = schools.iter().find(|s| s.code == to_school) else {
        return Err(field(
            "school",
            format!("学校标识码 {to_school} 不在本县学校名单中"),
        )
        .into());
    };
    if target.code == current.school_code {
        return Err(field("school", "转入学校与当前学校相同").into());
    }
    let grade = current.grade;
    if !target.school_type.teaches(grade) {
        return Err(field(
            "school",
            format!("{}（{}）不设{}", target.name, target.school_type, grade),
        )
        .into());
    }
    let Some(class_number) = parse_class_number(class) else {
        return Err(field("class", "班级应为班号，如 3").into());
    };
    let existing = registry::class_numbers(
        db,
        account.county(),
        &target.code,
        &current.term,
        grade.label(),
    )
    .await?;
    if !existing.contains(&i64::from(class_number)) {
        let listed = if existing.is_empty() {
            format!("该校本学期没有{}的班级", current.grade)
        } else {
            let numbers: Vec<String> = existing.iter().map(|n| format!("{n}班")).collect();
            format!("现有{}：{}", current.grade, numbers.join("、"))
        };
        return Err(field(
            "class",
            format!(
                "{}本学期没有{}{class_number}班，只能转入该校已有的班级（{listed}）",
                target.name, current.grade
            ),
        )
        .into());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(field("reason", "请填写转学原因").into());
    }
    if transfers::pending_of(db, id, &current.term)
        .await?
        .is_some()
    {
        return Err(field("school", "该学生已有待接收的转学，请等待转入学校处理").into());
    }
    let mut tx = db.begin().await?;
    let transfer_id = transfers::insert(
        &mut tx,
        &transfers::NewTransfer {
            county: account.county(),
            student_id: id,
            term: &current.term,
            from_school: &current.school_code,
            from_class: current.class_number,
            to_school: &target.code,
            grade: grade.label(),
            class_number: i64::from(class_number),
            reason,
            by: &account.username,
        },
    )
    .await?;
    let key = transfer_id.to_string();
    Entry::new(account.county(), "transfer_request", "transfer", &key).before_json(&serde_json::json!({"term": current.term, "school": current.school_code, "class": current.class_number})).after_json(&serde_json::json!({"student": id, "term": current.term, "school": target.code, "class": class_number, "reason": reason, "status": transfers::PENDING})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(transfer_id)
}

/// Transfers the account sees: those into its scope (to accept or decline) and those out
/// of it, newest first; pending ones only unless `all`.
pub async fn transfers_in_scope(
    db: &Db,
    account: &Account,
    all: bool,
) -> Result<Vec<transfers::TransferRow>> {
    let status = (!all).then_some(transfers::PENDING);
    Ok(transfers::list(db, account.county(), status)
        .await?
        .into_iter()
        .filter(|t| {
            receives(account, t)
                || account
                    .scope
                    .admits_school(&t.from_school, &t.from_township)
        })
        .collect())
}

/// Whether the account receives a transfer: an editor whose scope holds the receiving school.
pub fn receives(account: &Account, t: &transfers::TransferRow) -> bool {
    account.role.permits(Permission::ReceiveTransfers)
        && !matches!(account.scope, emis_domain::access::Scope::Class { .. })
        && account.scope.admits_school(&t.to_school, &t.to_township)
}

/// A transfer the account sees, else `NotFound`.
async fn visible_transfer(db: &Db, account: &Account, id: i64) -> Result<transfers::TransferRow> {
    transfers::get(db, account.county(), id)
        .await?
        .filter(|t| {
            receives(account, t)
                || account
                    .scope
                    .admits_school(&t.from_school, &t.from_township)
        })
        .ok_or(AppError::NotFound)
}

/// The receiving school (or its township, or the county) accepts a pending transfer: the
/// student moves into the class named, which must still exist. Audited.
pub async fn accept_transfer(db: &Db, account: &Account, id: i64, source: &str) -> Result<()> {
    let t = visible_transfer(db, account, id).await?;
    if !receives(account, &t) {
        return Err(AppError::Forbidden);
    }
    if t.status != transfers::PENDING {
        return Err(field("transfer", format!("该转学已处理（{}）", t.status)).into());
    }
    let mut tx = db.begin().await?;
    if !transfers::decide(&mut tx, id, transfers::ACCEPTED, &account.username, None).await? {
        return Err(field("transfer", "该转学已处理").into());
    }
    if !registry::transfer(
        &mut tx,
        account.county(),
        t.student_id,
        &t.term,
        &t.to_school,
        &t.grade,
        t.class_number,
    )
    .await?
    {
        return Err(field(
            "transfer",
            format!(
                "{}本学期已没有{}{}班，请退回并由转出学校重新办理",
                t.to_school_name, t.grade, t.class_number
            ),
        )
        .into());
    }
    let key = id.to_string();
    Entry::new(account.county(), "transfer_accept", "transfer", &key).before_json(&serde_json::json!({"student": t.student_id, "term": t.term, "school": t.from_school, "class": t.from_class})).after_json(&serde_json::json!({"student": t.student_id, "term": t.term, "school": t.to_school, "class": t.class_number, "status": transfers::ACCEPTED})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The receiving side declines a pending transfer with a reason; the student stays. Audited.
pub async fn decline_transfer(
    db: &Db,
    account: &Account,
    id: i64,
    reason: &str,
    source: &str,
) -> Result<()> {
    let t = visible_transfer(db, account, id).await?;
    if !receives(account, &t) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(field("reason", "请填写退回原因").into());
    }
    if t.status != transfers::PENDING {
        return Err(field("transfer", format!("该转学已处理（{}）", t.status)).into());
    }
    let mut tx = db.begin().await?;
    if !transfers::decide(
        &mut tx,
        id,
        transfers::DECLINED,
        &account.username,
        Some(reason),
    )
    .await?
    {
        return Err(field("transfer", "该转学已处理").into());
    }
    let key = id.to_string();
    Entry::new(account.county(), "transfer_decline", "transfer", &key).after_json(&serde_json::json!({"student": t.student_id, "term": t.term, "school": t.to_school, "status": transfers::DECLINED, "reason": reason})).record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// The full ID number, for roles that need it; the view is audited.
pub async fn reveal_id(db: &Db, account: &Account, id: i64, source: &str) -> Result<String> {
    let student = visible_student(db, account, id).await?;
    crate::require(account.role, Permission::SeePersonalData)?;
    let mut tx = db.begin().await?;
    Entry::new(
        account.county(),
        "view_unmasked",
        "student",
        &student.id_number,
    )
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(student.id_number)
}
