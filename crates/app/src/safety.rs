//! 安全管理: the hazard ledger (排查 → 整改 → 复查 → 销号) and anti-drowning records. Every
//! change is checked against the account's scope and audited in the same transaction.
//!
//! Who does what: a 学校管理员 records and rectifies its own school's hazards; a 乡镇中心校
//! the schools of its township; the 股室 (officer) and the administrator record anywhere,
//! schedule inspections and campaigns, and verify and close (销号) or send back; 局领导
//! and 班主任 read.

use crate::auth::Account;
use crate::registry::FieldError;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::dates::parse_date;
use emis_domain::safety::drowning::{self, Measures};
use emis_domain::safety::{self as rules, Action, Grade, Status};
use emis_storage::audit::{self, Entry};
use emis_storage::safety::{self as store, HazardQuery, HazardRow, WaterRow};
use emis_storage::Db;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub mod chain;
pub mod checklist;
pub mod roster;

type Checked<T> = std::result::Result<T, FieldError>;

fn field(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

fn require(account: &Account, permission: Permission) -> Result<()> {
    crate::require(account.role, permission)
}

/// Where evidence files live: a folder next to the SQLite file (`emis-files/`), or
/// `EMIS_DATA_DIR` (required sense for PostgreSQL; defaults to `./emis-files`).
pub fn data_dir(db: &Db) -> PathBuf {
    if let Ok(dir) = std::env::var("EMIS_DATA_DIR") {
        if !dir.trim().is_empty() {
            return PathBuf::from(dir);
        }
    }
    let url = db.url();
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or(rest);
        if let Some(parent) = Path::new(path).parent() {
            return parent.join("emis-files");
        }
    }
    PathBuf::from("emis-files")
}

/// A mobile number as typed (full-width digits folded): 11 digits starting with 1.
fn valid_phone(raw: &str) -> Checked<String> {
    let phone: String = emis_domain::text::fold_width(raw.trim());
    if phone.len() != 11 || !phone.chars().all(|c| c.is_ascii_digit()) || !phone.starts_with('1') {
        return Err(field("phone", "手机号码应为11位数字"));
    }
    Ok(phone)
}

/// Audits a change of any safety record with its before and after (JSON), in `tx`.
#[allow(clippy::too_many_arguments)]
async fn audit_change<B: serde::Serialize, A: serde::Serialize>(
    tx: &mut emis_storage::Tx,
    account: &Account,
    source: &str,
    action: &str,
    entity: &str,
    key: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    audit::record(
        tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action,
            entity,
            entity_key: key,
            before: before.and_then(|b| serde_json::to_string(b).ok()),
            after: after.and_then(|a| serde_json::to_string(a).ok()),
        },
    )
    .await?;
    Ok(())
}

/// Saves a changed hazard and audits it with before and after, in one transaction.
async fn save_audited(
    db: &Db,
    account: &Account,
    source: &str,
    action: &str,
    before: &HazardRow,
    after: &HazardRow,
) -> Result<()> {
    let mut tx = db.begin().await?;
    store::save_hazard(&mut tx, after).await?;
    audit_hazard(
        &mut tx,
        account,
        source,
        action,
        after.id,
        Some(before),
        Some(after),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

async fn audit_hazard(
    tx: &mut emis_storage::Tx,
    account: &Account,
    source: &str,
    action: &str,
    id: i64,
    before: Option<&HazardRow>,
    after: Option<&HazardRow>,
) -> Result<()> {
    audit_change(
        tx,
        account,
        source,
        action,
        "safety_hazard",
        &id.to_string(),
        before,
        after,
    )
    .await
}

// ---------------------------------------------------------------- inspections

/// Schedules the monthly inspection of every school in the scope for a month (skips
/// schools already scheduled that month). Returns how many were scheduled.
pub async fn schedule_monthly(
    db: &Db,
    account: &Account,
    year: i32,
    month: u32,
    source: &str,
) -> Result<usize> {
    require(account, Permission::ReviewHazards)?;
    let Some(day) = NaiveDate::from_ymd_opt(year, month, 10) else {
        return Err(field("month", "月份应为 1–12").into());
    };
    let schools = emis_storage::registry::schools(db, account.county()).await?;
    let existing = store::inspections(db, &account.scope, year, Some("月度排查"), 100_000).await?;
    let month_prefix = format!("{year}-{month:02}");
    let items: Vec<store::NewInspection> = schools
        .iter()
        .filter(|s| {
            !existing.iter().any(|i| {
                i.school_code.as_deref() == Some(s.code.as_str())
                    && i.planned_on.starts_with(&month_prefix)
            })
        })
        .map(|s| store::NewInspection {
            kind: "月度排查".into(),
            title: format!("{year}年{month}月安全隐患排查"),
            school_code: Some(s.code.clone()),
            planned_on: day.to_string(),
            done_on: None,
            checklist: rules::CAMPAIGN_CHECKLIST
                .iter()
                .map(|s| s.to_string())
                .collect(),
        })
        .collect();
    let mut tx = db.begin().await?;
    store::insert_inspections(&mut tx, account.county(), &account.username, &items).await?;
    let key = format!("{year}-{month:02}");
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "schedule_monthly",
            entity: "safety_inspection",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"schools": items.len()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(items.len())
}

/// A county-wide campaign (专项行动, e.g. 大排查大整治) with its checklist.
pub async fn schedule_campaign(
    db: &Db,
    account: &Account,
    title: &str,
    planned_on: &str,
    checklist: &str,
    source: &str,
) -> Result<i64> {
    require(account, Permission::ReviewHazards)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(field("title", "请填写行动名称，如“安全隐患大排查大整治”").into());
    }
    let Some(day) = parse_date(planned_on) else {
        return Err(field("planned_on", "日期应为 2021-06-01 这样的格式").into());
    };
    let mut items: Vec<String> = checklist
        .lines()
        .flat_map(|l| l.split(['、', ',', '，']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        items = rules::CAMPAIGN_CHECKLIST
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    let new = store::NewInspection {
        kind: "专项行动".into(),
        title: title.to_string(),
        school_code: None,
        planned_on: day.to_string(),
        done_on: None,
        checklist: items,
    };
    let mut tx = db.begin().await?;
    let id = store::insert_inspection(&mut tx, account.county(), &account.username, &new).await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "schedule_campaign",
            entity: "safety_inspection",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"title": new.title, "planned_on": new.planned_on, "checklist": new.checklist}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

// ---------------------------------------------------------------- hazards

/// The hazard if the account's scope sees it, else `NotFound`.
pub async fn visible_hazard(db: &Db, account: &Account, id: i64) -> Result<HazardRow> {
    store::hazard(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HazardForm {
    pub school: String,
    pub place: String,
    pub category: String,
    pub grade: String,
    pub description: String,
    pub found_on: String,
    /// The inspection or campaign that found it (id), optional.
    pub inspection: String,
}

/// Records a hazard (status 待整改). A school account records for its own school.
pub async fn record_hazard(
    db: &Db,
    account: &Account,
    form: &HazardForm,
    source: &str,
) -> Result<i64> {
    record_hazard_with_photo(db, account, form, None, source).await
}

/// Records a hazard with the photo taken when it was found (stage 发现), in one transaction.
pub async fn record_hazard_with_photo(
    db: &Db,
    account: &Account,
    form: &HazardForm,
    photo: Option<&Upload<'_>>,
    source: &str,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[
        (
            "place",
            "隐患部位",
            &form.place,
            emis_domain::limits::SHORT_TEXT,
        ),
        (
            "description",
            "隐患描述",
            &form.description,
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let school_code = crate::registry::requested_org(
        "school",
        "学校",
        &form.school,
        crate::registry::own_school(&account.scope),
    )?;
    let schools = emis_storage::registry::schools(db, account.county()).await?;
    let Some(school) = schools.iter().find(|s| s.code == school_code) else {
        return Err(field("school", "请选择本县的学校（学校标识码）").into());
    };
    if !account
        .scope
        .admits_school(&school.code, &school.township_code)
    {
        return Err(FieldError::out_of_scope("school", "学校").into());
    }
    let place = form.place.trim();
    if place.is_empty() {
        return Err(field("place", "请填写隐患部位，如“教学楼二楼走廊”").into());
    }
    if !rules::is_category(&form.category) {
        return Err(field(
            "category",
            format!("隐患类别应为：{}", rules::CATEGORIES.join("、")),
        )
        .into());
    }
    let Some(grade) = Grade::parse(&form.grade) else {
        return Err(field("grade", "隐患等级应为“一般”或“重大”").into());
    };
    let description = form.description.trim();
    if description.chars().count() < 4 {
        return Err(field("description", "请具体描述隐患（至少4个字）").into());
    }
    let Some(found_on) = parse_date(&form.found_on) else {
        return Err(field("found_on", "排查日期应为 2021-03-10 这样的格式").into());
    };
    if found_on > chrono::Local::now().date_naive() {
        return Err(field("found_on", "排查日期不能晚于今天").into());
    }
    let inspection_id = match form.inspection.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if store::inspection_covers(db, account.county(), id, &school.code).await? => {
                Some(id)
            }
            _ => return Err(field("inspection", "所选排查不存在，或不是针对该学校的排查").into()),
        },
    };
    let row = HazardRow {
        school_code: school.code.clone(),
        school_name: school.name.clone(),
        township_code: school.township_code.clone(),
        inspection_id,
        place: place.to_string(),
        category: form.category.trim().to_string(),
        grade: grade.label().to_string(),
        description: description.to_string(),
        found_on: found_on.to_string(),
        found_by: account.username.clone(),
        status: Status::Open.label().to_string(),
        ..HazardRow::default()
    };
    // The photo is checked (and kept) only once the form is valid.
    let stored = match photo.filter(|p| !p.bytes.is_empty()) {
        Some(p) => match store_upload(db, account.county(), p) {
            Ok(v) => Some(v),
            Err(e) => {
                return Err(FieldError {
                    field: "photo",
                    ..e
                }
                .into())
            }
        },
        None => None,
    };
    let mut tx = db.begin().await?;
    let id = store::insert_hazard(&mut tx, account.county(), &row).await?;
    if let Some(f) = &stored {
        insert_stored(&mut tx, account, id, "发现", f).await?;
    }
    let row = HazardRow { id, ..row };
    audit_hazard(
        &mut tx,
        account,
        source,
        "hazard_record",
        id,
        None,
        Some(&row),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

fn step(h: &HazardRow, action: Action) -> Checked<Status> {
    let from = Status::parse(&h.status).unwrap_or(Status::Open);
    rules::transition(from, action).map_err(|e| field("status", e.to_string()))
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub responsible: String,
    pub measures: String,
    pub deadline: String,
    #[serde(default)]
    pub budget: String,
}

/// 落实整改: responsible person, measures, deadline (整改时限) and budget (整改资金, 元).
pub async fn assign(
    db: &Db,
    account: &Account,
    id: i64,
    form: &AssignForm,
    source: &str,
) -> Result<()> {
    let before = visible_hazard(db, account, id).await?;
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[
        (
            "responsible",
            "整改责任人",
            &form.responsible,
            emis_domain::limits::NAME,
        ),
        (
            "measures",
            "整改措施",
            &form.measures,
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let status = step(&before, Action::Assign)?;
    let responsible = form.responsible.trim();
    if responsible.is_empty() {
        return Err(field("responsible", "请填写整改责任人").into());
    }
    let measures = form.measures.trim();
    if measures.is_empty() {
        return Err(field("measures", "请填写整改措施").into());
    }
    let Some(deadline) = parse_date(&form.deadline) else {
        return Err(field("deadline", "整改时限应为 2021-03-20 这样的日期").into());
    };
    if deadline.to_string() < before.found_on {
        return Err(field("deadline", "整改时限不能早于排查日期").into());
    }
    let Some(budget_fen) = rules::parse_yuan(&form.budget) else {
        return Err(field("budget", "整改资金应为金额（元），如 1200 或 1200.50").into());
    };
    if let Err(reason) = emis_domain::limits::check_fen("整改资金", budget_fen) {
        return Err(field("budget", reason).into());
    }
    let after = HazardRow {
        responsible: Some(responsible.to_string()),
        measures: Some(measures.to_string()),
        deadline: Some(deadline.to_string()),
        budget_fen,
        status: status.label().to_string(),
        ..before.clone()
    };
    save_audited(db, account, source, "hazard_assign", &before, &after).await?;
    Ok(())
}

/// An uploaded file as received.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Checks and stores a file; returns the metadata to record. Nothing is written when
/// the file is refused.
fn store_file(
    db: &Db,
    county: &str,
    upload: &Upload<'_>,
) -> Checked<(String, &'static str, String)> {
    let kind = rules::check_evidence(upload.bytes).map_err(|e| field("file", e))?;
    let sha = hex::encode(Sha256::digest(upload.bytes));
    let stored = format!("safety/{county}/{sha}.{}", kind.extension());
    let path = data_dir(db).join(&stored);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| field("file", format!("无法保存文件：{e}")))?;
    }
    if !path.exists() {
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, upload.bytes)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| field("file", format!("无法保存文件：{e}")))?;
    }
    Ok((stored, kind.mime(), sha))
}

fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    if cleaned.is_empty() {
        "附件".into()
    } else {
        cleaned
    }
}

/// A checked upload already written to the data folder, waiting for its row.
struct StoredFile {
    stored_name: String,
    mime: &'static str,
    sha256: String,
    file_name: String,
    size: usize,
}

/// Checks and stores an upload (nothing is written when it is refused).
fn store_upload(db: &Db, county: &str, upload: &Upload<'_>) -> Checked<StoredFile> {
    let (stored_name, mime, sha256) = store_file(db, county, upload)?;
    Ok(StoredFile {
        stored_name,
        mime,
        sha256,
        file_name: clean_name(upload.file_name),
        size: upload.bytes.len(),
    })
}

/// The row of a stored file of a hazard, in the caller's transaction.
async fn insert_stored(
    tx: &mut emis_storage::Tx,
    account: &Account,
    hazard_id: i64,
    stage: &str,
    f: &StoredFile,
) -> Result<i64> {
    Ok(store::insert_evidence(
        tx,
        account.county(),
        &store::NewEvidence {
            hazard_id,
            stage,
            file_name: &f.file_name,
            stored_name: &f.stored_name,
            mime: f.mime,
            size_bytes: f.size as i64,
            sha256: &f.sha256,
            uploaded_by: &account.username,
        },
    )
    .await?)
}

/// Adds an evidence file (photo or PDF) to a hazard at a stage (发现 / 整改).
pub async fn add_evidence(
    db: &Db,
    account: &Account,
    id: i64,
    stage: &str,
    upload: &Upload<'_>,
    source: &str,
) -> Result<i64> {
    let hazard = visible_hazard(db, account, id).await?;
    require(account, Permission::RecordHazards)?;
    if hazard.status == Status::Closed.label() {
        return Err(field("file", "隐患已销号，不能再上传材料").into());
    }
    let stored = store_upload(db, account.county(), upload)?;
    let stage = if stage == "整改" {
        "整改"
    } else {
        "发现"
    };
    let mut tx = db.begin().await?;
    let evidence_id = insert_stored(&mut tx, account, id, stage, &stored).await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "hazard_evidence",
            entity: "safety_hazard",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"evidence": evidence_id, "stage": stage, "file": stored.file_name, "mime": stored.mime, "size": stored.size, "sha256": stored.sha256}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(evidence_id)
}

/// An evidence file if its hazard is visible: metadata and bytes.
pub async fn evidence_file(
    db: &Db,
    account: &Account,
    evidence_id: i64,
) -> Result<(store::EvidenceRow, Vec<u8>)> {
    let e = store::evidence(db, account.county(), evidence_id)
        .await?
        .ok_or(AppError::NotFound)?;
    visible_hazard(db, account, e.hazard_id).await?;
    let bytes = std::fs::read(data_dir(db).join(&e.stored_name)).map_err(|_| AppError::NotFound)?;
    Ok((e, bytes))
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RectifyForm {
    pub result: String,
    pub rectified_on: String,
}

/// The school reports the rectification (待复查), optionally with a photo.
pub async fn rectify(
    db: &Db,
    account: &Account,
    id: i64,
    form: &RectifyForm,
    photo: Option<&Upload<'_>>,
    source: &str,
) -> Result<()> {
    let before = visible_hazard(db, account, id).await?;
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[(
        "result",
        "整改结果",
        &form.result,
        emis_domain::limits::FREE_TEXT,
    )])?;
    let status = step(&before, Action::Rectify)?;
    let result = form.result.trim();
    if result.chars().count() < 2 {
        return Err(field("result", "请填写整改结果").into());
    }
    let Some(day) = parse_date(&form.rectified_on) else {
        return Err(field("rectified_on", "整改完成日期应为 2021-03-18 这样的格式").into());
    };
    if day.to_string() < before.found_on {
        return Err(field("rectified_on", "整改完成日期不能早于排查日期").into());
    }
    let stored = match photo.filter(|p| !p.bytes.is_empty()) {
        Some(p) => match store_upload(db, account.county(), p) {
            Ok(v) => Some(v),
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let after = HazardRow {
        result: Some(result.to_string()),
        rectified_on: Some(day.to_string()),
        status: status.label().to_string(),
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::save_hazard(&mut tx, &after).await?;
    if let Some(f) = &stored {
        insert_stored(&mut tx, account, id, "整改", f).await?;
    }
    audit_hazard(
        &mut tx,
        account,
        source,
        "hazard_rectify",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// 复查意见 (closing) or the reason (sending back).
    pub review: String,
    #[serde(default)]
    pub closed_on: String,
}

/// The bureau verifies and closes (销号).
pub async fn close(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ReviewForm,
    source: &str,
) -> Result<()> {
    let before = visible_hazard(db, account, id).await?;
    require(account, Permission::ReviewHazards)?;
    crate::registry::check_lengths(&[(
        "review",
        "复核意见",
        &form.review,
        emis_domain::limits::FREE_TEXT,
    )])?;
    let status = step(&before, Action::Close)?;
    let review = form.review.trim();
    if review.is_empty() {
        return Err(field("review", "请填写复查意见").into());
    }
    let day = if form.closed_on.trim().is_empty() {
        chrono::Local::now().date_naive()
    } else {
        match parse_date(&form.closed_on) {
            Some(d) => d,
            None => return Err(field("closed_on", "销号日期应为 2021-03-25 这样的格式").into()),
        }
    };
    if before
        .rectified_on
        .as_deref()
        .is_some_and(|r| day.to_string().as_str() < r)
    {
        return Err(field("closed_on", "销号日期不能早于整改完成日期").into());
    }
    let after = HazardRow {
        review: Some(review.to_string()),
        reviewed_by: Some(account.username.clone()),
        closed_on: Some(day.to_string()),
        sent_back_reason: None,
        status: status.label().to_string(),
        ..before.clone()
    };
    save_audited(db, account, source, "hazard_close", &before, &after).await?;
    Ok(())
}

/// The bureau sends the rectification back with a reason (退回).
pub async fn send_back(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ReviewForm,
    source: &str,
) -> Result<()> {
    let before = visible_hazard(db, account, id).await?;
    require(account, Permission::ReviewHazards)?;
    crate::registry::check_lengths(&[(
        "review",
        "复核意见",
        &form.review,
        emis_domain::limits::FREE_TEXT,
    )])?;
    let status = step(&before, Action::SendBack)?;
    let reason = form.review.trim();
    if reason.chars().count() < 2 {
        return Err(field("review", "退回时请写明原因").into());
    }
    let after = HazardRow {
        sent_back_reason: Some(reason.to_string()),
        reviewed_by: Some(account.username.clone()),
        status: status.label().to_string(),
        ..before.clone()
    };
    save_audited(db, account, source, "hazard_send_back", &before, &after).await?;
    Ok(())
}

/// Where an overdue hazard has escalated to as of `today` (the school always sees it; the
/// township from the first day overdue; the bureau after 7 days, or at once for 重大).
pub fn escalation(h: &HazardRow, today: NaiveDate) -> rules::Escalation {
    match (
        overdue(h, today),
        Grade::parse(&h.grade),
        h.deadline.as_deref().and_then(parse_date),
    ) {
        (true, Some(grade), Some(deadline)) => rules::escalation(grade, deadline, today),
        _ => rules::Escalation::None,
    }
}

/// Whether a hazard is overdue as of `today`.
pub fn overdue(h: &HazardRow, today: NaiveDate) -> bool {
    rules::is_overdue(
        Status::parse(&h.status).unwrap_or(Status::Open),
        h.deadline.as_deref().and_then(parse_date),
        h.closed_on.as_deref().and_then(parse_date),
        today,
    )
}

/// The 整改销号登记表 columns.
pub const LEDGER_COLUMNS: &[&str] = &[
    "序号",
    "学校",
    "排查时间",
    "部位",
    "隐患类别",
    "隐患描述",
    "等级",
    "责任人",
    "整改措施",
    "整改时限",
    "整改资金（元）",
    "整改结果",
    "复查",
    "销号",
];

/// The ledger rows of the hazards the account sees (filtered), in the usual layout.
pub async fn ledger_rows(db: &Db, account: &Account, q: &HazardQuery) -> Result<Vec<Vec<String>>> {
    ledger_rows_in(db, &account.scope, q).await
}

/// The ledger rows of a scope (the command line uses the whole county).
pub async fn ledger_rows_in(db: &Db, scope: &Scope, q: &HazardQuery) -> Result<Vec<Vec<String>>> {
    let mut q = q.clone();
    q.per_page = 0;
    let page = store::hazards(db, scope, &q).await?;
    Ok(page
        .items
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let review = match (&h.review, &h.sent_back_reason) {
                (Some(r), _) => r.clone(),
                (None, Some(reason)) => format!("退回：{reason}"),
                _ => String::new(),
            };
            vec![
                (i + 1).to_string(),
                h.school_name,
                h.found_on,
                h.place,
                h.category,
                h.description,
                h.grade,
                h.responsible.unwrap_or_default(),
                h.measures.unwrap_or_default(),
                h.deadline.unwrap_or_default(),
                rules::yuan(h.budget_fen),
                h.result.unwrap_or_default(),
                review,
                h.closed_on.unwrap_or_default(),
            ]
        })
        .collect())
}

/// Writes the ledger as xlsx (or csv by extension) to `path`.
pub async fn write_ledger(db: &Db, account: &Account, q: &HazardQuery, path: &Path) -> Result<u64> {
    write_ledger_in(db, &account.scope, q, path).await
}

pub async fn write_ledger_in(db: &Db, scope: &Scope, q: &HazardQuery, path: &Path) -> Result<u64> {
    let rows = ledger_rows_in(db, scope, q).await?;
    Ok(emis_io::write_sheet(
        path,
        "整改销号登记表",
        LEDGER_COLUMNS,
        rows,
    )?)
}

// ---------------------------------------------------------------- dashboard and coverage

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct TownshipCoverage {
    pub township_code: String,
    pub township_name: String,
    pub dangerous_waters: usize,
    pub equipped_waters: usize,
    pub patrol_required: u32,
    pub patrol_compliant: u32,
    pub on_roll: i64,
    pub signed: i64,
}

impl TownshipCoverage {
    pub fn equipped_rate(&self) -> f64 {
        drowning::rate(self.equipped_waters, self.dangerous_waters)
    }
    pub fn patrol_rate(&self) -> f64 {
        drowning::rate(
            self.patrol_compliant as usize,
            self.patrol_required as usize,
        )
    }
    pub fn letter_rate(&self) -> f64 {
        drowning::rate(self.signed as usize, self.on_roll as usize)
    }
}

/// The summer patrol check of a year for the scope, up to `until`.
pub async fn patrol_check(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(Vec<WaterRow>, drowning::PatrolCompliance)> {
    let (waters, _, check) = patrol_facts(db, scope, year, until).await?;
    Ok((waters, check))
}

/// The waters, the summer patrol logs (water, day, slot) and their compliance.
#[allow(clippy::type_complexity)]
async fn patrol_facts(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(
    Vec<WaterRow>,
    Vec<(i64, NaiveDate, String)>,
    drowning::PatrolCompliance,
)> {
    let waters = store::waters(db, scope, None).await?;
    let dangerous: Vec<i64> = waters
        .iter()
        .filter(|w| drowning::is_dangerous(&w.risk) && !w.measures.backfilled)
        .map(|w| w.id)
        .collect();
    let logs: Vec<(i64, NaiveDate, String)> = store::patrol_days(
        db,
        scope,
        &format!("{year}-07-01"),
        &format!("{year}-08-31"),
    )
    .await?
    .into_iter()
    .filter_map(|(w, d, slot)| Some((w, parse_date(&d)?, slot)))
    .collect();
    let patrols: Vec<(i64, NaiveDate)> = logs.iter().map(|(w, d, _)| (*w, *d)).collect();
    let check = drowning::patrol_compliance(&dangerous, &patrols, year, until);
    Ok((waters, logs, check))
}

/// Drowning-prevention coverage by township for a year (letters from the autumn term).
pub async fn coverage(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<Vec<TownshipCoverage>> {
    let letters = store::letter_coverage(db, scope, &format!("{year}-autumn")).await?;
    coverage_with(db, scope, year, until, &letters).await
}

/// Coverage by township with the letters already counted per school.
async fn coverage_with(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
    letters: &[store::LetterCoverage],
) -> Result<Vec<TownshipCoverage>> {
    let county = emis_domain::divisions::county(scope.county());
    let (waters, check) = patrol_check(db, scope, year, until).await?;
    let mut out: Vec<TownshipCoverage> = Vec::new();
    let entry = |out: &mut Vec<TownshipCoverage>, code: &str| -> usize {
        if let Some(i) = out.iter().position(|t| t.township_code == code) {
            return i;
        }
        out.push(TownshipCoverage {
            township_code: code.to_string(),
            township_name: county
                .and_then(|c| c.township(code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| code.to_string()),
            ..TownshipCoverage::default()
        });
        out.len() - 1
    };
    let mut town_of = std::collections::HashMap::new();
    for w in &waters {
        town_of.insert(w.id, w.township_code.clone());
        if drowning::is_dangerous(&w.risk) {
            let i = entry(&mut out, &w.township_code);
            out[i].dangerous_waters += 1;
            if w.measures.complete() {
                out[i].equipped_waters += 1;
            }
        }
    }
    let per_water = drowning::summer_days(year)
        .into_iter()
        .filter(|d| *d <= until)
        .count() as u32;
    for w in &waters {
        if drowning::is_dangerous(&w.risk) && !w.measures.backfilled {
            let i = entry(&mut out, &w.township_code);
            out[i].patrol_required += per_water;
            out[i].patrol_compliant += per_water;
        }
    }
    for m in &check.missing {
        if let Some(code) = town_of.get(&m.water) {
            let i = entry(&mut out, code);
            out[i].patrol_compliant = out[i].patrol_compliant.saturating_sub(1);
        }
    }
    for l in letters {
        let i = entry(&mut out, &l.township_code);
        out[i].on_roll += l.on_roll;
        out[i].signed += l.signed;
    }
    out.sort_by(|a, b| a.township_code.cmp(&b.township_code));
    Ok(out)
}

/// Drowning-prevention coverage of one school: parents' letters signed and 十有 in place;
/// the waters and patrols are its township's.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SchoolCoverage {
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub on_roll: i64,
    pub signed: i64,
    pub ten_haves_done: usize,
}

impl SchoolCoverage {
    pub fn letter_rate(&self) -> f64 {
        drowning::rate(self.signed as usize, self.on_roll as usize)
    }
}

/// Coverage by township and by school of the scope (autumn-term letters, the year's 十有):
/// the letters, the costliest query here, are counted once for both levels.
pub async fn coverage_by_level(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(Vec<TownshipCoverage>, Vec<SchoolCoverage>)> {
    let letters = store::letter_coverage(db, scope, &format!("{year}-autumn")).await?;
    let towns = coverage_with(db, scope, year, until, &letters).await?;
    let schools = school_coverage_with(db, scope, year, letters).await?;
    Ok((towns, schools))
}

async fn school_coverage_with(
    db: &Db,
    scope: &Scope,
    year: i32,
    letters: Vec<store::LetterCoverage>,
) -> Result<Vec<SchoolCoverage>> {
    let mut done: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for t in store::ten_haves(db, scope, year).await? {
        if t.done {
            *done.entry(t.org_code).or_default() += 1;
        }
    }
    Ok(letters
        .into_iter()
        .map(|l| SchoolCoverage {
            ten_haves_done: done.get(&l.school_code).copied().unwrap_or(0),
            school_code: l.school_code,
            school_name: l.school_name,
            township_code: l.township_code,
            on_roll: l.on_roll,
            signed: l.signed,
        })
        .collect())
}

/// The columns of the coverage export (防溺水工作覆盖情况).
pub const COVERAGE_COLUMNS: &[&str] = &[
    "层级",
    "乡镇",
    "学校",
    "重点水域",
    "设施齐全",
    "设施到位率",
    "应巡查（水域·日）",
    "达标（水域·日）",
    "巡查达标率",
    "在籍学生",
    "家长已签收",
    "签收率",
    "十有落实（项）",
];

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// Each township followed by its schools, in the export's columns.
pub async fn coverage_rows(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<Vec<Vec<String>>> {
    let (towns, schools) = coverage_by_level(db, scope, year, until).await?;
    let mut rows = Vec::new();
    for t in &towns {
        rows.push(vec![
            "乡镇".into(),
            t.township_name.clone(),
            String::new(),
            t.dangerous_waters.to_string(),
            t.equipped_waters.to_string(),
            percent(t.equipped_rate()),
            t.patrol_required.to_string(),
            t.patrol_compliant.to_string(),
            percent(t.patrol_rate()),
            t.on_roll.to_string(),
            t.signed.to_string(),
            percent(t.letter_rate()),
            String::new(),
        ]);
        for s in schools
            .iter()
            .filter(|s| s.township_code == t.township_code)
        {
            rows.push(vec![
                "学校".into(),
                t.township_name.clone(),
                s.school_name.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                s.on_roll.to_string(),
                s.signed.to_string(),
                percent(s.letter_rate()),
                format!("{}/{}", s.ten_haves_done, drowning::TEN_HAVES.len()),
            ]);
        }
    }
    Ok(rows)
}

pub async fn write_coverage(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
    path: &Path,
) -> Result<u64> {
    let rows = coverage_rows(db, scope, year, until).await?;
    Ok(emis_io::write_sheet(
        path,
        "防溺水覆盖情况",
        COVERAGE_COLUMNS,
        rows,
    )?)
}

/// The safety card of the home page: hazards as of today, 重大 ones first-hand, and the
/// year's drowning-prevention coverage, all within the scope.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HomeCard {
    pub year: i32,
    pub counts: store::HazardCounts,
    pub major: Vec<HazardRow>,
    pub equipped_rate: f64,
    pub patrol_rate: f64,
    pub letter_rate: f64,
}

/// Computes only what the card shows (the home page is the most visited page): the hazard
/// counts, the first five open 重大 hazards and three coverage totals, each one aggregate
/// query within the scope.
pub async fn home_card(db: &Db, account: &Account, today: NaiveDate) -> Result<HomeCard> {
    let scope = &account.scope;
    let year = default_year(db, account.county()).await?;
    let counts = store::hazard_counts(db, scope, &today.to_string()).await?;
    let major = open_major_hazards(db, scope, 5).await?;
    let until = year_end_or(year, today);
    let summer: Vec<NaiveDate> = drowning::summer_days(year)
        .into_iter()
        .filter(|d| *d <= until)
        .collect();
    let (first, last) = match (summer.first(), summer.last()) {
        (Some(f), Some(l)) => (f.to_string(), l.to_string()),
        // Before July: no patrol day is due yet, so none is counted.
        _ => (format!("{year}-07-01"), format!("{year}-06-30")),
    };
    let t = store::coverage_totals(
        db,
        scope,
        &format!("{year}-autumn"),
        (&first, &last),
        i64::from(drowning::SUMMER_PATROLS_PER_DAY),
    )
    .await?;
    let required = t.patrolled_waters as usize * summer.len();
    Ok(HomeCard {
        year,
        counts,
        major,
        equipped_rate: drowning::rate(t.equipped_waters as usize, t.dangerous_waters as usize),
        patrol_rate: drowning::rate(t.compliant_days as usize, required),
        letter_rate: drowning::rate(t.signed as usize, t.on_roll as usize),
    })
}

/// The newest open 重大 hazards of the scope, at most `limit`.
async fn open_major_hazards(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<HazardRow>> {
    Ok(store::hazards(
        db,
        scope,
        &HazardQuery {
            grade: Some(Grade::Major.label().into()),
            open_only: true,
            page: 1,
            per_page: limit,
            ..HazardQuery::default()
        },
    )
    .await?
    .items)
}

/// 12月31日 of `year`, or `today` when that comes first.
fn year_end_or(year: i32, today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .map(|end| end.min(today))
        .unwrap_or(today)
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Dashboard {
    pub counts: store::HazardCounts,
    pub major: Vec<HazardRow>,
    pub overdue: Vec<HazardRow>,
    pub coverage: Vec<TownshipCoverage>,
    pub schools: Vec<SchoolCoverage>,
    pub missing_patrols: usize,
    /// Overdue hazards escalated to the township (1–7 days late, 一般) and to the bureau.
    pub escalated_township: usize,
    pub escalated_county: usize,
}

pub async fn dashboard(db: &Db, account: &Account, today: NaiveDate) -> Result<Dashboard> {
    use chrono::Datelike;
    dashboard_of_year(db, account, today, today.year()).await
}

/// Hazard counts as of `today`; drowning coverage of `year` (up to `today` at most).
pub async fn dashboard_of_year(
    db: &Db,
    account: &Account,
    today: NaiveDate,
    year: i32,
) -> Result<Dashboard> {
    let scope = &account.scope;
    let today_text = today.to_string();
    let counts = store::hazard_counts(db, scope, &today_text).await?;
    let major = open_major_hazards(db, scope, 50).await?;
    let mut overdue = store::hazards(
        db,
        scope,
        &HazardQuery {
            overdue_on: Some(today_text),
            per_page: 0,
            ..HazardQuery::default()
        },
    )
    .await?
    .items;
    let level = |h: &HazardRow| escalation(h, today);
    let escalated_county = overdue
        .iter()
        .filter(|h| level(h) == rules::Escalation::County)
        .count();
    let escalated_township = overdue
        .iter()
        .filter(|h| level(h) == rules::Escalation::Township)
        .count();
    // The bureau's cases first, then by deadline.
    overdue.sort_by_key(|h| (level(h) != rules::Escalation::County, h.deadline.clone()));
    overdue.truncate(50);
    let (coverage, schools) = coverage_by_level(db, scope, year, year_end_or(year, today)).await?;
    let missing_patrols = coverage
        .iter()
        .map(|c| (c.patrol_required - c.patrol_compliant) as usize)
        .sum();
    Ok(Dashboard {
        counts,
        major,
        overdue,
        coverage,
        schools,
        missing_patrols,
        escalated_township,
        escalated_county,
    })
}

// ---------------------------------------------------------------- drowning records

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeasuresForm {
    pub risk: String,
    #[serde(default)]
    pub sign: Option<String>,
    #[serde(default)]
    pub pole: Option<String>,
    #[serde(default)]
    pub ring: Option<String>,
    #[serde(default)]
    pub rope: Option<String>,
    #[serde(default)]
    pub rail: Option<String>,
    #[serde(default)]
    pub backfilled: Option<String>,
    #[serde(default)]
    pub closed: Option<String>,
}

fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "on" | "true" | "是"))
}

impl MeasuresForm {
    pub fn measures(&self) -> Measures {
        Measures {
            sign: checked(&self.sign),
            pole: checked(&self.pole),
            ring: checked(&self.ring),
            rope: checked(&self.rope),
            rail: checked(&self.rail),
            backfilled: checked(&self.backfilled),
            closed: checked(&self.closed),
        }
    }
}

pub async fn visible_water(db: &Db, account: &Account, id: i64) -> Result<WaterRow> {
    store::water(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Updates the risk level and measures of a water body.
pub async fn save_measures(
    db: &Db,
    account: &Account,
    id: i64,
    form: &MeasuresForm,
    source: &str,
) -> Result<()> {
    let before = visible_water(db, account, id).await?;
    require(account, Permission::KeepWaters)?;
    if !drowning::RISK_LEVELS.contains(&form.risk.trim()) {
        return Err(field("risk", "风险等级应为 高、较高 或 一般").into());
    }
    let after = WaterRow {
        risk: form.risk.trim().to_string(),
        measures: form.measures(),
        ..before.clone()
    };
    let mut tx = db.begin().await?;
    store::save_measures(&mut tx, &after).await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "water_measures",
            entity: "water_body",
            entity_key: &key,
            before: serde_json::to_string(&before).ok(),
            after: serde_json::to_string(&after).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PatrolForm {
    pub water: i64,
    pub day: String,
    pub slot: String,
    pub patroller: String,
    #[serde(default)]
    pub note: String,
}

/// Records one patrol of a water body (townships, schools of the township and the bureau).
pub async fn record_patrol(
    db: &Db,
    account: &Account,
    form: &PatrolForm,
    source: &str,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[
        (
            "patroller",
            "巡查人",
            &form.patroller,
            emis_domain::limits::NAME,
        ),
        (
            "note",
            "巡查情况",
            &form.note,
            emis_domain::limits::FREE_TEXT,
        ),
    ])?;
    let Ok(water) = visible_water(db, account, form.water).await else {
        return Err(field("water", "请选择您管理范围内的水域").into());
    };
    let Some(day) = parse_date(&form.day) else {
        return Err(field("day", "巡查日期应为 2021-07-15 这样的格式").into());
    };
    if !drowning::PATROL_SLOTS.contains(&form.slot.trim()) {
        return Err(field(
            "slot",
            format!("时段应为：{}", drowning::PATROL_SLOTS.join("、")),
        )
        .into());
    }
    let patroller = form.patroller.trim();
    if patroller.is_empty() {
        return Err(field("patroller", "请填写巡查人").into());
    }
    let row = store::PatrolRow {
        water_id: water.id,
        water_name: water.name.clone(),
        township_code: water.township_code.clone(),
        day: day.to_string(),
        slot: form.slot.trim().to_string(),
        patroller: patroller.to_string(),
        note: form.note.trim().to_string(),
        ..store::PatrolRow::default()
    };
    let mut tx = db.begin().await?;
    store::write_patrols(&mut tx, account.county(), std::slice::from_ref(&row)).await?;
    let key = water.id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "patrol_log",
            entity: "water_body",
            entity_key: &key,
            before: None,
            after: serde_json::to_string(&row).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(water.id)
}

/// Sets one 十有 item of the account's own org unit (or, for the bureau, any org unit).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TenHaveForm {
    pub year: i32,
    pub org: String,
    pub item: String,
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub evidence: String,
}

/// A township keeps its own 十有 and its schools', a school its own, the bureau any; an org
/// unit outside the scope answers 404.
async fn require_ten_have_org(db: &Db, account: &Account, org: &str) -> Result<()> {
    let allowed = match &account.scope {
        Scope::County { .. } => emis_storage::registry::org_unit(db, org).await?.is_some(),
        Scope::Township { township, .. } => {
            org == township
                || emis_storage::registry::schools(db, account.county())
                    .await?
                    .iter()
                    .any(|s| s.code == org && &s.township_code == township)
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => org == school,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn check_ten_have_item(item: &str) -> Checked<()> {
    if drowning::TEN_HAVES.contains(&item) {
        Ok(())
    } else {
        Err(field(
            "item",
            format!("十有项目应为：{}", drowning::TEN_HAVES.join("、")),
        ))
    }
}

/// Adds an evidence file (photo or PDF, checked by content, at most 10 MB) to a township's
/// or school's 十有 item of a year; stored by content hash, audited.
pub async fn add_ten_have_file(
    db: &Db,
    account: &Account,
    year: i32,
    org: &str,
    item: &str,
    upload: &Upload<'_>,
    source: &str,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    let (org, item) = (org.trim(), item.trim());
    check_ten_have_item(item)?;
    require_ten_have_org(db, account, org).await?;
    let stored = store_upload(db, account.county(), upload)?;
    let mut tx = db.begin().await?;
    let id = store::insert_ten_have_file(
        &mut tx,
        account.county(),
        &store::NewTenHaveFile {
            year,
            org_code: org,
            item,
            file_name: &stored.file_name,
            stored_name: &stored.stored_name,
            mime: stored.mime,
            size_bytes: stored.size as i64,
            sha256: &stored.sha256,
            uploaded_by: &account.username,
        },
    )
    .await?;
    let key = format!("{year}:{org}:{item}");
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "ten_have_file",
            entity: "org_unit",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"file_id": id, "file": stored.file_name, "mime": stored.mime, "size": stored.size, "sha256": stored.sha256}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// A 十有 evidence file if the account sees its township or school: metadata and bytes.
/// Each download is audited (the files may show people and places).
pub async fn ten_have_file(
    db: &Db,
    account: &Account,
    id: i64,
    source: &str,
) -> Result<(store::TenHaveFile, Vec<u8>)> {
    let f = store::ten_have_file(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = std::fs::read(data_dir(db).join(&f.stored_name)).map_err(|_| AppError::NotFound)?;
    let mut tx = db.begin().await?;
    let key = format!("{}:{}:{}", f.year, f.org_code, f.item);
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "ten_have_file_view",
            entity: "org_unit",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"file_id": f.id, "file": f.file_name}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok((f, bytes))
}

pub async fn set_ten_have(
    db: &Db,
    account: &Account,
    form: &TenHaveForm,
    source: &str,
) -> Result<()> {
    let (year, org_code, item, done, evidence) = (
        form.year,
        form.org.as_str(),
        form.item.as_str(),
        checked(&form.done),
        form.evidence.as_str(),
    );
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[(
        "evidence",
        "佐证说明",
        evidence,
        emis_domain::limits::FREE_TEXT,
    )])?;
    check_ten_have_item(item)?;
    let org = org_code.trim();
    require_ten_have_org(db, account, org).await?;
    let mut tx = db.begin().await?;
    store::write_ten_haves(
        &mut tx,
        account.county(),
        year,
        &[(
            org.to_string(),
            item.to_string(),
            done,
            evidence.trim().to_string(),
        )],
    )
    .await?;
    let key = format!("{year}:{org}:{item}");
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "ten_haves",
            entity: "org_unit",
            entity_key: &key,
            before: None,
            after: Some(serde_json::json!({"done": done, "evidence": evidence.trim()}).to_string()),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

// ---------------------------------------------------------------- indicators

/// The safety and drowning indicators of a year, from the records.
pub async fn indicators(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(&'static str, emis_domain::indicators::Value)>> {
    use emis_domain::indicators::Value;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let facts =
        store::hazard_facts(db, county, &format!("{year}-01-01"), &year_end.to_string()).await?;
    let mut rectified = 0;
    let mut overdue = 0;
    for (status, deadline, closed_on, _grade) in &facts {
        let status = Status::parse(status).unwrap_or(Status::Open);
        let closed = closed_on.as_deref().and_then(parse_date);
        if status.is_closed() && closed.is_some_and(|c| c <= year_end) {
            rectified += 1;
        }
        if rules::is_overdue(
            status,
            deadline.as_deref().and_then(parse_date),
            closed,
            year_end,
        ) {
            overdue += 1;
        }
    }
    let scope = Scope::County {
        county: county.to_string(),
    };
    let (waters, check) = patrol_check(db, &scope, year, year_end).await?;
    let measured: Vec<(String, Measures)> = waters
        .iter()
        .map(|w| (w.risk.clone(), w.measures))
        .collect();
    let letters = store::letter_coverage(db, &scope, &format!("{year}-autumn")).await?;
    let on_roll: i64 = letters.iter().map(|l| l.on_roll).sum();
    let signed: i64 = letters.iter().map(|l| l.signed).sum();
    Ok(vec![
        ("safety.hazards.found", Value::Count(facts.len() as i64)),
        ("safety.hazards.rectified", Value::Count(rectified)),
        ("safety.hazards.overdue", Value::Count(overdue)),
        (
            "drowning.waters.equipped",
            Value::Rate(drowning::equipped_rate(&measured)),
        ),
        ("drowning.patrol.compliance", Value::Rate(check.rate())),
        (
            "drowning.letters.signed",
            Value::Rate(drowning::rate(signed as usize, on_roll as usize)),
        ),
    ])
}

/// The year pages show by default: the latest with safety records, else this year.
pub async fn default_year(db: &Db, county: &str) -> Result<i32> {
    use chrono::Datelike;
    Ok(store::latest_year(db, county)
        .await?
        .unwrap_or_else(|| chrono::Local::now().date_naive().year()))
}

/// The last day counted for a year: today in the current year, else 12月31日.
pub fn until_of(year: i32) -> NaiveDate {
    let today = chrono::Local::now().date_naive();
    NaiveDate::from_ymd_opt(year, 12, 31)
        .map(|end| end.min(today))
        .unwrap_or(today)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LetterForm {
    /// 身份证件号 of the student.
    pub id_number: String,
    pub year: i32,
    pub signed_on: String,
}

/// Records that a student's parents signed the year's letter (autumn term), for a
/// student on the roll in the account's scope.
pub async fn sign_letter(
    db: &Db,
    account: &Account,
    form: &LetterForm,
    source: &str,
) -> Result<()> {
    require(account, Permission::RecordHazards)?;
    crate::registry::check_lengths(&[(
        "id_number",
        "身份证件号",
        &form.id_number,
        emis_domain::limits::CODE,
    )])?;
    let id_number = emis_domain::text::fold_width(form.id_number.trim()).to_uppercase();
    if id_number.len() < 15 {
        return Err(field("id_number", "请填写学生的身份证件号").into());
    }
    let Some(day) = parse_date(&form.signed_on) else {
        return Err(field("signed_on", "签收日期应为 2021-09-10 这样的格式").into());
    };
    let term = format!("{}-autumn", form.year);
    let found = emis_storage::lists::students(
        db,
        &account.scope,
        &emis_storage::lists::StudentQuery {
            term: term.clone(),
            q: Some(id_number.clone()),
            page: 1,
            per_page: 2,
            ..Default::default()
        },
    )
    .await?;
    let Some(student) = found.items.into_iter().next() else {
        return Err(field(
            "id_number",
            format!("{}年秋季学期您的管理范围内没有该学生", form.year),
        )
        .into());
    };
    let mut tx = db.begin().await?;
    store::sign_letter(
        &mut tx,
        account.county(),
        student.id,
        &term,
        &student.school_code,
        &day.to_string(),
    )
    .await?;
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "parent_letter",
            entity: "student",
            entity_key: &student.id_number,
            before: None,
            after: Some(
                serde_json::json!({"term": term, "signed_on": day.to_string()}).to_string(),
            ),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WaterForm {
    pub township: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub longitude: String,
    pub latitude: String,
    pub risk: String,
}

fn coordinate(raw: &str, lo: f64, hi: f64) -> Option<Option<String>> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(None);
    }
    let v: f64 = t.parse().ok()?;
    (lo..=hi).contains(&v).then(|| Some(format!("{v:.5}")))
}

/// The township (a township account's own) and the village a water or a village link lies in.
fn township_and_village(
    account: &Account,
    township: &str,
    village: &str,
) -> Checked<(String, String)> {
    let own = match &account.scope {
        Scope::Township { township, .. } => Some(township.as_str()),
        _ => None,
    };
    let township = crate::registry::requested_org("township", "乡镇", township, own)?;
    let county = emis_domain::divisions::county(account.county());
    if county.and_then(|c| c.township(&township)).is_none() {
        return Err(field("township", "请选择本县的乡镇"));
    }
    let village = village.trim();
    if village.is_empty() {
        return Err(field("village", "请填写所在村"));
    }
    Ok((township, village.to_string()))
}

/// Registers a water body (township and bureau; a township only in its own township).
pub async fn add_water(db: &Db, account: &Account, form: &WaterForm, source: &str) -> Result<i64> {
    require(account, Permission::KeepWaters)?;
    crate::registry::check_lengths(&[
        (
            "village",
            "所在村",
            &form.village,
            emis_domain::limits::SHORT_TEXT,
        ),
        (
            "name",
            "水域名称",
            &form.name,
            emis_domain::limits::ORG_NAME,
        ),
        (
            "kind",
            "水域类型",
            &form.kind,
            emis_domain::limits::SHORT_TEXT,
        ),
    ])?;
    let (township, village) = township_and_village(account, &form.township, &form.village)?;
    let village = village.as_str();
    let name = form.name.trim();
    if name.is_empty() {
        return Err(field("name", "请填写水域名称").into());
    }
    if !drowning::WATER_KINDS.contains(&form.kind.trim()) {
        return Err(field(
            "kind",
            format!("水域类型应为：{}", drowning::WATER_KINDS.join("、")),
        )
        .into());
    }
    if !drowning::RISK_LEVELS.contains(&form.risk.trim()) {
        return Err(field("risk", "风险等级应为 高、较高 或 一般").into());
    }
    let Some(longitude) = coordinate(&form.longitude, 73.0, 136.0) else {
        return Err(field("longitude", "经度应为 73–136 之间的小数，如 110.59").into());
    };
    let Some(latitude) = coordinate(&form.latitude, 3.0, 54.0) else {
        return Err(field("latitude", "纬度应为 3–54 之间的小数，如 27.91").into());
    };
    let existing = store::waters(db, &account.scope, Some(&township)).await?;
    if existing.iter().any(|w| w.name == name) {
        return Err(field("name", "本乡镇已有同名水域").into());
    }
    let row = WaterRow {
        township_code: township,
        village: village.to_string(),
        name: name.to_string(),
        kind: form.kind.trim().to_string(),
        longitude,
        latitude,
        risk: form.risk.trim().to_string(),
        ..WaterRow::default()
    };
    let mut tx = db.begin().await?;
    let id = store::insert_water(&mut tx, account.county(), &row).await?;
    let key = id.to_string();
    audit::record(
        &mut tx,
        &account.actor(source),
        Entry {
            county: account.county(),
            action: "water_add",
            entity: "water_body",
            entity_key: &key,
            before: None,
            after: serde_json::to_string(&row).ok(),
        },
    )
    .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

/// The person of a 九长 link (职务, 姓名, 手机).
pub use chain::PersonForm as ChainForm;

/// Adds a named person of the 九长 chain to a water body (村长 and 组长 answer for its village).
pub async fn add_chain_link(
    db: &Db,
    account: &Account,
    water_id: i64,
    form: &ChainForm,
    source: &str,
) -> Result<()> {
    visible_water(db, account, water_id).await?;
    let level = if matches!(form.role.trim(), "村长" | "组长") {
        "村"
    } else {
        "水域"
    };
    let target = chain::TargetForm {
        level: level.into(),
        water: Some(water_id),
        ..chain::TargetForm::default()
    };
    chain::add_link(db, account, &target, form, source).await?;
    Ok(())
}
