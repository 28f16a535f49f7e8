//! 隐患台账: a hazard from its recording through 落实整改, 整改 and 复查 to 销号 or 退回,
//! its escalation when overdue, and the 整改销号登记表 export.

use super::evidence::{insert_stored, store_upload, Upload};
use super::{audit_change, field, require, Checked};
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::registry::FieldError;
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::dates::parse_date;
use emis_domain::limits::{FREE_TEXT, NAME, SHORT_TEXT};
use emis_domain::safety::{self as rules, Action, Area, Grade, Status};
use emis_storage::safety::{self as store, HazardQuery, HazardRow};
use emis_storage::Db;
use std::path::Path;

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

/// The hazard if the account's scope sees it, else `NotFound`.
pub async fn visible_hazard(db: &Db, account: &Account, id: i64) -> Result<HazardRow> {
    store::hazard(db, &account.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
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
    today: NaiveDate,
) -> Result<i64> {
    record_hazard_with_photo(db, account, form, None, source, today).await
}

/// Records a hazard with the photo taken when it was found (stage 发现), in one transaction.
pub async fn record_hazard_with_photo(
    db: &Db,
    account: &Account,
    form: &HazardForm,
    photo: Option<&Upload<'_>>,
    source: &str,
    today: NaiveDate,
) -> Result<i64> {
    require(account, Permission::RecordHazards)?;
    check_lengths(&[
        ("place", "隐患部位", &form.place, SHORT_TEXT),
        ("description", "隐患描述", &form.description, FREE_TEXT),
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
    // A problem found by an inspection belongs to its area (a 双减 专项督查's to 双减).
    let (inspection_id, area) = match form.inspection.trim() {
        "" => (None, Area::Safety),
        raw => match raw.parse::<i64>() {
            Ok(id) => match store::inspection_covers(db, account.county(), id, &school.code).await?
            {
                Some(area) => (Some(id), area),
                None => return Err(not_covering().into()),
            },
            _ => return Err(not_covering().into()),
        },
    };
    let place = form.place.trim();
    if place.is_empty() {
        return Err(field("place", area.place_hint()).into());
    }
    if !rules::is_category_of(area, &form.category) {
        return Err(field(
            "category",
            format!("{}类别应为：{}", area.noun(), area.categories().join("、")),
        )
        .into());
    }
    let Some(grade) = Grade::parse(&form.grade) else {
        return Err(field("grade", format!("{}等级应为“一般”或“重大”", area.noun())).into());
    };
    let description = form.description.trim();
    if description.chars().count() < 4 {
        return Err(field(
            "description",
            format!("请具体描述{}（至少4个字）", area.noun()),
        )
        .into());
    }
    let Some(found_on) = parse_date(&form.found_on) else {
        return Err(field("found_on", "排查日期应为 2021-03-10 这样的格式").into());
    };
    if found_on > today {
        return Err(field("found_on", "排查日期不能晚于今天").into());
    }
    let row = HazardRow {
        school_code: school.code.clone(),
        school_name: school.name.clone(),
        township_code: school.township_code.clone(),
        area,
        inspection_id,
        place: place.to_string(),
        category: form.category.trim().to_string(),
        grade,
        description: description.to_string(),
        found_on: found_on.to_string(),
        found_by: account.username.clone(),
        status: Status::Open,
        ..HazardRow::default()
    };
    // The photo is checked (and kept) only once the form is valid.
    let stored = match photo.filter(|p| !p.bytes.is_empty()) {
        Some(p) => match store_upload(db, p) {
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

fn not_covering() -> FieldError {
    field("inspection", "所选排查不存在，或不是针对该学校的排查")
}

fn step(h: &HazardRow, action: Action) -> Checked<Status> {
    let from = h.status;
    rules::transition(from, action).map_err(|e| field("status", e.to_string()))
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
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
    check_lengths(&[
        ("responsible", "整改责任人", &form.responsible, NAME),
        ("measures", "整改措施", &form.measures, FREE_TEXT),
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
        status,
        ..before.clone()
    };
    save_audited(db, account, source, "hazard_assign", &before, &after).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
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
    check_lengths(&[("result", "整改结果", &form.result, FREE_TEXT)])?;
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
        Some(p) => match store_upload(db, p) {
            Ok(v) => Some(v),
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let after = HazardRow {
        result: Some(result.to_string()),
        rectified_on: Some(day.to_string()),
        status,
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

#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
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
    today: NaiveDate,
) -> Result<()> {
    let before = visible_hazard(db, account, id).await?;
    require(account, Permission::ReviewHazards)?;
    check_lengths(&[("review", "复核意见", &form.review, FREE_TEXT)])?;
    let status = step(&before, Action::Close)?;
    let review = form.review.trim();
    if review.is_empty() {
        return Err(field("review", "请填写复查意见").into());
    }
    let day = if form.closed_on.trim().is_empty() {
        today
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
        status,
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
    check_lengths(&[("review", "复核意见", &form.review, FREE_TEXT)])?;
    let status = step(&before, Action::SendBack)?;
    let reason = form.review.trim();
    if reason.chars().count() < 2 {
        return Err(field("review", "退回时请写明原因").into());
    }
    let after = HazardRow {
        sent_back_reason: Some(reason.to_string()),
        reviewed_by: Some(account.username.clone()),
        status,
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
        h.deadline.as_deref().and_then(parse_date),
    ) {
        (true, Some(deadline)) => rules::escalation(h.grade, deadline, today),
        _ => rules::Escalation::None,
    }
}

/// Whether a hazard is overdue as of `today`.
pub fn overdue(h: &HazardRow, today: NaiveDate) -> bool {
    rules::is_overdue(
        h.status,
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
                h.grade.label().to_string(),
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
