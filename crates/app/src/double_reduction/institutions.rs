//! 校外培训机构台账: the register by township with each institution's history, and the
//! 双减 office recording a status change (关停, 注销, 转型, …) with its document.

use crate::auth::Account;
use crate::fields::{invalid, past_date, required_text};
use crate::{AppError, Result};
use chrono::NaiveDate;
use emis_domain::access::{Permission, Scope};
use emis_domain::double_reduction::{CaseSource, InstitutionStatus};
use emis_domain::limits::FREE_TEXT;
use emis_storage::audit::Entry;
use emis_storage::double_reduction::{
    self as store, InstitutionCaseRow, InstitutionEventRow, InstitutionRow, NewEvent,
};
use emis_storage::Db;

/// The townships whose institutions a scope reads: the county all, a township its own, a
/// school those of its township (read once per request).
async fn readable_townships(db: &Db, scope: &Scope) -> Result<std::collections::HashSet<String>> {
    Ok(emis_storage::lists::townships(db, scope)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect())
}

/// The register of the account's scope, optionally one township's or one status's.
pub async fn register(
    db: &Db,
    account: &Account,
    township: Option<&str>,
    status: Option<InstitutionStatus>,
) -> Result<Vec<InstitutionRow>> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let readable = readable_townships(db, &account.scope).await?;
    Ok(store::institutions(db, account.county())
        .await?
        .into_iter()
        .filter(|i| township.is_none_or(|t| t == i.township_code))
        .filter(|i| status.is_none_or(|s| s == i.status))
        .filter(|i| readable.contains(&i.township_code))
        .collect())
}

/// One institution with its history and the cases against it.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct InstitutionDetail {
    pub institution: InstitutionRow,
    pub events: Vec<InstitutionEventRow>,
    pub cases: Vec<InstitutionCaseRow>,
}

pub async fn detail(db: &Db, account: &Account, id: i64) -> Result<InstitutionDetail> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let institution = store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable_townships(db, &account.scope)
        .await?
        .contains(&institution.township_code)
    {
        return Err(AppError::NotFound);
    }
    Ok(InstitutionDetail {
        events: store::events_of(db, county, id).await?,
        cases: store::cases_of(db, county, id).await?,
        institution,
    })
}

/// A status change as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ChangeForm {
    pub status: String,
    pub happened_on: String,
    /// 文号 of the decision.
    pub document: String,
    pub note: String,
}

/// Records a status change (the 双减 office), audited; the same status again is refused.
pub async fn record_change(
    db: &Db,
    account: &Account,
    id: i64,
    form: &ChangeForm,
    today: NaiveDate,
    source: &str,
) -> Result<InstitutionStatus> {
    crate::require(account.role, Permission::KeepInstitutions)?;
    let county = account.county();
    let institution = store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = InstitutionStatus::parse(&form.status).ok_or_else(|| {
        invalid(
            "status",
            format!("请选择状态：{}", InstitutionStatus::choices()),
        )
    })?;
    if status == institution.status {
        return Err(invalid("status", format!("该机构当前已是“{status}”")));
    }
    let on = past_date("happened_on", "变更日期", &form.happened_on, today)?;
    let text = |field: &'static str, label: &str, raw: &str| -> Result<Option<String>> {
        let raw = raw.trim();
        emis_domain::limits::check_len(label, raw, emis_domain::limits::SHORT_TEXT)
            .map_err(|m| invalid(field, m))?;
        Ok(Some(raw.to_string()).filter(|t| !t.is_empty()))
    };
    let event = NewEvent {
        institution_id: id,
        status,
        happened_on: on.to_string(),
        document: text("document", "文号", &form.document)?,
        note: text("note", "说明", &form.note)?,
    };
    let mut tx = db.begin().await?;
    store::record_events(
        &mut tx,
        county,
        std::slice::from_ref(&event),
        &account.username,
    )
    .await?;
    Entry::new(county, "update", "institution", &institution.credit_code)
        .before_json(
            &serde_json::json!({"status": institution.status, "status_on": institution.status_on}),
        )
        .after_json(&event)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(status)
}

/// A case as the office opens it: a complaint or an inspection's finding.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CaseForm {
    pub source: String,
    pub opened_on: String,
    pub summary: String,
}

/// Opens a case against an institution (the 双减 office), audited.
pub async fn open_case(
    db: &Db,
    account: &Account,
    id: i64,
    form: &CaseForm,
    today: NaiveDate,
    source: &str,
) -> Result<i64> {
    crate::require(account.role, Permission::KeepInstitutions)?;
    let county = account.county();
    let institution = store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = CaseSource::parse(&form.source).ok_or_else(|| {
        invalid(
            "source",
            format!("请选择线索来源：{}", CaseSource::choices()),
        )
    })?;
    let opened = past_date("opened_on", "受理日期", &form.opened_on, today)?;
    let summary = required_text("summary", "问题摘要", &form.summary, FREE_TEXT)?;
    let mut tx = db.begin().await?;
    let case = store::open_institution_case(
        &mut tx,
        county,
        id,
        &opened.to_string(),
        from,
        summary,
        &account.username,
    )
    .await?;
    Entry::new(county, "create", "institution_case", &case.to_string())
        .after_json(&serde_json::json!({
            "institution": institution.credit_code, "source": from.label(), "opened_on": opened, "summary": summary
        }))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(case)
}

/// Closing a case: which one, its outcome and the day.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CloseForm {
    pub case: String,
    pub outcome: String,
    pub closed_on: String,
}

/// Closes an open case of the institution with its outcome, audited.
pub async fn close_case(
    db: &Db,
    account: &Account,
    id: i64,
    form: &CloseForm,
    today: NaiveDate,
    source: &str,
) -> Result<()> {
    crate::require(account.role, Permission::KeepInstitutions)?;
    let county = account.county();
    store::institution(db, county, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let case: i64 = form
        .case
        .trim()
        .parse()
        .map_err(|_| invalid("case", "请选择要办结的案件"))?;
    let outcome = required_text("outcome", "处理结果", &form.outcome, FREE_TEXT)?;
    let closed = past_date("closed_on", "办结日期", &form.closed_on, today)?;
    let opened = store::cases_of(db, county, id)
        .await?
        .into_iter()
        .find(|c| c.id == case)
        .ok_or_else(|| invalid("case", "该机构没有这个案件"))?;
    if closed.to_string() < opened.opened_on {
        return Err(invalid(
            "closed_on",
            format!("办结日期 {closed} 早于受理日期 {}", opened.opened_on),
        ));
    }
    let mut tx = db.begin().await?;
    let closed_now = store::close_institution_case(
        &mut tx,
        county,
        id,
        case,
        outcome,
        &closed.to_string(),
        &account.username,
    )
    .await?;
    if !closed_now {
        return Err(invalid("case", "该案件已办结"));
    }
    Entry::new(county, "update", "institution_case", &case.to_string())
        .before_json(&serde_json::json!({"status": opened.status}))
        .after_json(
            &serde_json::json!({"status": "已办结", "outcome": outcome, "closed_on": closed}),
        )
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
